"""Attendee pages of the demonstrator: an official's route, a startup's briefing."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import Access, requires
from app.demonstrator import itinerary
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

bp = Blueprint("visits", __name__, template_folder="templates")


def _my_registration(event: Event) -> Registration:
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == current_user.id,
        Registration.status != RegistrationStatus.CANCELLED))
    if registration is None:
        abort(403)
    return registration


def _startup_of(registration: Registration) -> Registration | None:
    """The startup a person stands for: their own registration, or their team lead's."""
    if registration.category.code == CategoryCode.STARTUP:
        return registration.team_lead or registration
    return None


@bp.get("/e/<slug>/demonstrator/route")
@requires(Access.ATTENDEE)
def route(event: Event):
    registration = _my_registration(event)
    return render_template("demonstrator/route.html", event=event, visits=itinerary.route_of(registration))


@bp.get("/e/<slug>/demonstrator/briefing")
@requires(Access.ATTENDEE)
def briefing(event: Event):
    startup = _startup_of(_my_registration(event))
    if startup is None:
        abort(403)  # a briefing is a startup's page
    return render_template("demonstrator/briefing.html", event=event, startup=startup,
                           visits=itinerary.visitors_of(startup))
