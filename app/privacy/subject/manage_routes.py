"""The organiser's side, from a registration's page: export this person's data, erase this person (the preview
of what the erasure does shown first)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.errors import error_response
from app.events.models import Event
from app.events.services import organised_event_ids
from app.extensions import db
from app.privacy.subject import exports
from app.privacy.subject.erasure import erase_person, preview_erasure
from app.privacy.subject.messages import kind_label, refusal
from app.privacy.subject.models import DataExport
from app.privacy.subject.people import (
    CONFIRM_WORDS, SubjectError, check_confirmation, check_organiser_reach, is_erased,
)
from app.privacy.subject.routes import zip_response
from app.registrations.models import Registration

bp = Blueprint("privacy_manage", __name__, url_prefix="/manage/e/<slug>", template_folder="templates")


def _registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def _page(event: Event, registration: Registration, status: int = 200, error: str | None = None):
    person = registration.person
    preview = [(kind_label(kind), n) for kind, n in preview_erasure(person.id).items()]
    own = exports.exports_of(person.id, requested_by_id=current_user.id)
    return render_template("privacy_subject/manage.html", event=event, registration=registration, person=person,
                           preview=preview, exports=own, status_of=exports.status_of, error=error,
                           words=CONFIRM_WORDS, timezone=event.timezone, erased=is_erased(person),
                           status_url=lambda e: url_for("jobs.status", slug=event.slug, job_id=e.job_id),
                           download_url=lambda e: url_for("privacy_manage.download", slug=event.slug,
                                                          export_id=e.id)), status


@bp.get("/registrations/<int:registration_id>/data")
@requires(Access.ORGANISER)
def person_data(event: Event, registration_id: int):
    return _page(event, _registration_of(event, registration_id))


@bp.post("/registrations/<int:registration_id>/data/export")
@requires(Access.ORGANISER)
def ask_export(event: Event, registration_id: int):
    registration = _registration_of(event, registration_id)
    try:
        check_organiser_reach(registration.person_id, organised_event_ids(current_user))
        export = exports.request_export(registration.person_id, requested_by_id=current_user.id, event_id=event.id)
    except SubjectError as error:
        return _page(event, registration, *refusal(error))
    flash(_("The export is being prepared."), "success")
    return redirect(url_for("jobs.show", slug=event.slug, job_id=export.job_id))


@bp.get("/data/exports/<int:export_id>")
@requires(Access.ORGANISER)
def download(event: Event, export_id: int):
    export = db.session.get(DataExport, export_id)
    if export is None or export.event_id != event.id:  # an export an organiser of this edition asked for
        abort(404)
    try:
        content, filename = exports.download(export, actor_id=current_user.id)
    except SubjectError as error:
        return error_response(*refusal(error))
    return zip_response(content, filename)


@bp.post("/registrations/<int:registration_id>/data/erase")
@requires(Access.ORGANISER)
def erase(event: Event, registration_id: int):
    registration = _registration_of(event, registration_id)
    try:
        check_confirmation(request.form.get("confirm"))
        check_organiser_reach(registration.person_id, organised_event_ids(current_user))
        erase_person(registration.person_id, actor_id=current_user.id, reason="organiser", event_id=event.id)
    except SubjectError as error:
        return _page(event, registration, *refusal(error))
    flash(_("The person is erased; the edition's figures are kept, anonymised."), "success")
    return redirect(url_for("registrations_manage.edit", slug=event.slug, registration_id=registration.id))
