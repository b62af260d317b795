"""Organisers' pages: the published visit plan against the stands' badge scans (planned versus realised)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import format_percent
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.core.timefmt import format_day, format_moment, format_span
from app.demonstrator.realised import report as realised
from app.demonstrator.realised.charts import rank_chart, rate_chart
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.leads.services import stand_name
from app.registrations.models import Delegation, Registration

bp = Blueprint("realised", __name__, url_prefix="/manage/e/<slug>/demonstrator/realised",
               template_folder="templates")

#: Startups drawn in the ranking chart (the table below it lists them all).
CHART_STARTUPS = 20


@bp.app_template_filter("rate_percent")
def rate_percent(rate: float | None) -> str:
    return "—" if rate is None else format_percent(rate)


def _selected_day(event: Event) -> tuple[date | None, str | None]:
    """The ?day= filter, or an error naming what is wrong with it."""
    raw = request.args.get("day", "").strip()
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, _("“%(day)s” is not a date: choose one of the days below.", day=raw[:40])
    if day not in event.days:
        return None, _("%(day)s is not a day of this edition: choose one of the days below.",
                       day=format_day(day, "date"))
    return day, None


def _short_day(day: date) -> str:
    return format_day(day, "day_short")


def _rate_title(label: str, t: realised.Tally) -> str:
    return _("%(label)s: %(realised)d of %(planned)d planned meetings realised (%(rate)s)",
             label=label, realised=t.realised, planned=t.planned, rate=rate_percent(t.rate))


def _charts(event: Event, full: realised.Report, shown: realised.Report) -> dict:
    days = [(_short_day(d), "", t, _rate_title(_short_day(d), t), False) for d, t in full.by_day() if t.planned]
    slots = []
    for slot, t in shown.by_slot():
        if slot is None:
            label, sub = _("Outside"), _("the slots")
        else:
            label = format_span(slot.starts_at, slot.ends_at, event.timezone)
            sub = format_moment(slot.starts_at, event.timezone, "day_short")
        slots.append((label, sub, t, _rate_title(f"{sub} {label}", t), False))
    hours, previous = [], None
    for day, hour, t in shown.by_hour():
        label = f"{hour:02d}:00"
        hours.append((label, _short_day(day) if day != previous else "", t,
                      _rate_title(f"{_short_day(day)} {label}", t), day != previous))
        previous = day
    ranked = [(sid, shown.names.startup(sid), t) for sid, t in shown.by_startup() if t.planned][:CHART_STARTUPS]
    return {"day_chart": rate_chart(days, band=84) if days else None,
            "slot_chart": rate_chart(slots, band=96) if slots else None,
            "hour_chart": rate_chart(hours) if hours else None, "rank": rank_chart(ranked) if ranked else None}


def _page(template: str, event: Event, status: int = 200, **context):
    day, day_error = _selected_day(event)
    full = realised.report(event)
    shown = full.on(day)
    return render_template(template, event=event, full=full, report=shown, day=day, day_error=day_error,
                           tolerance=int(realised.TOLERANCE.total_seconds() // 60),
                           **{k: (v(full, shown) if callable(v) else v) for k, v in context.items()}), \
        (400 if day_error else status)


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    return _page("demonstrator/realised_index.html", event, charts=lambda full, shown: _charts(event, full, shown))


@bp.get("/startups/<int:startup_id>")
@requires(Access.ORGANISER)
def startup(event: Event, startup_id: int):
    registration = db.session.get(Registration, startup_id)
    if registration is None or registration.event_id != event.id or \
            registration.category.code != CategoryCode.STARTUP:
        abort(404)
    return _page("demonstrator/realised_startup.html", event, startup=registration, title=stand_name(registration),
                 visits=lambda full, shown: shown.visits_of_startup(startup_id),
                 unplanned=lambda full, shown: shown.unplanned_of_startup(startup_id),
                 tally=lambda full, shown: realised.tally(shown.visits_of_startup(startup_id),
                                                          shown.unplanned_of_startup(startup_id)))


@bp.get("/officials/<int:registration_id>")
@requires(Access.ORGANISER)
def official(event: Event, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return _page("demonstrator/realised_visitor.html", event, person=registration, delegation=None,
                 title=registration.person.full_name,
                 members=[registration],
                 visits=lambda full, shown: shown.visits_of_person(registration_id),
                 unplanned=lambda full, shown: shown.unplanned_of_people([registration_id]),
                 tally=lambda full, shown: realised.tally(shown.visits_of_person(registration_id),
                                                          shown.unplanned_of_people([registration_id])))


@bp.get("/delegations/<int:delegation_id>")
@requires(Access.ORGANISER)
def delegation(event: Event, delegation_id: int):
    group = db.session.get(Delegation, delegation_id)
    if group is None or group.event_id != event.id:
        abort(404)
    members = list(db.session.scalars(select(Registration).where(Registration.delegation_id == group.id)
                                      .order_by(Registration.protocol_rank, Registration.id)))
    ids = [m.id for m in members]
    return _page("demonstrator/realised_visitor.html", event, person=None, delegation=group, members=members,
                 title=group.name, member_rows=lambda full, shown: _member_rows(shown, group.id, members),
                 visits=lambda full, shown: shown.visits_of_delegation(delegation_id),
                 unplanned=lambda full, shown: shown.unplanned_of_people(ids),
                 tally=lambda full, shown: realised.tally(shown.visits_of_delegation(delegation_id),
                                                          shown.unplanned_of_people(ids)))


def _member_rows(shown: realised.Report, delegation_id: int,
                 members: list[Registration]) -> list[tuple[Registration, int, int]]:
    """Each member: at how many of the delegation's planned visits they were scanned; their unplanned meetings."""
    visits = shown.visits_of_delegation(delegation_id)
    return [(member, sum(1 for v in visits if member.id in v.people_scanned),
             len(shown.unplanned_of_people([member.id]))) for member in members]
