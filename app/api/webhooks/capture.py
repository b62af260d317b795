"""Every change that other tools are told of, whichever path made it (forms, imports, the API, commands, the
demo loader): SQLAlchemy session events registered once for every session of the process.

- `before_flush` moves the `updated_at` of the registrations of a person whose name, e-mail or phone changes,
  of a registration whose themes change, of a delegation whose members or their order change, and of a stand
  whose bookings change (what the API shows of them changed);
- `after_flush` notes new and changed rows (a registration created, or changed in a real column; a check-in,
  a contact scanned, a visit plan published, a program publication) in `session.info`, with the rows a service
  wrote by a Core INSERT and noted through app.core.changes (the contacts a stand's scanner creates);
- `before_commit` writes one WebhookDelivery per active endpoint subscribed to the event's type, in the same
  transaction as the change (one query finds the endpoints of every edition concerned);
- `after_commit` wakes the delivery task. The queue being down never fails the change: the periodic pass
  (every minute) sends what is pending. Nothing is sent during the request.
- A rollback, or a session closed without a commit, forgets the notes (`after_transaction_end`).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.api.models import WebhookDelivery, WebhookEndpoint
from app.api.schemas.registrations import RegistrationOut
from app.api.webhooks import kinds
from app.api.webhooks.tasks import wake
from app.badging.models import CheckIn
from app.core import changes
from app.core.timefmt import utcnow
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.events.models import Event
from app.leads.models import Lead
from app.people.models import Person
from app.program.models import ProgramPublication
from app.registrations.models import Delegation, Registration

_NOTES = "mediane.webhook_notes"     # {(kind, model name, id): edition id}, in the order they happened
_WRITTEN = "mediane.webhook_written"  # deliveries were written in this transaction: wake the sender on commit

#: Registration columns whose change is no news: bookkeeping the database keeps by itself.
_NOT_NEWS = frozenset({"updated_at", "search_key"})

#: A person's columns that a registration shows (RegistrationOut): their change is the registration's.
_PERSONAL = ("email", "first_name", "last_name", "phone", "country", "locale")
_PERSON_CHANGED = "mediane.person_changed"  # ids of registrations whose person or themes changed in this flush

#: The rows created by a Core INSERT (noted through app.core.changes): what each one's creation is called.
_CREATED_BY_CORE = {"lead": kinds.LEAD_CREATED}

_MODELS: dict[str, type] = {"registration": Registration, "checkin": CheckIn, "lead": Lead, "plan": VisitPlan,
                            "program": ProgramPublication}


def _changed_columns(obj) -> bool:
    state = inspect(obj)
    for attribute in state.mapper.column_attrs:
        if attribute.key in _NOT_NEWS or attribute.key in state.unloaded:
            continue
        if state.attrs[attribute.key].history.has_changes():
            return True
    return False


def _plan_published(plan: VisitPlan, *, new: bool) -> bool:
    if plan.status != PlanStatus.PUBLISHED:
        return False
    if new:
        return True
    state = inspect(plan)
    return state.attrs.status.history.has_changes() or state.attrs.published_at.history.has_changes()


def _before_flush(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    """A person's name, e-mail or phone changed, or a registration's themes (a link table, no column of its own):
    the registrations changed too (their `updated_at` moves, so that a client syncing with updated_since reads
    them again, and registration.updated is sent)."""
    now = utcnow()
    _stands_booked(session, now)
    _themes_changed(session, now)
    _delegations_changed(session, now)
    people = [obj.id for obj in session.dirty if isinstance(obj, Person) and obj.id is not None
              and any(inspect(obj).attrs[key].history.has_changes() for key in _PERSONAL)]
    if not people:
        return
    with session.no_autoflush:
        registrations = session.scalars(select(Registration).where(Registration.person_id.in_(people))).all()
    for registration in registrations:
        registration.updated_at = now
    session.info.setdefault(_PERSON_CHANGED, set()).update(r.id for r in registrations)


def _themes_changed(session: Session, now) -> None:
    changed = [obj for obj in session.dirty if isinstance(obj, Registration) and obj.id is not None
               and "themes" not in inspect(obj).unloaded and inspect(obj).attrs.themes.history.has_changes()]
    for registration in changed:
        registration.updated_at = now
    if changed:
        session.info.setdefault(_PERSON_CHANGED, set()).update(r.id for r in changed)


def _delegations_changed(session: Session, now) -> None:
    """A registration joined a delegation, left it, moved to another or changed rank (an import, the back office,
    the API): the delegations it left and joined changed (the API shows a delegation with its members in order)."""
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Registration):
            continue
        state = inspect(obj)
        joined, member = state.attrs.delegation.history, state.attrs.delegation_id.history
        if not (obj in session.new or obj in session.deleted or joined.has_changes() or member.has_changes()
                or state.attrs.protocol_rank.history.has_changes()):
            continue
        ids.update(d.id for d in (*joined.added, *joined.deleted, *joined.unchanged) if d is not None)
        ids.update((*member.added, *member.deleted, *member.unchanged))
        ids.add(state.dict.get("delegation_id"))
    ids.discard(None)
    if not ids:
        return
    with session.no_autoflush:
        for delegation in session.scalars(select(Delegation).where(Delegation.id.in_(ids))):
            delegation.updated_at = now


def _stands_booked(session: Session, now) -> None:
    """A startup booked on a stand, or its booking changed or removed: the stand changed (the API shows a stand
    with its startups, and a client syncing stands with updated_since must read it again)."""
    stand_ids = {obj.stand_id for obj in (*session.new, *session.dirty, *session.deleted)
                 if isinstance(obj, StandBooking) and obj.stand_id is not None}
    if not stand_ids:
        return
    with session.no_autoflush:
        for stand in session.scalars(select(Stand).where(Stand.id.in_(stand_ids))):
            stand.updated_at = now


def _note_core_rows(session: Session) -> None:
    """The rows a service created with a Core INSERT, which no flush sees, join the notes."""
    created = changes.take_created(session)
    if not created:
        return
    notes: dict = session.info.setdefault(_NOTES, {})
    for model, row_id, event_id in created:
        if model in _CREATED_BY_CORE:
            notes.setdefault((_CREATED_BY_CORE[model], model, row_id), event_id)


def _after_flush(session: Session, flush_context) -> None:  # noqa: ARG001
    _note_core_rows(session)
    found: list[tuple[str, str, Any]] = []
    person_changed = session.info.pop(_PERSON_CHANGED, set())
    for obj in session.new:
        if isinstance(obj, Registration):
            found.append((kinds.REGISTRATION_CREATED, "registration", obj))
        elif isinstance(obj, CheckIn):
            found.append((kinds.CHECKIN_CREATED, "checkin", obj))
        elif isinstance(obj, Lead):
            found.append((kinds.LEAD_CREATED, "lead", obj))
        elif isinstance(obj, ProgramPublication):
            found.append((kinds.PROGRAM_PUBLISHED, "program", obj))
        elif isinstance(obj, VisitPlan) and _plan_published(obj, new=True):
            found.append((kinds.PLAN_PUBLISHED, "plan", obj))
    for obj in session.dirty:
        if isinstance(obj, Registration) and (obj.id in person_changed or _changed_columns(obj)):
            found.append((kinds.REGISTRATION_UPDATED, "registration", obj))
        elif isinstance(obj, VisitPlan) and _plan_published(obj, new=False):
            found.append((kinds.PLAN_PUBLISHED, "plan", obj))
    if not found:
        return
    notes: dict = session.info.setdefault(_NOTES, {})
    for kind, model, obj in found:
        if kind == kinds.REGISTRATION_UPDATED and (kinds.REGISTRATION_CREATED, model, obj.id) in notes:
            continue  # created in this very transaction: the creation tells it all
        notes.setdefault((kind, model, obj.id), obj.event_id)


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


_DATA: dict[str, Callable[[Any], dict]] = {
    "registration": lambda r: RegistrationOut.of(r, contact=False).model_dump(mode="json"),
    "checkin": lambda c: {"id": c.id, "registration_id": c.registration_id, "at": _iso(c.at), "place": c.place},
    "lead": lambda lead: {"id": lead.id, "stand_id": lead.stand_id, "registration_id": lead.registration_id,
                          "first_scanned_at": _iso(lead.first_scanned_at)},
    "plan": lambda p: {"id": p.id, "version": p.version, "published_at": _iso(p.published_at)},
    "program": lambda p: {"id": p.id, "published_at": _iso(p.published_at), "num_changes": len(p.changes or [])},
}


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the changes not flushed yet are noted too
    _note_core_rows(session)
    notes: dict = session.info.pop(_NOTES, {})
    if not notes:
        return
    endpoints = session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.event_id.in_(set(notes.values())), WebhookEndpoint.active.is_(True))
        .order_by(WebhookEndpoint.id)).all()
    if not endpoints:
        return
    now, written = utcnow(), 0
    for (kind, model, obj_id), event_id in notes.items():
        targets = [e for e in endpoints if e.event_id == event_id and kind in (e.events or [])]
        obj = session.get(_MODELS[model], obj_id) if targets else None
        if obj is None:
            continue  # nobody listens, or deleted since
        data = _DATA[model](obj)
        slug = session.get(Event, event_id).slug
        for endpoint in targets:
            uid = str(uuid.uuid4())
            session.add(WebhookDelivery(
                endpoint_id=endpoint.id, event_id=event_id, uid=uid, kind=kind, next_attempt_at=now, created_at=now,
                payload={"id": uid, "type": kind, "created_at": _iso(now), "event": slug, "data": data}))
            written += 1
    if written:
        session.flush()
        session.info[_WRITTEN] = True


def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(_WRITTEN, False):
        wake()


def wake_after_commit(session: Session) -> None:
    """Wake the sender once the current transaction is committed (a delivery set back to pending)."""
    session.info[_WRITTEN] = True


def _forget(session: Session, transaction) -> None:
    """The transaction ended (committed, rolled back, or the session closed): its notes go with it."""
    if transaction.parent is None:
        session.info.pop(_NOTES, None)
        session.info.pop(_WRITTEN, None)
        changes.forget(session)


_LISTENERS: dict[str, Callable] = {"before_flush": _before_flush, "after_flush": _after_flush, "before_commit": _before_commit,
                                   "after_commit": _after_commit, "after_transaction_end": _forget}


def init_app(app: Flask) -> None:  # noqa: ARG001  (one set of listeners for every session of the process)
    for name, listener in _LISTENERS.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
