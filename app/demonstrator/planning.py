"""Visit plans: compute them as a job, store them, edit them by hand, re-plan, publish.

Every stored plan keeps the problem document it was computed from; its visits, restated as a
solution document, pass `routing.check` against it, hand edits included (an edit that would
break a rule is refused with the checker's reason).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

import routing
from flask import current_app
from sqlalchemy import func, select

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.demonstrator import document as doc
from app.demonstrator import notify
from app.demonstrator.models import PlannedVisit, PlanStatus, VisitPlan
# Re-exported: callers read plans through this module.
from app.demonstrator.plan_results import (  # noqa: F401
    Lookup, check_plan, figures, solution_document, store_solution, whole_minutes,
)
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, job_handler
from app.jobs.services import start_job

JOB_KIND = "visits.plan"
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 600
DEFAULT_TIME_LIMIT = 45


class PlanningError(DomainError):
    """A refused planning request or hand edit."""


# -- reading plans ---------------------------------------------------------------------------------

def plans(event: Event) -> list[VisitPlan]:
    return list(db.session.scalars(select(VisitPlan).where(VisitPlan.event_id == event.id)
                                   .order_by(VisitPlan.version.desc())))


def published_plan(event: Event) -> VisitPlan | None:
    return db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                     VisitPlan.status == PlanStatus.PUBLISHED))


def get_plan(event: Event, plan_id: int) -> VisitPlan:
    plan = db.session.get(VisitPlan, plan_id)
    if plan is None or plan.event_id != event.id:
        raise PlanningError("unknown_plan")
    return plan


def running_plan(event: Event) -> VisitPlan | None:
    """A plan still being computed by a live job (a plan whose job died does not count)."""
    for plan in db.session.scalars(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                           VisitPlan.status == PlanStatus.COMPUTING)):
        job = db.session.get(Job, plan.job_id) if plan.job_id else None
        if job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
            return plan
        plan.status = PlanStatus.FAILED
        plan.error = plan.error or "The planning job stopped before it finished."
    return None


# -- starting a computation --------------------------------------------------------------------

@dataclass
class PlanRequest:
    origin: str = "plan"            # plan | replan | day
    time_limit: float = DEFAULT_TIME_LIMIT
    base_plan_id: int | None = None  # replan: the draft whose locks are kept
    after: datetime | None = None    # day: re-plan what is still to come from then (UTC)


def request_plan(event: Event, request: PlanRequest, *, actor_id: int | None, seed: int = 0,
                 background: bool = True) -> VisitPlan:
    """Build the document now (so that a refusal comes at once), store a computing plan, start the job.

    Commits. Refuses while another plan of the edition is being computed. `background=False`
    computes in this process instead of the job queue (the command line).
    """
    if not (MIN_TIME_LIMIT <= request.time_limit <= MAX_TIME_LIMIT):
        raise PlanningError("bad_time_limit", "time_limit", low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT)
    _lock_event(event)
    if running_plan(event) is not None:
        db.session.rollback()
        raise PlanningError("already_running")
    try:
        built, based_on = _build_for(event, request)
        routing.parse_problem(built.document)
    except routing.InvalidDocument as error:
        db.session.rollback()
        raise PlanningError("invalid_locks", detail=str(error)) from error
    except PlanningError:
        db.session.rollback()
        raise
    if not built.document["visitors"]:
        db.session.rollback()
        raise PlanningError("no_visitors")
    if not built.document["stands"]:
        db.session.rollback()
        raise PlanningError("no_stands")
    version = (db.session.scalar(select(func.max(VisitPlan.version)).where(VisitPlan.event_id == event.id)) or 0) + 1
    plan = VisitPlan(event_id=event.id, version=version, status=PlanStatus.COMPUTING, origin=request.origin,
                     based_on_id=based_on.id if based_on else None, reference=built.reference,
                     problem=built.document, time_limit=request.time_limit, created_by_id=actor_id,
                     figures={"seed": seed})
    db.session.add(plan)
    db.session.flush()
    audit.record("visits.plan", actor_id=actor_id, event_id=event.id, obj=plan,
                 details={"origin": request.origin, "time_limit": request.time_limit})
    db.session.commit()
    if not background:
        compute(plan)
        return plan
    job = start_job(JOB_KIND, params={"plan_id": plan.id}, event_id=event.id, created_by_id=actor_id,
                    dedupe_key=f"visits-plan-{plan.id}")
    plan = db.session.get(VisitPlan, plan.id)
    if plan.job_id is None:
        plan.job_id = job.id
        db.session.commit()
    return plan


def _lock_event(event: Event) -> None:
    """Serialise planning requests of one edition (no two computations at once)."""
    db.session.commit()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _build_for(event: Event, request: PlanRequest) -> tuple[doc.Built, VisitPlan | None]:
    published = published_plan(event)
    if request.origin == "plan":
        return doc.build_problem(event), None
    if request.origin == "replan":
        base = get_plan(event, request.base_plan_id) if request.base_plan_id else published
        if base is None:
            raise PlanningError("nothing_to_replan")
        locks = [doc.LockedVisit(v.visitor_key, v.stand_key, v.start) for v in base.visits if v.locked]
        previous = published or base
        return doc.build_problem(event, locked=locks, previous=solution_document(previous)), base
    if request.origin == "day":
        if published is None:
            raise PlanningError("nothing_to_replan")
        after = request.after or utcnow()
        reference = doc.reference_of(event)
        now = (after - reference).total_seconds() / 60
        # Visits already under way or made stay as they were; so do the ones an organiser locked.
        locks = [doc.LockedVisit(v.visitor_key, v.stand_key, v.start) for v in published.visits
                 if v.locked or v.start < now]
        return doc.build_problem(event, locked=locks, previous=solution_document(published), after=after), published
    raise PlanningError("bad_origin")


def cancel(plan: VisitPlan, *, actor_id: int | None) -> None:
    """Ask the running computation to stop; it keeps the best plan found so far. Commits."""
    if plan.status != PlanStatus.COMPUTING or plan.job_id is None:
        raise PlanningError("not_running")
    job = db.session.get(Job, plan.job_id)
    job.cancel_requested = True
    audit.record("visits.cancel", actor_id=actor_id, event_id=plan.event_id, obj=plan)
    db.session.commit()


# -- the job -----------------------------------------------------------------------------------

@job_handler(JOB_KIND)
def plan_visits_job(job: Job, report) -> dict:
    plan = db.session.get(VisitPlan, job.params["plan_id"])
    if plan is None or plan.status != PlanStatus.COMPUTING:
        raise JobError("This plan is no longer waiting to be computed.")
    if plan.job_id is None:
        plan.job_id = job.id
    result = compute(plan, job_id=job.id, report=report)
    return {"plan_id": plan.id, "version": plan.version, "visits": result["num_visits"],
            "objective": result["objective"], "bound": result["bound"]}


def compute(plan: VisitPlan, *, job_id: int | None = None, report=None) -> dict:
    """Run the optimiser on the plan's document and store the visits and figures. Commits."""
    try:
        problem = routing.parse_problem(plan.problem)
    except routing.InvalidDocument as error:
        _fail(plan, str(error))
        raise JobError(f"The planning document is invalid: {error}") from error
    stop = threading.Event()
    last_write = [0.0]
    seed = int(plan.figures.get("seed", 0))

    def progress(best: float, bound: float | None, elapsed: float) -> None:
        now = time.monotonic()
        if now - last_write[0] < 1.0:
            return
        last_write[0] = now
        plan.figures = {**plan.figures, "best": best, "bound": bound, "elapsed": round(elapsed, 1)}
        if job_id is not None and db.session.scalar(select(Job.cancel_requested).where(Job.id == job_id)):
            stop.set()
        if report is not None:
            report(min(0.99, elapsed / plan.time_limit), f"best {best:.1f}, bound {bound or 0:.1f}")
        else:
            db.session.commit()

    try:
        result = routing.solve(problem, time_limit=plan.time_limit, seed=seed, progress=progress, stop=stop,
                               threads=current_app.config["ROUTING_THREADS"])
    except routing.InvalidDocument as error:
        _fail(plan, str(error))
        raise JobError(f"The locked visits cannot all hold: {error}") from error
    store_solution(plan, problem, whole_minutes(problem, result.solution))
    plan.status = PlanStatus.DRAFT
    plan.figures = figures(plan, problem, bound=result.bound, seconds=round(result.runtime, 2),
                           status=result.status, seed=seed)
    db.session.commit()
    return plan.figures


