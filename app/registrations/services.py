"""Registering people to an edition, and the organiser's decisions on registrations.

Each public function that changes something is a use case: it commits once (`atomic`), or rolls back
whole, and joins the caller's unit of work when called by another service (an import).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.audit import services as audit
from app.auth.models import RoleName
from app.auth.services import grant_role, normalise_email, revoke_role
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import Category, CategoryCode, Event, Theme
from app.core.domain import DomainError
from app.extensions import db
from app.mail.services import send_mail
from app.people.models import Organisation, OrganisationKind, Person
from app.people.services import find_organisation
from app.registrations.models import Mandate, Registration, RegistrationStatus

#: The kind of organisation each category represents.
ORGANISATION_KIND = {
    CategoryCode.ELU: OrganisationKind.COLLECTIVITE,
    CategoryCode.DECIDEUR: OrganisationKind.INSTITUTION,
    CategoryCode.STARTUP: OrganisationKind.STARTUP,
    CategoryCode.ENTREPRISE: OrganisationKind.ENTREPRISE,
    CategoryCode.INTERVENANT: OrganisationKind.AUTRE,
    CategoryCode.PRESSE: OrganisationKind.PRESSE,
    CategoryCode.VISITEUR: OrganisationKind.AUTRE,
}

ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


class RegistrationError(DomainError):
    """A refused registration; `code` is machine-readable, `field` names the input at fault."""


@dataclass
class TeamMember:
    first_name: str
    last_name: str
    email: str


@dataclass
class RegistrationInput:
    """What a registration needs, whatever its source (public form, import, demo)."""

    category: CategoryCode
    email: str
    first_name: str
    last_name: str
    phone: str = ""
    country: str = "FR"
    locale: str = "fr"
    organisation_name: str = ""
    job_title: str = ""
    mandate: Mandate | None = None
    #: The title as the person wrote it ("Mairesse"); empty, the mandate's name stands in.
    mandate_title: str = ""
    territory: str = ""
    population: int | None = None
    pitch: str = ""
    #: The pitch in English, shown on the English pages (the French one when empty).
    pitch_en: str = ""
    website: str = ""
    theme_codes: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    consent_directory: bool = False
    consent_share_contact: bool = False
    team: list[TeamMember] = field(default_factory=list)


def validate_input(event: Event, data: RegistrationInput) -> Category:
    """Check `data` against the edition's rules; return its category or raise RegistrationError."""
    category = event.category(data.category.value)
    if category is None or not category.is_open:
        raise RegistrationError("category_closed", "category")
    if not data.days:
        raise RegistrationError("no_day", "days")
    for day in data.days:
        if not event.starts_on <= day <= event.ends_on:
            raise RegistrationError("day_outside", "days", day=day.isoformat())
    known = {t.code for t in event.themes}
    for code in data.theme_codes:
        if code not in known:
            raise RegistrationError("unknown_theme", "themes", theme=code)
    if data.category == CategoryCode.ELU and (data.mandate is None or not data.territory.strip()):
        raise RegistrationError("mandate_required", "mandate" if data.mandate is None else "territory")
    if data.category == CategoryCode.STARTUP and not data.pitch.strip():
        raise RegistrationError("pitch_required", "pitch")
    emails = [normalise_email(data.email)] + [normalise_email(m.email) for m in data.team]
    if len(set(emails)) != len(emails):
        raise RegistrationError("team_duplicate", "team")
    return category


@atomic()
def register(event: Event, data: RegistrationInput, *, source: str = "web", actor_id: int | None = None,
             notify: bool = True, status: RegistrationStatus | None = None) -> Registration:
    """Register a person (and a startup's team) to `event`, with the e-mails that say so.

    `status` overrides the category's rules (an organiser's import of an approved list).
    """
    if not event.is_open_for_registration and source == "web":
        raise RegistrationError("event_closed")
    category = validate_input(event, data)
    organisation = _find_or_create_organisation(data, category.code)
    lead = _register_one(event, category, data, data.email, data.first_name, data.last_name,
                         organisation, source=source, notify=notify, status=status)
    for member in data.team:
        _register_one(event, category, data, member.email, member.first_name, member.last_name,
                      organisation, source=source, notify=notify, status=status, lead=lead)
    audit.record("registration.create", actor_id=actor_id, event_id=event.id, obj=lead,
                 details={"source": source, "category": category.code.value})
    return lead


