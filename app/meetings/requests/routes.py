"""An attendee's meeting pages: her meetings (received, sent, her delegation's), the directory of people open to
meetings, the request form, a request's page, and the forms that answer, cancel and bring members along."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import form_ids
from app.events.models import Event
from app.extensions import db
from app.meetings.errors import MeetingError, NotAllowed, NotFound
from app.meetings.requests import directory, listing, messages, rules, services
from app.meetings.requests.forms import request_form
from app.meetings.requests.models import RequestStatus, Side
from app.registrations.models import Registration, RegistrationStatus
from app.registrations.queries import active_registration

bp = Blueprint("meeting_requests", __name__, url_prefix="/e/<slug>/meetings", template_folder="templates")


def _me(event: Event) -> Registration:
    registration = active_registration(event.id, current_user.id)
    if registration is None:
        abort(403)
    return registration


def refused(event: Event, error: MeetingError):
    """A page that says why, with the refusal's status."""
    return render_template("meetings/refused.html", event=event, message=messages.message(error)), error.status


def _context(event: Event, me: Registration) -> dict:
    settings = rules.settings_of(event.id)
    return {"event": event, "me": me, "settings": settings, "locale": str(get_locale() or "fr"),
            "can_request": bool(settings and settings.is_open and me.status == RegistrationStatus.CONFIRMED
                                and rules.requestable_categories(event.id, me.category_id))}


@bp.get("/")
@requires(Access.ATTENDEE)
def mine(event: Event):
    me = _me(event)
    return render_template("meetings/mine.html", box=listing.my_meetings(me), accepts=rules.accepts_requests(me),
                           profile=rules.profile_of(me), is_open=rules.is_open_to_requests(me),
                           person_id=current_user.id, **_context(event, me))


@bp.post("/opt-in")
@requires(Access.ATTENDEE)
def opt_in(event: Event):
    me = _me(event)
    choice = request.form.get("accepts", "")
    if choice not in ("1", "0"):
        return refused(event, MeetingError("bad_choice", "accepts"))
    services.set_opt_in(me, choice == "1", actor=current_user)
    flash(_("You receive meeting requests.") if choice == "1" else _("You no longer receive meeting requests."),
          "success")
    return redirect(url_for("meeting_requests.mine", slug=event.slug, _anchor="opt-in"))


@bp.get("/directory")
@requires(Access.ATTENDEE)
def directory_index(event: Event):
    me = _me(event)
    filters = directory.DirectoryFilters.from_args(request.args)
    found = directory.directory_page(event, me, filters, directory.page_number(request.args))
    return render_template("meetings/directory.html", found=found, filters=filters, **_context(event, me))


def _render_request_form(event: Event, me: Registration, recipient: Registration, form, error=None):
    status = error.status if error else (422 if request.method == "POST" else 200)
    return render_template(
        "meetings/request.html", recipient=recipient, form=form, error=error,
        error_text=messages.message(error) if error else None, shares_details=rules.shares_details(recipient),
        live=services.live_between(me, recipient), **_context(event, me)), status


@bp.route("/request/<int:recipient_id>", methods=["GET", "POST"])
@requires(Access.ATTENDEE)
def request_meeting(event: Event, recipient_id: int):
    me = _me(event)
    recipient = db.session.get(Registration, recipient_id)
    if recipient is None or recipient.event_id != event.id or not rules.is_open_to_requests(recipient):
        return refused(event, NotFound("unknown_person"))
    if recipient.id == me.id:
        return refused(event, MeetingError("self"))
    if not rules.may_request(me, recipient):
        return refused(event, NotAllowed("category_not_allowed"))
    form = request_form(rules.companions(me))
    if request.method == "POST":
        try:  # every attempt counts, before the form is read (one account cannot flood the others)
            services.count_attempt(me.id)
        except MeetingError as error:
            return _render_request_form(event, me, recipient, form, error)
    if not form.validate_on_submit():
        return _render_request_form(event, me, recipient, form)
    data = services.RequestInput(reason=form.reason.data, message=form.message.data or "",
                                 participant_ids=tuple(form.participants.data or ()))
    try:
        made = services.request_meeting(event, me, recipient.id, data, actor=current_user)
    except MeetingError as error:
        if error.status in (403, 404):
            return refused(event, error)
        return _render_request_form(event, me, recipient, form, error)
    flash(_("Your meeting with %(name)s is accepted.", name=recipient.person.full_name)
          if made.status is RequestStatus.ACCEPTED else
          _("Your request was sent to %(name)s, who is told by e-mail.", name=recipient.person.full_name), "success")
    return redirect(url_for("meeting_requests.page", slug=event.slug, meeting_id=made.id))


def _render_page(event: Event, meeting, error: MeetingError | None = None):
    me = _me(event)
    sides = services.sides_of(meeting, current_user)
    companions = {side: rules.companions(meeting.person_of(side)) for side in sorted(sides)}
    return render_template(
        "meetings/page.html", meeting=meeting, sides=sides, Side=Side, error=error,
        error_text=messages.message(error) if error else None, companions=companions,
        choosable=[side for side, members in companions.items() if members],
        **_context(event, me)), error.status if error else 200


@bp.get("/<int:meeting_id>")
@requires(Access.ATTENDEE)
def page(event: Event, meeting_id: int):
    _me(event)
    try:
        meeting = services.get_request(event, meeting_id, current_user)
    except MeetingError as error:
        return refused(event, error)
    return _render_page(event, meeting)


def _back(event: Event, meeting_id: int):
    """Back where the form was: her meetings' list, else the request's page."""
    if request.form.get("back") == "list":
        return redirect(url_for("meeting_requests.mine", slug=event.slug, _anchor=f"m{meeting_id}"))
    return redirect(url_for("meeting_requests.page", slug=event.slug, meeting_id=meeting_id))


@bp.post("/<int:meeting_id>/decide")
@requires(Access.ATTENDEE)
def decide(event: Event, meeting_id: int):
    _me(event)
    form = request.form
    decision = form.get("decision", "")
    try:
        meeting = services.decide(event, meeting_id, current_user, decision, form.get("reason", ""),
                                  form_ids(form, "participants"))
    except (NotFound, NotAllowed) as error:
        return refused(event, error)
    except MeetingError as error:
        return _render_page(event, services.get_request(event, meeting_id, current_user), error)
    flash({RequestStatus.ACCEPTED: _("The meeting is accepted; the other side is told by e-mail."),
           RequestStatus.DECLINED: _("The request is declined; the other side is told by e-mail."),
           RequestStatus.CANCELLED: _("The meeting is cancelled; the other side is told by e-mail.")}[meeting.status],
          "success")
    return _back(event, meeting_id)


@bp.post("/<int:meeting_id>/participants")
@requires(Access.ATTENDEE)
def participants(event: Event, meeting_id: int):
    _me(event)
    try:
        services.set_participants(event, meeting_id, current_user, form_ids(request.form, "participants"))
    except (NotFound, NotAllowed) as error:
        return refused(event, error)
    except MeetingError as error:
        return _render_page(event, services.get_request(event, meeting_id, current_user), error)
    flash(_("Saved: who comes along."), "success")
    return _back(event, meeting_id)
