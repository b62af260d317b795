"""A small edition whose accepted meetings are to be placed (tests of app.meetings.placement).

Day 1 (2 June 2027, Paris): a tour slot 14:00-16:00, three stands held by startups from 08:00 to
18:00, a meeting session 14:00-17:00 of 20-minute slots at three tables; day 2: a session 10:00-12:00.
The mayor of Nevers walks alone; Bourges's two officials walk together (a delegation); an official of Vichy
speaks at a session on day 1 from 15:00 to 16:00; an official of Moulins attends day 3 only. Accepted meetings:
two at stands (a startup with the mayor, another with Bourges's coordinator) and five at tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from app.auth.services import set_password
from app.core.timefmt import local_to_utc, utcnow
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.meetings.requests import settings as meeting_settings
from app.meetings.requests.models import MeetingParticipant, MeetingReason, MeetingRequest, RequestStatus, Side
from app.program import services as program
from app.program.models import SessionKind, SpeakerRole
from app.registrations import delegations
from app.registrations.models import Mandate, Registration
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD
from tests.meetings.world import category_ids


def utc(day, hhmm: str) -> datetime:
    """Local Paris time to naive UTC."""
    h, m = map(int, hhmm.split(":"))
    return local_to_utc(day, time(h, m), "Europe/Paris")


@dataclass
class PlacementWorld:
    event: Event
    mayor: Registration           # Nevers, alone
    coordinator: Registration     # Bourges, with `deputy`
    deputy: Registration
    speaker: Registration         # Vichy: speaks on day 1, 15:00-16:00
    absent: Registration          # Moulins: day 3 only
    startups: list[Registration]  # each on a stand
    bare_startup: Registration    # no stand
    company: Registration
    other_company: Registration
    meetings: dict[str, MeetingRequest] = field(default_factory=dict)


def accept(event: Event, requester: Registration, recipient: Registration, *, brings=()) -> MeetingRequest:
    request = MeetingRequest(event_id=event.id, requester=requester, recipient=recipient,
                             reason=MeetingReason.DISCOVER, status=RequestStatus.ACCEPTED, answered_at=utcnow(),
                             expires_at=utcnow() + timedelta(days=7))
    for member in brings:
        request.participants.append(MeetingParticipant(registration_id=member.id, side=Side.RECIPIENT))
    db.session.add(request)
    db.session.commit()
    return request


def build(event: Event, make_registration, *, tables: str = "3") -> PlacementWorld:
    day1, day2, day3 = event.days

    def person(category, first, last, **fields):
        return make_registration(event, category, first_name=first, last_name=last, consent_directory=True,
                                 **fields)

    mayor = person(CategoryCode.ELU, "Marie", "Lefèvre", territory="Nevers", mandate=Mandate.MAIRE,
                   days=[day1, day2], email="maire@nevers.fr")
    coordinator = person(CategoryCode.ELU, "Paul", "Girard", territory="Bourges", days=[day1, day2])
    deputy = person(CategoryCode.ELU, "Inès", "Moreau", territory="Bourges", days=[day1, day2])
    speaker = person(CategoryCode.ELU, "Jean", "Vidal", territory="Vichy", days=[day1, day2])
    absent = person(CategoryCode.ELU, "Lucie", "Martin", territory="Moulins", days=[day3])
    startups = [person(CategoryCode.STARTUP, "Sam", f"Leroy{i}", organisation_name=f"Startup {i}",
                       days=[day1, day2, day3]) for i in range(3)]
    bare = person(CategoryCode.STARTUP, "Zoé", "Blanc", organisation_name="Lumière Douce", days=[day1, day2])
    company = person(CategoryCode.ENTREPRISE, "Hugo", "Petit", organisation_name="Énergies Réunies",
                     days=[day1, day2], email="hugo@energies.fr")
    other = person(CategoryCode.ENTREPRISE, "Rose", "Nadal", organisation_name="Eaux Claires", days=[day1, day2])
    everyone = [mayor, coordinator, deputy, speaker, absent, *startups, bare, company, other]
    approve(event, [r.id for r in everyone], actor_id=None)
    for registration in everyone:
        set_password(registration.person, TEST_PASSWORD)
    delegation = delegations.create_delegation(event, "Ville de Bourges", actor_id=None)
    delegations.set_members(event, delegation, [coordinator.id, deputy.id], coordinator.id, actor_id=None)
    for i, startup in enumerate(startups):
        stand = hall_services.save_stand(event, hall_services.StandInput(f"A{i + 1}", x=5 + 8 * i, y=10),
                                         actor_id=None)
        hall_calendar.book_stand(event, stand, startup, utc(day1, "08:00"), utc(day1, "18:00"), actor_id=None)
    hall_calendar.add_tour_slot(event, utc(day1, "14:00"), utc(day1, "16:00"), "Après-midi", actor_id=None)
    room = program.save_room(event, program.RoomInput(name="Grande salle", capacity=200), actor_id=None)
    session = program.save_session(event, program.SessionInput(
        kind=SessionKind.TABLE_RONDE, title_fr="Villes et énergie", title_en="Cities and energy", day=day1,
        start=time(15, 0), end=time(16, 0), room_id=room.id, speakers=[(speaker.id, SpeakerRole.INTERVENANT)]),
        actor_id=None)
    assert session.id
    db.session.commit()
    ids = category_ids(event)
    pairs = [("startup", "elu"), ("entreprise", "elu"), ("elu", "startup"), ("entreprise", "startup")]
    meeting_settings.save_settings(event, meeting_settings.SettingsInput(
        is_open=True, acceptance="at_once", slot_minutes=20, max_per_session=6, expiry_days=7, tables=tables,
        pairs=tuple((ids[a], ids[b]) for a, b in pairs)), actor_id=None)
    meeting_settings.add_session(event, day1, time(14), time(17), actor_id=None)
    meeting_settings.add_session(event, day2, time(10), time(12), actor_id=None)
    w = PlacementWorld(event, mayor, coordinator, deputy, speaker, absent, startups, bare, company, other)
    w.meetings["stand_mayor"] = accept(event, startups[0], mayor)
    w.meetings["stand_bourges"] = accept(event, startups[1], coordinator, brings=[deputy])
    w.meetings["company_mayor"] = accept(event, company, mayor)
    w.meetings["bare_mayor"] = accept(event, bare, mayor)
    w.meetings["company_speaker"] = accept(event, company, speaker)
    w.meetings["other_startup"] = accept(event, other, startups[2])
    w.meetings["absent"] = accept(event, other, absent)
    return w
