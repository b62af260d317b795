"""The attendee level: a registration (not cancelled) in the edition.

Registered with `app.core.access` at start-up (see `app.registrations.init_app`).
"""
from __future__ import annotations

from sqlalchemy import select

from app.core.access import Access, Edition
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus


def attendee_levels(person: Person, event: Edition | None) -> set[Access]:
    if event is None:
        return set()
    registered = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event.id,
            Registration.person_id == person.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    return {Access.ATTENDEE} if registered is not None else set()