def _register_one(event: Event, category: Category, data: RegistrationInput, email: str, first_name: str,
                  last_name: str, organisation: Organisation | None, *, source: str, notify: bool,
                  status: RegistrationStatus | None, lead: Registration | None = None) -> Registration:
    email = normalise_email(email)
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(email=email, first_name=first_name.strip(), last_name=last_name.strip(),
                        country=data.country, locale=data.locale)
        db.session.add(person)
    person.phone = person.phone or (data.phone if lead is None else "")
    if organisation is not None:
        person.organisation = organisation
    if data.job_title and lead is None:
        person.job_title = data.job_title

    registration = None
    if person.id is not None:
        registration = db.session.scalar(
            select(Registration).where(Registration.event_id == event.id, Registration.person_id == person.id)
        )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise RegistrationError("duplicate", "email" if lead is None else "team", email=email)
    # Decided before the new row exists, or autoflush would count it against the cap.
    status = status or _initial_status(category)
    if registration is None:
        registration = Registration(event=event, person=person)
        db.session.add(registration)
    registration.category = category
    registration.organisation = organisation
    registration.job_title = data.job_title if lead is None else ""
    is_official = category.code == CategoryCode.ELU and lead is None
    registration.mandate = data.mandate if is_official else None
    registration.mandate_title = " ".join(data.mandate_title.split())[:120] if is_official else ""
    registration.territory = data.territory if category.code in (CategoryCode.ELU, CategoryCode.DECIDEUR) else ""
    registration.days = sorted(d.isoformat() for d in data.days)
    registration.themes = [t for t in event.themes if t.code in set(data.theme_codes)]
    registration.consent_directory = data.consent_directory
    registration.consent_share_contact = data.consent_share_contact
    registration.consent_updated_at = utcnow()
    registration.team_lead = lead
    registration.source = source
    registration.cancel_reason = ""
    registration.cancelled_at = None
    registration.status = status
    db.session.flush()
    if registration.status == RegistrationStatus.CONFIRMED:
        _confirmed(registration, actor_id=None)
    if notify:
        _notify(registration)
    return registration


def _confirmed(registration: Registration, *, actor_id: int | None) -> None:
    """A confirmed startup's people become its exhibitor staff for the edition."""
    registration.confirmed_at = utcnow()
    if registration.category.code == CategoryCode.STARTUP and registration.organisation_id is not None:
        grant_role(registration.person, registration.event_id, RoleName.EXHIBITOR, actor_id=actor_id,
                   organisation_id=registration.organisation_id)


def _initial_status(category: Category) -> RegistrationStatus:
    if category.capacity is not None and taken_places(category) >= category.capacity:
        return RegistrationStatus.WAITLISTED
    return RegistrationStatus.PENDING if category.requires_approval else RegistrationStatus.CONFIRMED


def full_category_ids(event: Event) -> set[int]:
    """The edition's categories whose places are all taken: a registration there goes on the waiting list."""
    capped = {c.id: c.capacity for c in event.categories if c.capacity is not None}
    if not capped:
        return set()
    taken = dict(db.session.execute(
        select(Registration.category_id, func.count()).where(
            Registration.category_id.in_(capped), Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.category_id)).all())
    return {cid for cid, capacity in capped.items() if taken.get(cid, 0) >= capacity}


def taken_places(category: Category) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(
            Registration.category_id == category.id, Registration.status.in_(ACTIVE_STATUSES)
        )
    )


def _find_or_create_organisation(data: RegistrationInput, code: CategoryCode) -> Organisation | None:
    name = data.organisation_name.strip() or (data.territory.strip() if code == CategoryCode.ELU else "")
    if not name:
        return None
    kind = ORGANISATION_KIND[code]
    organisation = find_organisation(name, kind, data.country)
    if organisation is None:
        organisation = Organisation(name=name, kind=kind, country=data.country)
        db.session.add(organisation)
    if code == CategoryCode.ELU:
        organisation.territory = organisation.territory or data.territory
        if data.population:
            organisation.population = data.population
    if code == CategoryCode.STARTUP:
        organisation.pitch = data.pitch.strip() or organisation.pitch
        organisation.pitch_en = data.pitch_en.strip() or organisation.pitch_en
        organisation.website = data.website.strip() or organisation.website
    return organisation


def _notify(registration: Registration) -> None:
    template = {
        RegistrationStatus.CONFIRMED: "registration_confirmed",
        RegistrationStatus.PENDING: "registration_received",
        RegistrationStatus.WAITLISTED: "registration_waitlisted",
        RegistrationStatus.CANCELLED: "registration_cancelled",
    }[registration.status]
    person = registration.person
    send_mail(person.email, template=template, locale=person.locale, kind=template,
              event_id=registration.event_id, registration=registration, person=person,
              event=registration.event)


@dataclass
class Decision:
    """What an organiser's decision changed: whose registrations, and how many mails it queued to tell them."""

    names: list[str] = field(default_factory=list)
    num_mails: int = 0
    #: Registrations taken off the waiting list into the places freed (each told by mail too).
    num_promoted: int = 0

    @property
    def num_changed(self) -> int:
        return len(self.names)

    def add(self, registration: Registration, mailed: bool) -> None:
        self.names.append(registration.person.full_name)
        self.num_mails += int(mailed)


