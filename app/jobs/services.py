"""Start background jobs and run them with progress, whatever the queue."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic, in_atomic, on_commit
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.queue import QUEUE_ERRORS, QueueUnavailable, check_queue
from app.jobs.registry import is_known_kind
from app.jobs.tasks import run_job_task

log = logging.getLogger(__name__)


def start_job(kind: str, *, params: dict, event_id: int | None, created_by_id: int | None,
              dedupe_key: str | None = None) -> Job:
    """Record a job and hand it to the queue once its row is committed. A repeated dedupe_key returns the first job.

    Inside a larger unit of work the job is stored with the rest of it and queued only after that
    commits (never if it is rolled back). A concurrent request that stored the same dedupe_key first
    shows as an IntegrityError: on its own, start_job then returns that job; inside a larger unit of
    work the whole unit is rolled back and the error goes to its owner, who knows what it means.

    The row and its message stand or fall together: a queue that cannot be reached refuses the job before
    anything is stored (QueueUnavailable, which rolls back the caller's unit of work too); a queue that goes
    away between that check and the commit leaves the job stored and unsent, and the sweep sends it.
    """
    if not is_known_kind(kind):
        raise ValueError(f"unknown job kind {kind!r}")
    nested = in_atomic()
    try:
        with atomic():
            existing = _job_with_key(dedupe_key)
            if existing is not None:
                return existing
            check_queue()
            job = Job(kind=kind, params=params, event_id=event_id, created_by_id=created_by_id,
                      dedupe_key=dedupe_key)
            db.session.add(job)
            db.session.flush()
            job_id = job.id
            # The worker looks the row up: the message must not reach the queue before the commit.
            on_commit(lambda: _send_committed(job_id))
    except IntegrityError:
        if nested or not dedupe_key:
            raise
        existing = _job_with_key(dedupe_key)
        if existing is None:
            raise
        return existing
    return job


def send_job(job_id: int) -> None:
    """Hand the committed job `job_id` to the queue and record when (QueueUnavailable if it cannot be reached).

    A crash between the two leaves the job sent but not marked so: the sweep sends it again, and the worker
    runs it once all the same (app.jobs.runner.take).
    """
    try:
        run_job_task(job_id)
    except QUEUE_ERRORS as error:
        raise QueueUnavailable(str(error)) from error
    with atomic():
        db.session.execute(update(Job).where(Job.id == job_id).values(sent_at=utcnow()),
                           execution_options={"synchronize_session": False})


def _send_committed(job_id: int) -> None:
    try:
        send_job(job_id)
    except QueueUnavailable as error:
        # The row is kept, marked unsent: the sweep sends it when the queue is back.
        log.warning("job %s is stored but the queue could not be reached (%s): the sweep will send it",
                    job_id, error)


def _job_with_key(dedupe_key: str | None) -> Job | None:
    if not dedupe_key:
        return None
    return db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))


# -- the operator's commands -----------------------------------------------------------------------------

class JobRefused(Exception):
    """An operator's command that cannot apply: `code` says why (unknown_job, finished, not_failed)."""

    def __init__(self, code: str, job_id: int):
        super().__init__(code)
        self.code, self.job_id = code, job_id


@atomic()
def fail_job(job_id: int, *, reason: str, actor_id: int | None = None) -> Job:
    """End a queued or running job as failed with `reason` (a worker still running it stores nothing more)."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise JobRefused("unknown_job", job_id)
    if job.is_finished:
        raise JobRefused("finished", job_id)
    before = job.status.value
    job.status, job.finished_at, job.error, job.lease_expires_at = JobStatus.FAILED, utcnow(), reason, None
    audit.record("job.fail", actor_id=actor_id, event_id=job.event_id, obj=job,
                 details={"with_reason": bool(reason), "was": before, "by": "command line"})
    return job


def retry_job(job_id: int, *, actor_id: int | None = None) -> Job:
    """Queue a failed job again, from the start, and send it (QueueUnavailable: nothing changed)."""
    with atomic():
        job = db.session.get(Job, job_id)
        if job is None:
            raise JobRefused("unknown_job", job_id)
        if job.status != JobStatus.FAILED:
            raise JobRefused("not_failed", job_id)
        check_queue()
        job.status, job.finished_at, job.error, job.sent_at = JobStatus.QUEUED, None, "", None
        job.progress, job.message, job.cancel_requested, job.lease_expires_at = 0.0, "", False, None
        audit.record("job.retry", actor_id=actor_id, event_id=job.event_id, obj=job,
                     details={"attempts": job.attempts, "by": "command line"})
        on_commit(lambda: _send_committed(job_id))
    return job


def stuck_jobs() -> list[Job]:
    """Running jobs whose lease ran out, and queued jobs never sent or sent a while ago and not taken."""
    now = utcnow()
    return list(db.session.scalars(select(Job).where(
        ((Job.status == JobStatus.RUNNING) & ((Job.lease_expires_at < now) | Job.lease_expires_at.is_(None)))
        | ((Job.status == JobStatus.QUEUED) & (Job.sent_at.is_(None) | (Job.sent_at < now - timedelta(minutes=1)))))
        .order_by(Job.id)))
