"""Who wants to meet whom, who is not to be routed, and manual changes to availability.

Each function that changes something is one unit of work: committed at its end, or not at all.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.audit import services as audit
from app.core.transaction import atomic
from app.demonstrator.hall.services import HallError, check_window
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut, Wish, WishKind
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations.models import Delegation, Registration, RegistrationStatus


def _side(registration: Registration) -> str | None:
    code = registration.category.code
    if code == CategoryCode.STARTUP:
        return "startup"
    if code in VISITOR_CATEGORIES:
        return "visitor"
    return None


@atomic()
def set_wish(event: Event, source: Registration, target: Registration, kind: WishKind | None,
             *, actor_id: int | None) -> Wish | None:
    """An official's wish about a startup or a startup's about an official; None clears it."""
    if source.event_id != event.id or target.event_id != event.id:
        raise HallError("unknown_registration")
    # A startup's team member speaks for the startup, which is what the plan scores.
    source, target = source.team_lead or source, target.team_lead or target
    sides = {_side(source), _side(target)}
    if sides != {"startup", "visitor"}:
        raise HallError("wish_sides", "to_registration_id")
    if target.status == RegistrationStatus.CANCELLED:
        raise HallError("unknown_registration", "to_registration_id")
    wish = db.session.scalar(select(Wish).where(Wish.from_registration_id == source.id,
                                                Wish.to_registration_id == target.id))
    if kind is None:
        if wish is not None:
            db.session.delete(wish)
    else:
        if wish is None:
            wish = Wish(event_id=event.id, from_registration_id=source.id, to_registration_id=target.id, kind=kind)
            db.session.add(wish)
        wish.kind = kind
    db.session.flush()
    audit.record("visits.wish", actor_id=actor_id, event_id=event.id, obj=source,
                 details={"to": target.id, "kind": kind.value if kind else None})
    return wish if kind is not None else None


def wishes_of(registration: Registration) -> dict[int, WishKind]:
    """target registration id -> kind, for what `registration` stated."""
    return {w.to_registration_id: w.kind for w in db.session.scalars(
        select(Wish).where(Wish.from_registration_id == registration.id))}


def is_opted_out(registration: Registration) -> bool:
    return db.session.get(RoutingOptOut, registration.id) is not None


@atomic()
def set_opt_out(registration: Registration, opted_out: bool, *, actor_id: int | None) -> None:
    """A person asks not to be routed through the demonstrator (or changes their mind)."""
    row = db.session.get(RoutingOptOut, registration.id)
    if opted_out and row is None:
        db.session.add(RoutingOptOut(registration_id=registration.id))
    elif not opted_out and row is not None:
        db.session.delete(row)
    db.session.flush()
    audit.record("visits.opt_out" if opted_out else "visits.opt_in", actor_id=actor_id,
                 event_id=registration.event_id, obj=registration)


@atomic()
def change_availability(event: Event, *, starts_at: datetime, ends_at: datetime, available: bool,
                        registration: Registration | None = None, delegation: Delegation | None = None,
                        reason: str = "", actor_id: int | None) -> AvailabilityChange:
    """Block (late, absent) or open a window for one official or a whole delegation."""
    if (registration is None) == (delegation is None):
        raise HallError("one_visitor", "registration_id")
    owner = registration or delegation
    if owner.event_id != event.id:
        raise HallError("unknown_registration", "registration_id")
    check_window(event, starts_at, ends_at)
    change = AvailabilityChange(event_id=event.id, registration_id=registration.id if registration else None,
                                delegation_id=delegation.id if delegation else None, starts_at=starts_at,
                                ends_at=ends_at, available=available, reason=reason.strip()[:200],
                                created_by_id=actor_id)
    db.session.add(change)
    db.session.flush()
    audit.record("visits.availability", actor_id=actor_id, event_id=event.id, obj=change,
                 details={"available": available})
    return change


@atomic()
def remove_availability_change(event: Event, change_id: int, *, actor_id: int | None) -> None:
    change = db.session.get(AvailabilityChange, change_id)
    if change is None or change.event_id != event.id:
        raise HallError("unknown_change")
    audit.record("visits.availability_removed", actor_id=actor_id, event_id=event.id, obj=change)
    db.session.delete(change)
    db.session.flush()
