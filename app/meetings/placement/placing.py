"""Place all meetings: the stand meetings on the routes, then the table meetings around the routes.

1. Stand meetings are required visits of the routes (`demonstrator.plans.required`, filled by this room's hook).
   When they changed since the routes were last computed for them, the routes are re-planned through the
   demonstrator's planning service, around the published plan (which they change as little as they can) and its
   locks: a draft plan that publishing the meetings publishes too. A stand meeting's time is its visit's; a
   meeting the routes cannot hold goes to the tables (2.) like any other, so that every meeting with a common free
   slot gets a place.
2. Table meetings are placed by `routing.meetings.place` (CP-SAT) in the sessions' slots where everyone in them is
   free (`availability`: days, sessions, routes, stand meetings), locked ones where they are, the current draft as
   `previous` so that placing again changes little. The greedy's count is kept beside it, for comparison.

Nothing of the meetings is written before the end, in one unit of work: a placement that dies half way leaves the
draft as it was (the routes computed meanwhile are a draft plan of their own, kept as a planning job keeps it).
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from routing.meetings import greedy, place
from sqlalchemy import select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.demonstrator.plans import planning
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.required import required_pairs
from app.events.models import Event
from app.extensions import db
from app.meetings.errors import Conflict, MeetingError
from app.meetings.placement.availability import MEETING, Busy, people_of, routes_plan
from app.meetings.placement.document import accepted_requests, build_table_document, request_id_of, stand_meetings
from app.meetings.placement.models import MeetingPlacement, PlaceKind, PlacementRun, Unplaced
from app.meetings.requests.models import MeetingRequest

MIN_TIME_LIMIT, MAX_TIME_LIMIT, DEFAULT_TIME_LIMIT = 1, 600, 30
#: Shares of the progress bar: the routes, then the tables.
ROUTES_SHARE = 0.6

Report = Callable[[float, str], None]


def check_time_limit(time_limit: float) -> float:
    if not isinstance(time_limit, (int, float)) or not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise MeetingError("bad_time_limit", "time_limit", low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT)
    return float(time_limit)


def placements_of(event: Event) -> dict[int, MeetingPlacement]:
    """The edition's placements, by request id."""
    return {p.request_id: p for p in db.session.scalars(
        select(MeetingPlacement).where(MeetingPlacement.event_id == event.id))}


def place_all(event: Event, *, time_limit: float = DEFAULT_TIME_LIMIT, seed: int = 0, actor_id: int | None,
              job_id: int | None = None, report: Report | None = None, stop: threading.Event | None = None) -> dict:
    """Place every accepted meeting (see the module); returns the figures stored with the placement. `report`
    receives the progress (a job's reporter commits with it); `stop` ends the search early, keeping its best."""
    time_limit = check_time_limit(time_limit)
    report = report or (lambda fraction, message="": None)
    started = time.monotonic()
    requests = accepted_requests(event)
    stands = stand_meetings(event, requests)
    plan, replanned = _routes(event, stands, time_limit=time_limit, seed=seed, actor_id=actor_id, job_id=job_id,
                              report=report)
    stand_results = one_place_at_a_time(requests, _stand_results(plan, stands))
    report(ROUTES_SHARE, "")
    # A stand meeting the routes cannot hold is still a meeting: it goes to a table where both sides are free.
    table_requests = [r for r in requests if r.id not in stands or stand_results[r.id] is None]
    placements = placements_of(event)
    built = build_table_document(event, table_requests, placements, plan=plan or False,
                                 stand_busy=_stand_busy(requests, stand_results))
    result = _search(built.placement, time_limit, seed, report, stop)
    baseline = greedy(built.placement)
    with atomic():
        placements = placements_of(event)
        _store_stands(event, requests, stands, stand_results, placements)
        _store_tables(event, built, result, placements)
        _drop_stale(event, {r.id for r in requests}, placements)
        reasons = Counter(p.unplaced.value for p in placements.values()
                          if p.request_id in {r.id for r in requests} and p.unplaced is not None)
        figures = {
            "total": len(requests), "placed": len(requests) - sum(reasons.values()),
            "tables_total": len(table_requests), "tables_placed": len(result.placed),
            "stands_total": len(stands), "stands_placed": sum(1 for r in stand_results.values() if r is not None),
            "unplaced": dict(reasons), "greedy_placed": len(baseline.placed), "bound": result.bound,
            "method": result.method, "solver_seconds": round(result.seconds, 2),
            "seconds": round(time.monotonic() - started, 2), "released_locks": len(built.released),
            "plan_id": plan.id if plan else None, "plan_version": plan.version if plan else None,
            "replanned": replanned, "stand_pairs": _pairs(stands), "time_limit": time_limit, "seed": seed}
        run = db.session.get(PlacementRun, event.id)
        if run is None:
            run = PlacementRun(event_id=event.id)
            db.session.add(run)
        run.plan_id, run.job_id, run.placed_at, run.figures = (plan.id if plan else None), job_id, utcnow(), figures
        audit.record("meetings.place", actor_id=actor_id, event_id=event.id, obj=event,
                     details={k: figures[k] for k in ("total", "placed", "method", "replanned", "plan_version")})
    return figures


