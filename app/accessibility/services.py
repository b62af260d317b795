"""Reports of accessibility problems: stored, and mailed through the outbox to whoever answers them.

Who answers: the address set in ACCESSIBILITY_CONTACT when there is one, else the organisers of the newest open
edition, else the platform's staff. The mail carries the edition's id, so the organisers also read it in their
edition's outbox. A report is bounded per sender's address (a hash of it is kept, never the address) and
across the whole site per hour, so the form cannot be used to flood the organisers' mailboxes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.accessibility.models import AccessibilityReport
from app.auth.models import EventRole, RoleName
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import Event, EventStatus
from app.extensions import db
from app.mail.services import send_mail
from app.people.models import Person

WINDOW = timedelta(hours=1)


class ReportError(DomainError):
    """A report refused: `throttled` (too many from this address, or from everyone, in the last hour)."""


@dataclass(frozen=True)
class ReportInput:
    email: str
    page: str
    message: str
    name: str = ""
    locale: str = "fr"


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str


def address_hash(address: str) -> str:
    """What is kept of the sender's address: a keyed hash, enough to count reports, useless to find anyone."""
    key = current_app.config["SECRET_KEY"].encode()
    return hashlib.blake2b(address.encode("utf-8", "replace"), key=key[:64], digest_size=32).hexdigest()


def newest_open_edition() -> Event | None:
    return db.session.scalar(select(Event).where(Event.status == EventStatus.OPEN)
                             .order_by(Event.starts_on.desc(), Event.id.desc()).limit(1))


def recipients(event: Event | None) -> list[Recipient]:
    """Who reads reports: the configured contact, else the edition's organisers, else the platform's staff."""
    contact = (current_app.config.get("ACCESSIBILITY_CONTACT") or "").strip()
    if contact:
        return [Recipient(contact, current_app.config["BABEL_DEFAULT_LOCALE"])]
    people: list[Person] = []
    if event is not None:
        people = list(db.session.scalars(
            select(Person).join(EventRole, EventRole.person_id == Person.id)
            .where(EventRole.event_id == event.id, EventRole.role == RoleName.ORGANISER, Person.is_enabled)
            .order_by(Person.id)))
    if not people:
        people = list(db.session.scalars(select(Person).where(Person.is_staff, Person.is_enabled).order_by(Person.id)))
    return [Recipient(p.email, p.locale or current_app.config["BABEL_DEFAULT_LOCALE"]) for p in people]


def _check_bounds(hashed: str) -> None:
    config = current_app.config
    since = utcnow() - WINDOW
    recent = select(func.count()).select_from(AccessibilityReport).where(AccessibilityReport.created_at >= since)
    from_address = db.session.scalar(recent.where(AccessibilityReport.address_hash == hashed))
    if from_address >= config["ACCESSIBILITY_REPORTS_PER_ADDRESS_PER_HOUR"]:
        raise ReportError("throttled")
    if db.session.scalar(recent) >= config["ACCESSIBILITY_REPORTS_PER_HOUR"]:
        raise ReportError("throttled")


@atomic()
def report_problem(data: ReportInput, *, address: str) -> AccessibilityReport:
    """Store the report and queue one mail to each recipient; ReportError('throttled') past the bounds."""
    hashed = address_hash(address)
    _check_bounds(hashed)
    event = newest_open_edition()
    report = AccessibilityReport(event_id=event.id if event else None, name=data.name.strip(),
                                 email=data.email.strip(), page=data.page.strip(), message=data.message.strip(),
                                 locale=data.locale, address_hash=hashed)
    db.session.add(report)
    db.session.flush()
    for recipient in recipients(event):
        send_mail(recipient.email, template="accessibility_report", locale=recipient.locale,
                  kind="accessibility_report", event_id=report.event_id, report=report, event=event)
    return report
