"""The demo summit's program: rooms, about 150 sessions over three days, speakers, agendas."""
from __future__ import annotations

import random
from datetime import time

from sqlalchemy import select

from app.core.transaction import atomic
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.program import services
from app.program.models import AgendaEntry, SeatStatus, SessionKind, SpeakerRole
from app.registrations.models import Registration, RegistrationStatus

ROOMS = [("Grande salle", 900, "RDC"), ("Auditorium Jean Jaurès", 350, "RDC"), ("Salle Mitterrand", 200, "RDC"),
         ("Salle Bérégovoy", 120, "1er"), ("Salle Colbert", 80, "1er"), ("Salle Loire", 60, "1er"),
         ("Salle Nièvre", 40, "2e"), ("Salle Vauban", 40, "2e"), ("Salle des Ducs", 40, "2e"),
         ("Salle Morvan", 30, "2e"), ("Salle Allier", 30, "2e"), ("Salle Bazois", 30, "2e"),
         ("Agora du démonstrateur", 200, "Hall B")]

#: Which rooms each kind of session uses (indexes in ROOMS), so that the demo has no double booking.
POOLS = {
    SessionKind.PLENIERE: [0], SessionKind.PAUSE: [0], SessionKind.CONFERENCE: [1, 2],
    SessionKind.TABLE_RONDE: [3, 4, 5], SessionKind.ATELIER: [6, 7, 8, 9, 10, 11], SessionKind.VISITE: [12],
}

TOPICS = [
    ("Revitaliser le cœur de ville : ce qui marche", "Reviving the town centre: what works", "coeurs-de-ville"),
    ("Mobilités du quotidien dans les villes moyennes", "Everyday mobility in mid-sized cities", "mobilite"),
    ("Déserts médicaux : des solutions locales", "Medical deserts: local answers", "sante"),
    ("Rénover le parc de logements anciens", "Renovating old housing stock", "habitat"),
    ("Sobriété foncière et ZAN", "Land sobriety and net zero land take", "urbanisme"),
    ("L'eau, ressource rare", "Water, a scarce resource", "ressources-naturelles"),
    ("Communautés énergétiques locales", "Local energy communities", "energie"),
    ("Les données au service des politiques publiques", "Data for public policy", "donnees-numerique"),
    ("Le commerce de proximité face au e-commerce", "Local shops against e-commerce", "commerce"),
    ("Tourisme de proximité et patrimoine", "Local tourism and heritage", "tourisme"),
    ("Attirer et garder les jeunes", "Attracting and keeping young people", "education"),
    ("Budget participatif : retours d'expérience", "Participatory budgets: lessons learnt", "participation"),
    ("Tranquillité publique et vidéoprotection", "Public safety and CCTV", "securite"),
    ("Culture et attractivité", "Culture and attractiveness", "culture"),
]

#: (start, end, kind) per day: every room of the kind's pool is used in each slot.
DAY_PLAN = [
    (time(9, 0), time(10, 15), SessionKind.PLENIERE),
    (time(10, 15), time(10, 45), SessionKind.PAUSE),
    (time(10, 45), time(11, 45), SessionKind.CONFERENCE),
    (time(10, 45), time(11, 45), SessionKind.TABLE_RONDE),
    (time(10, 45), time(12, 15), SessionKind.ATELIER),
    (time(12, 15), time(13, 45), SessionKind.PAUSE),
    (time(12, 0), time(13, 0), SessionKind.CONFERENCE),
    (time(14, 0), time(15, 0), SessionKind.CONFERENCE),
    (time(14, 0), time(15, 0), SessionKind.TABLE_RONDE),
    (time(14, 0), time(15, 30), SessionKind.ATELIER),
    (time(14, 0), time(15, 30), SessionKind.VISITE),
    (time(15, 30), time(16, 0), SessionKind.PAUSE),
    (time(15, 15), time(16, 15), SessionKind.CONFERENCE),
    (time(15, 15), time(16, 15), SessionKind.TABLE_RONDE),
    (time(16, 0), time(17, 30), SessionKind.ATELIER),
    (time(16, 0), time(17, 30), SessionKind.VISITE),
    (time(16, 30), time(17, 30), SessionKind.TABLE_RONDE),
    (time(17, 45), time(18, 45), SessionKind.PLENIERE),
]


