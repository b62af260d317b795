"""Who is routed and when they are free.

Visitors are officials and decision makers with a confirmed registration: a delegation walks
together (its score at a stand is the sum over its members), anyone else walks alone. Their tours
are the demonstrator's tour slots on the days they attend, minus the sessions they speak at or
kept in their agenda, minus manual blocks, plus manual openings, minus what other features keep them busy
with (`outside`: the meetings placed at tables).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.demonstrator.hall.models import TourSlot
from app.demonstrator.intervals import Interval, intersect, subtract, union
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut
from app.demonstrator.wishes.outside import outside_busy
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.program.models import AgendaEntry, ProgramSession, SeatStatus, SessionKind, SessionSpeaker
from app.registrations.models import Category, Delegation, Registration, RegistrationStatus

VISITOR_CATEGORIES = (CategoryCode.ELU, CategoryCode.DECIDEUR)
#: A free stretch shorter than this within a tour slot is not worth a tour.
MIN_TOUR_MINUTES = 20
#: Time to reach or leave a session room from the hall.
SESSION_MARGIN = timedelta(minutes=10)


@dataclass
class VisitorUnit:
    """An official walking alone ("r<id>") or a delegation walking together ("d<id>")."""

    key: str
    members: list[Registration]
    delegation: Delegation | None = None

    @property
    def name(self) -> str:
        if self.delegation is not None:
            return self.delegation.name
        return self.members[0].person.full_name


def visitor_units(event: Event, keys: Iterable[str] | None = None) -> list[VisitorUnit]:
    """Who is routed: confirmed officials and decision makers who did not opt out (only `keys`, if given)."""
    opted_out = set(db.session.scalars(select(RoutingOptOut.registration_id)
                                       .join(Registration).where(Registration.event_id == event.id)))
    only = []
    if keys is not None:
        keys = set(keys)
        only = [or_(Registration.id.in_([int(k[1:]) for k in keys if k.startswith("r")] or [0]),
                    Registration.delegation_id.in_([int(k[1:]) for k in keys if k.startswith("d")] or [0]))]
    regs = db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
               Category.code.in_(VISITOR_CATEGORIES), *only)
        .options(selectinload(Registration.themes), selectinload(Registration.person),
                 selectinload(Registration.delegation))
        .order_by(Registration.id)).all()
    by_delegation: dict[int, list[Registration]] = defaultdict(list)
    units = []
    for reg in regs:
        if reg.id in opted_out:
            continue
        if reg.delegation_id is not None:
            by_delegation[reg.delegation_id].append(reg)
        else:
            units.append(VisitorUnit(f"r{reg.id}", [reg]))
    for delegation_id, members in sorted(by_delegation.items()):
        members.sort(key=lambda r: (r.protocol_rank if r.protocol_rank is not None else 999, r.id))
        units.append(VisitorUnit(f"d{delegation_id}", members, members[0].delegation))
    return units


def group_sizes(event_id: int) -> dict[str, int]:
    """Routed members per delegation key ("d<id>"): a delegation's visit is that many meetings."""
    rows = db.session.execute(
        select(Registration.delegation_id, func.count()).join(Category)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED,
               Registration.delegation_id.is_not(None), Category.code.in_(VISITOR_CATEGORIES))
        .group_by(Registration.delegation_id))
    return {f"d{delegation_id}": n for delegation_id, n in rows}


@dataclass(frozen=True)
class BusySession:
    """A session a person speaks at or kept in her agenda, with the margins to reach it and leave it."""

    starts_at: datetime
    ends_at: datetime
    session_id: int


