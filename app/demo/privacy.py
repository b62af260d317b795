"""The demo's personal data (issue 19): the city contact exported her data (a ready export on her 'Mes données'
page, its mail in the outbox), and one person of the previous edition asked for her erasure: her check-ins,
stand contacts and visits still count in that edition's figures, anonymised."""
from __future__ import annotations

from sqlalchemy import select

from app.badging.models import CheckIn
from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.privacy.subject.erasure import erase_person
from app.privacy.subject.exports import export_now
from app.registrations.models import Registration


def erasable_person(previous: Event, upcoming: Event) -> int | None:
    """A person of the previous edition only, checked in there (the first): chosen from what the seed alone decides
    (registrations, check-ins), never from the plan's visits or the stands' contacts, which a time-limited search
    makes differ from one load to the next (a reset must erase the same person, or the edition's fingerprint
    changes)."""
    upcoming_people = select(Registration.person_id).where(Registration.event_id == upcoming.id)
    checked_in = select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()
    return db.session.scalar(
        select(Registration.person_id).join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == previous.id, Registration.person_id.not_in(upcoming_people),
               Person.is_staff.is_(False), checked_in)
        .order_by(Registration.id).limit(1))


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
