"""The days of the previous edition: arrivals at the door, then the stands' badge scans.

Check-ins are written as the door's check-in writes them (one row per registration, its first arrival); scans go
through the lead recording service (`record_scans`), one batch per stand and day as a paired phone sends them,
with printed badges and a paired device per stand. About 70 % of the published plan's visits are realised: a
member of the visitor is scanned at the startup's stand within the visit's time (see
app/demonstrator/realised/matching.py); the stands also scan people they meet outside the plan.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from app.badging.models import BadgeToken, CheckIn, new_badge_token
from app.badging.services import unused_short_codes
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.plans.planning import published_plan
from app.demonstrator.realised.report import load_rows
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.leads.devices import DeviceRef
from app.leads.models import Device, StandTag, new_device_token, secret_hash
from app.leads.recording import record_scans
from app.registrations.models import Registration, RegistrationStatus

#: The share of the planned visits a stand scans (some visitors are missing that day: a bit fewer are realised).
SCANNED_VISITS = 0.9
TAGS = ["À rappeler", "Démo à prévoir", "Pilote", "Devis", "Appel d'offres", "Partenariat", "Presse"]
NOTES = [
    "Très intéressée par un pilote sur le centre-ville.", "Demande une démo à la rentrée.",
    "Budget voté en septembre : rappeler avant.", "Veut nos références dans des villes de même taille.",
    "Projet similaire en cours avec un concurrent.", "À recontacter via la direction des services techniques.",
    "Envoyer la plaquette et les tarifs.", "Intéressé pour l'agglomération, pas seulement la ville.",
    "Appel d'offres prévu au premier trimestre.", "Rencontre rapide, à suivre.",
]


@dataclass
class Attendee:
    registration_id: int
    person_id: int
    code: CategoryCode
    days: list[date]


def _utc(event: Event, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(event.timezone)).astimezone(UTC).replace(tzinfo=None)


def _confirmed(event: Event) -> list[Attendee]:
    rows = db.session.execute(
        select(Registration.id, Registration.person_id, Category.code, Registration.days)
        .join(Category, Category.id == Registration.category_id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id))
    return [Attendee(id_, person, code, sorted(date.fromisoformat(d) for d in days or []) or list(event.days))
            for id_, person, code, days in rows]


def load_check_ins(event: Event, seed: int, *, door_id: int | None) -> int:
    """Most confirmed attendees checked in at one of the two doors on their first day (a few only on their
    second), in the morning rush, some after lunch; the startups' teams early. Commits; returns the count."""
    rng = random.Random(seed * 13 + 5)
    rows = []
    for person in _confirmed(event):
        is_startup = person.code == CategoryCode.STARTUP
        if rng.random() >= (0.97 if is_startup else 0.88):
            continue  # did not come
        day = person.days[1] if len(person.days) > 1 and rng.random() < 0.1 else person.days[0]
        if is_startup:
            minutes = rng.randint(0, 60) - 15  # 7:45 to 8:45, to set the stand up
        elif rng.random() < 0.12:
            minutes = rng.randint(330, 405)  # 13:30 to 14:45
        else:
            minutes = int(rng.triangular(0, 150, 50))  # 8:00 to 10:30, most around 8:50
        at = _utc(event, day, time(8)) + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        rows.append({"event_id": event.id, "registration_id": person.registration_id, "at": at, "by_id": door_id,
                     "place": "Entrée principale" if rng.random() < 0.8 else "Entrée Agora"})
    if rows:
        db.session.execute(insert(CheckIn), rows)
    db.session.commit()
    return len(rows)


def _print_badges(event: Event, attendees: list[Attendee]) -> dict[int, str]:
    """A badge for every confirmed attendee, printed the week before; returns the token per registration."""
    printed_at = _utc(event, event.starts_on - timedelta(days=6), time(10))
    codes = unused_short_codes(len(attendees))
    tokens = {a.registration_id: new_badge_token() for a in attendees}
    db.session.execute(insert(BadgeToken), [
        {"registration_id": a.registration_id, "token": tokens[a.registration_id], "short_code": code,
         "issued_at": printed_at, "printed_at": printed_at} for a, code in zip(attendees, codes, strict=True)])
    return tokens


def _devices(event: Event, stands: dict[int, int], rng: random.Random) -> dict[int, int]:
    """A phone paired to each stand on the first morning, and the stand's own tags; returns device ids by stand."""
    devices = {}
    for stand_id, person_id in stands.items():
        device = Device(event_id=event.id, stand_id=stand_id, name="Téléphone du stand",
                        token_hash=secret_hash(new_device_token()), paired_by_id=person_id,
                        paired_at=_utc(event, event.starts_on, time(8, 20)))
        db.session.add(device)
        for position, label in enumerate(sorted(rng.sample(TAGS, 3), key=TAGS.index)):
            db.session.add(StandTag(stand_id=stand_id, label=label, position=position))
        devices[stand_id] = device
    db.session.flush()
    return {stand_id: device.id for stand_id, device in devices.items()}


