"""The demo's personal data (issue 19): the city contact exported her data (a ready export on her 'Mes données'
page, its mail in the outbox), and one person of the previous edition asked for her erasure: her check-ins,
stand contacts and visits still count in that edition's figures, anonymised."""
from __future__ import annotations

from sqlalchemy import func, select

from app.badging.models import CheckIn
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event
from app.extensions import db
from app.leads.models import Lead
from app.people.models import Person
from app.privacy.subject.erasure import erase_person
from app.privacy.subject.exports import export_now
from app.registrations.models import Registration


def erasable_person(previous: Event, upcoming: Event) -> int | None:
    """A person of the previous edition only, with check-ins, stand contacts and planned visits there (the most,
    then the first)."""
    upcoming_people = select(Registration.person_id).where(Registration.event_id == upcoming.id)
    weight = sum(select(func.count()).select_from(model).where(model.registration_id == Registration.id)
                 .scalar_subquery() for model in (CheckIn, Lead, PlannedVisit))
    return db.session.scalar(
        select(Registration.person_id).join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == previous.id, Registration.person_id.not_in(upcoming_people),
               Person.is_staff.is_(False))
        .order_by(weight.desc(), Registration.id).limit(1))


def load_privacy(upcoming: Event, previous: Event | None, *, contact: Person, organiser_id: int) -> str:
    """Make the export and the erasure; what was done, in a line."""
    export_now(contact.id, requested_by_id=contact.id)
    line = f"1 data export ready ({contact.email}, 'Mes données')"
    person_id = erasable_person(previous, upcoming) if previous is not None else None
    if person_id is None:
        return line
    counts = erase_person(person_id, actor_id=organiser_id, reason="request", event_id=previous.id)
    return (line + f"; 1 person of the previous edition erased ({counts.get('check-ins kept', 0)} check-ins, "
            f"{counts.get('leads anonymised', 0)} stand contacts and {counts.get('planned visits kept', 0)} "
            "planned visits still counted, anonymised)")
