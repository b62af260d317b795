"""The confirmed import, as a background job: all rows in one transaction, or none."""
from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.domain import DomainError
from app.core.i18n import supported_locale
from app.core.sentences import gettext as _
from app.core.transaction import atomic, in_atomic
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.jobs.registry import JobError, Reporter, job_handler
from app.jobs.services import start_job
from app.registrations.imports.messages import file_problem_text, row_error_line
from app.registrations.imports.models import ImportBatch, ImportStatus
from app.registrations.imports.parsing import FileProblem
from app.registrations.imports.services import ImportRefused, check_file, dedupe_key, run_import

KIND = "import_attendees"
MAX_ERRORS_SHOWN = 20


def confirm_import(event: Event, batch: ImportBatch, *, notify: bool, actor_id: int) -> Job:
    """Queue the import of a previewed file, once: a second confirmation (a double click, a reload, a
    concurrent request) gets the job already started.

    Checks the file again first. Raises DomainError('already_imported') for a batch past its preview,
    parsing.FileProblem when the file cannot be read, ImportRefused (with the new check's summary) when
    the edition changed since the preview so that rows became bad.
    """
    nested = in_atomic()
    key = dedupe_key(batch)
    try:
        with atomic():
            started = db.session.scalar(select(Job).where(Job.dedupe_key == key))
            if started is not None:
                return started
            if batch.status != ImportStatus.PREVIEWED:
                raise DomainError("already_imported")
            check = check_file(event, batch.content, batch.filename)
            if check.parsed.errors:
                raise ImportRefused(check.parsed.errors, summary=check.summary())
            batch.status = ImportStatus.QUEUED
            job = start_job(KIND, params={"batch_id": batch.id, "notify": notify}, event_id=event.id,
                            created_by_id=actor_id, dedupe_key=key)
            batch.job_id = job.id
    except IntegrityError:
        # A concurrent confirmation stored its job first (this one is rolled back): follow that job.
        started = None if nested else db.session.scalar(select(Job).where(Job.dedupe_key == key))
        if started is None:
            raise
        return started
    return job


@job_handler(KIND)
def import_attendees(job: Job, report: Reporter) -> dict:
    batch = db.session.get(ImportBatch, (job.params or {}).get("batch_id"))
    creator = batch.created_by if batch is not None else job.created_by
    locale = supported_locale(creator.locale if creator is not None else None)
    with force_locale(locale):
        if batch is None or batch.event_id != job.event_id:
            raise JobError(_("The file to import is no longer available."))
        if batch.status == ImportStatus.IMPORTED:
            raise JobError(_("This file is already imported."))
        event = db.session.get(Event, batch.event_id)
        # `report` commits: progress is reported before the first write, never in the middle of the import.
        report(0.1, _("Importing %(name)s…", name=batch.filename))
        try:
            result = run_import(event, batch.content, batch.filename, actor_id=batch.created_by_id,
                                notify=bool(job.params.get("notify")), batch_id=batch.id)
        except FileProblem as exc:
            raise JobError(_("Nothing was imported.") + " " + file_problem_text(exc)) from exc
        except ImportRefused as exc:
            lines = [row_error_line(e) for e in exc.errors[:MAX_ERRORS_SHOWN]]
            raise JobError("\n".join([_("Nothing was imported: the file is no longer importable as it is. "
                                        "Fix these rows and upload it again.")] + lines)) from exc
        # Stored by the runner's final commit, with the rows: no commit here.
        job.message = _("%(created)d registrations created, %(unchanged)d already registered (unchanged).",
                        created=result["created"], unchanged=result["unchanged"])
        batch.status = ImportStatus.IMPORTED
        batch.content = b""  # personal data is kept in the registrations, not in a stray file copy
        batch.summary = {**batch.summary, "result": result}
    return result