def _pairs(stands: dict[int, tuple[str, int]]) -> list[list]:
    return sorted([request_id, visitor, startup] for request_id, (visitor, startup) in stands.items())


# -- 1. the routes and the stand meetings --------------------------------------------------------------------

def _routes(event: Event, stands: dict[int, tuple[str, int]], *, time_limit: float, seed: int,
            actor_id: int | None, job_id: int | None, report: Report) -> tuple[VisitPlan | None, bool]:
    """The routes to place around: the current ones, or new ones when the stand meetings changed since they were
    computed for them (the routes of the last placement, still current, with the same stand meetings)."""
    current = routes_plan(event)
    run = db.session.get(PlacementRun, event.id)
    if not stands:
        return current, False
    if current is not None and run is not None and run.plan_id == current.id \
            and (run.figures or {}).get("stand_pairs") == _pairs(stands):
        return current, False
    if planning.running_plan(event) is not None:
        raise Conflict("routes_running")

    def routes_report(fraction: float, message: str = "") -> None:
        report(ROUTES_SHARE * fraction, message)

    try:
        plan = planning.plan_within_job(event, planning.new_plan_request(event, time_limit), actor_id=actor_id,
                                        job_id=job_id, report=routes_report, seed=seed)
    except planning.PlanningError as error:
        if error.code == "already_running":
            raise Conflict("routes_running") from None
        if error.code in ("no_visitors", "no_stands"):
            return current, False  # no routes at all: every stand meeting is left without room
        raise MeetingError("routes_refused", detail=error.params.get("detail", error.code)) from None
    return plan, True


def _stand_results(plan: VisitPlan | None, stands: dict[int, tuple[str, int]]) -> dict[int, PlannedVisit | None]:
    """request id -> the visit of `plan` that holds the stand meeting (a required visit), or None."""
    if not stands:
        return {}
    visits: dict[tuple[str, int], PlannedVisit] = {}
    if plan is not None:
        pairs = required_pairs(plan.problem)
        for visit in db.session.scalars(select(PlannedVisit).where(
                PlannedVisit.plan_id == plan.id, PlannedVisit.visitor_key.in_({v for v, _ in stands.values()}))):
            if (visit.visitor_key, visit.stand_key) in pairs and visit.startup_id is not None:
                visits[(visit.visitor_key, visit.startup_id)] = visit
    return {request_id: visits.get(pair) for request_id, pair in stands.items()}


def one_place_at_a_time(requests: list[MeetingRequest], results: dict[int, PlannedVisit | None]
                        ) -> dict[int, PlannedVisit | None]:
    """A stand with room for two groups at once may hold two visits of its startup's meetings at the same time:
    the startup's people cannot be in both, so the later meetings that overlap go to a table (their result None)."""
    by_id = {r.id: r for r in requests}
    taken: dict[int, list[tuple]] = {}
    for request_id, visit in sorted(((rid, v) for rid, v in results.items() if v is not None),
                                    key=lambda item: (item[1].starts_at, item[0])):
        people = people_of(by_id[request_id])
        if any(s < visit.ends_at and visit.starts_at < e for p in people for s, e in taken.get(p, ())):
            results[request_id] = None
            continue
        for p in people:
            taken.setdefault(p, []).append((visit.starts_at, visit.ends_at))
    return results


def _stand_busy(requests: list[MeetingRequest], results: dict[int, PlannedVisit | None]) -> dict[int, list[Busy]]:
    """Everyone in a placed stand meeting is at the stand then (the official's route says it too)."""
    busy: dict[int, list[Busy]] = {}
    for request in requests:
        visit = results.get(request.id)
        if visit is not None:
            for registration_id in people_of(request):
                busy.setdefault(registration_id, []).append(Busy(visit.starts_at, visit.ends_at, MEETING, request.id))
    return busy


