"""Edition-local times and the few words the exports print in French or English."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from schedules.model import EventInfo, Room, Session

LANGS = ("fr", "en")

KIND_LABELS = {
    "fr": {"pleniere": "Plénière", "conference": "Conférence", "atelier": "Atelier",
           "table_ronde": "Table ronde", "visite": "Visite", "pause": "Pause"},
    "en": {"pleniere": "Plenary", "conference": "Talk", "atelier": "Workshop",
           "table_ronde": "Panel", "visite": "Site visit", "pause": "Break"},
}
ROLE_LABELS = {
    "fr": {"intervenant": "intervenant·e", "moderateur": "modération", "animateur": "animation"},
    "en": {"intervenant": "speaker", "moderateur": "moderator", "animateur": "facilitator"},
}
WORDS = {
    "fr": {"speakers": "Intervenant·es", "more": "Plus d’informations", "program": "Programme",
           "cancelled": "annulée", "scheduled": "programmée"},
    "en": {"speakers": "Speakers", "more": "More information", "program": "Programme",
           "cancelled": "cancelled", "scheduled": "scheduled"},
}


def normalize_lang(lang: str) -> str:
    """'fr', 'fr_CA', 'en-GB'… → 'fr' or 'en'; anything else falls back to French."""
    code = (lang or "").replace("-", "_").split("_")[0].lower()
    return code if code in LANGS else "fr"


@lru_cache(maxsize=32)
def zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime (UTC), got naive {moment.isoformat()}")


def local(moment: datetime, tz: str) -> datetime:
    """The same instant in the edition's zone."""
    return moment.astimezone(zone(tz))


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(tz))


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) of `day` — 23 or 25 hours on DST days."""
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_index(rooms) -> dict[int, Room]:
    return {room.id: room for room in rooms}


def location(event: EventInfo, room: Room | None) -> str:
    """'room name, venue, city', leaving out the empty parts."""
    parts = (room.name if room else "", event.venue, event.city)
    return ", ".join(part for part in parts if part)


def speaker_line(session: Session, lang: str) -> str:
    """'Ada Lovelace (Ville de Lyon), Jean Tremblay (modération)'."""
    labels = ROLE_LABELS[lang]
    people = []
    for speaker in session.speakers:
        extras = [speaker.organisation] if speaker.organisation else []
        if speaker.role != "intervenant":
            extras.append(labels.get(speaker.role, speaker.role))
        people.append(f"{speaker.name} ({', '.join(extras)})" if extras else speaker.name)
    return ", ".join(people)
