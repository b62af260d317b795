"""Hand edits of a computed plan (lock, move, remove a visit) and publishing it.

Each edit is checked by routing's own checker against the plan's document: an edit that would break
a rule is refused with the checker's reason, and nothing is stored. A move is checked where it can break a
rule (routing.edit_violations: the visitor's tours, the stand it goes to), the rest of the plan having passed
the same checks. Each function is one unit of work.
"""
from __future__ import annotations

from datetime import datetime

import routing
from sqlalchemy import select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.demonstrator.plans import notify
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.plans.planning import PlanningError, published_plan
from app.demonstrator.plans.required import required_pairs
from app.demonstrator.plans.results import Lookup, figures, solution_document
from app.extensions import db


# -- hand edits --------------------------------------------------------------------------------

EDITABLE = (PlanStatus.DRAFT, PlanStatus.PUBLISHED)


def _editable(plan: VisitPlan) -> None:
    if plan.status not in EDITABLE:
        raise PlanningError("not_editable")


def _visit(plan: VisitPlan, visit_id: int) -> PlannedVisit:
    visit = db.session.get(PlannedVisit, visit_id)
    if visit is None or visit.plan_id != plan.id:
        raise PlanningError("unknown_visit")
    return visit


@atomic()
def set_locked(plan: VisitPlan, visit_id: int, locked: bool, *, actor_id: int | None) -> PlannedVisit:
    """Lock a visit at its time (re-optimising keeps it) or unlock it."""
    _editable(plan)
    visit = _visit(plan, visit_id)
    visit.locked = locked
    _sync_locks(plan)
    audit.record("visits.lock" if locked else "visits.unlock", actor_id=actor_id, event_id=plan.event_id,
                 obj=visit)
    return visit


def _sync_locks(plan: VisitPlan) -> None:
    """The document's locks are the plan's locked visits, so the stored plan always passes `check`."""
    problem = dict(plan.problem)
    locked = db.session.execute(  # the locked visits' columns only: a plan has thousands of visits
        select(PlannedVisit.visitor_key, PlannedVisit.tour, PlannedVisit.stand_key, PlannedVisit.start)
        .where(PlannedVisit.plan_id == plan.id, PlannedVisit.locked.is_(True))
        .order_by(PlannedVisit.visitor_key, PlannedVisit.starts_at)).all()
    problem["locked"] = [{"visitor": visitor, "tour": tour, "stand": stand, "start": start}
                         for visitor, tour, stand, start in locked]
    plan.problem = problem


@atomic()
def move_visit(plan: VisitPlan, visit_id: int, *, starts_at: datetime, stand_key: str | None = None,
               actor_id: int | None) -> PlannedVisit:
    """Move a visit to another time (and, if given, another stand) of the same visitor.

    The visit goes to whichever of the visitor's tours holds the new time. Refused, with the
    reason, if the plan would break a rule (walking time, stand hours, capacity, a lock...).
    """
    _editable(plan)
    visit = _visit(plan, visit_id)
    if visit.locked:
        raise PlanningError("visit_locked")
    problem = routing.parse_problem(plan.problem)
    stand_key = stand_key or visit.stand_key
    if stand_key not in problem.stand_index:
        raise PlanningError("unknown_stand", "stand", stand=stand_key)
    start = (starts_at - plan.reference).total_seconds() / 60
    duration = problem.stands[problem.stand_index[stand_key]].visit_duration
    tours = problem.visitors[problem.visitor_index[visit.visitor_key]].tours
    tour = next((k for k, t in enumerate(tours) if t.from_ - 1e-6 <= start and start + duration <= t.to + 1e-6),
                None)
    if tour is None:
        raise PlanningError("outside_tours", "starts_at")
    old = (visit.tour, visit.stand_key, visit.start)
    moved = Lookup(plan).visit(problem, visit.visitor_key, tour, stand_key, start, locked=False)
    # The plan's visits as light rows (thousands of them: no ORM object each), the moved one in its new place.
    after = [v for v in _rows(plan) if v.id != visit.id] + [moved]
    _check_move(plan, problem, visit.visitor_key, stand_key, after)
    visit.tour, visit.stand_key, visit.start = tour, stand_key, start
    visit.stand_id, visit.startup_id, visit.score = moved.stand_id, moved.startup_id, moved.score
    visit.starts_at, visit.ends_at = moved.starts_at, moved.ends_at
    db.session.flush()
    plan.figures = figures(plan, problem, visits=after, edited=True)
    audit.record("visits.move", actor_id=actor_id, event_id=plan.event_id, obj=visit,
                 details={"from": list(old), "to": [tour, stand_key, start]})
    return visit