def _fail(plan: VisitPlan, message: str) -> None:
    plan.status = PlanStatus.FAILED
    plan.error = message
    db.session.commit()


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


def set_locked(plan: VisitPlan, visit_id: int, locked: bool, *, actor_id: int | None) -> PlannedVisit:
    """Lock a visit at its time (re-optimising keeps it) or unlock it. Commits."""
    _editable(plan)
    visit = _visit(plan, visit_id)
    visit.locked = locked
    _sync_locks(plan)
    audit.record("visits.lock" if locked else "visits.unlock", actor_id=actor_id, event_id=plan.event_id,
                 obj=visit)
    db.session.commit()
    return visit


def _sync_locks(plan: VisitPlan) -> None:
    """The document's locks are the plan's locked visits, so the stored plan always passes `check`."""
    problem = dict(plan.problem)
    problem["locked"] = [{"visitor": v.visitor_key, "tour": v.tour, "stand": v.stand_key, "start": v.start}
                         for v in plan.visits if v.locked]
    plan.problem = problem


def move_visit(plan: VisitPlan, visit_id: int, *, starts_at: datetime, stand_key: str | None = None,
               actor_id: int | None) -> PlannedVisit:
    """Move a visit to another time (and, if given, another stand) of the same visitor. Commits.

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
    others = [v for v in plan.visits if v.id != visit.id]
    _check(plan, problem, others + [moved])
    visit.tour, visit.stand_key, visit.start = tour, stand_key, start
    visit.stand_id, visit.startup_id, visit.score = moved.stand_id, moved.startup_id, moved.score
    visit.starts_at, visit.ends_at = moved.starts_at, moved.ends_at
    _refresh_figures(plan, problem)
    audit.record("visits.move", actor_id=actor_id, event_id=plan.event_id, obj=visit,
                 details={"from": list(old), "to": [tour, stand_key, start]})
    db.session.commit()
    return visit


def remove_visit(plan: VisitPlan, visit_id: int, *, actor_id: int | None) -> None:
    _editable(plan)
    visit = _visit(plan, visit_id)
    if visit.locked:
        raise PlanningError("visit_locked")
    plan.visits.remove(visit)
    _refresh_figures(plan)
    audit.record("visits.remove", actor_id=actor_id, event_id=plan.event_id, obj=plan,
                 details={"visitor": visit.visitor_key, "stand": visit.stand_key, "start": visit.start})
    db.session.commit()


def _check(plan: VisitPlan, problem: routing.Problem, visits: list[PlannedVisit]) -> None:
    solution = routing.parse_solution(solution_document(plan, visits), problem)
    found = routing.violations(problem, solution)
    found = [v for v in found if v.kind != "objective"]
    if found:
        # The most telling reason first: a visit to a stand already visited also breaks the
        # timing of its tour, but "already visits that stand" is what the organiser needs to read.
        first = min(found, key=lambda v: RULE_ORDER.index(v.kind) if v.kind in RULE_ORDER else len(RULE_ORDER))
        raise PlanningError("breaks_rule", kind=first.kind, detail=first.message)


RULE_ORDER = ("locked", "duplicate", "max_visits_visitor", "max_visits_stand", "window", "capacity", "timing")


def _refresh_figures(plan: VisitPlan, problem: routing.Problem | None = None) -> None:
    db.session.flush()
    db.session.refresh(plan, ["visits"])
    plan.figures = figures(plan, problem, edited=True)


# -- publishing --------------------------------------------------------------------------------

def publish(plan: VisitPlan, *, actor_id: int | None, notify_people: bool = True) -> list[str]:
    """Make `plan` the itinerary of record; returns the visitor and startup keys whose route changed. Commits."""
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        raise PlanningError("not_publishable")
    previous = published_plan(plan.event)
    before = _visit_set(previous) if previous is not None and previous.id != plan.id else set()
    after = _visit_set(plan)
    changed = before ^ after
    if previous is not None and previous.id != plan.id:
        previous.status = PlanStatus.SUPERSEDED
        db.session.flush()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = utcnow()
    affected = sorted({v for v, _, _ in changed} | {f"s{s}" for _, s, _ in changed if s is not None})
    audit.record("visits.publish", actor_id=actor_id, event_id=plan.event_id, obj=plan,
                 details={"version": plan.version, "changes": len(changed)})
    if notify_people:
        notify.route_changes(plan, previous, changed)
    db.session.commit()
    return affected


def _visit_set(plan: VisitPlan) -> set[tuple[str, int | None, float]]:
    return {(v.visitor_key, v.startup_id, round(v.start, 3)) for v in plan.visits}


