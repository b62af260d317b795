"""Finding a session's speakers among the edition's registrations: a search, not a list of a thousand people.

The session form's speaker lists hold only the speakers already chosen and the matches of a search (the
page's script asks `speaker_matches` through a small JSON endpoint as the organiser types; without
script, a Search button re-renders the form with the matches).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from app.registrations.queries import RegistrationFilters, filtered

#: Matches offered at once: enough to pick from, few enough to read; a longer name narrows them.
MAX_MATCHES = 20
MIN_QUERY = 2
MAX_QUERY = 100


def speaker_label(registration: Registration) -> str:
    """How a speaker is named in the form: "TREMBLAY Jean (Ville de Nevers)"."""
    person = registration.person
    name = f"{person.last_name.upper()} {person.first_name}"
    return name + (f" ({registration.organisation.name})" if registration.organisation else "")


def speaker_matches(event: Event, text: str, limit: int = MAX_MATCHES) -> tuple[list[Registration], bool]:
    """The edition's registrations (not cancelled) whose name, e-mail, organisation or territory contains
    `text` (the registrations list's own search), by name; and whether there were more than `limit`."""
    text = " ".join((text or "").split())[:MAX_QUERY]
    if len(text) < MIN_QUERY:
        return [], False
    rows = list(db.session.scalars(
        filtered(event, RegistrationFilters(q=text))
        .where(Registration.status != RegistrationStatus.CANCELLED)
        .options(joinedload(Registration.person), joinedload(Registration.organisation))
        .order_by(Person.last_name, Person.first_name, Registration.id).limit(limit + 1)).unique())
    return rows[:limit], len(rows) > limit


def speakers_by_id(event: Event, ids) -> list[Registration]:
    """The edition's registrations (not cancelled) among `ids` (the speakers a form names), by name."""
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return []
    return sorted(db.session.scalars(
        select(Registration).where(Registration.id.in_(ids), Registration.event_id == event.id,
                                   Registration.status != RegistrationStatus.CANCELLED)
        .options(joinedload(Registration.person), joinedload(Registration.organisation))).unique(),
        key=lambda r: (r.person.last_name.casefold(), r.person.first_name.casefold()))
