"""A day's route sheets as a background job: all the tours of a day take seconds to draw, longer than a request.

The job draws SHEETS_PRINT_PART tours at a time; each part is stored (SheetPart) and committed with the job's
progress. If the worker dies, the job runs again (RUN_AGAIN) and goes on from the tours its parts hold; at the
end the parts become one PDF, downloaded from the job page or the route sheets page. The job draws the plan it
was started on: if another plan is published meanwhile, it stops and says so.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from pypdf import PdfReader
from sqlalchemy import delete, select

from badges.documents import merge_pdfs
from app.core.timefmt import local_to_utc
from app.core.transaction import atomic
from app.core.urls import public_path
from app.demonstrator.plans import hall_map, itinerary, sheets
from app.demonstrator.plans.models import PlannedVisit, SheetPart
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import RUN_AGAIN, JobError, job_handler
from app.jobs.services import start_job

KIND = "print_route_sheets"


class SheetsError(Exception):
    """'no_plan' (nothing published), 'no_tour' (the published plan has no tour that day)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DayPrint:
    """The last sheets job of a day of the published plan, as the route sheets page shows it."""

    job: Job
    download_url: str | None


def tour_key(tour: itinerary.Tour) -> str:
    return f"{tour.visitor_key}/{tour.index}"


def parts_of(job_id: int) -> list[SheetPart]:
    return list(db.session.scalars(select(SheetPart).where(SheetPart.job_id == job_id).order_by(SheetPart.id)))


def _has_tours(event: Event, plan_id: int, day: date) -> bool:
    """Whether the plan has a visit on the local `day` (a tour's day is that of its first visit)."""
    start = local_to_utc(day, time(0), event.timezone)
    end = local_to_utc(day + timedelta(days=1), time(0), event.timezone)
    return db.session.scalar(select(PlannedVisit.id).where(
        PlannedVisit.plan_id == plan_id, PlannedVisit.starts_at >= start, PlannedVisit.starts_at < end).limit(1)) \
        is not None


def _unfinished(event: Event, plan_id: int, day: date) -> Job | None:
    jobs = db.session.scalars(select(Job).where(Job.event_id == event.id, Job.kind == KIND,
                                                Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING))))
    return next((j for j in jobs if (j.params or {}).get("plan_id") == plan_id
                 and (j.params or {}).get("day") == day.isoformat()), None)


def start(event: Event, day: date, *, actor_id: int | None) -> Job:
    """Start drawing the sheets of `day` from the published plan (the job already drawing them, if there is one).

    SheetsError 'no_plan', 'no_tour'."""
    with atomic():
        plan = itinerary.published(event.id)
        if plan is None:
            raise SheetsError("no_plan")
        if not _has_tours(event, plan.id, day):
            raise SheetsError("no_tour")
        running = _unfinished(event, plan.id, day)
        if running is not None:
            return running
        return start_job(KIND, params={"day": day.isoformat(), "plan_id": plan.id, "version": plan.version},
                         event_id=event.id, created_by_id=actor_id)


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _merged(parts: list[SheetPart]) -> bytes:
    """The parts as one PDF, which says its language and title as each part does (badges.documents)."""
    return merge_pdfs([part.pdf for part in parts])


@contextmanager
def _kept_through_commits() -> Iterator[None]:
    """The tours' visits, stands and startups, loaded at once, stay loaded when a part is committed.

    Each progress report commits, which would expire every object of the session: the next part's sheets would
    then read each visit, its stand and its startup again one by one (thousands of queries for a day of the
    demo). The sheets are drawn from the tours as the job read them when it began, part after part."""
    session = db.session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = before


@job_handler(KIND, on_interrupted=lambda job: RUN_AGAIN)
def print_sheets_job(job: Job, report) -> dict:
    event = db.session.get(Event, job.event_id)
    params = job.params
    day = date.fromisoformat(params["day"])
    plan = itinerary.published(event.id)
    if plan is None or plan.id != params["plan_id"]:
        raise JobError(_("The published visit plan changed since these sheets were asked for (they were for "
                         "version %(version)s): print them again from the route sheets page.",
                         version=params.get("version")))
    hall = hall_map.hall_map(event, with_image=True)
    tours = itinerary.plan_tours(event, day, hall)
    if not tours:
        raise JobError(_("The published plan has no tour on %(day)s.", day=day.isoformat()))
    done = {key for part in parts_of(job.id) for key in part.tours}
    rest = [t for t in tours if tour_key(t) not in done]
    total, size = len(tours), max(1, int(current_app.config["SHEETS_PRINT_PART"]))
    with _kept_through_commits():
        report(0.02, f"{total - len(rest)}/{total}")
        for first in range(0, len(rest), size):
            chunk = rest[first:first + size]
            pdf = sheets.render(event, chunk, hall, version=plan.version)
            db.session.add(SheetPart(event_id=event.id, job_id=job.id, plan_id=plan.id, day=day,
                                     tours=[tour_key(t) for t in chunk], num_pages=_pages(pdf), pdf=pdf))
            drawn = total - len(rest) + first + len(chunk)
            report(0.02 + 0.9 * drawn / total, f"{drawn}/{total}")  # commits the part
    # One PDF for the download: the parts become one, committed with the job's result.
    parts = parts_of(job.id)
    whole = SheetPart(event_id=event.id, job_id=job.id, plan_id=plan.id, day=day,
                      tours=[key for part in parts for key in part.tours],
                      num_pages=sum(part.num_pages for part in parts), pdf=_merged(parts))
    if len(parts) > 1:
        db.session.execute(delete(SheetPart).where(SheetPart.id.in_([p.id for p in parts])))
        db.session.add(whole)
    return {"tours": total, "pages": whole.num_pages, "day": day.isoformat(), "version": plan.version,
            "download_url": public_path("visit_sheets.job_pdf", slug=event.slug, sheets_job_id=job.id)}


def job_pdf(event: Event, job_id: int) -> bytes | None:
    """The sheets a job stored, as one PDF; None if it is not a sheets job of the edition or stored none."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or job.event_id != event.id:
        return None
    parts = parts_of(job_id)
    return _merged(parts) if parts else None


def last_prints(event: Event, plan_id: int) -> dict[date, DayPrint]:
    """Day -> the last sheets job of that day for the published plan `plan_id`."""
    jobs = db.session.scalars(select(Job).where(Job.event_id == event.id, Job.kind == KIND)
                              .order_by(Job.id.desc()).limit(50))
    found: dict[date, DayPrint] = {}
    for job in jobs:
        params = job.params or {}
        if params.get("plan_id") != plan_id:
            continue
        day = date.fromisoformat(params["day"])
        if day not in found:
            done = job.status == JobStatus.DONE
            found[day] = DayPrint(job, public_path("visit_sheets.job_pdf", slug=event.slug, sheets_job_id=job.id)
                                  if done else None)
    return found
