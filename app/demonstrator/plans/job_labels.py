"""The plans' jobs as organisers read them: the planning job (which plan, how long it has searched, how good its
best plan is), the notices of a publication, and a day's route sheets."""
from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask_babel import format_number, gettext as _, lazy_gettext as _l, ngettext

from app.core.timefmt import format_day
from app.demonstrator.plans import notify, sheet_jobs, views
from app.demonstrator.plans.models import VisitPlan
from app.demonstrator.plans.planning import JOB_KIND
from app.extensions import db
from app.jobs.labels import KindLabels, describe_kind
from app.jobs.models import Job, JobStatus


def _plan(job: Job) -> VisitPlan | None:
    plan = db.session.get(VisitPlan, (job.params or {}).get("plan_id") or 0)
    return plan if plan is not None and plan.event_id == job.event_id else None


def _quality(gap: float | None) -> str:
    """The plan's quality in an organiser's words ("at least 80 % of the best possible"), as on the plan page."""
    return views.quality_short(gap) if gap is not None else views.quality_words(None)


def subject(job: Job) -> str:
    plan = _plan(job)
    version = plan.version if plan is not None else (job.result or {}).get("version")
    return _("Visit plan, version %(version)s", version=version) if version is not None else ""


def progress(job: Job) -> str:
    """While it searches: "45 s of 120 s; best plan so far: within 19.9 % of the bound" (the plan's live figures)."""
    if job.status == JobStatus.DONE:
        figures = job.result or {}
        return _("Best plan: %(quality)s", quality=_quality(
            views.gap_percent(figures.get("objective"), figures.get("bound"))))
    plan = _plan(job)
    if job.status != JobStatus.RUNNING or plan is None:
        return ""
    figures = plan.figures or {}
    searched = _("%(elapsed)s s searched of %(limit)s s", elapsed=views.number(figures.get("elapsed") or 0, 0),
                 limit=views.number(plan.time_limit, 0))
    if figures.get("best") is None:
        return _("%(searched)s; no plan found yet", searched=searched)
    return _("%(searched)s; best plan so far: %(quality)s", searched=searched,
             quality=_quality(views.gap_percent(figures.get("best"), figures.get("bound"))))


def result(job: Job) -> list[tuple[str, str]]:
    figures = job.result or {}
    facts = []
    if figures.get("version") is not None:
        facts.append((_("Plan"), _("version %(version)s", version=figures["version"])))
    if figures.get("visits") is not None:
        facts.append((_("Visits planned"), format_number(figures["visits"])))
    facts.append((_("Quality"), _quality(views.gap_percent(figures.get("objective"), figures.get("bound")))))
    return facts


def notices_result(job: Job) -> list[tuple[str, str]]:
    """The notices of a publication: how many people were told, for how many routes and startups."""
    figures = job.result or {}
    facts = [(_("Plan"), _("version %(version)s", version=figures["version"]))] if "version" in figures else []
    for key, label in (("people", _("People told")), ("routes", _("Routes changed")),
                       ("briefings", _("Startups whose visitors change"))):
        if figures.get(key) is not None:
            facts.append((label, format_number(figures[key])))
    return facts


def sheets_subject(job: Job) -> str:
    """"Route sheets of Wednesday 10 June 2026 · visit plan v3"."""
    params = job.params or {}
    try:
        day = format_day(date.fromisoformat(params.get("day", "")), "day_year")
    except ValueError:
        day = params.get("day", "")
    return _("Route sheets of %(day)s · visit plan v%(version)s", day=day, version=params.get("version", "?"))


def sheets_progress(job: Job) -> str:
    match = re.match(r"^(\d+)/(\d+)$", job.message or "")
    if match is None:
        return job.message
    done, total = int(match.group(1)), int(match.group(2))
    return ngettext("%(done)s of %(count)s tour drawn", "%(done)s of %(count)s tours drawn", total,
                    done=format_number(done), count=format_number(total))


def sheets_result(job: Job) -> list[tuple[str, str]]:
    figures = job.result or {}
    return [(label, format_number(figures[key])) for key, label in (("tours", _("Tours")), ("pages", _("Pages")))
            if figures.get(key) is not None]


def init_app(app: Flask) -> None:
    describe_kind(app, JOB_KIND, KindLabels(_l("Visit planning"), subject=subject, progress=progress, result=result))
    describe_kind(app, sheet_jobs.KIND, KindLabels(_l("Route sheets of a day"), subject=sheets_subject,
                                                   progress=sheets_progress, result=sheets_result))
    describe_kind(app, notify.JOB_KIND, KindLabels(_l("Visit route notices"), subject=subject, result=notices_result))
