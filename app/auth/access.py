"""Who may open what, declared once per view with @requires (S8)."""
from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import EventRole, RoleName
from app.events.models import Event
from app.extensions import db, login_manager
from app.leads import devices
from app.leads.errors import LeadError, refusal_response
from app.registrations.models import Registration, RegistrationStatus


class Access(enum.StrEnum):
    PUBLIC = "public"          # anyone, signed in or not
    LOGIN = "login"            # any signed-in person
    ATTENDEE = "attendee"      # a (not cancelled) registration in the event of the URL
    EXHIBITOR = "exhibitor"    # exhibitor staff in the event of the URL
    ORGANISER = "organiser"    # organiser of the event of the URL
    STAFF = "staff"            # platform staff (every edition, creating editions)
    DEVICE = "device"          # a stand's paired device, by its bearer token; never a cookie (S5)


def event_roles(person, event: Event) -> set[Access]:
    """The access levels `person` holds in `event`."""
    if person is None or not person.is_authenticated:
        return set()
    levels: set[Access] = set()
    if person.is_staff:
        levels |= {Access.ORGANISER, Access.STAFF}
    roles = db.session.scalars(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.person_id == person.id)
    ).all()
    if RoleName.ORGANISER in roles:
        levels.add(Access.ORGANISER)
    if RoleName.EXHIBITOR in roles:
        levels.add(Access.EXHIBITOR)
    registered = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event.id,
            Registration.person_id == person.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if registered is not None:
        levels.add(Access.ATTENDEE)
    return levels


def requires(access: Access) -> Callable:
    """Guard a view. Event-level views take `slug` in the URL and receive `event`; device views receive
    the authenticated, rate-limited `device`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if access is Access.DEVICE:
                try:
                    device = devices.authenticate(request.headers.get("Authorization"))
                    devices.throttle(device)
                except LeadError as error:
                    return refusal_response(error)
                return view(*args, device=device, **kwargs)
            if access is not Access.PUBLIC and not current_user.is_authenticated:
                return login_manager.unauthorized()
            if access is Access.STAFF and not current_user.is_staff:
                abort(403)
            if "slug" in kwargs:
                event = db.session.scalar(select(Event).where(Event.slug == kwargs.pop("slug")))
                if event is None:
                    abort(404)
                if access in (Access.ATTENDEE, Access.EXHIBITOR, Access.ORGANISER):
                    if access not in event_roles(current_user, event):
                        abort(403)
                kwargs["event"] = event
            return view(*args, **kwargs)

        guarded.access = access  # read by the access-matrix test
        return guarded

    return decorate


def manageable_events(person) -> list[Event]:
    """Editions `person` organises, newest first."""
    query = select(Event).order_by(Event.starts_on.desc())
    if not person.is_staff:
        query = query.join(EventRole, EventRole.event_id == Event.id).where(
            EventRole.person_id == person.id, EventRole.role == RoleName.ORGANISER
        )
    return list(db.session.scalars(query))
