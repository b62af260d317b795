"""The organiser's meeting pages: the settings of the edition (who may request whom, acceptance, limits, tables,
sessions) and the list of every request with the counts per status."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.events.models import Event
from app.meetings.errors import MeetingError
from app.meetings.requests import listing, messages, rules, settings
from app.meetings.requests.forms import SettingsForm, parse_pairs, session_form
from app.meetings.requests.models import RequestStatus

bp = Blueprint("meeting_requests_manage", __name__, url_prefix="/manage/e/<slug>/meetings",
               template_folder="templates")


def _refuse(form, error: MeetingError, default: str) -> None:
    """The refusal under the field it names (else under `default`)."""
    target = getattr(form, error.field or "", None) or getattr(form, default)
    target.errors = [*target.errors, messages.message(error)]


def _settings_page(event: Event, form: SettingsForm, session=None, status: int = 200):
    if request.method == "POST" and session is None:
        chosen = set(form.pairs.data or [])
    else:
        chosen = {f"{frm}:{to}" for frm, to in rules.category_pairs(event.id)}
    return render_template("meetings/manage_settings.html", event=event, form=form, chosen=chosen,
                           session_form=session or session_form(event, formdata=None),
                           sessions=settings.sessions_of(event), session_label=settings.session_label,
                           tables=settings.tables_of(event), stored=rules.settings_of(event.id)), status


def _filled_form(event: Event) -> SettingsForm:
    current = settings.settings_or_default(event)
    return SettingsForm(formdata=None, is_open=current.is_open, acceptance=current.acceptance.value,
                        slot_minutes=current.slot_minutes, max_per_session=current.max_per_session,
                        expiry_days=current.expiry_days, tables=settings.tables_text(settings.tables_of(event)))


@bp.route("/settings", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def settings_page(event: Event):
    if request.method == "GET":
        return _settings_page(event, _filled_form(event))
    form = SettingsForm()
    valid = form.validate_on_submit()
    pairs = parse_pairs(request.form.getlist("pairs"))
    if pairs is None:
        form.pairs.errors = [*form.pairs.errors, messages.message(MeetingError("bad_pair", "pairs"))]
    if valid and pairs is not None:
        data = settings.SettingsInput(
            is_open=form.is_open.data, acceptance=form.acceptance.data, slot_minutes=form.slot_minutes.data,
            max_per_session=form.max_per_session.data, expiry_days=form.expiry_days.data,
            tables=form.tables.data or "", pairs=pairs)
        try:
            settings.save_settings(event, data, actor_id=current_user.id)
        except MeetingError as error:
            _refuse(form, error, "tables")
        else:
            flash(_("The meeting settings are saved."), "success")
            return redirect(url_for("meeting_requests_manage.settings_page", slug=event.slug))
    return _settings_page(event, form, status=422)


@bp.post("/sessions")
@requires(Access.ORGANISER)
def session_add(event: Event):
    form = session_form(event)
    if form.validate_on_submit():
        try:
            settings.add_session(event, date.fromisoformat(form.day.data), form.start.data, form.end.data,
                                 actor_id=current_user.id)
        except MeetingError as error:
            _refuse(form, error, "start")
        else:
            flash(_("The meeting session is added."), "success")
            return redirect(url_for("meeting_requests_manage.settings_page", slug=event.slug, _anchor="sessions"))
    return _settings_page(event, _filled_form(event), session=form, status=422)


@bp.post("/sessions/<int:meeting_session_id>/remove")
@requires(Access.ORGANISER)
def session_remove(event: Event, meeting_session_id: int):
    try:
        settings.remove_session(event, meeting_session_id, actor_id=current_user.id)
    except MeetingError as error:
        return render_template("meetings/refused.html", event=event, message=messages.message(error)), error.status
    flash(_("The meeting session is removed."), "success")
    return redirect(url_for("meeting_requests_manage.settings_page", slug=event.slug, _anchor="sessions"))


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    status = request.args.get("status", "")
    status = status if status in {s.value for s in RequestStatus} else ""
    q = request.args.get("q", "").strip()[:200]
    found = listing.organiser_page(event, status=status, q=q,
                                   page=query_int(request.args, "page", default=1, high=listing.MAX_PAGE))
    return render_template("meetings/manage_list.html", event=event, found=found, counts=listing.status_counts(event),
                           status=status, q=q, stored=rules.settings_of(event.id))