def busy_sessions(event: Event, registration_ids: list[int]) -> dict[int, list[BusySession]]:
    """Sessions each person speaks at or kept in their agenda (not a waiting-list place), with margins."""
    busy: dict[int, list[BusySession]] = defaultdict(list)
    if not registration_ids:
        return busy
    # The demonstrator's own guided tours and the breaks do not keep anyone from a visit.
    live = (ProgramSession.event_id == event.id, ProgramSession.is_cancelled.is_(False),
            ProgramSession.kind.not_in([SessionKind.VISITE, SessionKind.PAUSE]))
    columns = (ProgramSession.starts_at, ProgramSession.ends_at, ProgramSession.id)
    rows = db.session.execute(
        select(SessionSpeaker.registration_id, *columns)
        .join(ProgramSession).where(*live, SessionSpeaker.registration_id.in_(registration_ids)))
    rows = list(rows) + list(db.session.execute(
        select(AgendaEntry.registration_id, *columns)
        .join(ProgramSession).where(*live, AgendaEntry.registration_id.in_(registration_ids),
                                    (AgendaEntry.seat.is_(None)) | (AgendaEntry.seat != SeatStatus.WAITING))))
    for reg_id, starts_at, ends_at, session_id in rows:
        busy[reg_id].append(BusySession(starts_at - SESSION_MARGIN, ends_at + SESSION_MARGIN, session_id))
    return busy


def busy_times(event: Event, registration_ids: list[int]) -> dict[int, list[Interval]]:
    """Sessions each person speaks at or kept in their agenda (not a waiting-list place), with margins."""
    return defaultdict(list, {reg_id: [(s.starts_at, s.ends_at) for s in sessions]
                              for reg_id, sessions in busy_sessions(event, registration_ids).items()})


def tour_windows(event: Event, units: list[VisitorUnit]) -> dict[str, list[Interval]]:
    """Each visitor's free time inside the tour slots (see the module's docstring)."""
    tz = ZoneInfo(event.timezone)
    slots = [(s.starts_at, s.ends_at) for s in db.session.scalars(
        select(TourSlot).where(TourSlot.event_id == event.id).order_by(TourSlot.starts_at))]
    member_ids = [m.id for u in units for m in u.members]
    busy = busy_times(event, member_ids)
    # What other features keep people busy with (the meetings placed at tables): never a tour then, whatever
    # the manual openings say.
    elsewhere = outside_busy(event, member_ids)
    changes = db.session.scalars(select(AvailabilityChange).where(AvailabilityChange.event_id == event.id)).all()
    person_changes: dict[int, list[AvailabilityChange]] = defaultdict(list)
    group_changes: dict[int, list[AvailabilityChange]] = defaultdict(list)
    for change in changes:
        if change.registration_id is not None:
            person_changes[change.registration_id].append(change)
        elif change.delegation_id is not None:
            group_changes[change.delegation_id].append(change)

    def local_day(moment: datetime) -> str:
        return moment.replace(tzinfo=UTC).astimezone(tz).date().isoformat()

    def free(reg: Registration) -> list[Interval]:
        days = set(reg.days or [d.isoformat() for d in event.days])
        windows = [s for s in slots if local_day(s[0]) in days]
        windows = subtract(windows, busy.get(reg.id, []))
        return subtract(_apply(windows, person_changes.get(reg.id, []), slots), elsewhere.get(reg.id, []))

    result = {}
    for unit in units:
        windows = free(unit.members[0])
        for member in unit.members[1:]:
            windows = intersect(windows, free(member))
        if unit.delegation is not None:
            windows = _apply(windows, group_changes.get(unit.delegation.id, []), slots)
            windows = subtract(windows, [i for m in unit.members for i in elsewhere.get(m.id, [])])
        result[unit.key] = [w for w in windows if (w[1] - w[0]) >= timedelta(minutes=MIN_TOUR_MINUTES)]
    return result


def _apply(windows: list[Interval], changes: list[AvailabilityChange], slots: list[Interval]) -> list[Interval]:
    opened = [(c.starts_at, c.ends_at) for c in changes if c.available]
    blocked = [(c.starts_at, c.ends_at) for c in changes if not c.available]
    # An opening applies within the tour slots: tours only run while guides do.
    return subtract(union(windows + intersect(opened, slots)), blocked)
