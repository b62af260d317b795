"""Recording scans as contacts (R2, R3, R4), what an exhibitor may see of them (S9), and finding them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.auth.models import EventRole, RoleName
from app.badging.services import badge_refusal, code_fingerprint, find_badges
from app.core.timefmt import utcnow
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.leads.errors import LeadError
from app.leads.models import Device, Lead, Scan, StandTag
from app.people.models import Organisation, Person
from app.registrations.models import Registration, RegistrationStatus

CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
#: How far ahead of the server a device's clock may run before its scan times are refused.
CLOCK_SKEW_MINUTES = 10


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
    return stand.organisation.name if stand.organisation else stand.person.full_name


def stands_of(event: Event) -> list[Registration]:
    """The confirmed startups of an edition (their lead registrations), by name."""
    stands = list(db.session.scalars(
        select(Registration).options(joinedload(Registration.organisation), joinedload(Registration.person))
        .where(Registration.event_id == event.id, Registration.team_lead_id.is_(None),
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.category.has(code=CategoryCode.STARTUP))))
    return sorted(stands, key=lambda s: stand_name(s).lower())


def tags_of(stand: Registration) -> list[str]:
    return list(db.session.scalars(select(StandTag.label).where(StandTag.stand_id == stand.id)
                                   .order_by(StandTag.position, StandTag.id)))


def clean_tags(raw: object) -> list[str]:
    """A list of distinct, trimmed tags, or LeadError naming what is wrong."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise LeadError("tags_invalid", "tags")
    tags: list[str] = []
    for tag in raw:
        tag = " ".join(tag.split())
        if len(tag) > MAX_TAG_LENGTH:
            raise LeadError("tag_too_long", "tags", max=MAX_TAG_LENGTH)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise LeadError("too_many_tags", "tags", max=MAX_TAGS)
    return tags


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

def contact_view(lead: Lead) -> dict:
    """A contact as its stand may see it, from the person's consent as it is now (S9)."""
    registration = lead.registration
    person = registration.person
    shares = bool(registration.consent_share_contact)
    return {
        "lead_id": lead.id,
        "name": person.full_name,
        "organisation": registration.organisation.name if registration.organisation else "",
        "job_title": registration.job_title or person.job_title,
        "shares_contact": shares,
        "email": person.email if shares else None,
        "phone": (person.phone or None) if shares else None,
        "notes": lead.notes,
        "rating": lead.rating,
        "tags": list(lead.tags or []),
        "num_scans": lead.num_scans,
        "first_scanned_at": _iso(lead.first_scanned_at),
        "last_scanned_at": _iso(lead.last_scanned_at),
    }


def _iso(value: datetime) -> str:
    return value.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


# -- recording scans -------------------------------------------------------------------------------

@dataclass
class ScanInput:
    index: int
    client_id: str
    code: str
    scanned_at: datetime
    notes: str = ""
    rating: int | None = None
    tags: list[str] = field(default_factory=list)


def parse_scan(index: int, raw: object, *, now: datetime) -> ScanInput:
    """One entry of a batch, checked field by field (R9): LeadError names the first problem."""
    if not isinstance(raw, dict):
        raise LeadError("not_an_object")
    client_id = raw.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise LeadError("client_id_invalid", "client_id")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise LeadError("code_missing", "code")
    scanned_at = _parse_time(raw.get("scanned_at"))
    if scanned_at > now + timedelta(minutes=CLOCK_SKEW_MINUTES):
        raise LeadError("scanned_at_future", "scanned_at", minutes=CLOCK_SKEW_MINUTES)
    notes = raw.get("notes") or ""
    if not isinstance(notes, str):
        raise LeadError("notes_invalid", "notes")
    max_notes = current_app.config["LEADS_MAX_NOTES"]
    if len(notes) > max_notes:
        raise LeadError("notes_too_long", "notes", length=len(notes), max=max_notes)
    rating = raw.get("rating")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 5):
        raise LeadError("rating_invalid", "rating")
    return ScanInput(index=index, client_id=client_id, code=code.strip()[:200], scanned_at=scanned_at,
                     notes=notes.strip(), rating=rating, tags=clean_tags(raw.get("tags")))


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise LeadError("scanned_at_invalid", "scanned_at")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise LeadError("scanned_at_invalid", "scanned_at") from exc
    if parsed.tzinfo is None:
        raise LeadError("scanned_at_invalid", "scanned_at")
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass
class ScanResult:
    """`status`: stored (new), updated (known client id, new notes, rating or tags), duplicate (a replay),
    refused (with `error`)."""

    index: int
    client_id: str | None
    status: str
    error: LeadError | None = None
    lead: Lead | None = None
    #: What the stand may see of the person, as read in the storing transaction.
    contact: dict | None = None


def record_scans(device: Device, entries: list, *, now: datetime | None = None) -> list[ScanResult]:
    """Store a batch of scans from `device`; the good ones are stored, the bad ones reported. Commits.

    Each entry is stored once per stand and client id: a replay is reported as a duplicate with the
    stored contact, a later upload of the same scan may add notes, a rating or tags, and an empty field
    never erases anything (R2, R3, R4). Races between devices are settled by the unique constraints and
    a retry.
    """
    now = now or utcnow()
    max_batch = current_app.config["LEADS_MAX_BATCH"]
    if len(entries) > max_batch:
        raise LeadError("too_many_scans", max=max_batch)
    parsed: list[ScanInput] = []
    refused: list[ScanResult] = []
    for index, raw in enumerate(entries):
        try:
            parsed.append(parse_scan(index, raw, now=now))
        except LeadError as error:
            client_id = raw.get("client_id") if isinstance(raw, dict) else None
            refused.append(ScanResult(index, client_id if isinstance(client_id, str) else None, "refused", error))
    for attempt in range(3):
        try:
            results = _store(device, parsed, now=now)
            break
        except IntegrityError:
            # Another request stored the same scan or contact meanwhile: start again, it is now known.
            db.session.rollback()
            if attempt == 2:
                raise
    return sorted(refused + results, key=lambda r: r.index)


