"""The organiser's program editor: rooms, sessions, the grid with its warnings, publication."""
from __future__ import annotations

import re
from datetime import date, time

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.core.timefmt import to_local
from app.events.models import Event
from app.extensions import db
from app.core.converters import ID_MAX
from app.core.params import parse_int
from app.program import services, speakers
from app.program.forms import RoomForm, offer_speakers, session_form
from app.program.grid import build_grid
from app.program.labels import CONFLICT_MESSAGES
from app.program.models import ProgramPublication, ProgramSession, Room, SessionKind, SpeakerRole

bp = Blueprint("program_manage", __name__, url_prefix="/manage/e/<slug>/program", template_folder="templates")

AVAILABILITY_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def error_message(error: services.ProgramError) -> str:
    return {
        "required": _("This field is required."),
        "room_exists": _("Another room of this edition has this name."),
        "bad_capacity": _("The capacity must be at least 1."),
        "day_outside": _("%(day)s is not a day of this edition.", day=error.params.get("day", "")),
        "ends_before_start": _("The end must come after the start."),
        "room_of_other_event": _("This room does not belong to this edition."),
        "bad_seat_limit": _("The seat limit must be at least 1."),
        "seat_limit_below_taken": _("%(taken)d seats are already taken: the limit cannot be lower.",
                                    taken=error.params.get("taken", 0)),
        "unknown_theme": _("Unknown theme."),
        "speaker_twice": _("The same person is listed twice."),
        "speaker_not_registered": _("A speaker must be registered for this edition."),
        "bad_availability": _("Line %(line)s: write a day and hours, like 2027-06-02 08:30-18:00.",
                              line=error.params.get("line", 0)),
    }.get(error.code, error.code)


def conflict_message(conflict) -> str:
    return str(CONFLICT_MESSAGES.get(conflict.code, conflict.code)) % {
        "room": conflict.params.get("room", ""), "speaker": conflict.params.get("speaker", ""),
        "seats": conflict.params.get("seats", ""), "capacity": conflict.params.get("capacity", "")}


def parse_availability(text: str) -> list[tuple[date, time, time]]:
    windows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = AVAILABILITY_LINE.match(line)
        try:
            if not match:
                raise ValueError
            windows.append((date.fromisoformat(match[1]), time.fromisoformat(match[2].zfill(5)),
                            time.fromisoformat(match[3].zfill(5))))
        except ValueError as exc:
            raise services.ProgramError("bad_availability", "availability", line=number) from exc
    return windows


def _rooms(event: Event) -> list[Room]:
    return list(db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)))


@bp.get("/")
@requires(Access.ORGANISER)
def grid(event: Event):
    day = request.args.get("day", "")
    days = [d.isoformat() for d in event.days]
    day = day if day in days else days[0]
    sessions = services.draft_sessions(event)
    conflicts = services.conflicts(event, sessions)
    rooms = _rooms(event)
    flagged = {sid for c in conflicts for sid in c.session_ids}
    return render_template(
        "program/grid.html", event=event, day=day, day_date=date.fromisoformat(day), days=event.days, rooms=rooms,
        grid=build_grid(event, rooms, sessions, date.fromisoformat(day), flagged),
        conflicts=[(c, conflict_message(c)) for c in conflicts],
        titles={s.id: s.title_fr for s in sessions}, pending=len(services.pending_changes(event, sessions)),
        last=db.session.scalar(select(ProgramPublication).where(ProgramPublication.event_id == event.id)
                               .order_by(ProgramPublication.id.desc()).limit(1)))