def _placement(event: Event, placements: dict[int, MeetingPlacement], request_id: int) -> MeetingPlacement:
    found = placements.get(request_id)
    if found is None:
        found = placements[request_id] = MeetingPlacement(event_id=event.id, request_id=request_id)
        db.session.add(found)
    return found


def _store_stands(event: Event, requests: list[MeetingRequest], stands: dict[int, tuple[str, int]],
                  results: dict[int, PlannedVisit | None], placements: dict[int, MeetingPlacement]) -> None:
    for request in requests:
        visit = results.get(request.id)
        if request.id not in stands or visit is None:
            continue  # a table meeting, or a stand meeting the routes cannot hold: placed at a table
        p = _placement(event, placements, request.id)
        p.kind, p.table_id, p.locked = PlaceKind.STAND, None, False
        p.starts_at, p.ends_at = visit.starts_at, visit.ends_at
        p.stand_id, p.plan_id = visit.stand_id, visit.plan_id
        p.unplaced = None


def refresh_stand_times(event: Event, plan: VisitPlan | None) -> None:
    """The stand meetings' draft times from their visits in `plan` (an organiser may have moved a visit on the plan's
    page since the placement), in the caller's unit of work."""
    if plan is None:
        return
    placements = {p.request_id: p for p in placements_of(event).values()
                  if p.kind is PlaceKind.STAND and p.starts_at is not None}
    if not placements:
        return
    requests = [p.request for p in placements.values()]
    for request_id, visit in _stand_results(plan, stand_meetings(event, requests)).items():
        if visit is not None and request_id in placements:
            p = placements[request_id]
            p.starts_at, p.ends_at, p.stand_id, p.plan_id = visit.starts_at, visit.ends_at, visit.stand_id, plan.id


# -- 2. the table meetings --------------------------------------------------------------------------------

def _search(placement, time_limit: float, seed: int, report: Report, stop: threading.Event | None):
    """routing.meetings.place in a thread of its own, the progress reported every second meanwhile (which also
    keeps a job's lease; a cancel request or `stop` ends the search with its best placement)."""
    stop = stop or threading.Event()
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = place(placement, time_limit=time_limit, seed=seed, threads=1, stop=stop)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = error

    thread = threading.Thread(target=run, name="meetings-place", daemon=True)
    began = time.monotonic()
    thread.start()
    try:
        while thread.is_alive():
            thread.join(1.0)
            if thread.is_alive():
                share = min(0.99, (time.monotonic() - began) / time_limit)
                report(ROUTES_SHARE + (1 - ROUTES_SHARE) * share, "")
    finally:
        if thread.is_alive():
            stop.set()
            thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _store_tables(event: Event, built, result, placements: dict[int, MeetingPlacement]) -> None:
    tables = built.tables
    for placed in result.placed:
        p = _placement(event, placements, request_id_of(placed.meeting))
        p.kind, p.stand_id, p.plan_id, p.unplaced = PlaceKind.TABLE, None, None, None
        p.starts_at = built.moment(placed.start)
        p.ends_at = p.starts_at + timedelta(minutes=built.slot_minutes)
        p.table_id = tables[placed.table].id
    for unplaced in result.unplaced:
        p = _placement(event, placements, request_id_of(unplaced.meeting))
        p.kind, p.stand_id, p.plan_id, p.table_id = PlaceKind.TABLE, None, None, None
        p.starts_at = p.ends_at = None
        p.unplaced = Unplaced(unplaced.reason)
    for meeting in built.released:
        placements[request_id_of(meeting)].locked = False


def _drop_stale(event: Event, accepted: set[int], placements: dict[int, MeetingPlacement]) -> None:
    """A placement of a request no longer accepted (cancelled, say) loses its draft; one attendees never saw goes,
    one they saw stays until publishing tells them it is cancelled."""
    for request_id, p in list(placements.items()):
        if request_id in accepted:
            continue
        if p.published_starts_at is None:
            db.session.delete(p)
            del placements[request_id]
        else:
            p.starts_at = p.ends_at = p.table_id = p.stand_id = p.plan_id = p.unplaced = None
            p.locked = False

