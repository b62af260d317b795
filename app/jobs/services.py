"""Start background jobs and run them with progress, whatever the queue."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.transaction import atomic, in_atomic, on_commit
from app.extensions import db
from app.jobs.models import Job
from app.jobs.registry import is_known_kind
from app.jobs.tasks import run_job_task


def start_job(kind: str, *, params: dict, event_id: int | None, created_by_id: int | None,
              dedupe_key: str | None = None) -> Job:
    """Record a job and hand it to the queue once its row is committed. A repeated dedupe_key returns the first job.

    Inside a larger unit of work the job is stored with the rest of it and queued only after that
    commits (never if it is rolled back). A concurrent request that stored the same dedupe_key first
    shows as an IntegrityError: on its own, start_job then returns that job; inside a larger unit of
    work the whole unit is rolled back and the error goes to its owner, who knows what it means.
    """
    if not is_known_kind(kind):
        raise ValueError(f"unknown job kind {kind!r}")
    nested = in_atomic()
    try:
        with atomic():
            existing = _job_with_key(dedupe_key)
            if existing is not None:
                return existing
            job = Job(kind=kind, params=params, event_id=event_id, created_by_id=created_by_id,
                      dedupe_key=dedupe_key)
            db.session.add(job)
            db.session.flush()
            job_id = job.id
            # The worker looks the row up: the message must not reach the queue before the commit.
            on_commit(lambda: run_job_task(job_id))
    except IntegrityError:
        if nested or not dedupe_key:
            raise
        existing = _job_with_key(dedupe_key)
        if existing is None:
            raise
        return existing
    return job


def _job_with_key(dedupe_key: str | None) -> Job | None:
    if not dedupe_key:
        return None
    return db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