def _annotate(entry: dict, rng: random.Random, tags: list[str]) -> dict:
    if rng.random() < 0.15:
        entry["notes"] = rng.choice(NOTES)
    if rng.random() < 0.3:
        entry["tags"] = rng.sample(tags, rng.choice([1, 1, 2]))
    if rng.random() < 0.4:
        entry["rating"] = rng.choice([2, 3, 3, 4, 4, 4, 5, 5])
    return entry


def load_scans(event: Event, seed: int) -> int:
    """Badges, a paired phone per stand and a day of scans per stand, recorded by the lead recording service.

    Only people who have checked in by then are scanned. Commits (one unit of work per batch); returns the
    number of scans sent."""
    rng = random.Random(seed * 17 + 9)
    attendees = _confirmed(event)
    arrived = dict(db.session.execute(select(CheckIn.registration_id, CheckIn.at).where(CheckIn.event_id == event.id))
                   .all())
    tokens = _print_badges(event, attendees)
    people = {a.registration_id: a for a in attendees}
    holders = sorted(set(db.session.scalars(select(StandBooking.registration_id).join(Stand)
                                            .where(Stand.event_id == event.id))))
    stands = {s: people[s].person_id for s in holders if s in arrived}  # a stand whose team never came scans nothing
    devices = _devices(event, stands, rng)
    tags = {s: list(db.session.scalars(select(StandTag.label).where(StandTag.stand_id == s)
                                       .order_by(StandTag.position))) for s in stands}
    db.session.commit()  # each batch of scans below is a unit of work of its own
    scans: dict[tuple[int, date], list[tuple[datetime, int]]] = defaultdict(list)
    zone = ZoneInfo(event.timezone)

    def scan(stand: int, registration_id: int, at: datetime) -> None:
        day = at.replace(tzinfo=UTC).astimezone(zone).date()
        scans[(stand, day)].append((at, registration_id))

    visits, _scans, _delegations = load_rows(event, published_plan(event))
    planned = set()
    for visit in sorted(visits, key=lambda v: (v.starts_at, v.id)):
        planned.update((visit.startup_id, m) for m in visit.members)
        if visit.startup_id not in stands or rng.random() >= SCANNED_VISITS:
            continue
        present = [m for m in sorted(visit.members) if m in arrived and arrived[m] <= visit.starts_at]
        seconds = int((visit.ends_at - visit.starts_at).total_seconds())
        for member in rng.sample(present, min(len(present), rng.choice([1, 1, 2]))):
            at = visit.starts_at + timedelta(seconds=rng.randint(0, seconds))
            scan(visit.startup_id, member, at)
            if rng.random() < 0.05:  # scanned again before leaving the stand
                scan(visit.startup_id, member, min(at + timedelta(minutes=3), visit.ends_at))
    # Contacts outside the plan: whoever stopped at the stand (officials too, at another time than their visit).
    walkers = [a for a in attendees if a.code != CategoryCode.STARTUP and a.registration_id in arrived]
    for stand in stands:
        for person in rng.sample(walkers, rng.randint(2, 12)):
            if (stand, person.registration_id) in planned:
                continue
            start = arrived[person.registration_id]
            days = [d for d in person.days if _utc(event, d, time(18)) > start]
            if not days:
                continue
            day = rng.choice(days)
            opens = max(start, _utc(event, day, time(9)))
            at = opens + timedelta(seconds=rng.randint(0, int((_utc(event, day, time(18)) - opens).total_seconds())))
            scan(stand, person.registration_id, at)

    count = 0
    for (stand, day), rows in sorted(scans.items()):
        rows.sort()
        entries = [_annotate({"client_id": f"demo-{stand}-{day:%m%d}-{n}", "code": tokens[registration_id],
                              "scanned_at": at.replace(tzinfo=UTC).isoformat()}, rng, tags[stand])
                   for n, (at, registration_id) in enumerate(rows)]
        evening = _utc(event, day, time(18, 30))
        results = record_scans(DeviceRef(devices[stand], event.id, stand), entries, now=evening)
        refused = [r for r in results if r.status != "stored"]
        if refused:
            raise RuntimeError(f"the demo's scans were refused: {refused[0].error}")
        count += len(entries)
        db.session.execute(Device.__table__.update().where(Device.id == devices[stand]).values(last_seen_at=evening))
    db.session.commit()
    return count
