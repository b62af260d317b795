"""The public program, an attendee's agenda, and the calendar and schedule feeds."""
from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.core.access import Access, requires
from app.core.timefmt import format_day, to_local
from app.events.models import Event, EventStatus
from app.extensions import db
from app.program import agenda, attendance, feeds, subscriptions
from app.program.agenda_sources import agenda_items
from app.program.labels import KIND_NAMES, ROLE_NAMES, SEAT_NAMES
from app.program.models import AgendaEntry, ProgramSession, Room, SeatStatus, SessionKind
from app.program.services import ProgramError
from app.registrations.day_checks import days_text
from app.registrations.models import Registration
from app.registrations.queries import active_registration

bp = Blueprint("program", __name__, template_folder="templates")


@bp.app_context_processor
def labels_context() -> dict:
    return {"KIND_NAMES": KIND_NAMES, "ROLE_LABELS": {r.value: n for r, n in ROLE_NAMES.items()},
            "SEAT_NAMES": SEAT_NAMES}


def _visible(event: Event) -> None:
    if event.status in (EventStatus.DRAFT, EventStatus.ARCHIVED):
        abort(404)


def _my_registration(event: Event) -> Registration | None:
    if not current_user.is_authenticated:
        return None
    return active_registration(event.id, current_user.id)


def _seats_taken(session_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        select(AgendaEntry.session_id, func.count()).where(AgendaEntry.session_id.in_(session_ids or [0]),
                                                           AgendaEntry.seat == SeatStatus.SEATED)
        .group_by(AgendaEntry.session_id)).all())


def _local(value: str, event: Event) -> datetime:
    return to_local(datetime.fromisoformat(value), event.timezone)


@bp.get("/e/<slug>/program")
@requires(Access.PUBLIC)
def index(event: Event):
    _visible(event)
    days = [d.isoformat() for d in event.days]
    day = request.args.get("day", "")
    day = day if day in days else days[0]
    theme, kind, room = request.args.get("theme", ""), request.args.get("kind", ""), request.args.get("room", "")
    rows = []
    for session in feeds.published_sessions(event):
        data = session.published
        start = _local(data["starts_at"], event)
        if start.date().isoformat() != day:
            continue
        if (theme and theme not in data["themes"]) or (kind and data["kind"] != kind) or \
                (room and str(data["room_id"]) != room):
            continue
        rows.append((session, data, start, _local(data["ends_at"], event)))
    taken = _seats_taken([s.id for s, *_ in rows])
    registration = _my_registration(event)
    mine = {e.session_id: e for e in agenda.entries(registration)} if registration else {}
    rooms = db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)).all()
    return render_template("program/index.html", event=event, day=day, rows=rows, taken=taken, mine=mine,
                           filters={"theme": theme, "kind": kind, "room": room}, rooms=rooms, kinds=list(SessionKind),
                           locale=str(get_locale() or "fr"))


def _published(event: Event, session_id: int) -> ProgramSession:
    session = db.session.get(ProgramSession, session_id)
    if session is None or session.event_id != event.id or session.published is None:
        abort(404)
    return session


@bp.get("/e/<slug>/program/<int:session_id>")
@requires(Access.PUBLIC)
def session(event: Event, session_id: int):
    _visible(event)
    row = _published(event, session_id)
    data = row.published
    registration = _my_registration(event)
    entry = None
    if registration is not None:
        entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.session_id == row.id,
                                                            AgendaEntry.registration_id == registration.id))
    taken = _seats_taken([row.id]).get(row.id, 0)
    return render_template("program/session.html", event=event, row=row, data=data, registration=registration,
                           entry=entry, position=agenda.position_in_line(entry) if entry else None,
                           seats_left=None if row.seat_limit is None else max(0, row.seat_limit - taken),
                           off_day=attendance.day_not_attended(registration, row) if registration else None,
                           my_days=days_text(registration) if registration else "",
                           start=_local(data["starts_at"], event), end=_local(data["ends_at"], event),
                           locale=str(get_locale() or "fr"))