@bp.route("/rooms", methods=["GET", "POST"])
@bp.route("/rooms/<int:room_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def rooms(event: Event, room_id: int | None = None):
    room = None
    if room_id is not None:
        room = db.session.get(Room, room_id)
        if room is None or room.event_id != event.id:
            abort(404)
    form = RoomForm(obj=room)
    if request.method == "GET" and room is not None:
        form.availability.data = "\n".join(
            f"{to_local(w.starts_at, event.timezone):%Y-%m-%d %H:%M}-{to_local(w.ends_at, event.timezone):%H:%M}"
            for w in room.availability)
    if form.validate_on_submit():
        try:
            services.save_room(event, services.RoomInput(
                name=form.name.data, capacity=form.capacity.data, floor=form.floor.data or "",
                is_accessible=form.is_accessible.data, availability=parse_availability(form.availability.data)),
                room=room, actor_id=current_user.id)
        except services.ProgramError as error:
            getattr(form, error.field or "name").errors.append(error_message(error))
        else:
            flash(_("The room is saved."), "success")
            return redirect(url_for("program_manage.rooms", slug=event.slug))
    return render_template("program/rooms.html", event=event, form=form, room=room, rooms=_rooms(event)), \
        422 if request.method == "POST" else 200


@bp.get("/speakers.json")
@requires(Access.ORGANISER)
def speaker_search(event: Event):
    """The session form's speaker search: a few of the edition's registrations matching `q`."""
    matches, more = speakers.speaker_matches(event, request.args.get("q", ""))
    return jsonify(results=[{"id": r.id, "label": speakers.speaker_label(r)} for r in matches], more=more)


def _offer_speakers(event: Event, form) -> dict[int, tuple[int, bool]]:
    """Fill the speaker lists (see forms.offer_speakers); the row whose Search button was pressed (no
    script) gets its matches. Returns {row: (number of matches, whether there were more)}."""
    chosen = speakers.speakers_by_id(event, [parse_int(e.form.registration.data, low=1, high=ID_MAX)
                                                 for e in form.speakers.entries])
    row = parse_int(request.form.get("find"), low=0, high=len(form.speakers.entries) - 1) \
        if request.method == "POST" else None
    found, counts = {}, {}
    if row is not None:
        entry = form.speakers.entries[row].form
        found[row], more = speakers.speaker_matches(event, entry.find.data or "")
        counts[row] = (len(found[row]), more)
        if len(found[row]) == 1 and not entry.registration.data:
            entry.registration.data = str(found[row][0].id)  # the only match, chosen for the organiser
    offer_speakers(form, chosen, found)
    return counts


@bp.route("/sessions/new", methods=["GET", "POST"])
@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def session(event: Event, session_id: int | None = None):
    row = None
    if session_id is not None:
        row = db.session.get(ProgramSession, session_id)
        if row is None or row.event_id != event.id:
            abort(404)
    locale = str(get_locale() or "fr")
    initial = None
    if request.method == "GET" and row is not None:
        local_start, local_end = to_local(row.starts_at, event.timezone), to_local(row.ends_at, event.timezone)
        initial = {
            "kind": row.kind.value, "title_fr": row.title_fr, "title_en": row.title_en,
            "description_fr": row.description_fr, "description_en": row.description_en,
            "day": local_start.date().isoformat(), "start": local_start.time(), "end": local_end.time(),
            "room": str(row.room_id or ""), "seat_limit": row.seat_limit, "themes": [t.code for t in row.themes],
            "speakers": [{"registration": str(s.registration_id), "role": s.role.value} for s in row.speakers]}
    elif request.method == "GET" and request.args.get("day"):
        initial = {"day": request.args["day"]}
    form = session_form(event, _rooms(event), locale, data=initial)
    found = _offer_speakers(event, form)
    if found:  # a search without script: the same form again, its list now holding the matches
        return render_template("program/session_form.html", event=event, form=form, row=row, warnings=[],
                               found=found)
    if form.validate_on_submit():
        try:
            data = services.SessionInput(
                kind=SessionKind(form.kind.data), title_fr=form.title_fr.data, title_en=form.title_en.data or "",
                day=date.fromisoformat(form.day.data), start=form.start.data, end=form.end.data,
                room_id=int(form.room.data) if form.room.data else None,
                description_fr=form.description_fr.data or "", description_en=form.description_en.data or "",
                theme_codes=list(form.themes.data), seat_limit=form.seat_limit.data,
                speakers=[(int(e.form.registration.data), SpeakerRole(e.form.role.data))
                          for e in form.speakers.entries if e.form.registration.data])
            saved = services.save_session(event, data, session=row, actor_id=current_user.id)
        except services.ProgramError as error:
            target = getattr(form, error.field, None) if error.field else None
            (target.errors if target is not None and isinstance(target.errors, list) else form.form_errors).append(
                error_message(error))
        else:
            warnings = [conflict_message(c) for c in services.conflicts(event) if saved.id in c.session_ids]
            for warning in warnings:
                flash(_("Saved, but: %(warning)s", warning=warning), "error")
            if not warnings:
                flash(_("The session is saved."), "success")
            local_day = to_local(saved.starts_at, event.timezone).date().isoformat()
            return redirect(url_for("program_manage.grid", slug=event.slug, day=local_day))
    warnings = []
    if row is not None:
        warnings = [conflict_message(c) for c in services.conflicts(event) if row.id in c.session_ids]
    return render_template("program/session_form.html", event=event, form=form, row=row, warnings=warnings,
                           found={}), 422 if request.method == "POST" else 200


@bp.post("/sessions/<int:session_id>/remove")
@requires(Access.ORGANISER)
def remove(event: Event, session_id: int):
    row = db.session.get(ProgramSession, session_id)
    if row is None or row.event_id != event.id:
        abort(404)
    day = to_local(row.starts_at, event.timezone).date().isoformat()
    outcome = services.remove_session(event, row, actor_id=current_user.id)
    flash(_("The session is deleted.") if outcome == "deleted" else
          _("The session is cancelled; attendees will be told when you publish."), "success")
    return redirect(url_for("program_manage.grid", slug=event.slug, day=day))


@bp.post("/publish")
@requires(Access.ORGANISER)
def publish(event: Event):
    publication = services.publish(event, actor_id=current_user.id)
    flash(_("The programme is published (%(count)d changes).", count=len(publication.changes)), "success")
    # Back to the day the organiser was on (a day of this edition, or the first).
    day = request.form.get("day", "")
    return redirect(url_for("program_manage.grid", slug=event.slug,
                            day=day if day in {d.isoformat() for d in event.days} else None))
