"""Who a data subject is: her account, her registrations in every edition, and whether she may be erased."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from app.auth.models import EventRole, RoleName
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.privacy.subject.tables.rules import Her
from app.registrations.models import Registration

ERASED_DOMAIN = "@erased.invalid"


class SubjectError(DomainError):
    """A refusal about a data subject: unknown_person, already_erased, staff, sole_organiser (params: edition),
    other_editions (an organiser asked for a person registered in an edition she does not organise),
    not_confirmed, export_unknown, export_gone (params: why = downloaded | expired | not_ready)."""


def is_erased(person: Person) -> bool:
    return person.email.endswith(ERASED_DOMAIN)


def subject(person_id: int, now: datetime | None = None) -> Her:
    """The data subject `person_id` (SubjectError 'unknown_person')."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise SubjectError("unknown_person")
    registration_ids = tuple(db.session.scalars(
        select(Registration.id).where(Registration.person_id == person_id).order_by(Registration.id)))
    return Her(person.id, registration_ids, person.email, person.full_name, person.phone or "", now or utcnow())


def person_by_email(email: str) -> Person:
    person = db.session.scalar(select(Person).where(func.lower(Person.email) == (email or "").strip().lower()))
    if person is None:
        raise SubjectError("unknown_person")
    return person


def editions_of(person_id: int) -> list[Event]:
    """The editions she is registered to, the latest first."""
    return list(db.session.scalars(select(Event).join(Registration, Registration.event_id == Event.id)
                                   .where(Registration.person_id == person_id)
                                   .order_by(Event.starts_on.desc(), Event.id.desc())))


def check_erasable(person: Person, today: date) -> None:
    """Refuse what an organiser would not expect an erasure to do.

    - an erased account: there is nothing left to erase;
    - platform staff: another member of the staff removes the staff flag first (an erasure must not take away
      the platform's last administrator by surprise);
    - the only organiser of an edition that is not over: the edition would have nobody to run it; another
      organiser is named first. Once the edition is over, its figures need no organiser and she may go.
    """
    if is_erased(person):
        raise SubjectError("already_erased")
    if person.is_staff:
        raise SubjectError("staff")
    organised = db.session.scalars(
        select(Event).join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.person_id == person.id, EventRole.role == RoleName.ORGANISER, Event.ends_on >= today)
        .order_by(Event.starts_on)).all()
    for event in organised:
        others = db.session.scalar(select(func.count()).select_from(EventRole).where(
            EventRole.event_id == event.id, EventRole.role == RoleName.ORGANISER, EventRole.person_id != person.id))
        if not others:
            raise SubjectError("sole_organiser", edition=event.name)


def check_organiser_reach(person_id: int, organised_event_ids: set[int] | None) -> None:
    """An organiser acts for a person only when she organises every edition where the person is registered
    (None: platform staff, every edition). SubjectError 'other_editions' otherwise."""
    if organised_event_ids is None:
        return
    if any(event.id not in organised_event_ids for event in editions_of(person_id)):
        raise SubjectError("other_editions")


#: The word that confirms an erasure, in either language.
CONFIRM_WORDS = ("EFFACER", "ERASE")


def check_confirmation(word: str | None) -> None:
    """SubjectError 'not_confirmed' unless `word` is the confirmation word (case and spaces aside)."""
    if (word or "").strip().upper() not in CONFIRM_WORDS:
        raise SubjectError("not_confirmed", field="confirm")