@atomic()
def approve(event: Event, registration_ids: list[int], *, actor_id: int) -> Decision:
    """Confirm pending or waitlisted registrations of `event`: who was confirmed, and the mails queued."""
    decision = Decision()
    for registration in _registrations_of(event, registration_ids):
        if registration.status in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
            registration.status = RegistrationStatus.CONFIRMED
            _confirmed(registration, actor_id=actor_id)
            _notify(registration)
            audit.record("registration.approve", actor_id=actor_id, event_id=event.id, obj=registration)
            decision.add(registration, mailed=True)
    return decision


@atomic()
def cancel(event: Event, registration_ids: list[int], *, actor_id: int | None, reason: str = "cancelled") -> Decision:
    """Cancel (or decline, with reason 'declined') registrations; frees places for the waiting list."""
    decision = Decision()
    freed: set[int] = set()
    for registration in _registrations_of(event, registration_ids):
        if registration.status == RegistrationStatus.CANCELLED:
            continue
        if registration.status in ACTIVE_STATUSES:
            freed.add(registration.category_id)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancel_reason = reason
        registration.cancelled_at = utcnow()
        if registration.category.code == CategoryCode.STARTUP:
            revoke_role(registration.person, event.id, RoleName.EXHIBITOR, actor_id=actor_id)
        _notify(registration)
        audit.record(f"registration.{reason}", actor_id=actor_id, event_id=event.id, obj=registration)
        decision.add(registration, mailed=True)
    db.session.flush()
    for category_id in freed:
        promoted = _promote_waiting(db.session.get(Category, category_id), actor_id=actor_id)
        decision.num_promoted += promoted
        decision.num_mails += promoted
    return decision


def _promote_waiting(category: Category, *, actor_id: int | None) -> int:
    """Give freed places to the waiting list, oldest first; returns how many moved up (each told by mail)."""
    promoted = 0
    while category.capacity is None or taken_places(category) < category.capacity:
        waiting = db.session.scalar(
            select(Registration).where(
                Registration.category_id == category.id, Registration.status == RegistrationStatus.WAITLISTED
            ).order_by(Registration.created_at, Registration.id).limit(1)
        )
        if waiting is None:
            return promoted
        if category.requires_approval:
            waiting.status = RegistrationStatus.PENDING
        else:
            waiting.status = RegistrationStatus.CONFIRMED
            _confirmed(waiting, actor_id=actor_id)
        _notify(waiting)
        audit.record("registration.promote", actor_id=actor_id, event_id=category.event_id, obj=waiting)
        db.session.flush()
        promoted += 1
    return promoted


def _registrations_of(event: Event, registration_ids: list[int]) -> list[Registration]:
    if not registration_ids:
        return []
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.id.in_(registration_ids))
        .order_by(Registration.id)
    ))


@atomic()
def update_registration(event: Event, registration: Registration, *, category_code: str, job_title: str,
                        territory: str, days: list[str], theme_codes: list[str], actor_id: int,
                        mandate_title: str | None = None) -> None:
    """An organiser's edit of a registration's details (its status changes through approve/cancel)."""
    category = event.category(category_code)
    if category is None:
        raise RegistrationError("unknown_category", "category")
    valid_days = {d.isoformat() for d in event.days}
    if not days:
        raise RegistrationError("no_day", "days")
    outside = [d for d in days if d not in valid_days]
    if outside:
        raise RegistrationError("day_outside", "days", day=outside[0])
    by_code = theme_by_code(event)
    unknown = [t for t in theme_codes if t not in by_code]
    if unknown:
        raise RegistrationError("unknown_theme", "themes", theme=unknown[0])
    registration.category = category
    registration.job_title = job_title.strip()[:200]
    registration.territory = territory.strip()[:200]
    if mandate_title is not None and registration.mandate is not None:
        registration.mandate_title = " ".join(mandate_title.split())[:120]
    registration.days = sorted(set(days))
    registration.themes = [by_code[t] for t in theme_codes]
    audit.record("registration.update", actor_id=actor_id, event_id=event.id, obj=registration)


@atomic()
def update_consents(registration: Registration, *, directory: bool, share_contact: bool, actor_id: int) -> None:
    """An attendee's choices: listed in the directory, contact details shared with the stands that scan them."""
    before = [registration.consent_directory, registration.consent_share_contact]
    registration.consent_directory = directory
    registration.consent_share_contact = share_contact
    registration.consent_updated_at = utcnow()
    audit.record("consent.update", actor_id=actor_id, event_id=registration.event_id, obj=registration,
                 details={"before": before, "after": [directory, share_contact]})


def theme_by_code(event: Event) -> dict[str, Theme]:
    return {t.code: t for t in event.themes}
