"""The confirmed import, as a background job: all rows in one transaction, or none."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.jobs.registry import JobError, Reporter, job_handler
from app.registrations.imports.messages import file_problem_text, row_error_line
from app.registrations.imports.models import ImportBatch, ImportStatus
from app.registrations.imports.parsing import FileProblem
from app.registrations.imports.services import ImportRefused, run_import

KIND = "import_attendees"
MAX_ERRORS_SHOWN = 20


@job_handler(KIND)
def import_attendees(job: Job, report: Reporter) -> dict:
    batch = db.session.get(ImportBatch, (job.params or {}).get("batch_id"))
    creator = batch.created_by if batch is not None else job.created_by
    locale = creator.locale if creator is not None and creator.locale in ("fr", "en") else "fr"
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
