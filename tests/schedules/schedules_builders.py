"""Tiny builders for the schedules tests: two editions, rooms, sessions at local times."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from schedules.model import EventInfo, Room, Session, Speaker

PARIS = "Europe/Paris"
MONTREAL = "America/Montreal"

#: June in Lyon: no DST change during the edition.
LYON = EventInfo(slug="lyon-2027", name="Médiane Lyon 2027", city="Lyon", venue="Centre des congrès",
                 tz=PARIS, days=(date(2027, 6, 2), date(2027, 6, 3)), uid_domain="mediane.example.org",
                 url="https://mediane.example.org/lyon-2027")
#: Québec in November: summer time ends on Sunday 7 November 2027 at 02:00.
QUEBEC = EventInfo(slug="quebec-2027", name="Médiane Québec 2027", city="Québec", venue="Centre des congrès",
                   tz=MONTREAL, days=(date(2027, 11, 6), date(2027, 11, 7)), uid_domain="mediane.example.org")

ROOMS = (
    Room(1, "Salle Rhône", capacity=120),
    Room(2, "Atelier B", capacity=20, availability=()),
)

ADA = Speaker(1, "Ada Lovelace", organisation="Ville de Lyon")
JEAN = Speaker(2, "Jean Tremblay", role="moderateur", organisation="Ville de Québec")


def at(tz: str, y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A local wall-clock time, as the aware UTC datetime the app hands over."""
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def session(id: int, start: datetime, end: datetime, **kwargs) -> Session:
    defaults = {"kind": "conference", "title_fr": f"Séance {id}", "title_en": f"Session {id}", "room_id": 1}
    defaults.update(kwargs)
    return Session(id=id, start=start, end=end, **defaults)