@atomic()  # the program services join this unit of work: one commit for the whole program
def load_program(event: Event, seed: int, *, actor_id: int) -> int:
    """Create and publish the program, and fill some agendas; returns the number of sessions."""
    rng = random.Random(seed * 7 + 1)
    rooms = [services.save_room(event, services.RoomInput(name=n, capacity=c, floor=f), actor_id=actor_id)
             for n, c, f in ROOMS]
    speakers = list(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
        Registration.category.has(code=CategoryCode.INTERVENANT)).order_by(Registration.id)))
    attendees = list(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)))
    created = []
    for day in event.days:
        busy: dict[int, list[tuple[time, time]]] = {}
        for start, end, kind in DAY_PLAN:
            for room in (rooms[i] for i in POOLS[kind]):
                title_fr, title_en, theme = rng.choice(TOPICS)
                if kind == SessionKind.PAUSE:
                    title_fr, title_en, theme = ("Déjeuner et visites libres" if start.hour == 12 else "Pause café",
                                                 "Lunch and free visits" if start.hour == 12 else "Coffee break", None)
                elif kind == SessionKind.VISITE:
                    title_fr, title_en = "Parcours guidé du démonstrateur", "Guided tour of the demonstrator"
                chosen = _free_speakers(rng, speakers, busy, start, end, 0 if kind in (SessionKind.PAUSE,
                                        SessionKind.VISITE) else (1 if kind == SessionKind.ATELIER else 3))
                data = services.SessionInput(
                    kind=kind, title_fr=_prefix(kind) + title_fr, title_en=_prefix(kind, "en") + title_en, day=day,
                    start=start, end=end, room_id=room.id, theme_codes=[theme] if theme else [],
                    seat_limit=min(room.capacity, rng.choice([20, 25, 30])) if kind == SessionKind.ATELIER else None,
                    description_fr=f"Avec des élus et des praticiens de villes moyennes de France et d'ailleurs : {title_fr.lower()}.",
                    description_en=f"With elected officials and practitioners from mid-sized cities: {title_en.lower()}.",
                    speakers=[(s.id, SpeakerRole.MODERATEUR if n == 0 and len(chosen) > 1 else SpeakerRole.INTERVENANT)
                              for n, s in enumerate(chosen)])
                created.append(services.save_session(event, data, actor_id=actor_id))
    services.publish(event, actor_id=actor_id)
    db.session.flush()
    for registration in rng.sample(attendees, min(300, len(attendees))):
        for session in rng.sample(created, 4):
            if session.kind == SessionKind.PAUSE:
                continue
            seat = None
            if session.seat_limit is not None:
                seated = sum(1 for e in session_entries(session) if e.seat == SeatStatus.SEATED)
                seat = SeatStatus.SEATED if seated < session.seat_limit else SeatStatus.WAITING
            db.session.add(AgendaEntry(session_id=session.id, registration_id=registration.id, seat=seat))
            db.session.flush()
    return len(created)


def session_entries(session) -> list[AgendaEntry]:
    return list(db.session.scalars(select(AgendaEntry).where(AgendaEntry.session_id == session.id)))


def _prefix(kind: SessionKind, lang: str = "fr") -> str:
    return {SessionKind.PLENIERE: ("Plénière : ", "Plenary: "), SessionKind.ATELIER: ("Atelier : ", "Workshop: "),
            SessionKind.TABLE_RONDE: ("Table ronde : ", "Round table: ")}.get(kind, ("", ""))[lang == "en"]


def _free_speakers(rng, speakers, busy, start, end, count):
    free = [s for s in speakers if all(end <= a or start >= b for a, b in busy.get(s.id, []))]
    chosen = rng.sample(free, min(count, len(free)))
    for speaker in chosen:
        busy.setdefault(speaker.id, []).append((start, end))
    return chosen
