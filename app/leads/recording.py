"""Recording a device's batch of scans as contacts: each scan once (R2, R4), one contact per person (R3).

A batch of 3,000 scans from a device coming back online must be stored in a few seconds, so the rows are
read and written with set-based statements rather than one ORM object at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.audit import services as audit
from app.badging.services import badge_refusal, code_fingerprint, find_badges
from app.core.changes import note_created
from app.core.database_away import is_database_away
from app.core.search import fold
from app.core.timefmt import utcnow
from app.core.transaction import atomic_write
from app.extensions import db
from app.leads.devices import DeviceRef
from app.leads.errors import LeadError
from app.leads.models import Lead, Scan
from app.leads.scan_hooks import NewScan, scans_recorded
from app.leads.services import PersonFacts, clean_tags, contact, visible
from app.people.models import Organisation, Person, display_name
from app.registrations.models import Registration

CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: How far ahead of the server a device's clock may run before its scan times are refused.
CLOCK_SKEW_MINUTES = 10
CHUNK = 500


@dataclass
class ScanInput:
    index: int
    client_id: str
    code: str
    scanned_at: datetime
    notes: str = ""
    rating: int | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class ScanResult:
    """`status`: stored (new), updated (known client id, new notes, rating or tags), duplicate (a replay),
    refused (with `error`). `contact` is what the stand may see of the person, read in the same transaction."""

    index: int
    client_id: str | None
    status: str
    error: LeadError | None = None
    contact: dict | None = None


def parse_scan(index: int, raw: object, *, now: datetime) -> ScanInput:
    """One entry of a batch, checked field by field (R9): LeadError names the first problem."""
    if not isinstance(raw, dict):
        raise LeadError("not_an_object")
    client_id = raw.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
        raise LeadError("client_id_invalid", "client_id")
    code = raw.get("code")
    if code is None:
        code = ""  # allowed for a scan the server already has: the scanner reopens it to add notes (_store checks)
    if not isinstance(code, str):
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
                     notes=visible(notes).strip(), rating=rating, tags=clean_tags(raw.get("tags")))


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise LeadError("scanned_at_invalid", "scanned_at")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise LeadError("scanned_at_invalid", "scanned_at") from exc
    if parsed.tzinfo is None:
        raise LeadError("scanned_at_invalid", "scanned_at")
    try:
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError as exc:  # a time before the first or past the last day a datetime can hold
        raise LeadError("scanned_at_invalid", "scanned_at") from exc


def record_scans(device: DeviceRef, entries: list, *, now: datetime | None = None) -> list[ScanResult]:
    """Store a batch of scans from `device`; the good ones are stored, the bad ones reported.

    A unit of work of its own that holds the write lock from its first read (`atomic_write`): what the
    batch reads of the stand's scans and contacts cannot change before it writes, and it commits once.

    Each entry is stored once per stand and client id: a replay is reported as a duplicate with the stored
    contact, a later upload of the same scan may add notes, a rating or tags, and an empty field never
    erases anything (R2, R3, R4). A race with another device of the stand is settled by the unique
    constraints (or a deadlock on PostgreSQL) and a retry of the whole batch.
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
            with atomic_write():
                results = _store(device, parsed, now=now)
            break
        except (IntegrityError, OperationalError) as error:
            # Another request stored the same scan or contact meanwhile (rolled back): start again, it is now known.
            # A database that is away (or a lock held past the busy timeout) is not waited for three times: the
            # device hears 503 at once and sends the batch again later.
            if attempt == 2 or is_database_away(error):
                raise
    return sorted(refused + results, key=lambda r: r.index)


@dataclass
class _LeadState:
    """A contact as the batch changes it; written once at the end."""

    id: int | None
    registration_id: int
    notes: str
    rating: int | None
    tags: list[str]
    first_scanned_at: datetime
    last_scanned_at: datetime
    num_scans: int
    changed: bool = False


@dataclass
class _ScanState:
    id: int | None
    client_id: str
    registration_id: int
    scanned_at: datetime
    notes: str
    rating: int | None
    tags: list[str]
    changed: bool = False


