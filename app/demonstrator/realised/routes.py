"""Organisers' pages: the published visit plan against the stands' badge scans (planned versus realised)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import format_percent
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.charts import Series, bar_chart, ranking_chart
from app.core.sentences import gettext as _
from app.core.timefmt import format_day, format_span, to_local
from app.demonstrator.realised import report as realised
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


def _rate_chart(title: str, rows: list[tuple[str, realised.Tally]], key: str, labels: list[str] | None = None):
    """Bars of the realisation rate (percent of the planned meetings realised), one per row; the page lists the
    same rows in a table (realised, planned, rate)."""
    planned = sum(t.planned for _label, t in rows)
    done = sum(t.realised for _label, t in rows)
    summary = _("%(realised)d of %(planned)d planned meetings realised (%(rate)s)", realised=done, planned=planned,
                rate=rate_percent(done / planned if planned else None))
    return bar_chart(title, labels or [label for label, _t in rows],
                     [Series(_("Realisation rate"), [round(100 * (t.rate or 0), 1) for _label, t in rows])],
                     width=min(640, max(320, 90 + 64 * len(rows))), height=240, summary=summary, key=key)


def _charts(event: Event, full: realised.Report, shown: realised.Report) -> dict:
    """The charts of the index page and the rows they draw (label, tally), which the page lists in tables."""
    several_days = len({d for d, _t in full.by_day()}) > 1 and shown is full
    days = [(_short_day(d), t) for d, t in full.by_day() if t.planned]
    slots, short_labels = [], []
    for slot, t in shown.by_slot():
        if slot is None:
            label = _("Outside the slots")
            short_labels.append(label)
        else:
            start = to_local(slot.starts_at, event.timezone)
            label = format_span(slot.starts_at, slot.ends_at, event.timezone)
            if several_days:
                label = f"{format_day(start.date(), 'weekday')} {label}"
                # Under the bar, the day and the start only: short enough to stand there.
                short_labels.append(f"{format_day(start.date(), 'weekday')} {start:%H:%M}")
        slots.append((label, t))
    hours = [(f"{format_day(day, 'weekday')} {hour:02d}:00" if several_days else f"{hour:02d}:00", t)
             for day, hour, t in shown.by_hour()]
    ranked = [(sid, shown.names.startup(sid), t) for sid, t in shown.by_startup() if t.planned][:CHART_STARTUPS]
    rank = ranking_chart(
        _("Startups by realised meetings, against their planned meetings"), [name for _sid, name, _t in ranked],
        [Series(_("Planned"), [t.planned for _sid, _n, t in ranked]),
         Series(_("Realised"), [t.realised for _sid, _n, t in ranked])], key="rank") if ranked else None
    return {"days": days, "slots": slots, "hours": hours, "ranked": ranked,
            "day_chart": _rate_chart(_("Realisation rate by day"), days, "by-day") if len(days) > 1 else None,
            "slot_chart": _rate_chart(_("Realisation rate by tour slot"), slots, "by-slot",
                                     short_labels if several_days else None) if slots else None,
            "hour_chart": _rate_chart(_("Realisation rate by hour"), hours, "by-hour") if hours else None,
            "rank": rank}


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
