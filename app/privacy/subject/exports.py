"""A person's data export: asked for (by her, or by an organiser for her), built by a background job into one ZIP
of JSON files and a readable HTML summary in her language, downloadable once through a link that expires."""
from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from app.audit import services as audit
from app.core.i18n import supported_locale
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.core.urls import public_path, public_url, rendering_context
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, job_handler
from app.jobs.services import start_job
from app.mail.services import send_mail
from app.people.models import Person
from app.privacy.subject.collect import Collected, as_json, collect
from app.privacy.subject.models import DataExport
from app.privacy.subject.people import SubjectError, editions_of, is_erased
from app.privacy.subject.summary import summary_sections

KIND = "privacy_export"
TOKEN_PREFIX = "x_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_export(person_id: int, *, requested_by_id: int | None, event_id: int | None = None) -> DataExport:
    """Ask for her export; the job builds it. A second ask while one is being built returns that one.
    SubjectError 'unknown_person', 'already_erased'."""
    with atomic():
        person = db.session.get(Person, person_id)
        if person is None:
            raise SubjectError("unknown_person")
        if is_erased(person):
            raise SubjectError("already_erased")
        pending = db.session.scalar(
            select(DataExport).join(Job, Job.id == DataExport.job_id)
            .where(DataExport.person_id == person_id, DataExport.requested_by_id == requested_by_id,
                   Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])).order_by(DataExport.id.desc()).limit(1))
        if pending is not None:
            return pending
        now = utcnow()
        export = DataExport(person_id=person_id, requested_by_id=requested_by_id, event_id=event_id,
                            locale=supported_locale(person.locale), created_at=now,
                            expires_at=now + timedelta(days=current_app.config["PRIVACY_EXPORT_DAYS"]))
        db.session.add(export)
        db.session.flush()
        job = start_job(KIND, params={"export_id": export.id}, event_id=event_id, created_by_id=requested_by_id)
        export.job_id = job.id
        audit.record("privacy.export.request", actor_id=requested_by_id, event_id=event_id, obj=person,
                     details={"export_id": export.id, "by": "self" if requested_by_id == person_id else "organiser"})
    return export


def build_zip(found: Collected, locale: str) -> bytes:
    """The ZIP: one JSON file per table, her mentions and files, and `summary.html` in her language."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in sorted(found.tables.items()):
            archive.writestr(f"data/{table}.json", as_json(rows))
        archive.writestr("data/mentions.json", as_json(found.mentions))
        archive.writestr("data/files.json", as_json(found.files))
        with rendering_context(), force_locale(locale):
            html = render_template("privacy_subject/summary.html", found=found,
                                   sections=summary_sections(found), locale=locale)
        archive.writestr("summary.html", html)
    return buffer.getvalue()


@job_handler(KIND)
def build_export_job(job: Job, report) -> dict:
    export = db.session.get(DataExport, job.params["export_id"])
    if export is None:
        raise JobError("This export no longer exists (the person was erased).")
    report(0.1, "")
    return fill(export)


def fill(export: DataExport) -> dict:
    """Build the export's ZIP and its once-only link; mail her the link when she asked herself. A step."""
    found = collect(export.person_id)
    content = build_zip(found, export.locale)
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    export.content, export.size, export.ready_at = content, len(content), utcnow()
    export.token_hash = token_hash(token)
    person = db.session.get(Person, export.person_id)
    result = {"export_id": export.id, "rows": found.num_rows, "tables": len(found.tables)}
    if export.requested_by_id == export.person_id:
        editions = editions_of(person.id)
        send_mail(person.email, template="privacy_export_ready", locale=export.locale, kind="privacy_export",
                  event_id=editions[0].id if editions else None, person=person,
                  link=public_url("privacy_subject.download_by_token", token=token), expires_at=export.expires_at)
    elif export.event_id is not None:
        result["download_url"] = public_path("privacy_manage.download", slug=_slug(export.event_id),
                                             export_id=export.id)
    return result


def export_now(person_id: int, *, requested_by_id: int | None) -> DataExport:
    """Her export built at once, its job recorded as done (the demo's and the command line's way, no worker)."""
    with atomic():
        person = db.session.get(Person, person_id)
        now = utcnow()
        export = DataExport(person_id=person_id, requested_by_id=requested_by_id, locale=supported_locale(person.locale),
                            created_at=now, expires_at=now + timedelta(days=current_app.config["PRIVACY_EXPORT_DAYS"]))
        db.session.add(export)
        db.session.flush()
        job = Job(kind=KIND, params={"export_id": export.id}, created_by_id=requested_by_id, status=JobStatus.DONE,
                  progress=1.0, started_at=now, finished_at=now)
        db.session.add(job)
        db.session.flush()
        export.job_id = job.id
        job.result = fill(export)
        audit.record("privacy.export.request", actor_id=requested_by_id, obj=person,
                     details={"export_id": export.id, "by": "self" if requested_by_id == person_id else "organiser"})
    return export


def _slug(event_id: int) -> str:
    return db.session.scalar(select(db.metadata.tables["event"].c.slug).where(
        db.metadata.tables["event"].c.id == event_id))


def status_of(export: DataExport, now: datetime | None = None) -> str:
    """building, ready, downloaded, expired or failed."""
    now = now or utcnow()
    if export.downloaded_at is not None:
        return "downloaded"
    if export.content is None:
        job = db.session.get(Job, export.job_id) if export.job_id else None
        return "failed" if job is None or job.status == JobStatus.FAILED else "building"
    return "expired" if export.expires_at <= now else "ready"


def download(export: DataExport | None, *, actor_id: int | None, now: datetime | None = None) -> tuple[bytes, str]:
    """The ZIP, once: the export is then emptied. SubjectError 'export_unknown', or 'export_gone' with why =
    downloaded | expired | not_ready. The download is audited."""
    with atomic():
        if export is None:
            raise SubjectError("export_unknown")
        state = status_of(export, now)
        if state != "ready":
            raise SubjectError("export_gone", why={"building": "not_ready", "failed": "not_ready"}.get(state, state))
        content = export.content
        taken = db.session.execute(update(DataExport).where(DataExport.id == export.id,
                                                            DataExport.downloaded_at.is_(None))
                                   .values(downloaded_at=now or utcnow(), content=None),
                                   execution_options={"synchronize_session": False}).rowcount
        if taken != 1:  # another download took it first
            raise SubjectError("export_gone", why="downloaded")
        audit.record("privacy.export.download", actor_id=actor_id, event_id=export.event_id,
                     obj=db.session.get(Person, export.person_id), details={"export_id": export.id})
    db.session.expire(export)
    return content, f"mediane-donnees-{export.person_id}-{export.id}.zip"


def export_by_token(token: str) -> DataExport | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return db.session.scalar(select(DataExport).where(DataExport.token_hash == token_hash(token)))


def exports_of(person_id: int, *, requested_by_id: int | None = None, limit: int = 10) -> list[DataExport]:
    query = select(DataExport).where(DataExport.person_id == person_id)
    if requested_by_id is not None:
        query = query.where(DataExport.requested_by_id == requested_by_id)
    return list(db.session.scalars(query.order_by(DataExport.created_at.desc(), DataExport.id.desc()).limit(limit)))