def _chunked(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _store(device: DeviceRef, entries: list[ScanInput], *, now: datetime) -> list[ScanResult]:
    event_id, stand_id = device.event_id, device.stand_id
    scans: dict[str, _ScanState] = {}
    for ids in _chunked(sorted({e.client_id for e in entries})):
        for row in db.session.execute(select(Scan.id, Scan.client_id, Scan.registration_id, Scan.scanned_at, Scan.notes,
                                             Scan.rating, Scan.tags)
                                      .where(Scan.stand_id == stand_id, Scan.client_id.in_(ids))):
            scans[row.client_id] = _ScanState(row.id, row.client_id, row.registration_id, row.scanned_at, row.notes,
                                              row.rating, list(row.tags or []))
    tokens = find_badges([e.code for e in entries if e.client_id not in scans and e.code])
    registration_ids = sorted({s.registration_id for s in scans.values()} | {t.registration_id for t in tokens.values()})
    leads = _lock_leads(stand_id, registration_ids)

    results: list[tuple[ScanInput, str, LeadError | None, int | None]] = []
    new_scans: list[_ScanState] = []
    num_refused = 0
    for entry in entries:
        scan = scans.get(entry.client_id)
        if scan is not None:
            changed = _annotate(scan, leads[scan.registration_id], entry)
            results.append((entry, "updated" if changed else "duplicate", None, scan.registration_id))
            continue
        if not entry.code:  # notes for a scan this stand does not have: nothing to attach them to
            results.append((entry, "refused", LeadError("code_missing", "code"), None))
            continue
        token = tokens.get(entry.code)
        reason = badge_refusal(event_id, entry.code, token)
        if reason:
            num_refused += 1
            audit.record("lead.scan_refused", actor_id=None, event_id=event_id,
                         details={"device_id": device.id, "reason": reason,
                                  "code_sha256": code_fingerprint(entry.code)})
            results.append((entry, "refused", LeadError(reason, "code"), None))
            continue
        registration_id = token.registration_id
        lead = leads.get(registration_id)
        if lead is None:
            lead = leads[registration_id] = _LeadState(None, registration_id, "", None, [], entry.scanned_at,
                                                       entry.scanned_at, 0)
        scan = scans[entry.client_id] = _ScanState(None, entry.client_id, registration_id, entry.scanned_at, "", None, [])
        new_scans.append(scan)
        lead.num_scans += 1
        lead.first_scanned_at = min(lead.first_scanned_at, entry.scanned_at)
        lead.last_scanned_at = max(lead.last_scanned_at, entry.scanned_at)
        lead.changed = True
        _annotate(scan, lead, entry)
        results.append((entry, "stored", None, registration_id))

    _write(device, event_id, stand_id, leads, new_scans, [s for s in scans.values() if s.id is not None and s.changed],
           now=now)
    if new_scans:
        audit.record("lead.scan", actor_id=None, event_id=event_id,
                     details={"device_id": device.id, "stand_id": stand_id, "stored": len(new_scans)})
        scans_recorded(event_id, stand_id, [NewScan(s.registration_id, s.scanned_at) for s in new_scans])
    facts = _facts([registration_id for *_, registration_id in results if registration_id is not None])
    out = []
    for entry, status, error, registration_id in results:
        view = None
        if registration_id is not None:
            lead = leads[registration_id]
            view = contact(lead.id, facts[registration_id], notes=lead.notes, rating=lead.rating, tags=lead.tags,
                           num_scans=lead.num_scans, first_scanned_at=lead.first_scanned_at,
                           last_scanned_at=lead.last_scanned_at)
        out.append(ScanResult(entry.index, entry.client_id, status, error, view))
    return out


def _lock_leads(stand_id: int, registration_ids: list[int]) -> dict[int, _LeadState]:
    """The stand's contacts with these people, locked until the commit (PostgreSQL; SQLite holds its write lock)."""
    leads: dict[int, _LeadState] = {}
    for ids in _chunked(registration_ids):
        for row in db.session.execute(select(Lead.id, Lead.registration_id, Lead.notes, Lead.rating, Lead.tags,
                                             Lead.first_scanned_at, Lead.last_scanned_at, Lead.num_scans)
                                      .where(Lead.stand_id == stand_id, Lead.registration_id.in_(ids))
                                      .order_by(Lead.id).with_for_update()):
            leads[row.registration_id] = _LeadState(row.id, row.registration_id, row.notes, row.rating,
                                                    list(row.tags or []), row.first_scanned_at, row.last_scanned_at,
                                                    row.num_scans)
    return leads


def _annotate(scan: _ScanState, lead: _LeadState, entry: ScanInput) -> bool:
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
    new_tags = [t for t in entry.tags if t not in scan.tags]
    if new_tags:
        scan.tags = [*scan.tags, *new_tags]
        lead.tags = [*lead.tags, *(t for t in new_tags if t not in lead.tags)]
        changed = True
    scan.changed |= changed
    lead.changed |= changed
    return changed


def _merge_notes(lead_notes: str, old: str, new: str) -> str:
    if old and old in lead_notes:
        return lead_notes.replace(old, new, 1)
    if new in lead_notes:
        return lead_notes
    return f"{lead_notes}\n\n{new}" if lead_notes else new


def _write(device: DeviceRef, event_id: int, stand_id: int, leads: dict[int, _LeadState], new_scans: list[_ScanState],
           changed_scans: list[_ScanState], *, now: datetime) -> None:
    """New contacts, then new scans (which need the contacts' ids), then what changed, in a few statements."""
    known = [lead for lead in leads.values() if lead.id is not None and lead.changed]
    fresh = [lead for lead in leads.values() if lead.id is None]
    if fresh:
        rows = db.session.execute(
            insert(Lead).returning(Lead.id, Lead.registration_id, sort_by_parameter_order=True),
            [{"event_id": event_id, "stand_id": stand_id, "registration_id": lead.registration_id, "notes": lead.notes,
              "search_key": fold(lead.notes), "rating": lead.rating, "tags": lead.tags,
              "first_scanned_at": lead.first_scanned_at,
              "last_scanned_at": lead.last_scanned_at, "num_scans": lead.num_scans, "created_at": now,
              "updated_at": now} for lead in fresh])
        for row in rows:
            leads[row.registration_id].id = row.id
        note_created(db.session, "lead", [lead.id for lead in fresh], event_id)  # no session event sees them
    if known:
        db.session.execute(update(Lead), [
            {"id": lead.id, "notes": lead.notes, "search_key": fold(lead.notes), "rating": lead.rating, "tags": lead.tags,
             "first_scanned_at": lead.first_scanned_at, "last_scanned_at": lead.last_scanned_at,
             "num_scans": lead.num_scans, "updated_at": now} for lead in known])
    if new_scans:
        db.session.execute(insert(Scan), [
            {"event_id": event_id, "lead_id": leads[scan.registration_id].id, "stand_id": stand_id,
             "registration_id": scan.registration_id, "device_id": device.id, "client_id": scan.client_id,
             "scanned_at": scan.scanned_at, "received_at": now, "notes": scan.notes, "rating": scan.rating,
             "tags": scan.tags} for scan in new_scans])
    if changed_scans:
        db.session.execute(update(Scan), [{"id": scan.id, "notes": scan.notes, "rating": scan.rating,
                                           "tags": scan.tags} for scan in changed_scans])


def _facts(registration_ids: list[int]) -> dict[int, PersonFacts]:
    """What the stand may see of these people, read now (S9)."""
    facts: dict[int, PersonFacts] = {}
    for ids in _chunked(sorted(set(registration_ids))):
        for row in db.session.execute(
                select(Registration.id, Registration.job_title, Registration.consent_share_contact, Person.first_name,
                       Person.last_name, Person.email, Person.phone, Person.job_title.label("person_job_title"),
                       Organisation.name.label("organisation"))
                .join(Person, Registration.person_id == Person.id)
                .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
                .where(Registration.id.in_(ids))):
            facts[row.id] = PersonFacts(name=display_name(row.first_name, row.last_name),
                                        organisation=row.organisation or "",
                                        job_title=row.job_title or row.person_job_title, email=row.email,
                                        phone=row.phone, shares_contact=bool(row.consent_share_contact))
    return facts
