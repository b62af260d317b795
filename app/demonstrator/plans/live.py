"""A plan while it is computed: what the computation writes as it goes, whether it is still there, and
keeping the best plan of one that is gone (R10: a planning job keeps the best plan found so far).

The computation (`Recorder`, used by `planning.compute`) writes the live figures about every second and
the best plan so far when it improves, at most every `SAVE_EVERY` seconds, rounded to whole minutes as
the final plan is. Each write is committed at once (by the job's reporter, or here on the command line),
so a killed worker loses at most the last few seconds of search. It writes only while the plan is still
computing: a conditional UPDATE, so that once a plan was kept without it (its worker was silent too
long) a worker that was merely slow changes nothing and stops.

`keep_best_plan` turns a computing plan whose computation is gone into a draft holding the last plan it
stored, marked interrupted in its figures, or into a failed plan if it stored none. The page, a new
planning request and Stop call it on plans that `computation_gone` says are gone; so can the job
engine's hook for interrupted jobs.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import routing
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.demonstrator.plans.results import figures, store_solution
from app.demonstrator.plans.tidy import tidy
from app.extensions import db
from app.jobs.models import Job, JobStatus

#: Seconds between two stores of the best plan (at most): each rewrites the plan's visits.
SAVE_EVERY = 5.0
#: Seconds between two writes of the live figures (at most); the optimiser calls back at least every second.
PROGRESS_EVERY = 1.0
#: A running computation writes its figures every second or so: silent this long, its worker is gone ...
SILENT_AFTER = timedelta(seconds=30)
#: ... or this long once it was asked to stop (a live one stores its plan and ends within a few seconds).
SILENT_AFTER_STOP = timedelta(seconds=10)

#: `figures["status"]` of a plan kept from a computation that did not end by itself.
INTERRUPTED = "interrupted"


# -- the computation's side --------------------------------------------------------------------------

class Recorder:
    """Writes what the optimiser reports for a computing plan: `progress` and `improved` are routing.solve's
    callbacks; `stop` is set when a cancel is requested, or when the plan was kept without this computation
    (`lost`)."""

    def __init__(self, plan: VisitPlan, problem: routing.Problem, *, job_id: int | None = None, report=None,
                 min_route_visits: int = 1):
        self.plan, self.problem, self.job_id, self.report = plan, problem, job_id, report
        self.min_route_visits = min_route_visits
        self.plan_id, self.time_limit = plan.id, max(float(plan.time_limit), 1e-9)
        self.figures = dict(plan.figures or {})
        self.stop = threading.Event()
        self.lost = False
        self.saved: tuple | None = None  # the tours of the last plan stored
        self.store_seconds: list[float] = []  # what each store of the best plan took, commit included
        self._last_progress = 0.0

    def start(self) -> None:
        """A first sign of life, before the optimiser builds its model."""
        with atomic():
            written = self._write()
        self._done(written, 0.0, "")

    def progress(self, best: float, bound: float | None, elapsed: float) -> None:
        now = time.monotonic()
        if now - self._last_progress < PROGRESS_EVERY:
            return
        self._last_progress = now
        with atomic():  # committed at once on the command line; in a job, by the job's reporter in _done
            written = self._write(best=best, bound=bound, elapsed=round(elapsed, 1))
        self._done(written, elapsed, f"best {best:.1f}, bound {bound or 0:.1f}")

    def improved(self, solution: routing.Solution) -> None:
        """Store the best plan so far in place of the plan's visits (routing calls this at most every SAVE_EVERY)."""
        started = time.monotonic()
        tidied = tidy(self.problem, solution, min_route_visits=self.min_route_visits,
                      not_before=self.plan.figures.get("replan_from"))
        rounded = tidied.solution
        if rounded.tours == self.saved:
            return
        elapsed = float(solution.stats.get("seconds") or 0.0)
        saved = {"objective": solution.objective, "seconds": round(elapsed, 2), "bound": solution.stats.get("bound"),
                 "num_visits": rounded.num_visits(), "short_tours": tidied.short_tours}
        with atomic():
            written = self._write(saved=saved, best=solution.objective, elapsed=round(elapsed, 1))
            if written:
                store_solution(self.plan, self.problem, rounded)
        if written:
            self.saved = rounded.tours
        self._done(written, elapsed, f"best plan so far stored ({solution.objective:.1f})")
        self.store_seconds.append(time.monotonic() - started)

    def _write(self, **changes) -> bool:
        """Update the live figures, if the plan is still computing."""
        new = {**self.figures, **changes, "beat": utcnow().isoformat()}
        written = db.session.execute(
            update(VisitPlan).where(VisitPlan.id == self.plan_id, VisitPlan.status == PlanStatus.COMPUTING)
            .values(figures=new).execution_options(synchronize_session=False)).rowcount == 1
        if written:
            self.figures = new
            set_committed_value(self.plan, "figures", new)
        else:
            self.lost = True
            self.stop.set()
        return written

    def _done(self, written: bool, elapsed: float, message: str) -> None:
        """Look for a cancel request; in a job, commit what was written with the job's progress."""
        if written and self.job_id is not None and db.session.scalar(
                select(Job.cancel_requested).where(Job.id == self.job_id)):
            self.stop.set()
        if self.report is not None:
            self.report(min(0.99, elapsed / self.time_limit), message)


