"""The organiser's placement pages: the grid and its counts, "place all meetings", one meeting's page (move, lock),
and publishing. Each form hands its work to one service; a refusal is shown with its status and nothing stored."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.events.models import Event
from app.meetings.errors import MeetingError
from app.meetings.placement import editing, jobs, publishing, views
from app.meetings.placement.forms import LockForm, PlaceForm, PublishForm, move_form
from app.meetings.placement.messages import message
from app.meetings.requests.settings import tables_of

bp = Blueprint("meeting_placement", __name__, url_prefix="/manage/e/<slug>/meetings/placement",
               template_folder="templates")


def _page(event: Event, *, place_form: PlaceForm | None = None, error: str = "", status: int = 200):
    found = views.page(event)
    return render_template("meetings/placement.html", event=event, page=found, people_line=views.people_line,
                           place_form=place_form or PlaceForm(formdata=None), publish_form=PublishForm(formdata=None),
                           error=error), status


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    return _page(event)


@bp.post("/place")
@requires(Access.ORGANISER)
def place(event: Event):
    form = PlaceForm()
    if not form.validate_on_submit():
        return _page(event, place_form=form, status=422)
    try:
        job = jobs.start_placement(event, time_limit=form.time_limit.data, actor_id=current_user.id)
    except MeetingError as error:
        return _page(event, place_form=form, error=message(error), status=error.status)
    flash(_("Placing the meetings: follow its progress below."), "success")
    return redirect(url_for("meeting_placement.index", slug=event.slug, job=job.id, _anchor="placing"))


@bp.post("/publish")
@requires(Access.ORGANISER)
def publish(event: Event):
    form = PublishForm()
    if not form.validate_on_submit():
        return _page(event, error=_("The form has expired: publish again."), status=400)
    try:
        found = publishing.publish(event, actor_id=current_user.id)
    except MeetingError as error:
        return _page(event, error=message(error), status=error.status)
    flash(ngettext("The meetings are published; %(num)d person is told of a change.",
                   "The meetings are published; %(num)d people are told of a change.", found.num_people), "success")
    return redirect(url_for("meeting_placement.index", slug=event.slug))


def _meeting_page(event: Event, placement_id: int, *, form=None, error: str = "", status: int = 200):
    placement = editing.get_placement(event, placement_id)
    tables = tables_of(event)
    if form is None:
        current = placement.starts_at.isoformat(timespec="minutes") if placement.starts_at else None
        form = move_form(event, tables, formdata=None, slot=current, table=placement.table_id)
    return render_template("meetings/placement_meeting.html", event=event, placement=placement, form=form,
                           lock_form=LockForm(formdata=None), people=views.people_line(placement), error=error,
                           can_edit=placement.request.status.value == "accepted"), status


@bp.get("/<int:placement_id>")
@requires(Access.ORGANISER)
def meeting(event: Event, placement_id: int):
    try:
        return _meeting_page(event, placement_id)
    except MeetingError as error:
        return render_template("meetings/placement_refused.html", event=event, message=message(error)), error.status


@bp.post("/<int:placement_id>/move")
@requires(Access.ORGANISER)
def move(event: Event, placement_id: int):
    try:
        editing.get_placement(event, placement_id)
    except MeetingError as error:
        return render_template("meetings/placement_refused.html", event=event, message=message(error)), error.status
    form = move_form(event, tables_of(event))
    if not form.validate_on_submit():
        return _meeting_page(event, placement_id, form=form, status=422)
    try:
        editing.move(event, placement_id, starts_at=datetime.fromisoformat(form.slot.data), table=form.table.data,
                     actor_id=current_user.id)
    except MeetingError as error:
        return _meeting_page(event, placement_id, form=form, error=message(error), status=error.status)
    flash(_("The meeting is moved and locked there."), "success")
    return redirect(url_for("meeting_placement.meeting", slug=event.slug, placement_id=placement_id))


@bp.post("/<int:placement_id>/lock")
@requires(Access.ORGANISER)
def lock(event: Event, placement_id: int):
    form = LockForm()
    try:
        editing.get_placement(event, placement_id)
        if not form.validate_on_submit() or form.locked.data not in ("0", "1"):
            raise MeetingError("bad_lock", "locked")
        editing.set_locked(event, placement_id, form.locked.data == "1", actor_id=current_user.id)
    except MeetingError as error:
        if error.status == 404:
            return render_template("meetings/placement_refused.html", event=event, message=message(error)), 404
        return _meeting_page(event, placement_id, error=message(error), status=error.status)
    flash(_("The meeting is locked where it is.") if form.locked.data == "1" else _("The meeting is unlocked."),
          "success")
    return redirect(url_for("meeting_placement.meeting", slug=event.slug, placement_id=placement_id))