@atomic()
def remove_visit(plan: VisitPlan, visit_id: int, *, actor_id: int | None) -> None:
    _editable(plan)
    visit = _visit(plan, visit_id)
    if visit.locked:
        raise PlanningError("visit_locked")
    if (visit.visitor_key, visit.stand_key) in required_pairs(plan.problem):
        raise PlanningError("visit_required")
    plan.visits.remove(visit)
    _refresh_figures(plan)
    audit.record("visits.remove", actor_id=actor_id, event_id=plan.event_id, obj=plan,
                 details={"visitor": visit.visitor_key, "stand": visit.stand_key, "start": visit.start})


def _rows(plan: VisitPlan) -> list:
    """The plan's visits as rows of the columns a solution document needs (and their ids)."""
    return db.session.execute(select(PlannedVisit.id, PlannedVisit.visitor_key, PlannedVisit.tour,
                                     PlannedVisit.stand_key, PlannedVisit.start)
                              .where(PlannedVisit.plan_id == plan.id)).all()


def _check_move(plan: VisitPlan, problem: routing.Problem, visitor_key: str, stand_key: str, visits: list) -> None:
    """Refuse a move that breaks a rule. The stored plan broke none (every edit is checked), so only what the
    move touches is checked: the visitor's tours, visits and locks, and the limits of the stand it goes to."""
    mine = routing.parse_solution(solution_document(plan, [v for v in visits if v.visitor_key == visitor_key]),
                                  problem)
    starts = [float(v.start) for v in visits if v.stand_key == stand_key]
    _refuse(routing.edit_violations(problem, visitor_key, mine, {stand_key: starts}))


def _refuse(found: list[routing.Violation]) -> None:
    if found:
        # The most telling reason first: a visit to a stand already visited also breaks the
        # timing of its tour, but "already visits that stand" is what the organiser needs to read.
        first = min(found, key=lambda v: RULE_ORDER.index(v.kind) if v.kind in RULE_ORDER else len(RULE_ORDER))
        raise PlanningError("breaks_rule", kind=first.kind, detail=first.message)


RULE_ORDER = ("locked", "required", "duplicate", "max_visits_visitor", "max_visits_stand", "window", "capacity",
              "timing")


def _refresh_figures(plan: VisitPlan, problem: routing.Problem | None = None) -> None:
    db.session.flush()  # plan.visits is current (edited in place): no need to load the thousands of visits again
    plan.figures = figures(plan, problem, edited=True)


# -- publishing --------------------------------------------------------------------------------

@atomic()
def publish(plan: VisitPlan, *, actor_id: int | None, notify_people: bool = True) -> notify.Changes:
    """Make `plan` the itinerary of record; returns what changed and who is told.

    The notices are written by a background job, queued once this is committed (`notify_people`)."""
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        raise PlanningError("not_publishable")
    previous = published_plan(plan.event)
    found = notify.changes(plan, previous.id if previous is not None else None)
    if previous is not None and previous.id != plan.id:
        previous.status = PlanStatus.SUPERSEDED
        db.session.flush()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = utcnow()
    audit.record("visits.publish", actor_id=actor_id, event_id=plan.event_id, obj=plan,
                 details={"version": plan.version, "changes": found.num_visits, "routes": found.num_routes,
                          "people": found.num_people if notify_people else 0})
    if notify_people and found.num_people:
        notify.start_notices(plan, found.previous_id, actor_id=actor_id)
    return found
