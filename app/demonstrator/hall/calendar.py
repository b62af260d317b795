"""The hall's calendar: who holds which stand when, closures, tour slots, and the free-stand assignment.

Like services.py, every function that changes something validates first, raises HallError, and is one
unit of work.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from app.audit import services as audit
from app.core.timefmt import local_to_utc
from app.core.transaction import atomic
from app.demonstrator.hall.models import Stand, StandBooking, StandClosure, TourSlot
from app.demonstrator.hall.queries import confirmed_startups, stand_sort_key, startup_name
from app.demonstrator.hall.services import HallError, check_window, stands
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

#: The hours a stand is held each day when a booking covers the whole edition (local time).
DAY_OPENS, DAY_CLOSES = time(9, 0), time(18, 0)


@atomic()
def book_stand(event: Event, stand: Stand, startup: Registration, starts_at: datetime, ends_at: datetime,
               *, actor_id: int | None) -> StandBooking:
    """Give `stand` to `startup` from starts_at to ends_at (UTC)."""
    if (startup.event_id != event.id or startup.category.code != CategoryCode.STARTUP
            or startup.status != RegistrationStatus.CONFIRMED or startup.team_lead_id is not None):
        raise HallError("not_a_startup", "registration_id")
    check_window(event, starts_at, ends_at)
    overlapping = [b for b in db.session.scalars(select(StandBooking).join(Stand).where(Stand.event_id == event.id)
                                                 .order_by(StandBooking.id))
                   if b.starts_at < ends_at and starts_at < b.ends_at]
    # The stand's own clash first, whatever order the rows come in (the startup may clash elsewhere too).
    for booking in overlapping:
        if booking.stand_id == stand.id:
            raise HallError("stand_taken", "stand_id", stand=stand.number, startup=startup_name(booking.registration))
    for booking in overlapping:
        if booking.registration_id == startup.id:
            raise HallError("startup_has_stand", "registration_id", stand=booking.stand.number)
    booking = StandBooking(stand_id=stand.id, registration_id=startup.id, starts_at=starts_at, ends_at=ends_at)
    db.session.add(booking)
    db.session.flush()
    audit.record("stand.book", actor_id=actor_id, event_id=event.id, obj=booking,
                 details={"stand": stand.number, "startup": startup.id})
    return booking


@atomic()
def unbook(event: Event, booking: StandBooking, *, actor_id: int | None) -> None:
    if booking.stand.event_id != event.id:
        raise HallError("unknown_booking")
    audit.record("stand.unbook", actor_id=actor_id, event_id=event.id, obj=booking)
    db.session.delete(booking)
    db.session.flush()


@atomic()
def book(event: Event, stand: Stand, startup: Registration, days: list[date], opens: time, closes: time,
         *, actor_id: int | None) -> list[StandBooking]:
    """Give `stand` to `startup` on each of `days` from `opens` to `closes` (local time): all days or none."""
    if not days:
        raise HallError("outside_edition", "day")
    if closes <= opens:
        raise HallError("ends_before_start", "end")
    return [book_stand(event, stand, startup, local_to_utc(day, opens, event.timezone),
                       local_to_utc(day, closes, event.timezone), actor_id=actor_id)
            for day in days]


def get_booking(event: Event, booking_id: int) -> StandBooking:
    booking = db.session.get(StandBooking, booking_id)
    if booking is None or booking.stand.event_id != event.id:
        raise HallError("unknown_booking")
    return booking


def get_closure(event: Event, closure_id: int) -> StandClosure:
    closure = db.session.get(StandClosure, closure_id)
    if closure is None or closure.stand.event_id != event.id:
        raise HallError("unknown_closure")
    return closure


@atomic()
def remove_closure(event: Event, closure: StandClosure, *, actor_id: int | None) -> None:
    audit.record("stand.reopen", actor_id=actor_id, event_id=event.id, obj=closure,
                 details={"stand": closure.stand.number})
    db.session.delete(closure)
    db.session.flush()


@atomic()
def close_stand(event: Event, stand: Stand, starts_at: datetime, ends_at: datetime, reason: str = "",
                *, actor_id: int | None) -> StandClosure:
    check_window(event, starts_at, ends_at)
    closure = StandClosure(stand_id=stand.id, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200],
                           created_by_id=actor_id)
    db.session.add(closure)
    db.session.flush()
    audit.record("stand.close", actor_id=actor_id, event_id=event.id, obj=closure, details={"stand": stand.number})
    return closure


@atomic()
def add_tour_slot(event: Event, starts_at: datetime, ends_at: datetime, label: str = "",
                  *, label_en: str = "", actor_id: int | None) -> TourSlot:
    """A window for guided tours; `label` names it in French, `label_en` in English (the French when empty)."""
    check_window(event, starts_at, ends_at)
    for slot in db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)):
        if slot.starts_at < ends_at and starts_at < slot.ends_at:
            raise HallError("slots_overlap", "starts_at", starts_at=slot.starts_at, ends_at=slot.ends_at)
    slot = TourSlot(event_id=event.id, starts_at=starts_at, ends_at=ends_at, label=label.strip()[:120],
                    label_en=label_en.strip()[:120])
    db.session.add(slot)
    db.session.flush()
    audit.record("visits.slot", actor_id=actor_id, event_id=event.id, obj=slot)
    return slot


def tour_slots(event: Event) -> list[TourSlot]:
    return list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)
                                   .order_by(TourSlot.starts_at)))


def get_slot(event: Event, slot_id: int) -> TourSlot:
    slot = db.session.get(TourSlot, slot_id)
    if slot is None or slot.event_id != event.id:
        raise HallError("unknown_slot")
    return slot


@atomic()
def remove_slot(event: Event, slot: TourSlot, *, actor_id: int | None) -> None:
    audit.record("visits.slot_remove", actor_id=actor_id, event_id=event.id, obj=slot)
    db.session.delete(slot)
    db.session.flush()


@dataclass
class Assignment:
    assigned: int
    left_without: int


def startups_without_stand(event: Event) -> list[Registration]:
    """Confirmed startups that hold no stand at any time."""
    booked = set(db.session.scalars(select(StandBooking.registration_id).join(Stand)
                                    .where(Stand.event_id == event.id)))
    return [s for s in confirmed_startups(event) if s.id not in booked]


@atomic()
def assign_free_stands(event: Event, *, actor_id: int | None) -> Assignment:
    """Give each confirmed startup without any stand a stand nobody holds, for every day of the edition
    (DAY_OPENS to DAY_CLOSES), stands in number order and startups by name."""
    waiting = startups_without_stand(event)
    held = set(db.session.scalars(select(StandBooking.stand_id).join(Stand).where(Stand.event_id == event.id)))
    free = sorted((s for s in stands(event) if s.id not in held), key=lambda s: stand_sort_key(s.number))
    pairs = list(zip(free, waiting))
    for stand, startup in pairs:
        book(event, stand, startup, event.days, DAY_OPENS, DAY_CLOSES, actor_id=actor_id)
    return Assignment(assigned=len(pairs), left_without=len(waiting) - len(pairs))
