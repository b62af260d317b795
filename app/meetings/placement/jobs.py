""""Place all meetings" as a background job with progress, and how organisers read it on the jobs pages.

One job per edition at a time, never while the routes are being computed. The job's work (the placement) is one
unit of work committed with its result; the routes it re-plans first are a plan of their own, committed as they
are found (`planning.plan_within_job`). A job whose worker dies ends failed within the sweep's minute: the meetings
stay as they were placed before, and routes it was computing are kept as a draft marked interrupted.
"""
from __future__ import annotations

import threading

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.core.transaction import atomic_write
from app.demonstrator.plans import live, planning
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.events.models import Event
from app.extensions import db
from app.jobs.labels import KindLabels, describe_kind
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, job_handler
from app.jobs.services import start_job
from app.meetings.errors import Conflict, MeetingError
from app.meetings.placement import placing
from app.meetings.placement.messages import message
from app.meetings.placement.models import PlacementRun

JOB_KIND = "meetings.place"


def running_job(event: Event) -> Job | None:
    return db.session.scalar(select(Job).where(Job.event_id == event.id, Job.kind == JOB_KIND,
                                               Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
                             .order_by(Job.id.desc()).limit(1))


def start_placement(event: Event, *, time_limit: float, actor_id: int | None, seed: int = 0) -> Job:
    """Queue "place all meetings" (refused while one runs, or while the routes are computed)."""
    time_limit = placing.check_time_limit(time_limit)
    with atomic_write():  # SQLite's write lock at once: two quick clicks cannot both see no job running
        db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
        if running_job(event) is not None:
            raise Conflict("already_placing")
        planning.refresh_running(event)
        if planning.running_plan(event) is not None:
            raise Conflict("routes_running")
        job = start_job(JOB_KIND, params={"time_limit": time_limit, "seed": seed}, event_id=event.id,
                        created_by_id=actor_id)
        run = db.session.get(PlacementRun, event.id)
        if run is None:
            run = PlacementRun(event_id=event.id, figures={})
            db.session.add(run)
        run.job_id = job.id
    return job


def interrupted(job: Job) -> JobError:
    """A job whose worker died (the sweep's hook): routes it was computing keep their best plan as a draft."""
    for plan in db.session.scalars(select(VisitPlan).where(VisitPlan.job_id == job.id,
                                                           VisitPlan.status == PlanStatus.COMPUTING)):
        live.keep_best_plan(plan, error=_("The computation stopped when its worker did."))
    return JobError(_("The placement stopped when its worker did: the meetings are as they were placed before. "
                      "Place them again."))


@job_handler(JOB_KIND, on_interrupted=interrupted)
def place_meetings_job(job: Job, report) -> dict:
    event = db.session.get(Event, job.event_id)
    if event is None:
        raise JobError("This edition no longer exists.")
    params = job.params or {}
    stop = threading.Event()
    job_id = job.id

    def progress(fraction: float, message: str = "") -> None:
        message = message if fraction < placing.ROUTES_SHARE else _("Placing the meetings at the tables…")
        report(fraction, message or _("Computing the routes with the meetings at the stands…"))
        if db.session.scalar(select(Job.cancel_requested).where(Job.id == job_id)):
            stop.set()

    progress(0.0, _("Reading the meetings…"))
    try:
        figures = placing.place_all(event, time_limit=float(params.get("time_limit", placing.DEFAULT_TIME_LIMIT)),
                                    seed=int(params.get("seed", 0)), actor_id=job.created_by_id, job_id=job.id,
                                    report=progress, stop=stop)
    except MeetingError as error:  # the routes are being computed, or refused: the organiser reads why
        raise JobError(message(error)) from None
    return {key: figures.get(key) for key in ("total", "placed", "unplaced", "greedy_placed", "plan_version",
                                              "replanned", "seconds")}


# -- how organisers read it ------------------------------------------------------------------------------

def _progress(job: Job) -> str:
    if job.status == JobStatus.DONE:
        result = job.result or {}
        return ngettext("%(num)d meeting placed of %(total)d", "%(num)d meetings placed of %(total)d",
                        result.get("placed") or 0, total=result.get("total") or 0)
    return job.message


def _result(job: Job) -> list[tuple[str, str]]:
    result = job.result or {}
    facts = [(_("Placed"), f"{result.get('placed', 0)} / {result.get('total', 0)}"),
             (_("A greedy placement would place"), str(result.get("greedy_placed", 0))),
             (_("Seconds"), str(result.get("seconds", "")))]
    if result.get("replanned"):
        facts.append((_("Routes computed again"), _("visit plan, version %(version)s",
                                                    version=result.get("plan_version"))))
    return facts


def init_app(app: Flask) -> None:
    describe_kind(app, JOB_KIND, KindLabels(name=_l("Placing the meetings"), progress=_progress, result=_result))
