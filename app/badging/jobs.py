"""Bulk badge printing as a background job (R8), in parts that survive the worker (R10).

The job draws the selection BADGE_PRINT_PART badges at a time; each part is a print run committed with the
job's progress, its badges marked printed. If the worker dies, the job ends failed saying how far it got
(`print_interrupted`), its parts stay downloadable as one PDF, and `print_rest` prints the others: no badge
is printed twice.
"""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from badges.documents import merge_pdfs
from app.badging import services
from app.badging.models import PrintRun
from app.core.sentences import gettext as _
from app.core.transaction import atomic
from app.core.urls import public_path
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.jobs.lease import JobLost
from app.jobs.registry import JobError, job_handler
from app.jobs.services import start_job
from app.registrations.models import Registration

KIND = "print_badges"

log = logging.getLogger(__name__)


def part_size(sheet: str) -> int:
    size = max(1, int(current_app.config["BADGE_PRINT_PART"]))
    return max(4, size - size % 4) if sheet == "a4x4" else size


def runs_of(job_id: int) -> list[PrintRun]:
    return list(db.session.scalars(select(PrintRun).where(PrintRun.job_id == job_id).order_by(PrintRun.id)))


def printed_by(job_id: int) -> set[int]:
    """The registrations whose badge a print job stored (in its parts)."""
    return {rid for run in runs_of(job_id) for rid in run.selection.get("printed_ids", ())}


def to_print(event: Event, job: Job) -> list[Registration]:
    """What the job has still to print: its selection, less the badges its parts already hold."""
    done = printed_by(job.id)
    selection = services.Selection.from_dict(job.params["selection"])
    return [r for r in services.selected(event, selection) if r.id not in done]


@job_handler(KIND, on_interrupted=lambda job: print_interrupted(job))
def print_badges_job(job: Job, report) -> dict:
    event = db.session.get(Event, job.event_id)
    sheet = job.params["sheet"]
    try:
        services.sheet_checked(services.Selection(), sheet)
        registrations = to_print(event, job)
    except services.BadgeError as error:
        raise JobError(error.code) from error
    already = len(printed_by(job.id))
    if not registrations and not already:
        raise JobError(_("Nothing to print: no confirmed registration matches this selection."))
    selection = services.Selection.from_dict(job.params["selection"])
    total, size = already + len(registrations), part_size(sheet)
    try:
        for start in range(0, len(registrations), size):
            part = registrations[start:start + size]
            done = already + start

            def progress(drawn: int, _count: int, done=done) -> None:
                report(0.95 * (done + drawn) / total, f"{done + drawn}/{total}")

            services.print_part(event, part, selection, sheet, actor_id=job.created_by_id, job_id=job.id,
                                progress=progress, part=done // size + 1)
            report(0.95 * (done + len(part)) / total, f"{done + len(part)}/{total}")  # commits the part
    except (JobError, JobLost):
        raise
    except Exception as error:
        # The failing part is rolled back; the parts before it are stored: say so, and offer the rest.
        db.session.rollback()
        if not printed_by(job.id):
            raise
        log.exception("print job %s failed after some parts", job.id)
        raise stopped(job, _("an error occurred (the details are in the worker's log)")) from error
    return {"badges": total, "sheet": sheet, "download_url": public_path("badging.job_pdf", slug=event.slug,
                                                                         job_id=job.id)}


def print_interrupted(job: Job) -> JobError:
    """A print whose worker died: how far it got, its PDF so far, and the way to print the rest."""
    return stopped(job, _("the worker stopped"))


def stopped(job: Job, reason: str) -> JobError:
    """A print that stopped for `reason`: how far it got, its PDF so far, and the way to print the rest."""
    event = db.session.get(Event, job.event_id)
    done = len(printed_by(job.id))
    rest = len(to_print(event, job))
    result = {"badges": done, "sheet": job.params["sheet"], "rest": rest}
    if done:
        result["download_url"] = public_path("badging.job_pdf", slug=event.slug, job_id=job.id)
    if rest:
        result["continue_url"] = public_path("badging.print_rest", slug=event.slug, job_id=job.id)
        result["continue_label"] = _("Print the other %(num)d badges", num=rest)
    if not done:
        return JobError(_("Printing stopped before any badge was stored: %(reason)s. Print them again.",
                          reason=reason), result=result)
    return JobError(_("Printing stopped at %(done)d of %(total)d badges: %(reason)s. The %(done)d printed are kept "
                      "(download them below); print the rest.", done=done, total=done + rest, reason=reason),
                    result=result)


def print_rest(event: Event, job_id: int, *, actor_id: int | None) -> Job:
    """Start a job that prints what the interrupted print job `job_id` did not (the same job on a second call).

    BadgeError 'unknown_job' (not a print job of the edition), 'still_running', 'nothing_left'."""
    with atomic():
        job = db.session.get(Job, job_id)
        if job is None or job.kind != KIND or job.event_id != event.id:
            raise services.BadgeError("unknown_job")
        if not job.is_finished:
            raise services.BadgeError("still_running")
        rest = to_print(event, job)
        if not rest:
            raise services.BadgeError("nothing_left")
        selection = services.Selection(registration_ids=tuple(r.id for r in rest))
        return start_job(KIND, params={"selection": selection.as_dict(), "sheet": job.params["sheet"],
                                       "rest_of": job.id},
                         event_id=event.id, created_by_id=actor_id, dedupe_key=f"print-rest-{job.id}")


def job_pdf(event: Event, job_id: int) -> bytes | None:
    """The badges a print job stored, as one PDF (its parts in order); None if it stored none."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or job.event_id != event.id:
        return None
    runs = runs_of(job_id)
    if not runs:
        return None
    return merge_pdfs([run.pdf for run in runs])  # one PDF that keeps the language and title of its parts

