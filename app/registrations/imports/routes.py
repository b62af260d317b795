"""The organiser's attendee import: upload, preview, confirm."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.domain import DomainError
from app.events.models import Event
from app.extensions import db
from app.registrations.imports import jobs
from app.registrations.imports.messages import cleaned_lines_text, file_problem_text, row_error_text
from app.registrations.imports.models import ImportBatch
from app.registrations.imports.parsing import FileProblem
from app.registrations.imports.services import ImportRefused, check_file, row_errors_of, store_batch
from app.registrations.imports.vocabulary import EXPECTED_COLUMNS

bp = Blueprint("imports", __name__, url_prefix="/manage/e/<slug>/imports", template_folder="templates")

RECENT_BATCHES = 20


def _batch_of(event: Event, batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.event_id != event.id:
        abort(404)
    return batch


def _upload_page(event: Event, error: str | None = None, status: int = 200):
    batches = db.session.scalars(
        select(ImportBatch).where(ImportBatch.event_id == event.id)
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()).limit(RECENT_BATCHES)
    ).all()
    return render_template("imports/upload.html", event=event, error=error, batches=batches,
                           columns=EXPECTED_COLUMNS), status


def _preview_page(event: Event, summary: dict, *, filename: str, batch: ImportBatch | None, status: int = 200):
    errors = [(e, row_error_text(e)) for e in row_errors_of(summary)]
    cleaned = summary.get("cleaned_lines")
    return render_template("imports/preview.html", event=event, summary=summary, errors=errors, batch=batch,
                           filename=filename, cleaned=cleaned_lines_text(cleaned) if cleaned else ""), status


@bp.get("/")
@requires(Access.ORGANISER)
def upload_form(event: Event):
    return _upload_page(event)


@bp.post("/")
@requires(Access.ORGANISER)
def upload(event: Event):
    file = request.files.get("file")
    if file is None or not file.filename:
        return _upload_page(event, _("Choose a CSV or XLSX file to import."), 400)
    content = file.read()
    try:
        check = check_file(event, content, file.filename)
    except FileProblem as problem:
        return _upload_page(event, file_problem_text(problem), 413 if problem.code == "too_large" else 422)
    summary = check.summary()
    if check.parsed.errors:
        # Nothing is stored for a file that cannot be imported as it is: the organiser fixes it and uploads again.
        return _preview_page(event, summary, filename=file.filename, batch=None, status=422)
    batch = store_batch(event, content, file.filename, check, actor_id=current_user.id)
    return redirect(url_for("imports.preview", slug=event.slug, batch_id=batch.id))


@bp.get("/<int:batch_id>")
@requires(Access.ORGANISER)
def preview(event: Event, batch_id: int):
    batch = _batch_of(event, batch_id)
    return _preview_page(event, batch.summary, filename=batch.filename, batch=batch)


@bp.post("/<int:batch_id>/confirm")
@requires(Access.ORGANISER)
def confirm(event: Event, batch_id: int):
    batch = _batch_of(event, batch_id)
    try:
        # A second click, or a reload, gets the job already under way.
        job = jobs.confirm_import(event, batch, notify=request.form.get("notify") == "1", actor_id=current_user.id)
    except DomainError:  # already_imported
        abort(409, _("This file is already imported."))
    except FileProblem as problem:
        abort(422, file_problem_text(problem))
    except ImportRefused as refused:  # the edition changed since the preview (a day, a theme, a category)
        return _preview_page(event, refused.summary, filename=batch.filename, batch=batch, status=422)
    return redirect(url_for("jobs.show", slug=event.slug, job_id=job.id))


@bp.get("/template.csv")
@requires(Access.ORGANISER)
def template(event: Event):
    """An example file with every column, in UTF-8 with a BOM so that spreadsheets keep the accents."""
    first, last = event.days[0].isoformat(), event.days[-1].isoformat()
    theme = "|".join(t.code for t in event.themes[:2])
    rows = [
        EXPECTED_COLUMNS,
        ("claire.lefebvre@nevers.fr", "Claire", "Lefebvre", "Élu", "Ville de Nevers", "", "03 86 00 00 00", "FR",
         "Maire", "Nevers", theme, "", "Ville de Nevers", "confirmé", "", "oui", "non"),
        ("marc.tremblay@example.ca", "Marc", "Tremblay", "Décideur", "Ville de Trois-Rivières",
         "Directeur général", "", "CA", "", "", "", first, "", "", "", "oui", "oui"),
        ("ines@capteo.example", "Inès", "Benali", "Startup", "Captéo", "Fondatrice", "", "Belgique", "", "", theme,
         f"{first} {last}", "", "en attente", "Capteurs de stationnement pour centres-villes", "oui", "oui"),
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-import-template.csv"'})
