"""Run one recorded job to its end: status, progress, and result or error."""
from __future__ import annotations

import logging

from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, handler_for

log = logging.getLogger(__name__)


def execute_job(job_id: int) -> None:
    """Run one job to completion, recording status, progress and result or error."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # already run: a retry of the queue message must not run it twice
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    db.session.commit()

    def report(fraction: float, message: str = "") -> None:
        job.progress = max(0.0, min(1.0, fraction))
        if message:
            job.message = message
        db.session.commit()

    try:
        result = handler_for(job.kind)(job, report)
    except JobError as exc:
        db.session.rollback()
        _finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:  # noqa: BLE001 - a job must always end with a status
        # The traceback goes to the log for the team; organisers read a plain sentence.
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        _finish(job_id, JobStatus.FAILED, error=f"Unexpected error (job {job_id}); the details are in the worker's log.")
    else:
        _finish(job_id, JobStatus.DONE, result=result)


def _finish(job_id: int, status: JobStatus, *, result: dict | None = None, error: str = "") -> None:
    job = db.session.get(Job, job_id)
    job.status = status
    job.finished_at = utcnow()
    job.error = error
    if result is not None:
        job.result = result
        job.progress = 1.0
    db.session.commit()
