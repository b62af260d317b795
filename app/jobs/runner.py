"""Run one recorded job to its end: status, progress, and result or error."""
from __future__ import annotations

import logging

from app.core.timefmt import utcnow
from app.core.transaction import atomic, in_atomic
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, handler_for

log = logging.getLogger(__name__)


def execute_job(job_id: int) -> None:
    """Run one job to completion, recording status, progress and result or error.

    The handler's work is one unit of work, committed with the job's result: a service it calls joins
    that unit instead of committing half of it, and a failure rolls it all back. Status and progress
    are the job's own: they are committed as they change, so that the page shows them meanwhile.
    """
    if in_atomic():
        raise RuntimeError("a job runs in its own transactions, never inside a caller's unit of work")
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # already run: a retry of the queue message must not run it twice
    kind = job.kind
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    db.session.commit()

    def report(fraction: float, message: str = "") -> None:
        job.progress = max(0.0, min(1.0, fraction))
        if message:
            job.message = message
        # Commits the whole session, the handler's work so far included: handlers report before they write.
        db.session.commit()

    try:
        with atomic():
            result = handler_for(kind)(job, report)
            _finish(job_id, JobStatus.DONE, result=result)
    except JobError as exc:
        _finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:  # noqa: BLE001 - a job must always end with a status
        # The traceback goes to the log for the team; organisers read a plain sentence.
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(job_id, JobStatus.FAILED, error=f"Unexpected error (job {job_id}); the details are in the worker's log.")


@atomic()
def _finish(job_id: int, status: JobStatus, *, result: dict | None = None, error: str = "") -> None:
    job = db.session.get(Job, job_id)
    job.status = status
    job.finished_at = utcnow()
    job.error = error
    if result is not None:
        job.result = result
        job.progress = 1.0
