"""The stand team's outcome pages: what came of its meetings, recorded from its contacts (issue 18)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.events.models import Event
from app.extensions import db
from app.leads import services as leads
from app.leads.errors import LeadError
from app.leads.errors import message as lead_message
from app.outcomes import listing, services
from app.outcomes.errors import message, status_of
from app.outcomes.meetings import meetings
from app.outcomes.models import OutcomeSide
from app.outcomes.services import OutcomeError
from app.outcomes.views import LABELS, form_for, submit
from app.registrations.models import Registration

bp = Blueprint("outcomes", __name__, url_prefix="/e/<slug>/stand/outcomes", template_folder="templates")
SIDE = OutcomeSide.STARTUP


def _stand(event: Event) -> Registration:
    stand = leads.stand_for(current_user, event)
    if stand is None:
        abort(403, lead_message(LeadError("not_on_a_stand")))
    return stand


def _outcome(event: Event, stand: Registration, outcome_id: int):
    outcome = listing.stand_outcome(event, stand, outcome_id)
    if outcome is None:
        abort(404)
    return outcome


@bp.get("/")
@requires(Access.EXHIBITOR)
def index(event: Event):
    stand = _stand(event)
    rows = listing.meeting_rows(event, meetings(event, stand_ids=[stand.id]))
    return render_template("outcomes/stand.html", event=event, stand=stand, stand_name=stand.startup_name,
                           outcomes=listing.stand_outcomes(event, stand),
                           earlier=listing.earlier_outcomes_of_startup(event, stand),
                           meetings=[r for r in rows if not r.num_outcomes], labels=LABELS)


@bp.route("/new/<int:registration_id>", methods=["GET", "POST"])
@requires(Access.EXHIBITOR)
def record(event: Event, registration_id: int):
    stand = _stand(event)
    meeting = listing.meeting_between(event, stand.id, registration_id)
    if meeting is None:
        abort(404, message(OutcomeError("no_meeting", "registration")))
    person = db.session.get(Registration, registration_id)
    form = form_for()
    status = submit(form, lambda data: services.record_outcome(
        event, data, stand=stand, registration=person, source=meeting.source,
        planned_visit_id=meeting.planned_visit_id, lead_id=meeting.lead_id, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is recorded. The city can confirm it from its own pages."), "success")
        return redirect(url_for("outcomes.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=stand, person=person,
                           stand_name=stand.startup_name, outcome=None, side="stand",
                           back=url_for("outcomes.index", slug=event.slug)), status


@bp.route("/<int:outcome_id>", methods=["GET", "POST"])
@requires(Access.EXHIBITOR)
def edit(event: Event, outcome_id: int):
    stand = _stand(event)
    outcome = _outcome(event, stand, outcome_id)
    form = form_for(outcome)
    status = submit(form, lambda data: services.update_outcome(outcome, data, actor_id=current_user.id, side=SIDE))
    if status is None:
        flash(_("The outcome is saved."), "success")
        return redirect(url_for("outcomes.index", slug=event.slug))
    return render_template("outcomes/edit.html", event=event, form=form, stand=stand, person=outcome.registration,
                           stand_name=stand.startup_name, outcome=outcome, side="stand", labels=LABELS,
                           can_delete=outcome.recorded_side == SIDE,
                           back=url_for("outcomes.index", slug=event.slug)), status


@bp.post("/<int:outcome_id>/confirm")
@requires(Access.EXHIBITOR)
def confirm(event: Event, outcome_id: int):
    outcome = _outcome(event, _stand(event), outcome_id)
    try:
        services.confirm_outcome(outcome, actor_id=current_user.id, side=SIDE)
    except OutcomeError as error:
        abort(status_of(error), message(error))
    flash(_("The outcome is confirmed."), "success")
    return redirect(url_for("outcomes.index", slug=event.slug))


@bp.post("/<int:outcome_id>/delete")
@requires(Access.EXHIBITOR)
def delete(event: Event, outcome_id: int):
    outcome = _outcome(event, _stand(event), outcome_id)
    if outcome.recorded_side != SIDE:
        error = OutcomeError("not_recorded_by_you", "outcome")
        abort(status_of(error), message(error))
    services.delete_outcome(outcome, actor_id=current_user.id)
    flash(_("The outcome is deleted."), "success")
    return redirect(url_for("outcomes.index", slug=event.slug))
