"""Bulk badge printing as a background job (R8)."""
from __future__ import annotations

from app.badging import services
from app.core.urls import public_path
from app.events.models import Event
from app.extensions import db
from app.jobs.registry import JobError, job_handler


@job_handler("print_badges")
def print_badges_job(job, report) -> dict:
    event = db.session.get(Event, job.event_id)
    selection = services.Selection.from_dict(job.params["selection"])
    try:
        run = services.print_badges(event, selection, job.params["sheet"], actor_id=job.created_by_id, job_id=job.id,
                                    progress=lambda done, total: report(0.95 * done / total, f"{done}/{total}"))
    except services.BadgeError as error:
        raise JobError("Nothing to print: no confirmed registration matches this selection."
                       if error.code == "empty_selection" else error.code) from error
    download = public_path("badging.download", slug=event.slug, run_id=run.id)
    return {"badges": run.num_badges, "sheet": job.params["sheet"], "download_url": download}
