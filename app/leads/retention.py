"""Contacts are kept for a retention period after their edition, then erased (S12).

The period runs from the edition's last day: `LEADS_RETENTION_DAYS` days later, its contacts and scans are
deleted, every stand's alike, and the erasure is audited with its counts (never with personal data). It is one
kind of the retention pass (app.privacy.retention, kind `leads`), which runs daily and by `flask data purge`;
`flask leads purge` runs it alone by hand, or only tells what it would erase.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.leads.models import Lead, Scan


@dataclass(frozen=True)
class Expired:
    """An edition past its retention period, with what it still holds."""

    event_id: int
    slug: str
    ends_on: date
    num_contacts: int
    num_scans: int


def expired_editions(*, today: date, retention_days: int) -> list[Expired]:
    """Editions whose last day is more than `retention_days` before `today` and that still hold contacts."""
    if retention_days < 0:
        raise ValueError("the retention period must be zero days or more")
    cutoff = today - timedelta(days=retention_days)
    contacts = (select(Lead.event_id, func.count().label("n")).group_by(Lead.event_id).subquery())
    scans = (select(Scan.event_id, func.count().label("n")).group_by(Scan.event_id).subquery())
    rows = db.session.execute(
        select(Event.id, Event.slug, Event.ends_on, func.coalesce(contacts.c.n, 0), func.coalesce(scans.c.n, 0))
        .outerjoin(contacts, contacts.c.event_id == Event.id)
        .outerjoin(scans, scans.c.event_id == Event.id)
        .where(Event.ends_on < cutoff, (contacts.c.n > 0) | (scans.c.n > 0))
        .order_by(Event.ends_on, Event.id))
    return [Expired(*row) for row in rows]


@atomic()
def purge_expired_contacts(*, today: date, retention_days: int) -> list[Expired]:
    """Erase the contacts and scans of every edition past its retention period, with an audit row each."""
    expired = expired_editions(today=today, retention_days=retention_days)
    for edition in expired:
        db.session.execute(delete(Scan).where(Scan.event_id == edition.event_id))
        db.session.execute(delete(Lead).where(Lead.event_id == edition.event_id))
        audit.record("lead.purge", actor_id=None, event_id=edition.event_id,
                     details={"contacts": edition.num_contacts, "scans": edition.num_scans,
                              "ended_on": edition.ends_on.isoformat(), "retention_days": retention_days})
    return expired

