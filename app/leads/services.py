"""Stands and their tags, what an exhibitor may see of a contact (S9), and finding contacts."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.auth.models import EventRole, RoleName
from app.core.search import every_word_in
from app.core.transaction import atomic
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.leads.errors import LeadError
from app.leads.models import Lead, Scan, StandTag
from app.people.models import Organisation, Person
from app.registrations.models import Registration, RegistrationStatus

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
#: Control characters other than tab and line breaks, and lone UTF-16 surrogates (valid JSON escapes, but no
#: text: the database driver cannot encode them). Nobody types them on a phone, they show as nothing, and
#: PostgreSQL refuses NUL in text. Removed from notes and tags rather than refused, so that a scan is never lost
#: for an invisible character (issue 24).
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# -- stands ----------------------------------------------------------------------------------------

def stand_for(person: Person, event: Event) -> Registration | None:
    """The startup registration whose stand `person` works on in `event`, if any.

    A team member's own startup registration leads to its team lead's; exhibitor staff known only by
    their role find the confirmed startup registration of their organisation.
    """
    own = db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                       Registration.person_id == person.id))
    if own is not None and own.status == RegistrationStatus.CONFIRMED and own.category.code == CategoryCode.STARTUP:
        stand = own.team_lead or own
        return stand if stand.status == RegistrationStatus.CONFIRMED else None
    organisation_id = db.session.scalar(select(EventRole.organisation_id).where(
        EventRole.event_id == event.id, EventRole.person_id == person.id, EventRole.role == RoleName.EXHIBITOR))
    if organisation_id is None:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.organisation_id == organisation_id,
        Registration.team_lead_id.is_(None), Registration.status == RegistrationStatus.CONFIRMED,
        Registration.category.has(code=CategoryCode.STARTUP)).order_by(Registration.id).limit(1))


def stand_name(stand: Registration) -> str:
    return stand.startup_name


def tags_of(stand: Registration) -> list[str]:
    return list(db.session.scalars(select(StandTag.label).where(StandTag.stand_id == stand.id)
                                   .order_by(StandTag.position, StandTag.id)))


def visible(text: str) -> str:
    """`text` without its invisible control characters (INVISIBLE)."""
    return INVISIBLE.sub("", text)


def clean_tags(raw: object) -> list[str]:
    """A list of distinct, trimmed tags, or LeadError naming what is wrong."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise LeadError("tags_invalid", "tags")
    tags: list[str] = []
    for tag in raw:
        tag = " ".join(visible(tag).split())
        if len(tag) > MAX_TAG_LENGTH:
            raise LeadError("tag_too_long", "tags", max=MAX_TAG_LENGTH)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise LeadError("too_many_tags", "tags", max=MAX_TAGS)
    return tags


@atomic()
def set_tags(stand: Registration, labels: list[str], *, actor_id: int) -> list[str]:
    """Replace the stand's tag choices (contacts keep the tags they already carry)."""
    labels = clean_tags(labels)
    for tag in db.session.scalars(select(StandTag).where(StandTag.stand_id == stand.id)):
        db.session.delete(tag)
    db.session.flush()
    for position, label in enumerate(labels):
        db.session.add(StandTag(stand_id=stand.id, label=label, position=position))
    audit.record("lead.tags", actor_id=actor_id, event_id=stand.event_id, obj=stand, details={"tags": labels})
    return labels


# -- what an exhibitor sees (S9) --------------------------------------------------------------------

@dataclass(frozen=True)
class PersonFacts:
    """What may be shown of a scanned registration, read at the time of showing (S9)."""

    name: str
    organisation: str
    job_title: str
    email: str
    phone: str
    shares_contact: bool

    @classmethod
    def of(cls, registration: Registration) -> PersonFacts:
        person = registration.person
        return cls(name=person.full_name, organisation=registration.organisation.name if registration.organisation else "",
                   job_title=registration.job_title or person.job_title, email=person.email, phone=person.phone,
                   shares_contact=bool(registration.consent_share_contact))


def contact(lead_id: int, facts: PersonFacts, *, notes: str, rating: int | None, tags: list[str], num_scans: int,
            first_scanned_at: datetime, last_scanned_at: datetime) -> dict:
    """A contact as its stand may see it: e-mail and phone only with the person's consent (S9)."""
    shares = facts.shares_contact
    return {
        "lead_id": lead_id,
        "name": facts.name,
        "organisation": facts.organisation,
        "job_title": facts.job_title,
        "shares_contact": shares,
        "email": facts.email if shares else None,
        "phone": (facts.phone or None) if shares else None,
        "notes": notes,
        "rating": rating,
        "tags": list(tags or []),
        "num_scans": num_scans,
        "first_scanned_at": iso_utc(first_scanned_at),
        "last_scanned_at": iso_utc(last_scanned_at),
    }


