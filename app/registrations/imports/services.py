"""Check an attendee file against the edition and the database, and import it in one transaction."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.forms import COUNTRIES
from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.registrations.delegations import create_delegation
from app.registrations.imports.models import ImportBatch, ImportStatus
from app.registrations.imports.parsing import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    EditionRules,
    ImportRow,
    ParsedFile,
    RowError,
    parse,
)
from app.registrations.imports.vocabulary import normalise
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.services import RegistrationError, register

SAMPLE_SIZE = 10
#: How many e-mails one IN (...) query looks up (well below SQLite's variable limit).
LOOKUP_CHUNK = 500
IMPORT_SOURCE = "import"


class ImportRefused(Exception):
    """The file has bad rows (or gained some since its preview): nothing was imported.

    `summary` is the file's new check (ImportCheck.summary) when the refusal comes before the import starts.
    """

    def __init__(self, errors: list[RowError], summary: dict | None = None):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors
        self.summary = summary


@dataclass
class ImportCheck:
    """A parsed file sorted against the database: rows to create, rows already registered."""

    parsed: ParsedFile
    new_rows: list[ImportRow] = field(default_factory=list)
    #: Rows whose person is already registered to the edition, with that registration's status.
    existing: list[tuple[ImportRow, RegistrationStatus]] = field(default_factory=list)

    def summary(self) -> dict:
        """Plain JSON: counts, every bad row (codes, to be worded in the reader's language) and samples."""
        return {
            "num_lines": self.parsed.num_lines,
            "num_new": len(self.new_rows),
            "num_unchanged": len(self.existing),
            "num_errors": len(self.parsed.errors),
            "num_bad_lines": len({e.line for e in self.parsed.errors}),
            "columns": self.parsed.columns,
            "ignored_columns": self.parsed.ignored_columns,
            "cleaned_lines": self.parsed.cleaned_lines,
            "errors": [{"line": e.line, "column": e.column, "code": e.code, "params": e.params}
                       for e in self.parsed.errors],
            "sample": [_sample(row) for row in self.new_rows[:SAMPLE_SIZE]],
            "unchanged_sample": [dict(_sample(row), current_status=status.value)
                                 for row, status in self.existing[:SAMPLE_SIZE]],
        }


def _sample(row: ImportRow) -> dict:
    data = row.data
    return {"line": row.line, "email": data.email, "first_name": data.first_name, "last_name": data.last_name,
            "category": data.category.value, "organisation": data.organisation_name, "status": row.status.value,
            "days": [d.isoformat() for d in data.days], "delegation": row.delegation}


def row_errors_of(summary: dict) -> list[RowError]:
    return [RowError(e["line"], e["column"], e["code"], e.get("params") or {}) for e in summary.get("errors", [])]


def edition_rules(event: Event) -> EditionRules:
    return EditionRules(
        days=tuple(event.days),
        open_categories=frozenset(c.code for c in event.categories if c.is_open),
        themes={t.code: (t.name_fr, t.name_en) for t in event.themes},
        countries=_country_names(),
        default_country=event.country if event.country in COUNTRIES else "FR",
    )


@cache
def _country_names() -> dict[str, tuple[str, ...]]:
    """The countries the registration form offers, by their French and English names."""
    french, english = Locale("fr").territories, Locale("en").territories
    return {code: (french.get(code, code), english.get(code, code)) for code in COUNTRIES}


def check_file(event: Event, content: bytes, filename: str) -> ImportCheck:
    """Parse `content` and sort its good rows into new and already registered. Writes nothing.

    Raises parsing.FileProblem when the file as a whole cannot be read.
    """
    config = current_app.config
    parsed = parse(content, filename, edition_rules(event),
                   max_bytes=config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES),
                   max_rows=config.get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))
    statuses = _registered_statuses(event, [row.data.email for row in parsed.rows])
    check = ImportCheck(parsed=parsed)
    for row in parsed.rows:
        status = statuses.get(row.data.email)
        if status is None:
            check.new_rows.append(row)
        else:
            check.existing.append((row, status))
    return check


def _registered_statuses(event: Event, emails: list[str]) -> dict[str, RegistrationStatus]:
    """E-mail -> status of that person's registration to `event`, for those who have one."""
    found: dict[str, RegistrationStatus] = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start:start + LOOKUP_CHUNK]
        found.update((email, status) for email, status in db.session.execute(
            select(Person.email, Registration.status).join(Registration, Registration.person_id == Person.id)
            .where(Registration.event_id == event.id, Person.email.in_(chunk))
        ).all())
    return found


