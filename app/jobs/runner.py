"""Run one recorded job to its end: status, progress, and result or error.

A worker takes the job (queued -> running) under a lease that its progress reports and its heartbeat renew
(app.jobs.lease); a message delivered twice finds the job taken and does nothing. If the worker dies, the
lease runs out and the sweep (app.jobs.sweep) ends the job or queues it again.
"""
from __future__ import annotations

import logging
import time

from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from app.core.i18n import supported_locale
from app.core.timefmt import utcnow
from app.core.transaction import atomic, in_atomic
from app.extensions import db
from app.jobs.lease import Claim, JobLost, held_by, holding, lease_end, renew, worker_name
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, handler_for

log = logging.getLogger(__name__)

#: Recording a failure waits for a database that is restarting: 0.5 + 1 + 2 + 4 + 8 s, then gives up (the lease
#: runs out and the sweep records it).
FAILURE_TRIES = 6


def execute_job(job_id: int) -> None:
    """Run one job to completion, recording status, progress and result or error.

    The handler's work is one unit of work, committed with the job's result: a service it calls joins
    that unit instead of committing half of it, and a failure rolls it all back. Status and progress
    are the job's own: they are committed as they change, so that the page shows them meanwhile.
    """
    if in_atomic():
        raise RuntimeError("a job runs in its own transactions, never inside a caller's unit of work")
    claim = take(job_id)
    if claim is None:
        return  # already taken: a message delivered again must not run the job twice
    with holding(claim):
        _run(claim)


def take(job_id: int) -> Claim | None:
    """Take the queued job `job_id` for this worker, or None if it is not queued (any more)."""
    now = utcnow()
    with atomic():
        taken = db.session.execute(
            update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, started_at=now, attempts=Job.attempts + 1,
                    lease_expires_at=lease_end(now), worker=worker_name()),
            execution_options={"synchronize_session": False}).rowcount
        if taken != 1:
            return None
        kind, attempt = db.session.execute(select(Job.kind, Job.attempts).where(Job.id == job_id)).one()
    return Claim(job_id, kind, attempt)


def _run(claim: Claim) -> None:
    job = db.session.get(Job, claim.job_id)

    def report(fraction: float, message: str = "") -> None:
        job.progress = max(0.0, min(1.0, fraction))
        if message:
            job.message = message
        renew(claim)  # JobLost, and nothing committed, when the job is no longer ours
        # Commits the whole session, the handler's work so far included: handlers report before they write.
        db.session.commit()

    try:
        with atomic(), force_locale(locale_of(job)):  # what the job writes is for the organiser who started it
            result = handler_for(claim.kind)(job, report)
            renew(claim, status=JobStatus.DONE, finished_at=utcnow(), error="", result=result, progress=1.0)
    except JobLost:
        log.warning("job %s (%s): its lease ran out while it ran; what it did since is not stored",
                    claim.job_id, claim.kind)
    except JobError as error:
        record_failure(claim, str(error), result=error.result)
    except Exception:  # noqa: BLE001 - a job must always end with a status
        # The traceback goes to the log for the team; organisers read a plain sentence.
        log.exception("job %s (%s) failed", claim.job_id, claim.kind)
        record_failure(claim, f"Unexpected error (job {claim.job_id}); the details are in the worker's log.")


def locale_of(job: Job) -> str:
    """The language of the organiser who started the job (the edition's default without one)."""
    person = job.created_by
    return supported_locale(getattr(person, "locale", None) if person is not None else None)


def record_failure(claim: Claim, error: str, *, result: dict | None = None) -> None:
    """Mark the job failed, from plain values only: the session that failed may be unusable (its connection
    dropped), so it is rolled back and nothing is read from it. A database that is restarting is waited for;
    if it does not come back, the lease runs out and the sweep marks the job instead."""
    values = {"status": JobStatus.FAILED, "finished_at": None, "error": error, "lease_expires_at": None}
    if result is not None:
        values["result"] = result
    for attempt in range(FAILURE_TRIES):
        try:
            db.session.rollback()
            with atomic():
                values["finished_at"] = utcnow()
                db.session.execute(update(Job).where(held_by(claim)).values(**values),
                                   execution_options={"synchronize_session": False})
            return
        except SQLAlchemyError:
            log.warning("job %s: could not record its failure (try %d of %d)", claim.job_id, attempt + 1,
                        FAILURE_TRIES, exc_info=True)
            db.session.remove()
            if attempt + 1 < FAILURE_TRIES:
                time.sleep(0.5 * 2 ** attempt)
    log.error("job %s: its failure is not recorded; the sweep will end it once its lease runs out", claim.job_id)