def contact_view(lead: Lead) -> dict:
    """A stored contact as its stand may see it now."""
    return contact(lead.id, PersonFacts.of(lead.registration), notes=lead.notes, rating=lead.rating, tags=lead.tags,
                   num_scans=lead.num_scans, first_scanned_at=lead.first_scanned_at,
                   last_scanned_at=lead.last_scanned_at)


def iso_utc(value: datetime) -> str:
    return value.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


# -- contacts --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    tag: str = ""
    min_rating: int | None = None
    shares_contact: bool | None = None

    def as_args(self) -> dict:
        """The filters as query arguments (for export links), empty ones left out."""
        args = {"q": self.q, "tag": self.tag,
                "min_rating": "" if self.min_rating is None else str(self.min_rating),
                "shares": {True: "yes", False: "no"}.get(self.shares_contact, "")}
        return {key: value for key, value in args.items() if value}


def contacts(event: Event, *, stand: Registration | None = None, filters: ContactFilters = ContactFilters(),
             limit: int | None = None) -> list[Lead]:
    """Contacts of one stand (or of the whole edition for organisers), newest first."""
    query = (select(Lead).join(Registration, Lead.registration_id == Registration.id)
             .join(Person, Registration.person_id == Person.id)
             .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
             .options(joinedload(Lead.registration).joinedload(Registration.person),
                      joinedload(Lead.registration).joinedload(Registration.organisation),
                      joinedload(Lead.stand).joinedload(Registration.organisation))
             .where(Lead.event_id == event.id)
             .order_by(Lead.last_scanned_at.desc(), Lead.id.desc()))
    if stand is not None:
        query = query.where(Lead.stand_id == stand.id)
    if filters.q:
        query = query.where(every_word_in(filters.q, Person.search_key, Organisation.search_key, Lead.search_key))
    if filters.min_rating is not None:
        query = query.where(Lead.rating >= filters.min_rating)
    if filters.shares_contact is not None:
        query = query.where(Registration.consent_share_contact.is_(filters.shares_contact))
    found = list(db.session.scalars(query).unique())
    if filters.tag:  # tags are a JSON list: filtered here, the same on SQLite and PostgreSQL
        found = [lead for lead in found if filters.tag in (lead.tags or [])]
    return found[:limit] if limit else found


def lead_of(stand: Registration, lead_id: int) -> Lead | None:
    """A contact of this stand only: another stand's is as good as unknown (S8)."""
    return db.session.scalar(select(Lead).where(Lead.id == lead_id, Lead.stand_id == stand.id))


def scans_of(lead: Lead) -> list[Scan]:
    return list(db.session.scalars(select(Scan).options(joinedload(Scan.device))
                                   .where(Scan.lead_id == lead.id).order_by(Scan.scanned_at)))


@atomic()
def edit_lead(lead: Lead, *, notes: str, rating: int | None, tags: list[str], actor_id: int) -> None:
    """The team edits a contact on the web: what they send is what is kept."""
    max_notes = current_app.config["LEADS_MAX_NOTES"]
    if len(notes) > max_notes:
        raise LeadError("notes_too_long", "notes", length=len(notes), max=max_notes)
    if rating is not None and not 0 <= rating <= 5:
        raise LeadError("rating_invalid", "rating")
    lead.notes = notes.strip()
    lead.rating = rating
    lead.tags = clean_tags(tags)
    audit.record("lead.edit", actor_id=actor_id, event_id=lead.event_id, obj=lead)


def scanned_by(registration: Registration) -> list[tuple[str, datetime, int]]:
    """Who scanned this attendee: the startup's name, the first scan time, how many scans."""
    rows = db.session.execute(
        select(Lead, Registration).join(Registration, Lead.stand_id == Registration.id)
        .options(joinedload(Registration.organisation), joinedload(Registration.person))
        .where(Lead.registration_id == registration.id).order_by(Lead.first_scanned_at)).all()
    return [(stand_name(stand), lead.first_scanned_at, lead.num_scans) for lead, stand in rows]
