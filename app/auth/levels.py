"""The access levels that roles give: organiser, door staff or exhibitor staff of an edition, platform staff.

Registered with `app.core.access` at start-up (see `app.auth.init_app`).
"""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import EventRole, RoleName
from app.core.access import Access, Edition
from app.extensions import db
from app.people.models import Person


def role_levels(person: Person, event: Edition | None) -> set[Access]:
    """Platform staff organise every edition; the others hold the roles granted in `event`."""
    if event is None:
        return {Access.STAFF} if person.is_staff else set()
    levels: set[Access] = {Access.ORGANISER, Access.DOOR, Access.STAFF} if person.is_staff else set()
    roles = db.session.scalars(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.person_id == person.id)
    ).all()
    if RoleName.ORGANISER in roles:
        levels.update((Access.ORGANISER, Access.DOOR))  # an organiser may stand at the door too
    if RoleName.DOOR_STAFF in roles:
        levels.add(Access.DOOR)
    if RoleName.EXHIBITOR in roles:
        levels.add(Access.EXHIBITOR)
    return levels
