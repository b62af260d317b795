"""The day of the meetings: each person's schedule of published meetings, where she (or her delegation's
coordinator) marks a meeting held or a no-show; the organiser's page with the figures of the day and the marks."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.core.timefmt import utcnow
from app.events.models import Event
from app.meetings.agenda import marks, messages, views
from app.meetings.errors import MeetingError
from app.meetings.placement.models import Mark
from app.meetings.requests.models import Side
from app.registrations.queries import active_registration

bp = Blueprint("meeting_agenda", __name__, url_prefix="/e/<slug>/meetings/schedule", template_folder="templates")
manage_bp = Blueprint("meeting_day", __name__, url_prefix="/manage/e/<slug>/meetings/day",
                      template_folder="templates")

FLASHES = {Mark.HELD: lambda: _("Saved: the meeting was held."),
           Mark.NO_SHOW: lambda: _("Saved: the other side did not come.")}


def _refused(event: Event, error: MeetingError, endpoint: str):
    return render_template("meetings/refused.html", event=event, message=messages.message(error),
                           back=url_for(endpoint, slug=event.slug)), error.status


@bp.get("")
@requires(Access.ATTENDEE)
def schedule(event: Event):
    me = active_registration(event.id, current_user.id)
    if me is None:
        abort(403)
    return render_template("meetings/agenda_schedule.html", event=event, me=me, now=utcnow(),
                           days=views.my_schedule(me, current_user), Side=Side)


@bp.post("/<int:scheduled_id>/mark")
@requires(Access.ATTENDEE)
def mark(event: Event, scheduled_id: int):
    if active_registration(event.id, current_user.id) is None:
        abort(403)
    try:
        found = marks.mark_meeting(event, scheduled_id, mark=request.form.get("mark"), side=request.form.get("side"),
                                   actor=current_user)
    except MeetingError as error:
        return _refused(event, error, "meeting_agenda.schedule")
    flash(FLASHES[found.mark](), "success")
    return redirect(url_for("meeting_agenda.schedule", slug=event.slug, _anchor=f"p{scheduled_id}"))


@manage_bp.get("")
@requires(Access.ORGANISER)
def index(event: Event):
    filters = views.DayFilters.from_args(request.args, event)
    return render_template("meetings/agenda_manage.html", event=event, filters=filters, now=utcnow(),
                           page=views.organiser_page(event, filters, query_int(request.args, "page", default=1)), Side=Side)


@manage_bp.post("/<int:scheduled_id>/mark")
@requires(Access.ORGANISER)
def mark_for(event: Event, scheduled_id: int):
    try:
        found = marks.mark_meeting(event, scheduled_id, mark=request.form.get("mark"), side=request.form.get("side"),
                                   actor=current_user, as_organiser=True)
    except MeetingError as error:
        return _refused(event, error, "meeting_day.index")
    flash(FLASHES[found.mark](), "success")
    return redirect(url_for("meeting_day.index", slug=event.slug, day=request.form.get("day") or None,
                            state=request.form.get("state") or None, _anchor=f"p{scheduled_id}"))
