"""The attendee level: a registration (not cancelled) in the edition.

Registered with `app.core.access` at start-up (see `app.registrations.init_app`).
"""
from __future__ import annotations

from app.core.access import Access, Edition
from app.people.models import Person
from app.registrations.queries import active_registration


def attendee_levels(person: Person, event: Edition | None) -> set[Access]:
    if event is None:
        return set()
    return {Access.ATTENDEE} if active_registration(event.id, person.id) is not None else set()
