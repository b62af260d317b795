"""An attendee's agenda: sessions kept, workshop seats, the waiting list (R1: the last seat once)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.program.models import AgendaEntry, ProgramSession, SeatStatus
from app.program.services import ProgramError, promote_waiting, seats_taken
from app.registrations.models import Registration, RegistrationStatus


def _lock(session_id: int) -> ProgramSession:
    """Serialise seat changes of one session: a row lock on PostgreSQL, the write lock on SQLite."""
    db.session.commit()  # end any read transaction, so the lock is the first thing this one takes
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return db.session.get(ProgramSession, session_id, populate_existing=True)
    return db.session.scalar(select(ProgramSession).where(ProgramSession.id == session_id)
                             .with_for_update().execution_options(populate_existing=True))


def add(session_id: int, registration: Registration) -> AgendaEntry:
    """Put a published session in the agenda; take a seat, or a place in line when it is full.

    Commits. Adding twice returns the entry already there.
    """
    if registration.status == RegistrationStatus.CANCELLED:
        raise ProgramError("not_registered")
    session = _lock(session_id)
    if session is None or session.event_id != registration.event_id or session.published is None:
        db.session.rollback()
        raise ProgramError("unknown_session")
    if session.is_cancelled or session.published.get("cancelled"):
        db.session.rollback()
        raise ProgramError("session_cancelled")
    entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.session_id == session.id,
                                                        AgendaEntry.registration_id == registration.id))
    if entry is None:
        entry = AgendaEntry(session_id=session.id, registration_id=registration.id)
        if session.seat_limit is not None:
            entry.seat = SeatStatus.SEATED if seats_taken(session) < session.seat_limit else SeatStatus.WAITING
        db.session.add(entry)
    db.session.commit()
    return entry


def remove(session_id: int, registration: Registration) -> bool:
    """Take a session out of the agenda; a freed seat goes to the first in line. Commits."""
    session = _lock(session_id)
    entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.session_id == session_id,
                                                        AgendaEntry.registration_id == registration.id))
    if session is None or entry is None:
        db.session.rollback()
        return False
    was_seated = entry.seat == SeatStatus.SEATED
    db.session.delete(entry)
    db.session.flush()
    if was_seated:
        promote_waiting(session)
    db.session.commit()
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
