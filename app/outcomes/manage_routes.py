"""The organisers' outcome pages: every outcome of the edition, filtered, added for any meeting, changed or
deleted (issue 18)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.events.models import Event
from app.extensions import db
from app.outcomes import listing, services
from app.outcomes.errors import message
from app.outcomes.meetings import meetings
from app.outcomes.models import OutcomeSide
from app.outcomes.services import OutcomeError
from app.outcomes.views import LABELS, form_for, submit
from app.registrations.models import Registration

bp = Blueprint("outcomes_manage", __name__, url_prefix="/manage/e/<slug>/outcomes", template_folder="templates")
SIDE = OutcomeSide.ORGANISER


def _outcome(event: Event, outcome_id: int):
    outcome = listing.edition_outcome(event, outcome_id)
    if outcome is None:
        abort(404)
    return outcome


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    filters = listing.OutcomeFilters.from_args(request.args)
    return render_template("outcomes/manage.html", event=event, filters=filters,
                           outcomes=listing.edition_outcomes(event, filters), labels=LABELS)


@bp.get("/meetings")
@requires(Access.ORGANISER)
def meetings_page(event: Event):
    """The edition's meetings (a few thousand on a summit), searched by name and shown a hundred at a time."""
    q = " ".join(request.args.get("q", "").split())[:200]
    rows = listing.matching_meetings(listing.meeting_rows(event, meetings(event)), q)
    pages = max(1, -(-len(rows) // listing.MEETINGS_PAGE))
    page = min(query_int(request.args, "page", default=1), pages)
    shown = rows[(page - 1) * listing.MEETINGS_PAGE: page * listing.MEETINGS_PAGE]
    return render_template("outcomes/manage_meetings.html", event=event, meetings=shown, total=len(rows), q=q,
                           page=page, pages=pages, labels=LABELS)


@bp.route("/new/<int:startup_id>/<int:registration_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def record(event: Event, startup_id: int, registration_id: int):
    meeting = listing.meeting_between(event, startup_id, registration_id)
    if meeting is None:
        abort(404, message(OutcomeError("no_meeting", "registration")))
    stand, person = db.session.get(Registration, startup_id), db.session.get(Registration, registration_id)
    form = form_for()
    status = submit(form, lambda data: services.record_outcome(
        event, data, stand=stand, registration=person, source=meeting.source,
        planned_visit_id=meeting.planned_visit_id, lead_id=meeting.lead_id, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is recorded."), "success")
        return redirect(url_for("outcomes_manage.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=stand, person=person, outcome=None,
                           side="manage", back=url_for("outcomes_manage.meetings_page", slug=event.slug)), status


@bp.route("/<int:outcome_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def edit(event: Event, outcome_id: int):
    outcome = _outcome(event, outcome_id)
    form = form_for(outcome)
    status = submit(form, lambda data: services.update_outcome(outcome, data, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is saved."), "success")
        return redirect(url_for("outcomes_manage.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=outcome.stand,
                           person=outcome.registration, outcome=outcome, side="manage", labels=LABELS, can_delete=True,
                           back=url_for("outcomes_manage.index", slug=event.slug)), status


@bp.post("/<int:outcome_id>/delete")
@requires(Access.ORGANISER)
def delete(event: Event, outcome_id: int):
    services.delete_outcome(_outcome(event, outcome_id), actor_id=current_user.id)
    flash(_("The outcome is deleted."), "success")
    return redirect(url_for("outcomes_manage.index", slug=event.slug))