@bp.post("/e/<slug>/program/<int:session_id>/agenda")
@requires(Access.ATTENDEE)
def add_to_agenda(event: Event, session_id: int):
    registration = _my_registration(event)
    try:
        entry = agenda.add(session_id, registration)
    except ProgramError as error:
        message = {"unknown_session": _("This session is not in the programme."),
                   "session_cancelled": _("This session is cancelled.")}.get(error.code, error.code)
        abort(404 if error.code == "unknown_session" else 409, message)
    if entry.seat == SeatStatus.WAITING:
        flash(_("The workshop is full: you are on the waiting list, and will get an e-mail if a seat frees up."), "info")
    elif entry.seat == SeatStatus.SEATED:
        flash(_("Your seat is booked."), "success")
    else:
        flash(_("Added to your agenda."), "success")
    clashes = agenda.overlaps(agenda.entries(registration))
    if session_id in clashes:
        flash(_("Careful: this session overlaps another one in your agenda."), "error")
    off_day = attendance.day_not_attended(registration, entry.session)
    if off_day is not None:
        flash(_("Careful: this session is on %(day)s, a day you did not register for (you registered for %(days)s).",
                day=format_day(off_day, "day"), days=days_text(registration)), "warning")
    return redirect(request.form.get("next") if (request.form.get("next") or "").startswith("/e/")
                    else url_for("program.session", slug=event.slug, session_id=session_id))


@bp.post("/e/<slug>/program/<int:session_id>/agenda/remove")
@requires(Access.ATTENDEE)
def remove_from_agenda(event: Event, session_id: int):
    registration = _my_registration(event)
    if not agenda.remove(session_id, registration):
        abort(404)
    flash(_("Removed from your agenda."), "success")
    return redirect(url_for("program.my_agenda", slug=event.slug))


@bp.get("/e/<slug>/agenda")
@requires(Access.ATTENDEE)
def my_agenda(event: Event):
    registration = _my_registration(event)
    if registration is None:
        abort(403)
    token = subscriptions.issue_feed_token(registration)
    items = agenda.entries(registration)
    return render_template("program/agenda.html", event=event, registration=registration, items=items,
                           timeline=agenda.timeline(items, agenda_items(registration)),
                           clashes=agenda.overlaps(items), off_days=attendance.off_day_entries(registration, items),
                           my_days=days_text(registration),
                           positions={e.id: agenda.position_in_line(e) for e in items}, token=token,
                           locale=str(get_locale() or "fr"))


@bp.post("/e/<slug>/agenda/feed/renew")
@requires(Access.ATTENDEE)
def renew_feed(event: Event):
    registration = _my_registration(event)
    if registration is None:
        abort(403)
    subscriptions.renew_feed_token(registration, actor_id=current_user.id)
    flash(_("Your calendar link is renewed; the old one no longer works."), "success")
    return redirect(url_for("program.my_agenda", slug=event.slug))


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/e/<slug>/agenda.ics")
@requires(Access.ATTENDEE)
def my_agenda_ics(event: Event):
    registration = _my_registration(event)
    if registration is None:
        abort(403)
    return _ics(feeds.personal_ics(registration, str(get_locale() or "fr")), f"{event.slug}-agenda.ics")


@bp.get("/ical/<token>.ics")
@requires(Access.PUBLIC)
def feed(token: str):
    registration = feeds.registration_for_token(token)
    if registration is None:
        abort(404)
    return _ics(feeds.personal_ics(registration, registration.person.locale), f"{registration.event.slug}.ics")


@bp.get("/e/<slug>/program.ics")
@requires(Access.PUBLIC)
def program_ics(event: Event):
    _visible(event)
    return _ics(feeds.program_ics(event, str(get_locale() or "fr")), f"{event.slug}-program.ics")


@bp.get("/e/<slug>/schedule.xml")
@requires(Access.PUBLIC)
def frab_xml(event: Event):
    _visible(event)
    return Response(feeds.frab_xml(event), mimetype="application/xml")


@bp.get("/e/<slug>/schedule.json")
@requires(Access.PUBLIC)
def frab_json(event: Event):
    _visible(event)
    return Response(json.dumps(feeds.frab_json(event), ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get("/e/<slug>/program.csv")
@requires(Access.PUBLIC)
def program_csv(event: Event):
    _visible(event)
    return Response(feeds.program_csv(event, str(get_locale() or "fr")), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-program.csv"'})
