"""Where organisers follow their edition's background jobs."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from app.core.access import Access, Edition, requires
from app.extensions import db
from app.jobs.labels import JOB_STATUS_NAMES, job_view
from app.jobs.models import Job

bp = Blueprint("jobs", __name__, url_prefix="/manage/e/<slug>/jobs", template_folder="templates")


@bp.app_context_processor
def labels_context() -> dict:
    return {"JOB_STATUS_NAMES": JOB_STATUS_NAMES, "job_view": job_view}


def _job_of(event: Edition, job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.event_id != event.id:
        abort(404)
    return job


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Edition):
    jobs = db.session.scalars(
        select(Job).where(Job.event_id == event.id).order_by(Job.created_at.desc(), Job.id.desc()).limit(100)
    ).all()
    return render_template("jobs/index.html", event=event, jobs=jobs)


@bp.get("/<int:job_id>")
@requires(Access.ORGANISER)
def show(event: Edition, job_id: int):
    return render_template("jobs/show.html", event=event, job=_job_of(event, job_id))


@bp.get("/<int:job_id>.json")
@requires(Access.ORGANISER)
def status(event: Edition, job_id: int):
    job = _job_of(event, job_id)
    view = job_view(job)
    return {
        "id": job.id, "kind": job.kind, "kind_label": view.name, "subject": view.subject,
        "status": job.status.value, "status_label": str(JOB_STATUS_NAMES[job.status]),
        "progress": job.progress, "message": view.progress, "result": job.result,
        "error": job.error if job.status.value == "failed" else "",
    }
