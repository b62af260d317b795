"""The organiser's view of when each visitor can be routed: free windows, manual changes, the on-the-day
presets (late, absent) and the people who are not routed."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.domain import DomainError
from app.core.params import query_int
from app.core.timefmt import format_moment, local_to_utc, to_local, utcnow
from app.demonstrator.wishes import availability as visitor_availability
from app.demonstrator.wishes import board, services
from app.demonstrator.wishes.routes import error_message, manage_bp
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration


# -- organisers: availability ----------------------------------------------------------------------

def _default_day(event: Event) -> date:
    today = to_local(utcnow(), event.timezone).date()
    return today if today in event.days else event.days[0]


#: Visitors shown at once (the demo summit routes ~300; the search finds any of them).
ROWS_PER_PAGE = 50


def _render_availability(event: Event, error: str | None = None, status: int = 200, form: dict | None = None):
    rows, other_changes = visitor_availability.availability_rows(event)
    query = request.args.get("q", "").strip()
    shown = [row for row in rows if row.matches(query)] if query else rows
    num_pages = max(1, -(-len(shown) // ROWS_PER_PAGE))
    page = query_int(request.args, "page", default=1, high=10_000)
    # After a change, the page that holds the visitor's row (the redirect names it).
    at = next((i for i, row in enumerate(shown) if row.unit.key == request.args.get("at")), None)
    page = min(at // ROWS_PER_PAGE + 1 if at is not None else page, num_pages)
    candidates = sorted((m for row in rows for m in row.unit.members),
                        key=lambda r: (r.person.last_name.casefold(), r.person.first_name.casefold()))
    return render_template(
        "demonstrator/wishes_availability.html", event=event, rows=rows, shown=shown, query=query,
        page_rows=shown[(page - 1) * ROWS_PER_PAGE:page * ROWS_PER_PAGE], page=page, num_pages=num_pages,
        first=(page - 1) * ROWS_PER_PAGE,
        other_changes=other_changes,
        opted_out=visitor_availability.opted_out(event), candidates=candidates, default_day=_default_day(event),
        error=error, form=form or {}), status


@manage_bp.get("/availability")
@requires(Access.ORGANISER)
def availability(event: Event):
    return _render_availability(event)


def _add_change(event: Event, window_of) -> object:
    """Parse the visitor, let `window_of()` make the window, store the change; a refusal re-renders with 422."""
    who = None
    try:
        registration, delegation = visitor_availability.find_visitor(event, request.form.get("visitor", ""))
        who = delegation.name if delegation else registration.person.full_name
        starts_at, ends_at, available, reason = window_of()
        services.change_availability(event, starts_at=starts_at, ends_at=ends_at, available=available,
                                        registration=registration, delegation=delegation, reason=reason,
                                        actor_id=current_user.id)
    except DomainError as error:
        message = error_message(error)
        if who:
            message = _("%(who)s: %(message)s", who=who, message=message)
        return _render_availability(event, message, 422, form=request.form)
    tz = event.timezone
    same_day = to_local(starts_at, tz).date() == to_local(ends_at, tz).date()
    span = {"who": who, "start": format_moment(starts_at, tz, "moment_weekday"),
            "end": format_moment(ends_at, tz, "time" if same_day else "moment_weekday")}
    flash(_("%(who)s: open %(start)s–%(end)s.", **span) if available else
          _("%(who)s: blocked %(start)s–%(end)s.", **span), "success")
    row = _row_key(registration, delegation)
    return redirect(url_for("wishes_manage.availability", slug=event.slug, q=request.form.get("q") or None,
                            at=row, _anchor=row))


def _row_key(registration: Registration | None, delegation) -> str:
    """The availability table's row of a change: a delegation's row holds its members' changes too."""
    if delegation is not None:
        return f"d{delegation.id}"
    return f"d{registration.delegation_id}" if registration.delegation_id else f"r{registration.id}"


@manage_bp.post("/availability/changes")
@requires(Access.ORGANISER)
def add_change(event: Event):
    def window():
        day = visitor_availability.parse_day(event, request.form.get("day", ""))
        start = visitor_availability.parse_time(request.form.get("start", ""), "start")
        end = visitor_availability.parse_time(request.form.get("end", ""), "end")
        kind = request.form.get("available", "")
        if kind not in ("0", "1"):
            raise board.WishPageError("bad_available", "available")
        return (local_to_utc(day, start, event.timezone), local_to_utc(day, end, event.timezone), kind == "1",
                request.form.get("reason", ""))
    return _add_change(event, window)


@manage_bp.post("/availability/on-the-day")
@requires(Access.ORGANISER)
def mark_late(event: Event):
    def window():
        day = visitor_availability.parse_day(event, request.form.get("day", ""))
        preset, at = request.form.get("preset", ""), request.form.get("at", "")
        starts_at, ends_at = visitor_availability.preset_window(event, day, preset, at)
        default = {"late": _("Late until %(time)s", time=at.strip()),
                   "absent_from": _("Absent from %(time)s", time=at.strip()),
                   "absent_day": _("Absent all day")}[preset]
        return starts_at, ends_at, False, request.form.get("reason", "").strip() or default
    return _add_change(event, window)


@manage_bp.post("/availability/changes/<int:change_id>/remove")
@requires(Access.ORGANISER)
def remove_change(event: Event, change_id: int):
    try:
        services.remove_availability_change(event, change_id, actor_id=current_user.id)
    except DomainError:
        abort(404)
    flash(_("The change is removed."), "success")
    return redirect(url_for("wishes_manage.availability", slug=event.slug))


@manage_bp.post("/availability/opt-outs")
@requires(Access.ORGANISER)
def stop_routing(event: Event):
    """An official who will not come at all: their delegation visits without them."""
    try:
        registration, _delegation = visitor_availability.find_visitor(event, request.form.get("visitor", ""))
        if registration is None:
            raise board.WishPageError("unknown_visitor", "visitor")
    except DomainError as error:
        return _render_availability(event, error_message(error), 422)
    services.set_opt_out(registration, True, actor_id=current_user.id)
    flash(_("%(name)s is no longer routed.", name=registration.person.full_name), "success")
    return redirect(url_for("wishes_manage.availability", slug=event.slug, _anchor="opt-outs"))


@manage_bp.post("/availability/opt-outs/<int:registration_id>/remove")
@requires(Access.ORGANISER)
def route_again(event: Event, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    if services.is_opted_out(registration):
        services.set_opt_out(registration, False, actor_id=current_user.id)
        flash(_("%(name)s will be routed again.", name=registration.person.full_name), "success")
    else:
        flash(_("%(name)s was already routed.", name=registration.person.full_name), "info")
    return redirect(url_for("wishes_manage.availability", slug=event.slug, _anchor="opt-outs"))
