"""Rows and published snapshots turned into the plain values of `schedules`."""
from __future__ import annotations

from datetime import datetime, timezone

from schedules.model import EventInfo, Room, Session, Speaker

from app.core.i18n import localized
from app.events.models import Event
from app.program.models import ProgramSession, Room as RoomRow


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc)


def event_info(event: Event, *, uid_domain: str, url: str = "") -> EventInfo:
    return EventInfo(slug=event.slug, name=localized(event, "name"), city=event.city, venue=event.venue, tz=event.timezone,
                     days=tuple(event.days), uid_domain=uid_domain, url=url)


def room_value(room: RoomRow) -> Room:
    return Room(id=room.id, name=room.name, capacity=room.capacity, floor=room.floor,
                accessible=room.is_accessible,
                availability=tuple((aware(w.starts_at), aware(w.ends_at)) for w in room.availability))


def snapshot(session: ProgramSession) -> dict:
    """The published form of a session: plain JSON, compared field by field at the next publication."""
    return {
        "kind": session.kind.value,
        "title_fr": session.title_fr,
        "title_en": session.title_en,
        "description_fr": session.description_fr,
        "description_en": session.description_en,
        "room_id": session.room_id,
        "room_name": session.room.name if session.room else "",
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "seat_limit": session.seat_limit,
        "cancelled": session.is_cancelled,
        "themes": [t.code for t in session.themes],
        "speakers": [{"registration_id": s.registration_id, "name": s.registration.person.full_name,
                      "role": s.role.value,
                      "organisation": s.registration.organisation.name if s.registration.organisation else ""}
                     for s in session.speakers],
    }


def draft_value(session: ProgramSession) -> Session:
    return _value(session.id, snapshot(session), session.sequence)


def published_value(session: ProgramSession, url: str = "") -> Session:
    return _value(session.id, session.published, session.sequence, url)


def _value(session_id: int, data: dict, sequence: int, url: str = "") -> Session:
    return Session(
        id=session_id, kind=data["kind"], title_fr=data["title_fr"], title_en=data["title_en"],
        description_fr=data["description_fr"], description_en=data["description_en"],
        start=aware(datetime.fromisoformat(data["starts_at"])), end=aware(datetime.fromisoformat(data["ends_at"])),
        room_id=data["room_id"], seat_limit=data["seat_limit"], cancelled=data["cancelled"],
        themes=tuple(data["themes"]), sequence=sequence, url=url,
        speakers=tuple(Speaker(id=s["registration_id"], name=s["name"], role=s["role"], organisation=s["organisation"])
                       for s in data["speakers"]),
    )
