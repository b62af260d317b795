"""Who wants to meet whom (attendees and organisers) and the visitors' availability (organisers)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import Access, requires
from app.core.domain import DomainError
from app.core.timefmt import local_to_utc, to_local, utcnow
from app.demonstrator import preferences, wish_availability, wish_board
from app.demonstrator.document import get_hall
from app.demonstrator.models import WishKind
from app.events.models import Event, Theme
from app.extensions import db
from app.registrations.labels import MANDATE_NAMES
from app.registrations.models import Registration, RegistrationStatus

bp = Blueprint("wishes", __name__, url_prefix="/e/<slug>/demonstrator", template_folder="templates")
manage_bp = Blueprint("wishes_manage", __name__, url_prefix="/manage/e/<slug>/demonstrator",
                      template_folder="templates")

KINDS = {"want": WishKind.WANT, "no": WishKind.NO, "clear": None}


def error_message(error: DomainError) -> str:
    return {
        "unknown_registration": _("This person is not registered for this edition."),
        "wish_sides": _("A wish goes from an official to a startup, or from a startup to an official."),
        "one_visitor": _("Choose one official or one delegation."),
        "unknown_change": _("This change no longer exists."),
        "ends_before_start": _("The end must come after the start."),
        "outside_edition": _("The window must fall within the days of the edition."),
        "bad_kind": _("Choose “I would like to meet”, “Not interested” or clear."),
        "bad_choice": _("Say whether you want visits to be planned for you."),
        "bad_time": _("Write the time as HH:MM, e.g. 11:00."),
        "bad_day": _("Choose a day of the edition."),
        "bad_preset": _("Choose late, absent from a time, or absent all day."),
        "bad_available": _("Choose whether the window blocks or opens visits."),
        "unknown_visitor": _("Choose an official or a delegation of this edition."),
        "not_a_visitor": _("Only officials and decision makers are routed through the demonstrator."),
    }.get(error.code, error.code)


def _locale() -> str:
    return str(get_locale() or "fr")


def _theme(event: Event) -> Theme | None:
    code = request.values.get("theme", "")
    return next((t for t in event.themes if t.code == code), None)


# -- attendees -------------------------------------------------------------------------------------

def _me(event: Event) -> Registration:
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == current_user.id,
        Registration.status != RegistrationStatus.CANCELLED))
    if registration is None:
        abort(403)
    return registration


def _render_index(event: Event, error: str | None = None, status: int = 200):
    side, me = wish_board.acting_side(_me(event))
    if side is None:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    theme = _theme(event)
    found = wish_board.cards(event, side, me, theme)
    return render_template(
        "demonstrator/wishes_index.html", event=event, side=side, me=me, theme=theme, cards=found,
        groups=wish_board.by_delegation(found) if side == wish_board.STARTUP else None,
        opted_out=preferences.is_opted_out(me) if side == wish_board.VISITOR else False,
        my_themes={t.id for t in me.themes}, locale=_locale(), MANDATE_NAMES=MANDATE_NAMES, error=error), status


@bp.get("/wishes")
@requires(Access.ATTENDEE)
def index(event: Event):
    return _render_index(event)


@bp.post("/wishes/<int:registration_id>")
@requires(Access.ATTENDEE)
def set_wish(event: Event, registration_id: int):
    side, me = wish_board.acting_side(_me(event))
    if side is None:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    target = db.session.get(Registration, registration_id)
    if target is None or target.event_id != event.id:
        abort(404)
    try:
        choice = request.form.get("kind", "")
        if choice not in KINDS:
            raise wish_board.WishPageError("bad_kind", "kind")
        preferences.set_wish(event, me, target, KINDS[choice], actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        return _render_index(event, error_message(error), 422)
    db.session.commit()
    theme = _theme(event)
    return redirect(url_for("wishes.index", slug=event.slug, theme=theme.code if theme else None,
                            _anchor=f"r{target.id}"))


@bp.post("/wishes/opt-out")
@requires(Access.ATTENDEE)
def opt_out(event: Event):
    side, me = wish_board.acting_side(_me(event))
    if side != wish_board.VISITOR:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    choice = request.form.get("opt_out", "")
    if choice not in ("1", "0"):
        return _render_index(event, error_message(wish_board.WishPageError("bad_choice")), 422)
    preferences.set_opt_out(me, choice == "1", actor_id=current_user.id)
    db.session.commit()
    flash(_("No visit of the demonstrator will be planned for you.") if choice == "1" else
          _("Visits of the demonstrator can be planned for you again."), "success")
    return redirect(url_for("wishes.index", slug=event.slug, _anchor="opt-out"))


# -- organisers: wishes and scores -------------------------------------------------------------------

@manage_bp.get("/wishes", endpoint="index")
@requires(Access.ORGANISER)
def scores(event: Event):
    theme = _theme(event)
    return render_template(
        "demonstrator/wishes_manage.html", event=event, hall=get_hall(event), theme=theme,
        counts=wish_board.wish_counts(event), heat=wish_board.heat_map(event, theme, _locale()),
        settings_url=url_for("hall.index", slug=event.slug) if "hall.index" in current_app.view_functions else None,
        number=wish_board.number, locale=_locale())


# -- organisers: availability ----------------------------------------------------------------------

def _default_day(event: Event) -> date:
    today = to_local(utcnow(), event.timezone).date()
    return today if today in event.days else event.days[0]


def _render_availability(event: Event, error: str | None = None, status: int = 200, form: dict | None = None):
    rows, other_changes = wish_availability.availability_rows(event)
    query = request.args.get("q", "").strip()
    shown = [row for row in rows if row.matches(query)] if query else rows
    candidates = sorted((m for row in rows for m in row.unit.members),
                        key=lambda r: (r.person.last_name.casefold(), r.person.first_name.casefold()))
    return render_template(
        "demonstrator/wishes_availability.html", event=event, rows=rows, shown=shown, query=query,
        other_changes=other_changes,
        opted_out=wish_availability.opted_out(event), candidates=candidates, default_day=_default_day(event),
        error=error, form=form or {}, MANDATE_NAMES=MANDATE_NAMES), status


@manage_bp.get("/availability")
@requires(Access.ORGANISER)
def availability(event: Event):
    return _render_availability(event)


def _add_change(event: Event, window_of) -> object:
    """Parse the visitor, let `window_of()` make the window, store the change; a refusal re-renders with 422."""
    who = None
    try:
        registration, delegation = wish_availability.find_visitor(event, request.form.get("visitor", ""))
        who = delegation.name if delegation else registration.person.full_name
        starts_at, ends_at, available, reason = window_of()
        preferences.change_availability(event, starts_at=starts_at, ends_at=ends_at, available=available,
                                        registration=registration, delegation=delegation, reason=reason,
                                        actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        message = error_message(error)
        if who:
            message = _("%(who)s: %(message)s", who=who, message=message)
        return _render_availability(event, message, 422, form=request.form)
    db.session.commit()
    start, end = to_local(starts_at, event.timezone), to_local(ends_at, event.timezone)
    span = {"who": who, "start": format_datetime(start, "EEE d HH:mm", rebase=False),
            "end": format_datetime(end, "HH:mm" if end.date() == start.date() else "EEE d HH:mm", rebase=False)}
    flash(_("%(who)s: open %(start)s–%(end)s.", **span) if available else
          _("%(who)s: blocked %(start)s–%(end)s.", **span), "success")
    return redirect(url_for("wishes_manage.availability", slug=event.slug, q=request.form.get("q") or None,
                            _anchor=_row_key(registration, delegation)))


def _row_key(registration: Registration | None, delegation) -> str:
    """The availability table's row of a change: a delegation's row holds its members' changes too."""
    if delegation is not None:
        return f"d{delegation.id}"
    return f"d{registration.delegation_id}" if registration.delegation_id else f"r{registration.id}"