def _begin_write() -> None:
    """Serialise writers: SQLite's write lock now rather than a failed upgrade later."""
    db.session.commit()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _store(device: Device, entries: list[ScanInput], *, now: datetime) -> list[ScanResult]:
    _begin_write()
    device = db.session.get(Device, device.id)
    event = db.session.get(Event, device.event_id)
    stand_id = device.stand_id
    tokens = find_badges([e.code for e in entries])
    known = _in_chunks(lambda ids: select(Scan).options(joinedload(Scan.lead).options(*_LEAD_LOADS))
                       .where(Scan.stand_id == stand_id, Scan.client_id.in_(ids)),
                       sorted({e.client_id for e in entries}))
    scans = {s.client_id: s for s in known}
    registration_ids = sorted({t.registration_id for t in tokens.values()})
    leads = {lead.registration_id: lead for lead in _in_chunks(
        lambda ids: select(Lead).options(*_LEAD_LOADS).where(Lead.stand_id == stand_id, Lead.registration_id.in_(ids)),
        registration_ids)}
    results: list[ScanResult] = []
    num_stored = 0
    for entry in entries:
        scan = scans.get(entry.client_id)
        if scan is not None:
            lead = scan.lead
            changed = _annotate(scan, lead, entry)
            results.append(ScanResult(entry.index, entry.client_id, "updated" if changed else "duplicate", lead=lead))
            continue
        token = tokens.get(entry.code)
        reason = badge_refusal(event, entry.code, token)
        if reason:
            audit.record("lead.scan_refused", actor_id=None, event_id=event.id, obj=device,
                         details={"reason": reason, "code_sha256": code_fingerprint(entry.code)})
            results.append(ScanResult(entry.index, entry.client_id, "refused", LeadError(reason, "code")))
            continue
        registration_id = token.registration_id
        lead = leads.get(registration_id)
        if lead is None:
            lead = Lead(event_id=event.id, stand_id=stand_id, registration_id=registration_id, notes="", tags=[],
                        first_scanned_at=entry.scanned_at, last_scanned_at=entry.scanned_at, num_scans=0)
            lead.registration = token.registration
            db.session.add(lead)
            leads[registration_id] = lead
        scan = Scan(event_id=event.id, lead=lead, stand_id=stand_id, registration_id=registration_id,
                    device_id=device.id, client_id=entry.client_id, scanned_at=entry.scanned_at, received_at=now,
                    notes="", rating=None, tags=[])
        db.session.add(scan)
        scans[entry.client_id] = scan
        lead.num_scans += 1
        lead.first_scanned_at = min(lead.first_scanned_at, entry.scanned_at)
        lead.last_scanned_at = max(lead.last_scanned_at, entry.scanned_at)
        _annotate(scan, lead, entry)
        num_stored += 1
        results.append(ScanResult(entry.index, entry.client_id, "stored", lead=lead))
    if num_stored:
        audit.record("lead.scan", actor_id=None, event_id=event.id, obj=device,
                     details={"stand_id": stand_id, "stored": num_stored})
    db.session.flush()
    for result in results:  # read before the commit expires every row
        if result.lead is not None:
            result.contact = contact_view(result.lead)
    db.session.commit()
    return results


_LEAD_LOADS = (joinedload(Lead.registration).joinedload(Registration.person),
               joinedload(Lead.registration).joinedload(Registration.organisation))


def _in_chunks(query, values: list) -> list:
    found = []
    for start in range(0, len(values), 500):
        found.extend(db.session.scalars(query(values[start:start + 500])))
    return found


def _annotate(scan: Scan, lead: Lead, entry: ScanInput) -> bool:
    """Carry a scan's notes, rating and tags to the scan and its contact; empty fields change nothing (R3).

    Notes of different scans add up; a later upload of the same scan replaces that scan's own words.
    """
    changed = False
    if entry.notes and entry.notes != scan.notes:
        lead.notes = _merge_notes(lead.notes, scan.notes, entry.notes)
        scan.notes = entry.notes
        changed = True
    if entry.rating is not None and entry.rating != scan.rating:
        scan.rating = lead.rating = entry.rating
        changed = True
    new_tags = [t for t in entry.tags if t not in (scan.tags or [])]
    if new_tags:
        scan.tags = [*(scan.tags or []), *new_tags]
        lead.tags = [*(lead.tags or []), *(t for t in new_tags if t not in (lead.tags or []))]
        changed = True
    return changed


def _merge_notes(lead_notes: str, old: str, new: str) -> str:
    if old and old in lead_notes:
        return lead_notes.replace(old, new, 1)
    if new in lead_notes:
        return lead_notes
    return f"{lead_notes}\n\n{new}" if lead_notes else new


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
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Person.first_name + " " + Person.last_name).like(like),
                                func.lower(Organisation.name).like(like), func.lower(Lead.notes).like(like)))
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
