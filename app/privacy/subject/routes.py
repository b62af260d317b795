"""Her own pages: "Mes données" (ask for her export, follow it, download it once; ask for her erasure), and the
mailed download link."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.core.access import Access, requires
from app.core.errors import error_response
from app.extensions import db
from app.jobs.models import Job
from app.privacy.subject import exports
from app.privacy.subject.erasure import erase_person, preview_erasure
from app.privacy.subject.messages import kind_label, refusal
from app.privacy.subject.models import DataExport
from app.privacy.subject.people import CONFIRM_WORDS, SubjectError, check_confirmation

bp = Blueprint("privacy_subject", __name__, template_folder="templates")


def zip_response(content: bytes, filename: str) -> Response:
    return Response(content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _mine(export_id: int) -> DataExport:
    export = db.session.get(DataExport, export_id)
    if export is None or export.person_id != current_user.id or export.requested_by_id != current_user.id:
        abort(404)
    return export


def _page(status: int = 200, error: str | None = None):
    own = exports.exports_of(current_user.id, requested_by_id=current_user.id)
    preview = [(kind_label(kind), n) for kind, n in preview_erasure(current_user.id).items()]
    return render_template(
        "privacy_subject/mine.html", exports=own, status_of=exports.status_of, preview=preview, error=error,
        words=CONFIRM_WORDS, timezone=current_app.config.get("PRIVACY_TIMEZONE", "Europe/Paris"),
        status_url=lambda e: url_for("privacy_subject.export_status", export_id=e.id),
        download_url=lambda e: url_for("privacy_subject.download_mine", export_id=e.id)), status


@bp.get("/me/data")
@requires(Access.LOGIN)
def mine():
    return _page()


@bp.post("/me/data/export")
@requires(Access.LOGIN)
def ask_export():
    exports.request_export(current_user.id, requested_by_id=current_user.id)
    flash(_("Your export is being prepared: it appears below when it is ready, and we mail you its link."),
          "success")
    return redirect(url_for("privacy_subject.mine"))


@bp.get("/me/data/exports/<int:export_id>.json")
@requires(Access.LOGIN)
def export_status(export_id: int):
    export = _mine(export_id)
    state = exports.status_of(export)
    job = db.session.get(Job, export.job_id) if export.job_id else None
    return {"id": export.id, "status": "done" if state != "building" else (job.status.value if job else "queued"),
            "status_label": state, "progress": job.progress if job else 0.0, "message": ""}


@bp.get("/me/data/exports/<int:export_id>/download")
@requires(Access.LOGIN)
def download_mine(export_id: int):
    try:
        content, filename = exports.download(_mine(export_id), actor_id=current_user.id)
    except SubjectError as error:
        return error_response(*refusal(error))
    return zip_response(content, filename)


@bp.get("/data/exports/<token>")
@requires(Access.PUBLIC)
def download_by_token(token: str):
    export = exports.export_by_token(token)
    try:
        content, filename = exports.download(export, actor_id=export.person_id if export else None)
    except SubjectError as error:
        return error_response(*refusal(error))
    return zip_response(content, filename)


@bp.post("/me/data/erase")
@requires(Access.LOGIN)
def erase_mine():
    try:
        check_confirmation(request.form.get("confirm"))
        erase_person(current_user.id, actor_id=current_user.id, reason="request")
    except SubjectError as error:
        status, message = refusal(error)
        return _page(status, message)
    logout_user()
    return redirect(url_for("privacy_subject.erased"))


@bp.get("/data/erased")
@requires(Access.PUBLIC)
def erased():
    return render_template("privacy_subject/erased.html")
