"""Start background jobs and run them with progress, whatever the queue."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs.models import Job
from app.jobs.registry import is_known_kind
from app.jobs.tasks import run_job_task

def start_job(kind: str, *, params: dict, event_id: int | None, created_by_id: int | None,
              dedupe_key: str | None = None) -> Job:
    """Record a job, commit, and hand it to the queue. A repeated dedupe_key returns the first job."""
    if not is_known_kind(kind):
        raise ValueError(f"unknown job kind {kind!r}")
    if dedupe_key:
        existing = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    job = Job(kind=kind, params=params, event_id=event_id, created_by_id=created_by_id, dedupe_key=dedupe_key)
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is None:
            raise
        return existing
    run_job_task(job.id)
    return job


