"""Visit plans: compute them as a job (from scratch, around locks, or for the rest of the day) and
store them. Hand edits and publishing are in editing.py.

Every stored plan keeps the problem document it was computed from; its visits, restated as a
solution document, pass `routing.check` against it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import routing
from flask import current_app
from flask_babel import gettext as _
from routing.params import SearchParams
from sqlalchemy import func, select

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic, atomic_write
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans import bounds, live, required
from app.demonstrator.plans import problem as doc
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.demonstrator.plans.results import figures, solution_document, store_solution
from app.demonstrator.plans.tidy import tidy
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import Finished, JobError, job_handler
from app.jobs.services import start_job

JOB_KIND = "visits.plan"
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 600
DEFAULT_TIME_LIMIT = 45
#: Re-planning the rest of a day while it goes on: the organiser waits for it. On the demo summit (265 visitors,
#: 103 stands, 2 shared cores) 7 s reach 99.9 % of what a 60 s re-plan reaches of the rest of the day (5 s: 98.8 %
#: to 99.8 %) and the plan is stored 8.1-8.3 s after the click, through the job queue (bench/bench_replan_day.py).
DAY_TIME_LIMIT = 7


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


def _computing(event: Event) -> list[VisitPlan]:
    return list(db.session.scalars(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                           VisitPlan.status == PlanStatus.COMPUTING)))


def running_plan(event: Event) -> VisitPlan | None:
    """A plan still being computed (a plan whose computation is gone does not count: see `refresh_running`)."""
    return next((plan for plan in _computing(event) if not live.computation_gone(plan, live.job_of(plan))), None)


def _settle(event: Event) -> VisitPlan | None:
    """Keep the best plan of every computation of the edition that is gone (a draft marked interrupted, or a failed
    plan with the job's error if it stored none), in the caller's unit of work; return the one still running."""
    running = None
    for plan in _computing(event):
        job = live.job_of(plan)
        if live.computation_gone(plan, job):
            live.keep_best_plan(plan, error=job.error if job is not None else "")
        elif running is None:
            running = plan
    return running


@atomic()
def refresh_running(event: Event) -> None:
    """Computations that are gone (their job ended or their worker went silent) do not show as computing for
    ever: each keeps the best plan it stored, as a draft, or fails if it stored none."""
    _settle(event)


# -- starting a computation --------------------------------------------------------------------

@dataclass
class PlanRequest:
    origin: str = "plan"            # plan | replan | day
    time_limit: float = DEFAULT_TIME_LIMIT
    base_plan_id: int | None = None  # replan: the draft whose locks are kept
    after: datetime | None = None    # day: re-plan what is still to come from then (UTC)
    afresh: bool = False             # day: ignore the published routes (no change penalty); for comparisons


def new_plan_request(event: Event, time_limit: float, *, afresh: bool = False) -> PlanRequest:
    """A new computation: around the published plan when there is one (it keeps what was published and changes
    as little as it can: the published visits are the optimiser's `previous`, each change costs the hall's
    change penalty, and the locks hold), or from scratch when nothing is published or `afresh` is asked."""
    if not afresh and published_plan(event) is not None:
        return PlanRequest(origin="replan", time_limit=time_limit)
    return PlanRequest(origin="plan", time_limit=time_limit)


def request_plan(event: Event, request: PlanRequest, *, actor_id: int | None, seed: int = 0,
                 background: bool = True) -> VisitPlan:
    """Build the document now (so that a refusal comes at once), store a computing plan, start the job.

    One unit of work: the plan and its job are stored together, or nothing is. Refuses while another
    plan of the edition is being computed. `background=False` computes in this process instead of
    the job queue (the command line).
    """
    _check_time_limit(request)
    with atomic_write():
        _lock_event(event)
        plan = _new_plan(event, request, actor_id=actor_id, seed=seed)
        if background:
            job = start_job(JOB_KIND, params={"plan_id": plan.id}, event_id=event.id, created_by_id=actor_id,
                            dedupe_key=f"visits-plan-{plan.id}")
            plan = db.session.get(VisitPlan, plan.id)
            if plan.job_id is None:
                plan.job_id = job.id
    if not background:
        compute(plan)
        bounds.refine(plan.id)
    return plan


def plan_within_job(event: Event, request: PlanRequest, *, actor_id: int | None, job_id: int, report,
                    seed: int = 0) -> VisitPlan:
    """Compute a plan inside another feature's job (placing the meetings re-plans the routes with the meetings at
    the stands as required visits): the computing plan belongs to that job (a dead worker's plan is kept as
    `keep_best_plan_of_job` keeps it, by that job's own hook), its progress and best plans so far are committed by
    that job's `report`, and the plan is left a draft for the organiser to publish. Refusals as request_plan's;
    the tighter bound is not computed (the plan page's figures use the search's)."""
    _check_time_limit(request)
    with atomic():
        _lock_event(event)
        plan = _new_plan(event, request, actor_id=actor_id, seed=seed)
        plan.job_id = job_id
    report(0.0, "")
    compute(plan, job_id=job_id, report=report)
    return plan


def _check_time_limit(request: PlanRequest) -> None:
    if not (MIN_TIME_LIMIT <= request.time_limit <= MAX_TIME_LIMIT):
        raise PlanningError("bad_time_limit", "time_limit", low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT)


def _new_plan(event: Event, request: PlanRequest, *, actor_id: int | None, seed: int) -> VisitPlan:
    """A computing plan of the edition's document, in the caller's unit of work (the edition's row locked)."""
    if _settle(event) is not None:
        raise PlanningError("already_running")
    try:
        built, based_on = _build_for(event, request)
        routing.parse_problem(built.document)
    except routing.InvalidDocument as error:
        raise PlanningError("invalid_locks", detail=str(error)) from error
    if not built.document["visitors"]:
        raise PlanningError("no_visitors")
    if not built.document["stands"]:
        raise PlanningError("no_stands")
    version = (db.session.scalar(select(func.max(VisitPlan.version)).where(VisitPlan.event_id == event.id))
               or 0) + 1
    plan = VisitPlan(event_id=event.id, version=version, status=PlanStatus.COMPUTING, origin=request.origin,
                     based_on_id=based_on.id if based_on else None, reference=built.reference,
                     problem=built.document, time_limit=request.time_limit, created_by_id=actor_id,
                     figures={"seed": seed, **_replan_from(request, built)})
    db.session.add(plan)
    db.session.flush()
    audit.record("visits.plan", actor_id=actor_id, event_id=event.id, obj=plan,
                 details={"origin": request.origin, "time_limit": request.time_limit})
    return plan


def _replan_from(request: PlanRequest, built: doc.Built) -> dict:
    """A re-plan of the rest of the day remembers its hour (minutes of the document) until it is stored."""
    if request.origin != "day" or request.after is None:
        return {}
    return {"replan_from": (request.after - built.reference).total_seconds() / 60}


def _lock_event(event: Event) -> None:
    """Serialise planning requests of one edition (no two computations at once): the first statement of an
    atomic_write() unit locks the edition's row on PostgreSQL (SQLite's whole database is locked already)."""
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
        # From the next whole minute, so that what is re-planned starts on whole minutes too.
        after = request.after or utcnow()
        after = after.replace(second=0, microsecond=0) + (timedelta(minutes=1) if after.second or after.microsecond
                                                          else timedelta(0))
        request.after = after  # the plan keeps it: tidy() adds nothing before it
        reference = doc.reference_of(event)
        now = (after - reference).total_seconds() / 60
        # Visits already under way or made stay as they were; so do the ones an organiser locked.
        locks = [doc.LockedVisit(v.visitor_key, v.stand_key, v.start) for v in published.visits
                 if v.locked or v.start < now]
        previous = None if request.afresh else solution_document(published)
        return doc.build_problem(event, locked=locks, previous=previous, after=after), published
    raise PlanningError("bad_origin")


#: What Stop did: the computation was asked to stop (it keeps its best plan within seconds), or it was gone
#: and its best plan was kept at once, or it was gone (or had not started) with no plan to keep.
STOPPING, KEPT, ENDED = "stopping", "kept", "ended"


@atomic()
def cancel(plan: VisitPlan, *, actor_id: int | None) -> str:
    """Stop a computation, keeping the best plan found so far: ask its worker, or, if the worker is gone (or the
    job has not started), keep the plan it stored at once. Returns STOPPING, KEPT or ENDED."""
    if plan.status != PlanStatus.COMPUTING:
        raise PlanningError("not_running")
    job = live.job_of(plan)
    gone = live.computation_gone(plan, job)
    if not gone and plan.job_id is None:
        raise PlanningError("not_running")  # computed by `flask visits plan`, which Stop cannot reach
    if not gone and job.status == JobStatus.RUNNING:
        job.cancel_requested = True
        outcome = STOPPING
    else:
        error = job.error if job is not None else ""
        if job is not None and job.status == JobStatus.QUEUED:
            job.cancel_requested = True  # a worker that takes it after all finds the plan no longer computing
            error = "Stopped before the computation started."
        outcome = KEPT if live.keep_best_plan(plan, error=error) else ENDED
    audit.record("visits.cancel", actor_id=actor_id, event_id=plan.event_id, obj=plan, details={"outcome": outcome})
    return outcome


# -- the job -----------------------------------------------------------------------------------

def keep_best_plan_of_job(job: Job) -> JobError | Finished:
    """What a planning job whose worker died becomes (the jobs engine's hook, in its sweep's unit of work): its
    plan keeps the best plan the computation stored, as a draft marked interrupted, or fails if it stored none.
    A job whose plan was stored whole (the worker died while the bound was refined) is done, with the search's
    bound."""
    plan = db.session.get(VisitPlan, (job.params or {}).get("plan_id") or 0)
    if plan is not None and plan.status == PlanStatus.DRAFT and plan.figures.get("status") != live.INTERRUPTED:
        f = plan.figures
        return Finished({"plan_id": plan.id, "version": plan.version, "visits": f.get("num_visits"),
                         "objective": f.get("objective"), "bound": f.get("bound")},
                        _("The plan is computed (version %(version)s); its worker stopped while it tightened the "
                          "plan's bound, so the bound shown is the search's own.", version=plan.version))
    kept = plan is not None and plan.status == PlanStatus.DRAFT
    if plan is not None and plan.status == PlanStatus.COMPUTING:
        kept = live.keep_best_plan(plan, error=_("The computation stopped when its worker did."))
    if kept:
        return JobError(_("The computation stopped when its worker did: the best plan it had found is kept as "
                          "a draft (version %(version)s).", version=plan.version))
    return JobError(_("The computation stopped when its worker did, before it had found a plan: compute again."))


@job_handler(JOB_KIND, on_interrupted=keep_best_plan_of_job)
def plan_visits_job(job: Job, report) -> dict:
    plan = db.session.get(VisitPlan, job.params["plan_id"])
    if plan is None or plan.status != PlanStatus.COMPUTING:
        raise JobError("This plan is no longer waiting to be computed.")
    if plan.job_id is None:
        plan.job_id = job.id
    result = compute(plan, job_id=job.id, report=report)
    report(1.0)  # the plan is stored (committed) before the bound is refined: organisers can read it
    result = bounds.refine(plan.id) or result
    return {"plan_id": plan.id, "version": plan.version, "visits": result["num_visits"],
            "objective": result["objective"], "bound": result["bound"]}


def compute(plan: VisitPlan, *, job_id: int | None = None, report=None) -> dict:
    """Run the optimiser on the plan's document and store the visits and figures.

    Progress and the best plan so far are written as they come, each in a commit of its own (by the job's
    reporter, or here on the command line: see live.Recorder), so that a crash keeps the best plan found; the
    final visits and figures are stored in one unit of work at the end.
    """
    try:
        problem = routing.parse_problem(plan.problem)
    except routing.InvalidDocument as error:
        _fail(plan, str(error))
        raise JobError(f"The planning document is invalid: {error}") from error
    seed = int(plan.figures.get("seed", 0))
    min_route_visits = get_hall(plan.event).min_route_visits
    recorder = live.Recorder(plan, problem, job_id=job_id, report=report, min_route_visits=min_route_visits)
    recorder.start()
    while True:
        try:
            result = routing.solve(problem, time_limit=plan.time_limit, seed=seed, progress=recorder.progress,
                                   improved=recorder.improved, stop=recorder.stop,
                                   threads=current_app.config["ROUTING_THREADS"],
                                   params=SearchParams(incumbent_interval=live.SAVE_EVERY))
            break
        except routing.InvalidDocument as error:
            left = required.left_out(str(error))
            if not left:
                _fail(plan, str(error))
                raise JobError(f"The locked visits cannot all hold: {error}") from error
            # Required visits the search found no room for (its placement of them is greedy) are left out, as
            # those the document could not hold: the feature that asked reads which ones from the plan's document.
            plan.problem = {**plan.problem, "required": [rq for i, rq in enumerate(plan.problem["required"])
                                                         if i not in left] or None}
            problem = recorder.problem = routing.parse_problem(plan.problem)
    with atomic():
        if recorder.lost or not live.claim(plan, PlanStatus.DRAFT):
            raise JobError("The plan was kept as it stood when its computation stopped answering; "
                           "this computation's later result was not stored.")
        tidied = tidy(problem, result.solution, min_route_visits=min_route_visits,
                      not_before=plan.figures.get("replan_from"))
        if tidied.solution.tours != recorder.saved:  # else the last plan stored (routing sends the final one) is it
            store_solution(plan, problem, tidied.solution)
        plan.figures = figures(plan, problem, bound=result.bound, seconds=round(result.runtime, 2),
                               status=result.status, seed=seed, short_tours=tidied.short_tours)
    return plan.figures



@atomic()
def _fail(plan: VisitPlan, message: str) -> None:
    """On the command line this is stored at once; in a job it is rolled back with the job's unit of work,
    and running_plan() gives the plan the job's error instead."""
    plan.status = PlanStatus.FAILED
    plan.error = message
