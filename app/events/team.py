"""The team of an edition: organisers and door staff. Adding a colleague (who gets an e-mail), removing one,
and the organiser accounts that `flask create-organiser` makes. Each use case commits once."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from app.auth.models import RoleName
from app.auth.services import grant_role, holders_of, make_reset_token, normalise_email, revoke_role, set_password
from app.core.domain import DomainError
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.mail.services import send_mail
from app.people.models import Person


class TeamError(DomainError):
    """A refused change to an edition's team."""


#: The roles an organiser gives from the team page, and the e-mail each sends.
TEAM_ROLES = {RoleName.ORGANISER: "organiser_invitation", RoleName.DOOR_STAFF: "door_staff_invitation"}


@atomic()
def add_organiser(event: Event, *, email: str, first_name: str, last_name: str, inviter: Person,
                  role: RoleName = RoleName.ORGANISER) -> Person:
    """Make the person with `email` an organiser (or door staff) of `event` and tell them by e-mail; someone
    without an account gets one (they need a name) and a link to choose a password."""
    if role not in TEAM_ROLES:
        raise TeamError("unknown_role", "role")
    try:
        email = normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise TeamError("email_invalid", "email") from exc
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None and not (first_name and last_name):
        raise TeamError("name_required", "first_name")
    if person is not None and person in holders_of(event.id, role):
        raise TeamError("already_organiser" if role is RoleName.ORGANISER else "already_door_staff", "email",
                        email=email)
    if person is None:
        person = Person(email=email, first_name=first_name[:100], last_name=last_name[:100])
        db.session.add(person)
        db.session.flush()
    grant_role(person, event.id, role, actor_id=inviter.id)
    send_mail(person.email, template=TEAM_ROLES[role], locale=person.locale, kind=TEAM_ROLES[role],
              event_id=event.id, event=event, person=person, inviter=inviter,
              token=make_reset_token(person) if not person.password_hash else None)
    return person


@atomic()
def remove_organiser(event: Event, person: Person, *, actor_id: int, role: RoleName = RoleName.ORGANISER) -> None:
    """`person` no longer organises `event` (or stands at its door); nobody removes themselves as organiser
    (another organiser does)."""
    if person.id == actor_id and role is RoleName.ORGANISER:
        raise TeamError("cannot_remove_self")
    revoke_role(person, event.id, role, actor_id=actor_id)


@atomic()
def create_organiser(email: str, password: str, *, event: Event | None, first_name: str, last_name: str) -> Person:
    """An account that organises `event`, or every edition (platform staff) without one. An existing
    person keeps their account and gets the new password; `email` is already normalised."""
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(email=email, first_name=first_name, last_name=last_name)
        db.session.add(person)
    set_password(person, password)
    db.session.flush()
    if event is None:
        person.is_staff = True
    else:
        grant_role(person, event.id, RoleName.ORGANISER, actor_id=None)
    return person
