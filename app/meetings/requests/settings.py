"""The organiser's meeting settings of an edition: who may request whom, the acceptance mode, limits, the tables
of the meetings area and the meeting sessions. Each change is one unit of work with its audit row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import delete, select

from app.audit import services as audit
from app.core.timefmt import format_moment, format_span, local_to_utc
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.meetings.errors import MeetingError, NotFound
from app.meetings.requests.models import (AcceptanceMode, MeetingCategoryPair, MeetingSession, MeetingSettings,
                                          MeetingTable)

MAX_TABLES = 500
TABLE_NAME_LENGTH = 60
#: The bounds of the numbers of the settings (the form says them too).
SLOT_MINUTES = (15, 60)
MAX_PER_SESSION = (1, 50)
EXPIRY_DAYS = (1, 60)


@dataclass(frozen=True)
class SettingsInput:
    is_open: bool
    acceptance: str
    slot_minutes: int
    max_per_session: int
    expiry_days: int
    #: As typed: a number of tables (numbered 1 to N), or one name per line.
    tables: str
    #: (from category id, to category id).
    pairs: tuple[tuple[int, int], ...]


def settings_or_default(event: Event) -> MeetingSettings:
    """The edition's settings, or the defaults (not stored) before the organiser saves any."""
    found = db.session.get(MeetingSettings, event.id)
    if found is not None:
        return found
    return MeetingSettings(event_id=event.id, is_open=False, acceptance=AcceptanceMode.NEEDS_ACCEPTANCE,
                           slot_minutes=20, max_per_session=6, expiry_days=7)


def tables_of(event: Event) -> list[MeetingTable]:
    return list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id)
                                   .order_by(MeetingTable.position)))


def numbered(count: int) -> list[str]:
    return [f"Table {n}" for n in range(1, count + 1)]


def tables_text(tables: list[MeetingTable]) -> str:
    """What the settings form shows: the number when the tables are numbered 1 to N, else their names."""
    names = [t.name for t in tables]
    return str(len(names)) if names and names == numbered(len(names)) else "\n".join(names)


def parse_tables(text: str) -> list[str]:
    """"25" -> Table 1 ... Table 25; else one name per line (blank lines left out)."""
    text = (text or "").strip()
    if not text:
        return []
    if text.isascii() and text.isdigit():
        count = int(text) if len(text) < 5 else MAX_TABLES + 1
        if not 1 <= count <= MAX_TABLES:
            raise MeetingError("bad_tables", "tables", max=MAX_TABLES)
        return numbered(count)
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if len(names) > MAX_TABLES:
        raise MeetingError("bad_tables", "tables", max=MAX_TABLES)
    seen: set[str] = set()
    for name in names:
        if len(name) > TABLE_NAME_LENGTH:
            raise MeetingError("table_too_long", "tables", name=name[:20], max=TABLE_NAME_LENGTH)
        if name.casefold() in seen:
            raise MeetingError("duplicate_table", "tables", name=name)
        seen.add(name.casefold())
    return names


def _bounded(value: int, bounds: tuple[int, int], name: str) -> int:
    if not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
        raise MeetingError("out_of_bounds", name, low=bounds[0], high=bounds[1])
    return value


