"""The organiser's visit windows (tour slots) and the planning settings of the demonstrator."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.timefmt import local_to_utc, to_local
from app.demonstrator.hall import calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.forms import SETTINGS_HELP, SettingsForm, SlotForm, day_choices
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.hall.routes import bp, found_or_404, refuse
from app.demonstrator.hall.services import HallError, SettingsInput
from app.events.models import Event


# Settings -----------------------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def settings(event: Event):
    hall = get_hall(event)
    form = SettingsForm(obj=hall) if request.method == "GET" else SettingsForm()
    if form.validate_on_submit():
        try:
            hall_services.update_settings(event, SettingsInput(**{
                name: getattr(form, name).data for name in SettingsInput.__dataclass_fields__}),
                actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "width")
        else:
            flash(_("The settings are saved."), "success")
            return redirect(url_for("hall.settings", slug=event.slug))
    return render_template("demonstrator/hall_settings.html", event=event, form=form, help=SETTINGS_HELP), \
        422 if request.method == "POST" else 200


# Tour slots ---------------------------------------------------------------------------------------------


def _slot_form(event: Event, **kwargs) -> SlotForm:
    form = SlotForm(**kwargs)
    form.day.choices = day_choices(event)
    return form


def _slots_page(event: Event, form=None, status: int = 200):
    by_day: dict[date, list] = defaultdict(list)
    for slot in calendar.tour_slots(event):
        by_day[to_local(slot.starts_at, event.timezone).date()].append(slot)
    days = sorted(set(event.days) | set(by_day))
    return render_template("demonstrator/hall_slots.html", event=event, days=days, by_day=by_day,
                           form=form or _slot_form(event, formdata=None)), status


@bp.get("/slots")
@requires(Access.ORGANISER)
def slots(event: Event):
    return _slots_page(event)


@bp.post("/slots")
@requires(Access.ORGANISER)
def slot_add(event: Event):
    form = _slot_form(event)
    if form.validate_on_submit():
        day = date.fromisoformat(form.day.data)
        try:
            calendar.add_tour_slot(event, local_to_utc(day, form.start.data, event.timezone),
                                   local_to_utc(day, form.end.data, event.timezone), form.label.data or "",
                                   label_en=form.label_en.data or "", actor_id=current_user.id)
        except HallError as error:
            refuse(form, error, event, "end" if error.code == "ends_before_start" else "start")
        else:
            flash(_("The tour slot is added."), "success")
            return redirect(url_for("hall.slots", slug=event.slug))
    return _slots_page(event, form, 422)


@bp.post("/slots/<int:slot_id>/remove")
@requires(Access.ORGANISER)
def slot_remove(event: Event, slot_id: int):
    slot = found_or_404(calendar.get_slot, event, slot_id)
    calendar.remove_slot(event, slot, actor_id=current_user.id)
    flash(_("The tour slot is removed."), "success")
    return redirect(url_for("hall.slots", slug=event.slug))