@atomic()
def store_batch(event: Event, content: bytes, filename: str, check: ImportCheck, *, actor_id: int | None,
                status: ImportStatus = ImportStatus.PREVIEWED, keep_content: bool = True) -> ImportBatch:
    """Record an uploaded file (kept until it is confirmed)."""
    batch = ImportBatch(event_id=event.id, filename=(filename or "import.csv")[-255:],
                        content=content if keep_content else b"",
                        size=len(content), sha256=hashlib.sha256(content).hexdigest(), status=status,
                        summary=check.summary(), created_by_id=actor_id)
    db.session.add(batch)
    return batch


def dedupe_key(batch: ImportBatch) -> str:
    return f"import_attendees:batch:{batch.id}"


@atomic()
def run_import(event: Event, content: bytes, filename: str, *, actor_id: int | None, notify: bool,
               batch_id: int | None = None) -> dict:
    """Register every new row of the file, or none: one unit of work (the job's, when a job runs it).

    Rows whose person is already registered are left exactly as they are, so importing the
    same file twice changes nothing. Raises ImportRefused (with the bad rows) when any row
    is bad, parsing.FileProblem when the file cannot be read.
    """
    check = check_file(event, content, filename)
    if check.parsed.errors:
        raise ImportRefused(check.parsed.errors)
    delegations = _Delegations(event, actor_id)
    email_column = check.parsed.columns.get("email", "email")
    for row in check.new_rows:
        try:
            # register() flushes each registration itself; autoflushing before each of its look-ups
            # as well only doubles the work.
            with db.session.no_autoflush:
                registration = register(event, row.data, source=IMPORT_SOURCE, actor_id=actor_id, notify=notify,
                                        status=row.status)
        except RegistrationError as exc:  # the edition or the registrations changed since the check
            raise ImportRefused([_refusal(event, row, exc, check.parsed.columns)]) from exc
        except IntegrityError as exc:  # someone registered the same person meanwhile
            raise ImportRefused([RowError(row.line, email_column, "registered_meanwhile",
                                          {"email": row.data.email})]) from exc
        if row.delegation:
            delegations.add(row.delegation, registration)
    result = {
        "created": len(check.new_rows),
        "unchanged": len(check.existing),
        "delegations_created": delegations.num_created,
        "delegation_members_added": delegations.num_members_added,
        "notified": bool(notify),
    }
    audit.record("registration.import", actor_id=actor_id, event_id=event.id,
                 details={**result, "sha256": hashlib.sha256(content).hexdigest(),
                          "batch_id": batch_id, "lines": check.parsed.num_lines})
    return result


@atomic()
def import_file(event: Event, content: bytes, filename: str, check: ImportCheck, *, actor_id: int | None,
                notify: bool) -> dict:
    """Import a checked file at once (the command line): its batch record and every row, or nothing."""
    batch = store_batch(event, content, filename, check, actor_id=actor_id, status=ImportStatus.IMPORTED,
                        keep_content=False)
    db.session.flush()
    result = run_import(event, content, filename, actor_id=actor_id, notify=notify, batch_id=batch.id)
    batch.summary = {**batch.summary, "result": result}
    return result


def _refusal(event: Event, row: ImportRow, exc: RegistrationError, columns: dict[str, str]) -> RowError:
    """register()'s refusal, worded as the parser words the same problem."""
    field = exc.field or "email"
    code = {"duplicate": "registered_meanwhile", "no_day": "required"}.get(exc.code, exc.code)
    params = {"email": row.data.email, "value": row.data.category.value,
              "first": event.starts_on.isoformat(), "last": event.ends_on.isoformat()}
    if "theme" in exc.params or "day" in exc.params:
        params["value"] = exc.params.get("theme") or exc.params.get("day")
    return RowError(row.line, columns.get(field, field), code, params)


class _Delegations:
    """Delegations named in the file: found by name (case and accents aside) or created; members appended."""

    def __init__(self, event: Event, actor_id: int | None):
        self.event = event
        self.actor_id = actor_id
        self.by_name = {normalise(d.name): d for d in db.session.scalars(
            select(Delegation).where(Delegation.event_id == event.id))}
        self.next_rank: dict[int, int] = {}
        self.num_created = 0
        self.num_members_added = 0

    def add(self, name: str, registration: Registration) -> None:
        delegation = self.by_name.get(normalise(name))
        if delegation is None:
            delegation = create_delegation(self.event, name, actor_id=self.actor_id)
            self.by_name[normalise(name)] = delegation
            self.num_created += 1
        if delegation.id not in self.next_rank:
            highest = db.session.scalar(
                select(func.max(Registration.protocol_rank)).where(Registration.delegation_id == delegation.id))
            self.next_rank[delegation.id] = (highest or 0) + 1
        registration.delegation = delegation
        registration.protocol_rank = self.next_rank[delegation.id]
        self.next_rank[delegation.id] += 1
        self.num_members_added += 1
