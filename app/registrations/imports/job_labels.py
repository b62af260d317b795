"""The import job as organisers read it: which file, and what it created."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_number, gettext as _, lazy_gettext as _l

from app.extensions import db
from app.jobs.labels import KindLabels, describe_kind
from app.jobs.models import Job, JobStatus
from app.registrations.imports.jobs import KIND
from app.registrations.imports.models import ImportBatch


def _batch(job: Job) -> ImportBatch | None:
    batch = db.session.get(ImportBatch, (job.params or {}).get("batch_id") or 0)
    return batch if batch is not None and batch.event_id == job.event_id else None


def subject(job: Job) -> str:
    batch = _batch(job)
    return _("File: %(name)s", name=batch.filename) if batch is not None else ""


def progress(job: Job) -> str:
    if job.status == JobStatus.RUNNING:
        return _("Importing the file…")
    return job.message  # once done, written in the starter's language ("12 registrations created, ...")


def result(job: Job) -> list[tuple[str, str]]:
    figures = job.result or {}
    facts = [(_("Registrations created"), format_number(figures.get("created", 0))),
             (_("Already registered (unchanged)"), format_number(figures.get("unchanged", 0)))]
    if figures.get("delegations_created"):
        facts.append((_("Delegations created"), format_number(figures["delegations_created"])))
    if figures.get("delegation_members_added"):
        facts.append((_("Delegation members added"), format_number(figures["delegation_members_added"])))
    facts.append((_("People told by e-mail"), _("Yes") if figures.get("notified") else _("No")))
    return facts


def init_app(app: Flask) -> None:
    describe_kind(app, KIND, KindLabels(_l("Attendee import"), subject=subject, progress=progress, result=result))
