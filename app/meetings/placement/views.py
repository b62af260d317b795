"""What the organiser's placement page shows: counts, a grid of the sessions' slots by tables for each day, the
meetings at the stands, those without a place and why, what publishing would change, and the running job."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.timefmt import format_moment, to_local
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.meetings.placement import publishing
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.jobs import running_job
from app.meetings.placement.models import MeetingPlacement, PlaceKind, PlacementRun, Unplaced
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, MeetingTable, RequestStatus
from app.meetings.requests.settings import sessions_of, settings_or_default, tables_of
from app.registrations.models import Registration


@dataclass
class DayGrid:
    day: date
    #: Slot starts (UTC) of the day's sessions, in order.
    slots: list[datetime]
    #: (slot start, table id) -> the meeting there.
    cells: dict[tuple[datetime, int], MeetingPlacement] = field(default_factory=dict)

    @property
    def num_meetings(self) -> int:
        return len(self.cells)

    def tables_used(self, tables: list[MeetingTable]) -> list[MeetingTable]:
        """The tables with a meeting this day (the others are summed up in one row: free all day)."""
        used = {table_id for _, table_id in self.cells}
        return [t for t in tables if t.id in used]


@dataclass
class PlacementPage:
    run: PlacementRun | None
    job: Job | None
    tables: list[MeetingTable]
    grids: list[DayGrid]
    stands: list[MeetingPlacement]
    unplaced: list[MeetingPlacement]
    #: Accepted meetings with no placement yet (accepted since the last placement).
    waiting: list[MeetingRequest]
    num_accepted: int
    num_placed: int
    reasons: Counter
    changes: publishing.Changes
    stale: bool
    plan_version: int | None

    @property
    def num_unplaced(self) -> int:
        return len(self.unplaced)


def slot_starts(event: Event) -> list[datetime]:
    """Every slot start of the edition's meeting sessions (UTC), in order."""
    length = timedelta(minutes=settings_or_default(event).slot_minutes)
    starts = []
    for session in sessions_of(event):
        moment = session.starts_at
        while moment + length <= session.ends_at:
            starts.append(moment)
            moment += length
    return starts


def slot_choices(event: Event) -> list[tuple[str, str]]:
    """The move form's slots: (value, label), the value the slot's start in UTC."""
    return [(moment.isoformat(timespec="minutes"), format_moment(moment, event.timezone, "moment_day"))
            for moment in slot_starts(event)]


def placements_loaded(event: Event) -> list[MeetingPlacement]:
    side = (selectinload(Registration.person), selectinload(Registration.organisation),
            selectinload(Registration.category))
    return list(db.session.scalars(
        select(MeetingPlacement).where(MeetingPlacement.event_id == event.id)
        .options(selectinload(MeetingPlacement.request).options(
            selectinload(MeetingRequest.requester).options(*side),
            selectinload(MeetingRequest.recipient).options(*side),
            selectinload(MeetingRequest.participants).selectinload(MeetingParticipant.registration)
            .selectinload(Registration.person)),
            selectinload(MeetingPlacement.table), selectinload(MeetingPlacement.stand))
        .order_by(MeetingPlacement.starts_at, MeetingPlacement.id)))


def page(event: Event) -> PlacementPage:
    placements = [p for p in placements_loaded(event) if p.request.status is RequestStatus.ACCEPTED]
    placed_ids = {p.request_id for p in placements}
    waiting = list(db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED,
        MeetingRequest.id.not_in(placed_ids or [0])).order_by(MeetingRequest.id)))
    grids: dict[date, DayGrid] = {}
    for moment in slot_starts(event):
        day = to_local(moment, event.timezone).date()
        grids.setdefault(day, DayGrid(day, [])).slots.append(moment)
    by_day: dict[date, DayGrid] = grids
    for p in placements:
        if p.kind is PlaceKind.TABLE and p.starts_at is not None and p.table_id is not None:
            grid = by_day.get(to_local(p.starts_at, event.timezone).date())
            if grid is not None:
                grid.cells[(p.starts_at, p.table_id)] = p
    unplaced = [p for p in placements if p.starts_at is None]
    run = db.session.get(PlacementRun, event.id)
    plan = routes_plan(event)
    return PlacementPage(
        run=run, job=running_job(event), tables=tables_of(event), grids=sorted(grids.values(), key=lambda g: g.day),
        stands=sorted((p for p in placements if p.kind is PlaceKind.STAND),
                      key=lambda p: (p.starts_at is None, p.starts_at or datetime.max, p.id)),
        unplaced=sorted(unplaced, key=lambda p: (list(Unplaced).index(p.unplaced) if p.unplaced else 9, p.id)),
        waiting=waiting, num_accepted=len(placements) + len(waiting),
        num_placed=sum(1 for p in placements if p.starts_at is not None),
        reasons=Counter(p.unplaced for p in unplaced if p.unplaced is not None),
        changes=publishing.changes(event), stale=publishing.is_stale(event),
        plan_version=plan.version if plan is not None else None)


def people_line(placement: MeetingPlacement) -> list[Registration]:
    """Both sides, then whoever they bring along."""
    request = placement.request
    return [request.requester, request.recipient, *(p.registration for p in request.participants)]