def claim(plan: VisitPlan, status: PlanStatus) -> bool:
    """Move a computing plan to `status` in the current unit of work, unless something else did first; the
    UPDATE waits for a computation's write in progress, so what is read afterwards is what it committed."""
    moved = db.session.execute(
        update(VisitPlan).where(VisitPlan.id == plan.id, VisitPlan.status == PlanStatus.COMPUTING)
        .values(status=status).execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(plan)
    db.session.expire(plan, ["visits"])
    return moved


# -- whether it is still there ---------------------------------------------------------------------

def last_sign_of_life(plan: VisitPlan, job: Job | None) -> datetime:
    """When the computation last wrote its figures (or started, or was requested)."""
    moments = [plan.created_at, job.started_at if job is not None else None]
    beat = (plan.figures or {}).get("beat")
    if beat:
        try:
            moments.append(datetime.fromisoformat(beat))
        except (TypeError, ValueError):
            pass
    return max(m for m in moments if m is not None)


def computation_gone(plan: VisitPlan, job: Job | None) -> bool:
    """True when nothing computes the plan any more: its job ended or vanished, its worker's lease ran out (the
    worker renews it while it lives), or it was started and has written nothing for SILENT_AFTER
    (SILENT_AFTER_STOP once asked to stop). A queued job is waiting for a worker."""
    if plan.job_id is not None:
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return True
        if job.status == JobStatus.QUEUED:
            return False
        if job.lease_expires_at is not None and job.lease_expires_at < utcnow():
            return True
    limit = SILENT_AFTER_STOP if job is not None and job.cancel_requested else SILENT_AFTER
    return utcnow() - last_sign_of_life(plan, job) > limit


def job_of(plan: VisitPlan) -> Job | None:
    return db.session.get(Job, plan.job_id) if plan.job_id else None


# -- keeping the best plan of a computation that is gone ----------------------------------------------

def keep_best_plan(plan: VisitPlan, *, error: str = "") -> bool:
    """Turn a computing plan whose computation is gone into a draft holding the last plan it stored (True), with
    figures marked interrupted; or into a failed plan if it stored none (False), with `error` or a default reason.

    In the caller's unit of work. A plan no longer computing is left as it is (True if it is a draft).
    """
    if not claim(plan, PlanStatus.FAILED):
        return plan.status != PlanStatus.FAILED
    written = dict(plan.figures or {})
    saved = written.get("saved")
    if not saved:
        plan.error = plan.error or error or "The planning job stopped before it found a plan."
        return False
    plan.status = PlanStatus.DRAFT
    plan.error = error
    bound = written.get("bound") if written.get("bound") is not None else saved.get("bound")  # the latest known
    plan.figures = figures(plan, bound=bound, seconds=saved.get("seconds"), status=INTERRUPTED,
                           seed=written.get("seed", 0), short_tours=saved.get("short_tours", []))
    return True
