"""What the placement tells the demonstrator at start-up: the stand meetings are required visits of the routes,
and the meetings placed at tables keep people off their tours, so that re-computing the routes keeps them."""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import exists, select

from app.core.timefmt import local_to_utc
from app.demonstrator.hall.queries import stand_units
from app.demonstrator.intervals import Interval, intersect, subtract, union
from app.demonstrator.plans.required import RequiredVisit
from app.demonstrator.wishes.visitors import tour_windows, visitor_units
from app.events.models import Event
from app.extensions import db
from app.meetings.placement.availability import presence_busy, table_meeting_intervals
from app.meetings.placement.document import accepted_requests, stand_meetings
from app.meetings.requests.models import MeetingRequest, RequestStatus, Side


def required_visits(event: Event) -> list[RequiredVisit]:
    """Every accepted meeting between a routed visitor and a startup with a stand, as a visit of her routes.

    Routing's required visit has one window. The whole summit would put a startup's people at a stand meeting on a
    day they do not come or during one of their sessions; a meeting session's hours would leave most meetings
    without room on the routes. So the window is computed: where a visit could be (the visitor's tours, which keep
    to her days, her sessions and her meetings at tables, and the stand's hours for that startup), the stretches
    where the startup's side (the startup and whoever it brings along) is there and free make runs, broken where it
    is not; the window spans the run with the most such time. Both sides are there whenever the visit is, and the
    routes keep as much room as one window allows (usually the whole summit for a startup there every day)."""
    if not db.session.scalar(select(exists().where(MeetingRequest.event_id == event.id,
                                                   MeetingRequest.status == RequestStatus.ACCEPTED))):
        return []
    requests = {r.id: r for r in accepted_requests(event)}
    stands = stand_meetings(event, list(requests.values()))
    if not stands:
        return []
    units = {unit.key: unit for unit in visitor_units(event)}
    tours = tour_windows(event, [units[key] for key in sorted({v for v, _ in stands.values()}) if key in units])
    open_at: dict[int, list[Interval]] = {}
    for unit in stand_units(event):
        open_at.setdefault(unit.startup.id, unit.open)
    sides = {}
    for request_id, (_, startup) in stands.items():
        request = requests[request_id]
        side = Side.REQUESTER if request.from_registration_id == startup else Side.RECIPIENT
        sides[request_id] = [request.person_of(side).id,
                             *(p.registration_id for p in request.participants if p.side is side)]
    busy = presence_busy(event, [r for ids in sides.values() for r in ids])
    nowhere = local_to_utc(event.starts_on, time(0), event.timezone)  # an empty window: no visit fits it
    found = []
    for request_id, (visitor, startup) in sorted(stands.items()):
        reachable = intersect(tours.get(visitor, []), open_at.get(startup, []))
        away = union((b.starts_at, b.ends_at) for r in sides[request_id] for b in busy.get(r, []))
        start, end = best_window(subtract(reachable, away), intersect(reachable, away)) or (nowhere, nowhere)
        found.append(RequiredVisit(visitor, startup, start, end))
    return list(dict.fromkeys(found))


def best_window(usable: list[Interval], blocked: list[Interval]) -> Interval | None:
    """The span of the run of `usable` stretches (no `blocked` one between them) with the most usable time; the
    earliest of equal ones. None without a usable stretch."""
    best, best_time = None, timedelta(0)
    run: list[Interval] = []

    def close() -> None:
        nonlocal best, best_time
        total = sum((b - a for a, b in run), timedelta(0))
        if run and total > best_time:
            best, best_time = (run[0][0], run[-1][1]), total

    for stretch in sorted(usable):
        if run and any(run[-1][1] <= a and b <= stretch[0] for a, b in blocked):
            close()
            run = []
        run.append(stretch)
    close()
    return best


def busy_at_tables(event: Event, registration_ids: list[int]):
    return table_meeting_intervals(event, registration_ids)
