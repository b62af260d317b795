"""The organiser's layout of the demonstrator: the hall plan, stands, entrances, who holds which stand when
and closures (the tour slots and the planning settings are in settings_routes.py)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from wtforms import Field

from app.core.access import Access, requires
from app.core.sentences import gettext as _, ngettext
from app.core.timefmt import format_day, format_span, local_to_utc, to_local
from app.demonstrator.hall import calendar, drawing
from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.forms import (BookingForm, ClosureForm, EntranceForm, ImageForm, day_choices,
                                         error_message, shown, stand_form)
from app.demonstrator.hall.models import Stand
from app.demonstrator.hall.queries import confirmed_startups, entrances, get_hall, startup_name
from app.demonstrator.hall.services import HallError, StandInput
from app.events.models import Event

bp = Blueprint("hall", __name__, url_prefix="/manage/e/<slug>/demonstrator", template_folder="templates")

@bp.app_template_filter("metres")
def metres_filter(value: float) -> str:
    return shown(value)


@bp.app_template_filter("holdings")
def holdings(stand: Stand, tz_name: str) -> list[tuple[str, str]]:
    """Who holds `stand` and when, one line per startup: days that share hours are listed together."""
    by_startup: dict[str, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for booking in stand.bookings:
        hours = format_span(booking.starts_at, booking.ends_at, tz_name)
        by_startup[startup_name(booking.registration)][hours].append(to_local(booking.starts_at, tz_name).date())
    return [(name, " · ".join(", ".join(format_day(d, "weekday") for d in days) + f" {hours}"
                              for hours, days in periods.items()))
            for name, periods in sorted(by_startup.items(), key=lambda item: item[0].lower())]


def _locale() -> str:
    return str(get_locale() or "fr")


def refuse(form, error: HallError, event: Event, default: str, subject: str = "stand") -> None:
    """Show a refusal next to the field at fault (or the form's first field); the service stored nothing."""
    target = getattr(form, error.field, None) if error.field else None
    if not isinstance(target, Field):
        target = getattr(form, default)
    target.errors = list(target.errors) + [error_message(error, event, subject)]


def _stand_or_404(event: Event, stand_id: int) -> Stand:
    try:
        return hall_services.get_stand(event, stand_id)
    except HallError:
        abort(404)


def found_or_404(getter: Callable, event: Event, object_id: int):
    try:
        return getter(event, object_id)
    except HallError:
        abort(404)


# The hall page -------------------------------------------------------------------------------------------


def _hall_page(event: Event, *, form=None, entrance_form=None, image_form=None, status: int = 200):
    locale = _locale()
    form = form or stand_form(event, locale, formdata=None)
    plan = drawing.plan(event, locale, request.args.get("colour"))
    return render_template(
        "demonstrator/hall_index.html", event=event, hall=get_hall(event), plan=plan, form=form,
        entrance_form=entrance_form or EntranceForm(formdata=None, prefix="entrance"),
        image_form=image_form or ImageForm(formdata=None),
        entrances=entrances(event), startups_left=len(calendar.startups_without_stand(event)), edit=None), status


@bp.get("/hall")
@requires(Access.ORGANISER)
def index(event: Event):
    return _hall_page(event)


def _stand_input(form) -> StandInput:
    return StandInput(number=form.number.data or "", x=form.x.data, y=form.y.data, width=form.width.data,
                      depth=form.depth.data, zone=form.zone.data or "", zone_en=form.zone_en.data or "",
                      theme_id=int(form.theme_id.data) if (form.theme_id.data or "").isdigit() else None,
                      capacity=form.capacity.data, visit_minutes=form.visit_minutes.data,
                      min_visits=form.min_visits.data, max_visits=form.max_visits.data)


@bp.post("/hall/stands")
@requires(Access.ORGANISER)
def stand_add(event: Event):
    form = stand_form(event, _locale())
    if form.validate_on_submit():
        try:
            stand = hall_services.save_stand(event, _stand_input(form), actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "number")
        else:
            flash(_("Stand %(number)s is placed.", number=stand.number), "success")
            return redirect(url_for("hall.index", slug=event.slug, _anchor="plan"))
    return _hall_page(event, form=form, status=422)


# One stand: its settings, who holds it, when it is closed ----------------------------------------------


def _stand_page(event: Event, stand: Stand, *, form=None, booking_form=None, closure_form=None, status: int = 200):
    locale = _locale()
    if form is None:
        form = stand_form(event, locale, formdata=None, obj=stand)
        form.theme_id.data = str(stand.theme_id or "")
    return render_template(
        "demonstrator/hall_stand.html", event=event, stand=stand, form=form,
        booking_form=booking_form or _booking_form(event, formdata=None),
        closure_form=closure_form or _closure_form(event, formdata=None),
        plan=drawing.plan(event, locale, request.args.get("colour")), hall=get_hall(event),
        entrances=entrances(event),
        edit=stand), status


def _booking_form(event: Event, **kwargs) -> BookingForm:
    form = BookingForm(**kwargs)
    form.registration_id.choices = [("", "—")] + [(str(s.id), startup_name(s))
                                                  for s in confirmed_startups(event)]
    form.day.choices = day_choices(event, whole_edition=_("Every day of the edition"))
    return form


def _closure_form(event: Event, **kwargs) -> ClosureForm:
    form = ClosureForm(**kwargs)
    form.day.choices = day_choices(event)
    return form


@bp.route("/hall/stands/<int:stand_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def stand(event: Event, stand_id: int):
    stand = _stand_or_404(event, stand_id)
    if request.method == "GET":
        return _stand_page(event, stand)
    form = stand_form(event, _locale())
    if form.validate_on_submit():
        try:
            hall_services.save_stand(event, _stand_input(form), stand=stand, actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "number")
            stand = _stand_or_404(event, stand_id)
        else:
            flash(_("Stand %(number)s is saved.", number=stand.number), "success")
            return redirect(url_for("hall.index", slug=event.slug, _anchor="stands"))
    return _stand_page(event, stand, form=form, status=422)


@bp.post("/hall/stands/<int:stand_id>/bookings")
@requires(Access.ORGANISER)
def stand_book(event: Event, stand_id: int):
    stand = _stand_or_404(event, stand_id)
    form = _booking_form(event)
    if form.validate_on_submit():
        startup = next((s for s in confirmed_startups(event) if str(s.id) == form.registration_id.data), None)
        days = [date.fromisoformat(form.day.data)] if form.day.data else event.days
        try:
            if startup is None:
                raise HallError("not_a_startup", "registration_id")
            calendar.book(event, stand, startup, days, form.start.data, form.end.data, actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "registration_id")
            stand = _stand_or_404(event, stand_id)
        else:
            flash(_("Stand %(stand)s is booked for %(startup)s.", stand=stand.number,
                    startup=startup_name(startup)), "success")
            return redirect(url_for("hall.stand", slug=event.slug, stand_id=stand.id, _anchor="bookings"))
    return _stand_page(event, stand, booking_form=form, status=422)


@bp.post("/hall/stands/<int:stand_id>/closures")
@requires(Access.ORGANISER)
def stand_close(event: Event, stand_id: int):
    stand = _stand_or_404(event, stand_id)
    form = _closure_form(event)
    if form.validate_on_submit():
        day = date.fromisoformat(form.day.data)
        try:
            calendar.close_stand(event, stand, local_to_utc(day, form.start.data, event.timezone),
                                 local_to_utc(day, form.end.data, event.timezone), form.reason.data or "",
                                 actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "end" if error.code == "ends_before_start" else "day")
            stand = _stand_or_404(event, stand_id)
        else:
            flash(_("Stand %(stand)s is closed at that time.", stand=stand.number), "success")
            return redirect(url_for("hall.stand", slug=event.slug, stand_id=stand.id, _anchor="closures"))
    return _stand_page(event, stand, closure_form=form, status=422)


@bp.post("/hall/stands/<int:stand_id>/remove")
@requires(Access.ORGANISER)
def stand_remove(event: Event, stand_id: int):
    stand = _stand_or_404(event, stand_id)
    number = stand.number
    hall_services.delete_stand(event, stand, actor_id=current_user.id)
    flash(_("Stand %(number)s is deleted.", number=number), "success")
    return redirect(url_for("hall.index", slug=event.slug, _anchor="stands"))


@bp.post("/hall/bookings/<int:booking_id>/remove")
@requires(Access.ORGANISER)
def booking_remove(event: Event, booking_id: int):
    booking = found_or_404(calendar.get_booking, event, booking_id)
    stand_id = booking.stand_id
    calendar.unbook(event, booking, actor_id=current_user.id)
    flash(_("The booking is removed."), "success")
    return redirect(url_for("hall.stand", slug=event.slug, stand_id=stand_id, _anchor="bookings"))


@bp.post("/hall/closures/<int:closure_id>/remove")
@requires(Access.ORGANISER)
def closure_remove(event: Event, closure_id: int):
    closure = found_or_404(calendar.get_closure, event, closure_id)
    stand_id = closure.stand_id
    calendar.remove_closure(event, closure, actor_id=current_user.id)
    flash(_("The closure is removed."), "success")
    return redirect(url_for("hall.stand", slug=event.slug, stand_id=stand_id, _anchor="closures"))


@bp.post("/hall/assign-free-stands")
@requires(Access.ORGANISER)
def assign_free(event: Event):
    result = calendar.assign_free_stands(event, actor_id=current_user.id)
    message = ngettext("%(num)d startup got a free stand for the whole edition.",
                       "%(num)d startups got a free stand for the whole edition.", result.assigned)
    if result.left_without:
        message += " " + ngettext("%(num)d startup is still without a stand: add stands.",
                                  "%(num)d startups are still without a stand: add stands.", result.left_without)
    flash(message, "success" if not result.left_without else "error")
    return redirect(url_for("hall.index", slug=event.slug, _anchor="stands"))


# Entrances and the floor plan image ---------------------------------------------------------------------


@bp.post("/hall/entrances")
@requires(Access.ORGANISER)
def entrance_save(event: Event):
    form = EntranceForm(prefix="entrance")
    if form.validate_on_submit():
        try:
            entrance = hall_services.save_entrance(event, form.name.data, form.x.data, form.y.data,
                                                   name_en=form.name_en.data or "", actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "name", subject="entrance")
        else:
            flash(_("The entrance %(name)s is saved.", name=entrance.name), "success")
            return redirect(url_for("hall.index", slug=event.slug, _anchor="entrances"))
    return _hall_page(event, entrance_form=form, status=422)


@bp.post("/hall/entrances/<int:entrance_id>/remove")
@requires(Access.ORGANISER)
def entrance_remove(event: Event, entrance_id: int):
    entrance = found_or_404(hall_services.get_entrance, event, entrance_id)
    hall_services.remove_entrance(event, entrance, actor_id=current_user.id)
    flash(_("The entrance is removed."), "success")
    return redirect(url_for("hall.index", slug=event.slug, _anchor="entrances"))


@bp.get("/hall/image")
@requires(Access.ORGANISER)
def image(event: Event):
    hall = get_hall(event)
    if not hall.image:
        abort(404)
    response = Response(hall.image, mimetype=hall.image_type)
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    response.set_etag(f"{hall.id}-{hall.updated_at:%Y%m%d%H%M%S%f}")
    return response.make_conditional(request)


@bp.post("/hall/image")
@requires(Access.ORGANISER)
def image_upload(event: Event):
    form = ImageForm()
    if form.validate_on_submit():
        upload = form.image.data
        try:
            if not upload or not getattr(upload, "filename", ""):
                raise HallError("no_image", "image")
            hall_services.set_image(event, upload.read(hall_services.MAX_IMAGE_BYTES + 1), actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "image")
        else:
            flash(_("The floor plan is shown behind the stands."), "success")
            return redirect(url_for("hall.index", slug=event.slug, _anchor="plan"))
    return _hall_page(event, image_form=form, status=422)


@bp.post("/hall/image/remove")
@requires(Access.ORGANISER)
def image_remove(event: Event):
    hall_services.remove_image(event, actor_id=current_user.id)
    flash(_("The floor plan image is removed."), "success")
    return redirect(url_for("hall.index", slug=event.slug, _anchor="plan"))