@manage_bp.post("/availability/changes")
@requires(Access.ORGANISER)
def add_change(event: Event):
    def window():
        day = wish_availability.parse_day(event, request.form.get("day", ""))
        start = wish_availability.parse_time(request.form.get("start", ""), "start")
        end = wish_availability.parse_time(request.form.get("end", ""), "end")
        kind = request.form.get("available", "")
        if kind not in ("0", "1"):
            raise wish_board.WishPageError("bad_available", "available")
        return (local_to_utc(day, start, event.timezone), local_to_utc(day, end, event.timezone), kind == "1",
                request.form.get("reason", ""))
    return _add_change(event, window)


@manage_bp.post("/availability/on-the-day")
@requires(Access.ORGANISER)
def mark_late(event: Event):
    def window():
        day = wish_availability.parse_day(event, request.form.get("day", ""))
        preset, at = request.form.get("preset", ""), request.form.get("at", "")
        starts_at, ends_at = wish_availability.preset_window(event, day, preset, at)
        default = {"late": _("Late until %(time)s", time=at.strip()),
                   "absent_from": _("Absent from %(time)s", time=at.strip()),
                   "absent_day": _("Absent all day")}[preset]
        return starts_at, ends_at, False, request.form.get("reason", "").strip() or default
    return _add_change(event, window)


@manage_bp.post("/availability/changes/<int:change_id>/remove")
@requires(Access.ORGANISER)
def remove_change(event: Event, change_id: int):
    try:
        preferences.remove_availability_change(event, change_id, actor_id=current_user.id)
    except DomainError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("The change is removed."), "success")
    return redirect(url_for("wishes_manage.availability", slug=event.slug))


@manage_bp.post("/availability/opt-outs")
@requires(Access.ORGANISER)
def stop_routing(event: Event):
    """An official who will not come at all: their delegation visits without them."""
    try:
        registration, _delegation = wish_availability.find_visitor(event, request.form.get("visitor", ""))
        if registration is None:
            raise wish_board.WishPageError("unknown_visitor", "visitor")
    except DomainError as error:
        return _render_availability(event, error_message(error), 422)
    preferences.set_opt_out(registration, True, actor_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s is no longer routed.", name=registration.person.full_name), "success")
    return redirect(url_for("wishes_manage.availability", slug=event.slug, _anchor="opt-outs"))


@manage_bp.post("/availability/opt-outs/<int:registration_id>/remove")
@requires(Access.ORGANISER)
def route_again(event: Event, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    if preferences.is_opted_out(registration):
        preferences.set_opt_out(registration, False, actor_id=current_user.id)
        db.session.commit()
        flash(_("%(name)s will be routed again.", name=registration.person.full_name), "success")
    else:
        flash(_("%(name)s was already routed.", name=registration.person.full_name), "info")
    return redirect(url_for("wishes_manage.availability", slug=event.slug, _anchor="opt-outs"))
