"""The official's (or decision maker's, or her delegation's coordinator's) outcome pages: the meetings she had,
the outcomes startups recorded with her or her city, to confirm them, and her own (issue 18)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.events.models import Event
from app.extensions import db
from app.outcomes import listing, services
from app.outcomes.errors import message, status_of
from app.outcomes.meetings import meetings
from app.outcomes.models import OutcomeSide
from app.outcomes.services import OutcomeError
from app.outcomes.views import LABELS, form_for, submit
from app.registrations.models import Registration
from app.registrations.queries import active_registration

bp = Blueprint("city_outcomes", __name__, url_prefix="/e/<slug>/my/outcomes", template_folder="templates")
SIDE = OutcomeSide.CITY


def _side(event: Event) -> listing.CitySide:
    side = listing.city_side_of(active_registration(event.id, current_user.id))
    if side is None:
        abort(403, message(OutcomeError("not_a_city_official")))
    return side


def _outcome(event: Event, side: listing.CitySide, outcome_id: int):
    outcome = listing.city_outcome(event, side, outcome_id)
    if outcome is None:
        abort(404)
    return outcome


@bp.get("/")
@requires(Access.ATTENDEE)
def index(event: Event):
    side = _side(event)
    return render_template("outcomes/city.html", event=event, side=side,
                           meetings=listing.meeting_rows(event, meetings(event, registration_ids=side.person_ids)),
                           outcomes=listing.city_outcomes(event, side),
                           earlier=listing.earlier_outcomes_of_city(event, side), labels=LABELS)


@bp.route("/new/<int:startup_id>/<int:registration_id>", methods=["GET", "POST"])
@requires(Access.ATTENDEE)
def record(event: Event, startup_id: int, registration_id: int):
    side = _side(event)
    meeting = listing.meeting_between(event, startup_id, registration_id)
    if registration_id not in side.person_ids or meeting is None:
        abort(404, message(OutcomeError("no_meeting", "registration")))
    stand, person = db.session.get(Registration, startup_id), db.session.get(Registration, registration_id)
    form = form_for()
    status = submit(form, lambda data: services.record_outcome(
        event, data, stand=stand, registration=person, source=meeting.source,
        planned_visit_id=meeting.planned_visit_id, lead_id=meeting.lead_id, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is recorded. The startup can confirm it from its stand's pages."), "success")
        return redirect(url_for("city_outcomes.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=stand, person=person, outcome=None,
                           side="city", back=url_for("city_outcomes.index", slug=event.slug)), status


@bp.route("/<int:outcome_id>", methods=["GET", "POST"])
@requires(Access.ATTENDEE)
def edit(event: Event, outcome_id: int):
    outcome = _outcome(event, _side(event), outcome_id)
    form = form_for(outcome)
    status = submit(form, lambda data: services.update_outcome(outcome, data, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is saved."), "success")
        return redirect(url_for("city_outcomes.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=outcome.stand,
                           person=outcome.registration, outcome=outcome, side="city", labels=LABELS,
                           can_delete=outcome.recorded_side == SIDE,
                           back=url_for("city_outcomes.index", slug=event.slug)), status


@bp.post("/<int:outcome_id>/confirm")
@requires(Access.ATTENDEE)
def confirm(event: Event, outcome_id: int):
    outcome = _outcome(event, _side(event), outcome_id)
    try:
        services.confirm_outcome(outcome, actor_id=current_user.id, side=SIDE)
    except OutcomeError as error:
        abort(status_of(error), message(error))
    flash(_("Thank you: the outcome is confirmed."), "success")
    return redirect(url_for("city_outcomes.index", slug=event.slug))


@bp.post("/<int:outcome_id>/delete")
@requires(Access.ATTENDEE)
def delete(event: Event, outcome_id: int):
    outcome = _outcome(event, _side(event), outcome_id)
    if outcome.recorded_side != SIDE:
        error = OutcomeError("not_recorded_by_you", "outcome")
        abort(status_of(error), message(error))
    services.delete_outcome(outcome, actor_id=current_user.id)
    flash(_("The outcome is deleted."), "success")
    return redirect(url_for("city_outcomes.index", slug=event.slug))
