"""The sweep: no job stays running without a worker, and none stays queued without a message.

- A running job whose lease ran out lost its worker (kill -9, a reboot, a worker that cannot reach the database
  any more). Its kind's `on_interrupted` hook says what it becomes (app.jobs.registry): failed with a sentence
  for the organiser, queued again where running it twice is safe -- at most JOBS_MAX_ATTEMPTS times -- or done
  when all its work was committed before the worker died.
- A queued job never sent (the queue went away between its commit and its message), or sent long ago but
  neither taken nor waiting in the queue (its worker died between taking the message and the job, Redis
  lost it), is sent again. A message sent twice is harmless: the worker takes a job once.

The worker sweeps when it starts and every JOBS_SWEEP_SECONDS (app.jobs.keeper); the site sweeps leases (not
the queue: a page must not wait for a queue that is down) when people look (app.jobs.init_app).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.core.sentences import gettext as _
from app.core.timefmt import utcnow
from app.core.transaction import atomic, on_commit
from app.extensions import db
from app.jobs.lease import short_lock_wait
from app.jobs.models import Job, JobStatus
from app.jobs.queue import QUEUE_ERRORS, QueueUnavailable, huey
from app.jobs.registry import Finished, JobError, RunAgain, interrupt_hook
from app.jobs.runner import locale_of
from app.jobs.services import send_job

log = logging.getLogger(__name__)

#: A job stored but not yet marked sent is left alone this long: its request may be sending it right now.
UNSENT_GRACE = timedelta(seconds=5)


@dataclass
class Swept:
    """What a sweep did: jobs ended (failed, or done: their work was committed), queued again, and sent again (ids)."""

    failed: list[int] = field(default_factory=list)
    finished: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)


def sweep(*, resend: bool = True, now: datetime | None = None) -> Swept:
    """End or re-queue the jobs whose worker is gone; with `resend`, send again the queued jobs without a message."""
    now = now or utcnow()
    swept = Swept()
    for job_id, attempt in expired_jobs(now):
        try:
            try:
                outcome = _interrupt(job_id, attempt, now)
            except SQLAlchemyError:
                raise
            except Exception:  # noqa: BLE001 - a failing hook must not keep the job running for ever
                log.exception("job %s: its kind's on_interrupted hook failed; it ends with the general sentence",
                              job_id)
                outcome = _interrupt(job_id, attempt, now, use_hook=False)
        except SQLAlchemyError:
            log.warning("job %s: could not end it (the database is busy or away); next sweep", job_id, exc_info=True)
            db.session.rollback()
            continue
        if outcome is not None:
            {JobStatus.QUEUED: swept.requeued, JobStatus.DONE: swept.finished}.get(outcome, swept.failed).append(job_id)
    if resend:
        swept.resent = _resend_lost(now)
    return swept


def expired_jobs(now: datetime) -> list[tuple[int, int]]:
    """(id, attempt) of the running jobs whose lease ran out (or, from before leases, that started a lease ago)."""
    lease = timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    rows = db.session.execute(select(Job.id, Job.attempts).where(Job.status == JobStatus.RUNNING, _expired(now, lease))
                              .order_by(Job.id)).all()
    db.session.commit()  # ends the read: the sweep's writes take the lock one job at a time
    return [(job_id, attempt) for job_id, attempt in rows]


def _expired(now: datetime, lease: timedelta):
    return or_(Job.lease_expires_at < now,
               and_(Job.lease_expires_at.is_(None), or_(Job.started_at.is_(None), Job.started_at < now - lease)))


def _interrupt(job_id: int, attempt: int, now: datetime, *, use_hook: bool = True) -> JobStatus | None:
    """Give up the job's last attempt, if still expired and not taken since; return what the job became."""
    lease = timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    with atomic(), short_lock_wait():
        won = db.session.execute(
            update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt,
                              _expired(now, lease))
            .values(status=JobStatus.FAILED, finished_at=now, lease_expires_at=None),
            execution_options={"synchronize_session": False}).rowcount
        if won != 1:
            return None  # renewed, finished or swept by someone else meanwhile
        job = db.session.get(Job, job_id, populate_existing=True)
        with force_locale(locale_of(job)):
            hook = interrupt_hook(job.kind) if use_hook else None
            outcome = hook(job) if hook is not None else JobError(interrupted_sentence())
            if isinstance(outcome, RunAgain) and job.attempts >= current_app.config["JOBS_MAX_ATTEMPTS"]:
                outcome = JobError(_("This job stopped %(num)d times without finishing (its worker stopped each "
                                     "time): it is not run again. Start it again, or tell the team.",
                                     num=job.attempts))
            if isinstance(outcome, RunAgain):
                job.status, job.finished_at, job.sent_at, job.cancel_requested = JobStatus.QUEUED, None, None, False
                job.message = _("Its worker stopped: it runs again.")
                on_commit(lambda: _send_quietly(job_id))
            elif isinstance(outcome, Finished):
                job.status, job.progress, job.result, job.message = (JobStatus.DONE, 1.0, outcome.result,
                                                                     outcome.message)
            else:
                job.error = str(outcome)
                if outcome.result is not None:
                    job.result = outcome.result
        log.warning("job %s (%s): its worker stopped (its lease ran out); it is now %s", job_id, job.kind,
                    job.status.value)
        return job.status


def interrupted_sentence() -> str:
    """What a job whose worker died says, without a hook of its kind (in the current language)."""
    return _("This job stopped before it finished: the worker running it stopped (a restart or a crash). "
             "Nothing of its unfinished step was kept; start it again.")


def _resend_lost(now: datetime) -> list[int]:
    """Send again the queued jobs never sent, and those sent long ago that are neither taken nor in the queue."""
    resend_after = timedelta(seconds=current_app.config["JOBS_RESEND_AFTER_SECONDS"])
    unsent = list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED, Job.sent_at.is_(None),
                                                          Job.created_at < now - UNSENT_GRACE).order_by(Job.id)))
    stale = list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED,
                                                         Job.sent_at < now - resend_after).order_by(Job.id)))
    db.session.commit()
    resent: list[int] = []
    try:
        if stale:
            waiting = queued_job_ids()
            stale = [job_id for job_id in stale if job_id not in waiting]
        for job_id in unsent + stale:
            send_job(job_id)
            resent.append(job_id)
    except (QueueUnavailable, *QUEUE_ERRORS) as error:
        log.warning("the job queue cannot be reached (%s): queued jobs are sent at the next sweep", error)
    if resent:
        log.warning("jobs sent again (their message was never sent, or lost): %s", resent)
    return resent


def queued_job_ids() -> set[int]:
    """The ids of the jobs whose message waits in the queue."""
    ids = set()
    for task in huey.pending():
        if task.name.endswith("run_job_task") and task.args:
            ids.add(task.args[0])
    return ids


def _send_quietly(job_id: int) -> None:
    try:
        send_job(job_id)
    except QueueUnavailable as error:
        log.warning("job %s queued again but not sent (%s): the next sweep sends it", job_id, error)
