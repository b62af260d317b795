"""Organisers build the program: rooms, sessions, speakers, warnings, publication.

`save_room`, `save_session`, `remove_session` and `publish` are use cases: each commits once (`atomic`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import schedules
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import local_to_utc, utcnow
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.mail.services import send_mail
from app.program import convert
from app.program.models import (AgendaEntry, ProgramPublication, ProgramSession, Room, RoomAvailability, SeatStatus,
                                SessionKind, SessionSpeaker, SpeakerRole)
from app.registrations.models import Registration, RegistrationStatus


class ProgramError(DomainError):
    """A refused change to the program."""


@dataclass
class RoomInput:
    name: str
    capacity: int | None = None
    floor: str = ""
    is_accessible: bool = True
    #: (day, from, to) in the edition's local time; empty: always available.
    availability: list[tuple[date, time, time]] = field(default_factory=list)


@dataclass
class SessionInput:
    kind: SessionKind
    title_fr: str
    title_en: str
    day: date
    start: time
    end: time
    room_id: int | None = None
    description_fr: str = ""
    description_en: str = ""
    theme_codes: list[str] = field(default_factory=list)
    seat_limit: int | None = None
    #: (registration id, role) in display order.
    speakers: list[tuple[int, SpeakerRole]] = field(default_factory=list)


@atomic()
def save_room(event: Event, data: RoomInput, *, room: Room | None = None, actor_id: int) -> Room:
    name = data.name.strip()
    if not name:
        raise ProgramError("required", "name")
    clash = db.session.scalar(select(Room.id).where(Room.event_id == event.id, Room.name == name))
    if clash is not None and (room is None or clash != room.id):
        raise ProgramError("room_exists", "name")
    if data.capacity is not None and data.capacity < 1:
        raise ProgramError("bad_capacity", "capacity")
    windows = []
    for day, start, end in data.availability:
        if not event.starts_on <= day <= event.ends_on:
            raise ProgramError("day_outside", "availability", day=day.isoformat())
        if end <= start:
            raise ProgramError("ends_before_start", "availability")
        windows.append(RoomAvailability(starts_at=local_to_utc(day, start, event.timezone),
                                        ends_at=local_to_utc(day, end, event.timezone)))
    if room is None:
        room = Room(event_id=event.id, position=_count(Room, event))
        db.session.add(room)
    room.name, room.capacity, room.floor, room.is_accessible = name, data.capacity, data.floor.strip(), data.is_accessible
    room.availability = windows
    db.session.flush()
    audit.record("room.save", actor_id=actor_id, event_id=event.id, obj=room)
    return room


def _count(model, event: Event) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id))


@atomic()
def save_session(event: Event, data: SessionInput, *, session: ProgramSession | None = None,
                 actor_id: int) -> ProgramSession:
    """Create or update a draft session. Hard errors refuse; scheduling problems come back as warnings."""
    if not data.title_fr.strip():
        raise ProgramError("required", "title_fr")
    starts_at = local_to_utc(data.day, data.start, event.timezone)
    ends_at = local_to_utc(data.day, data.end, event.timezone)
    if ends_at <= starts_at:
        raise ProgramError("ends_before_start", "end")
    room = None
    if data.room_id is not None:
        room = db.session.get(Room, data.room_id)
        if room is None or room.event_id != event.id:
            raise ProgramError("room_of_other_event", "room_id")
    if data.seat_limit is not None:
        if data.seat_limit < 1:
            raise ProgramError("bad_seat_limit", "seat_limit")
        if session is not None:
            taken = seats_taken(session)
            if data.seat_limit < taken:
                raise ProgramError("seat_limit_below_taken", "seat_limit", taken=taken)
    themes = {t.code: t for t in event.themes}
    unknown = [c for c in data.theme_codes if c not in themes]
    if unknown:
        raise ProgramError("unknown_theme", "themes", theme=unknown[0])
    speaker_ids = [registration_id for registration_id, _role in data.speakers]
    if len(set(speaker_ids)) != len(speaker_ids):
        raise ProgramError("speaker_twice", "speakers")
    speakers = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_(speaker_ids or [0]), Registration.event_id == event.id,
                                   Registration.status != RegistrationStatus.CANCELLED))}
    missing = [i for i in speaker_ids if i not in speakers]
    if missing:
        raise ProgramError("speaker_not_registered", "speakers")

    if session is None:
        session = ProgramSession(event_id=event.id)
        db.session.add(session)
    session.kind = data.kind
    session.title_fr, session.title_en = data.title_fr.strip(), data.title_en.strip()
    session.description_fr, session.description_en = data.description_fr.strip(), data.description_en.strip()
    session.starts_at, session.ends_at, session.room = starts_at, ends_at, room
    session.themes = [themes[c] for c in data.theme_codes]
    previous_limit = session.seat_limit
    session.seat_limit = data.seat_limit
    # Update rows in place: replacing them would insert before deleting and trip the unique key.
    existing = {s.registration_id: s for s in session.speakers}
    kept = []
    for position, (registration_id, role) in enumerate(data.speakers):
        row = existing.get(registration_id) or SessionSpeaker(registration=speakers[registration_id])
        row.role, row.position = role, position
        kept.append(row)
    session.speakers = kept
    db.session.flush()
    if data.seat_limit is None or (previous_limit is not None and data.seat_limit > previous_limit):
        promote_waiting(session)
    audit.record("session.save", actor_id=actor_id, event_id=event.id, obj=session)
    return session


def seats_taken(session: ProgramSession) -> int:
    return db.session.scalar(select(func.count()).select_from(AgendaEntry).where(
        AgendaEntry.session_id == session.id, AgendaEntry.seat == SeatStatus.SEATED))


def promote_waiting(session: ProgramSession) -> list[AgendaEntry]:
    """Give free seats to the waiting list, oldest first, with a notice each.

    A step of the caller's unit of work, which holds the seat lock (agenda) or changes the seat limit.
    """
    promoted = []
    while True:
        if session.seat_limit is not None and seats_taken(session) >= session.seat_limit:
            return promoted
        entry = db.session.scalar(select(AgendaEntry).where(
            AgendaEntry.session_id == session.id, AgendaEntry.seat == SeatStatus.WAITING)
            .order_by(AgendaEntry.created_at, AgendaEntry.id).limit(1))
        if entry is None:
            return promoted
        entry.seat = SeatStatus.SEATED
        entry.promoted_at = utcnow()
        person = entry.registration.person
        send_mail(person.email, template="seat_promoted", locale=person.locale, kind="seat_promoted",
                  event_id=session.event_id, person=person, session=session, event=session.event)
        db.session.flush()
        promoted.append(entry)


@atomic()
def remove_session(event: Event, session: ProgramSession, *, actor_id: int) -> str:
    """Never-published sessions go; published ones are cancelled so calendars learn it at publication."""
    audit.record("session.remove", actor_id=actor_id, event_id=event.id, obj=session,
                 details={"title": session.title_fr})
    if session.published is None:
        db.session.delete(session)
        return "deleted"
    session.is_cancelled = True
    return "cancelled"


def conflicts(event: Event, sessions: list[ProgramSession] | None = None) -> list[schedules.Conflict]:
    """Scheduling problems of the draft program (of `sessions` if the caller has them loaded)."""
    rooms = db.session.scalars(select(Room).options(selectinload(Room.availability))
                               .where(Room.event_id == event.id)).all()
    sessions = draft_sessions(event) if sessions is None else sessions
    return schedules.find_conflicts(convert.event_info(event, uid_domain="-"), [convert.room_value(r) for r in rooms],
                                    [convert.draft_value(s) for s in sessions])


def draft_sessions(event: Event) -> list[ProgramSession]:
    """The draft program with everything a snapshot reads, loaded in a handful of queries."""
    speaker = selectinload(ProgramSession.speakers).joinedload(SessionSpeaker.registration)
    return list(db.session.scalars(
        select(ProgramSession).options(
            joinedload(ProgramSession.room), selectinload(ProgramSession.themes),
            speaker.joinedload(Registration.person), speaker.joinedload(Registration.organisation))
        .where(ProgramSession.event_id == event.id).order_by(ProgramSession.starts_at, ProgramSession.id)))


def pending_changes(event: Event, sessions: list[ProgramSession] | None = None) -> list[ProgramSession]:
    sessions = draft_sessions(event) if sessions is None else sessions
    return [s for s in sessions if s.published != convert.snapshot(s)]


FIELDS_THAT_MATTER = ("starts_at", "ends_at", "room_id", "cancelled", "title_fr", "title_en")


@atomic()
def publish(event: Event, *, actor_id: int) -> ProgramPublication:
    """Make the draft the program attendees see; tell the speakers and attendees of what changed."""
    changes = []
    for session in pending_changes(event):
        before, after = session.published, convert.snapshot(session)
        what = "new" if before is None else ("cancelled" if after["cancelled"] and not before["cancelled"]
                                             else "changed")
        fields = sorted(k for k in after if before is None or before.get(k) != after[k])
        if before is not None:
            session.sequence += 1
        session.published = after
        changes.append({"session_id": session.id, "title": after["title_fr"], "what": what, "fields": fields})
        if before is None or any(before.get(k) != after[k] for k in FIELDS_THAT_MATTER):
            _notify_change(session, what, before)
    publication = ProgramPublication(event_id=event.id, published_by_id=actor_id, changes=changes)
    db.session.add(publication)
    audit.record("program.publish", actor_id=actor_id, event_id=event.id, details={"changes": len(changes)})
    db.session.flush()
    return publication


def _notify_change(session: ProgramSession, what: str, before: dict | None) -> None:
    people = {s.registration.person for s in session.speakers}
    if before is not None:
        attendees = db.session.scalars(select(AgendaEntry).where(AgendaEntry.session_id == session.id)).all()
        people |= {entry.registration.person for entry in attendees}
    for person in sorted(people, key=lambda p: p.id):
        send_mail(person.email, template="session_changed", locale=person.locale, kind=f"session_{what}",
                  event_id=session.event_id, person=person, session=session, event=session.event, what=what,
                  before=before)


def clone_rooms(source: Event, clone: Event) -> None:
    """Next year's edition keeps the rooms (availability windows are dated, so they stay behind)."""
    for room in db.session.scalars(select(Room).where(Room.event_id == source.id).order_by(Room.position)):
        db.session.add(Room(event_id=clone.id, name=room.name, capacity=room.capacity, floor=room.floor,
                            is_accessible=room.is_accessible, position=room.position))
