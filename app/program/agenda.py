"""An attendee's agenda: sessions kept, workshop seats, the waiting list (R1: the last seat once).

How the seat lock fits the unit of work: a seat is given after counting the seats taken, so the count
and the new entry must be one transaction that no other sign-up for the session can interleave with.
`add` and `remove` are therefore each a unit of work of their own, opened by `atomic_write()`: it ends
the request's read transaction, begins a new one whose first statement takes the lock (SQLite:
`BEGIN IMMEDIATE`, the database's write lock; PostgreSQL: `_locked` below, a row lock on the session),
and the lock lasts until that unit's single commit -- or its rollback, on a refusal or an error, which
stores nothing. Because the lock must come first, these two never join a caller's unit of work.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.transaction import atomic_write
from app.extensions import db
from app.program.agenda_sources import AgendaItem
from app.program.models import AgendaEntry, ProgramSession, SeatStatus
from app.program.services import ProgramError, promote_waiting, seats_taken
from app.registrations.models import Registration, RegistrationStatus


def _locked(session_id: int) -> ProgramSession | None:
    """The session, its seats locked until the unit of work ends (on SQLite `atomic_write` holds the database's lock)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return db.session.get(ProgramSession, session_id, populate_existing=True)
    return db.session.scalar(select(ProgramSession).where(ProgramSession.id == session_id)
                             .with_for_update().execution_options(populate_existing=True))


def add(session_id: int, registration: Registration) -> AgendaEntry:
    """Put a published session in the agenda; take a seat, or a place in line when it is full.

    A unit of work of its own (see above). Adding twice returns the entry already there.
    """
    if registration.status == RegistrationStatus.CANCELLED:
        raise ProgramError("not_registered")
    with atomic_write():
        session = _locked(session_id)
        if session is None or session.event_id != registration.event_id or session.published is None:
            raise ProgramError("unknown_session")
        if session.is_cancelled or session.published.get("cancelled"):
            raise ProgramError("session_cancelled")
        entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.session_id == session.id,
                                                            AgendaEntry.registration_id == registration.id))
        if entry is None:
            entry = AgendaEntry(session_id=session.id, registration_id=registration.id)
            if session.seat_limit is not None:
                entry.seat = SeatStatus.SEATED if seats_taken(session) < session.seat_limit else SeatStatus.WAITING
            db.session.add(entry)
    return entry


def remove(session_id: int, registration: Registration) -> bool:
    """Take a session out of the agenda; a freed seat goes to the first in line. A unit of work of its own."""
    with atomic_write():
        session = _locked(session_id)
        entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.session_id == session_id,
                                                            AgendaEntry.registration_id == registration.id))
        if session is None or entry is None:
            return False
        was_seated = entry.seat == SeatStatus.SEATED
        db.session.delete(entry)
        db.session.flush()
        if was_seated:
            promote_waiting(session)
    return True


def entries(registration: Registration) -> list[AgendaEntry]:
    return list(db.session.scalars(
        select(AgendaEntry).join(ProgramSession).where(AgendaEntry.registration_id == registration.id)
        .order_by(ProgramSession.starts_at)))


def overlaps(items: list[AgendaEntry]) -> set[int]:
    """Ids of agenda sessions that overlap another kept session (waiting-list places do not count)."""
    kept = sorted((e.session for e in items if e.seat != SeatStatus.WAITING and not e.session.is_cancelled),
                  key=lambda s: s.starts_at)
    clashing: set[int] = set()
    latest_end, latest_id = None, None
    for session in kept:
        if latest_end is not None and session.starts_at < latest_end:
            clashing |= {session.id, latest_id}
        if latest_end is None or session.ends_at > latest_end:
            latest_end, latest_id = session.ends_at, session.id
    return clashing


def position_in_line(entry: AgendaEntry) -> int | None:
    if entry.seat != SeatStatus.WAITING:
        return None
    ahead = db.session.scalars(select(AgendaEntry.id).where(
        AgendaEntry.session_id == entry.session_id, AgendaEntry.seat == SeatStatus.WAITING,
        (AgendaEntry.created_at < entry.created_at) |
        ((AgendaEntry.created_at == entry.created_at) & (AgendaEntry.id < entry.id)))).all()
    return len(ahead) + 1


def timeline(items: list[AgendaEntry], extra: list[AgendaItem]) -> list[AgendaEntry | AgendaItem]:
    """The agenda's sessions and what other features add (meetings), in time order."""
    def start(item: AgendaEntry | AgendaItem) -> datetime:
        if isinstance(item, AgendaItem):
            return item.starts_at
        published = item.session.published
        return datetime.fromisoformat(published["starts_at"]) if published else item.session.starts_at
    return sorted([*items, *extra], key=start)