def save_settings(event: Event, data: SettingsInput, *, actor_id: int | None) -> MeetingSettings:
    with atomic():
        try:
            acceptance = AcceptanceMode(data.acceptance)
        except ValueError:
            raise MeetingError("bad_acceptance", "acceptance") from None
        categories = {c.id for c in event.categories}
        pairs = set(data.pairs)
        if any(frm not in categories or to not in categories for frm, to in pairs):
            raise MeetingError("bad_pair", "pairs")
        names = parse_tables(data.tables)
        settings = db.session.get(MeetingSettings, event.id)
        if settings is None:
            settings = MeetingSettings(event_id=event.id)
            db.session.add(settings)
        settings.is_open = bool(data.is_open)
        settings.acceptance = acceptance
        settings.slot_minutes = _bounded(data.slot_minutes, SLOT_MINUTES, "slot_minutes")
        settings.max_per_session = _bounded(data.max_per_session, MAX_PER_SESSION, "max_per_session")
        settings.expiry_days = _bounded(data.expiry_days, EXPIRY_DAYS, "expiry_days")
        _set_pairs(event, pairs)
        _set_tables(event, names)
        audit.record("meetings.settings", actor_id=actor_id, event_id=event.id, obj=event,
                     details={"open": settings.is_open, "acceptance": acceptance.value, "tables": len(names),
                              "pairs": sorted([list(p) for p in pairs])})
    return settings


def _set_pairs(event: Event, pairs: set[tuple[int, int]]) -> None:
    existing = {(p.from_category_id, p.to_category_id): p for p in db.session.scalars(
        select(MeetingCategoryPair).where(MeetingCategoryPair.event_id == event.id))}
    for key, pair in existing.items():
        if key not in pairs:
            db.session.delete(pair)
    for frm, to in sorted(pairs - set(existing)):
        db.session.add(MeetingCategoryPair(event_id=event.id, from_category_id=frm, to_category_id=to))


def _set_tables(event: Event, names: list[str]) -> None:
    """The tables by position: a table keeps its row (and what a placement put at it) when only its name changes."""
    tables = tables_of(event)
    for table, name in zip(tables, names):
        table.name = name
    if len(tables) > len(names):
        db.session.execute(delete(MeetingTable).where(MeetingTable.event_id == event.id,
                                                      MeetingTable.position > len(names)))
    for position in range(len(tables) + 1, len(names) + 1):
        db.session.add(MeetingTable(event_id=event.id, position=position, name=names[position - 1]))


def sessions_of(event: Event) -> list[MeetingSession]:
    return list(db.session.scalars(select(MeetingSession).where(MeetingSession.event_id == event.id)
                                   .order_by(MeetingSession.starts_at)))


def add_session(event: Event, day: date, start: time, end: time, *, actor_id: int | None) -> MeetingSession:
    """A meeting session on a day of the edition, from `start` to `end` local time; no overlap with another, at
    least one slot long."""
    with atomic():
        if day not in event.days:
            raise MeetingError("day_outside", "day")
        starts_at = local_to_utc(day, start, event.timezone)
        ends_at = local_to_utc(day, end, event.timezone)
        if ends_at <= starts_at:
            raise MeetingError("ends_before_start", "end")
        minutes = settings_or_default(event).slot_minutes
        if ends_at - starts_at < timedelta(minutes=minutes):
            raise MeetingError("shorter_than_slot", "end", minutes=minutes)
        for other in sessions_of(event):
            if other.starts_at < ends_at and starts_at < other.ends_at:
                raise MeetingError("session_overlap", "start", other=session_label(event, other))
        session = MeetingSession(event_id=event.id, starts_at=starts_at, ends_at=ends_at)
        db.session.add(session)
        db.session.flush()
        audit.record("meetings.session.add", actor_id=actor_id, event_id=event.id, obj=session,
                     details={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return session


def session_label(event: Event, session: MeetingSession) -> str:
    """"mercredi 2 juin, 14:00–17:00" in the reader's language."""
    return f"{format_moment(session.starts_at, event.timezone, 'day')}, " \
           f"{format_span(session.starts_at, session.ends_at, event.timezone)}"


def remove_session(event: Event, session_id: int, *, actor_id: int | None) -> None:
    with atomic():
        session = db.session.get(MeetingSession, session_id)
        if session is None or session.event_id != event.id:
            raise NotFound("unknown_session")
        audit.record("meetings.session.remove", actor_id=actor_id, event_id=event.id, obj=session,
                     details={"starts_at": session.starts_at.isoformat()})
        db.session.delete(session)
