"""Laying out the hall and its calendar: stands, entrances, bookings, closures, tour slots, settings.

Every function validates first and raises HallError (nothing is stored on a refusal); callers commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.audit import services as audit
from app.core.domain import DomainError
from app.demonstrator.document import get_hall
from app.demonstrator.models import Entrance, Hall, Stand, StandBooking, StandClosure, TourSlot
from app.events.models import CategoryCode, Event, Theme
from app.extensions import db
from app.core.timefmt import to_local
from app.registrations.models import Registration, RegistrationStatus

MAX_CAPACITY = 20


class HallError(DomainError):
    """A refused change to the hall."""


@dataclass
class StandInput:
    number: str
    x: float
    y: float
    width: float = 3.0
    depth: float = 3.0
    zone: str = ""
    theme_id: int | None = None
    capacity: int = 1
    visit_minutes: int | None = None
    min_visits: int | None = None
    max_visits: int | None = None


def stands(event: Event) -> list[Stand]:
    return list(db.session.scalars(select(Stand).where(Stand.event_id == event.id).order_by(Stand.number)))


def get_stand(event: Event, stand_id: int) -> Stand:
    stand = db.session.get(Stand, stand_id)
    if stand is None or stand.event_id != event.id:
        raise HallError("unknown_stand")
    return stand


def _overlaps(a: Stand | StandInput, b: Stand) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.depth and b.y < a.y + a.depth


def save_stand(event: Event, data: StandInput, *, stand: Stand | None = None, actor_id: int | None) -> Stand:
    """Create a stand, or update `stand`. Refuses a stand outside the hall or on another one."""
    hall = get_hall(event)
    number = data.number.strip()
    if not number or len(number) > 20:
        raise HallError("bad_number", "number")
    if data.width <= 0 or data.depth <= 0:
        raise HallError("bad_size", "width")
    if data.x < 0 or data.y < 0 or data.x + data.width > hall.width + 1e-9 or data.y + data.depth > hall.depth + 1e-9:
        raise HallError("outside_hall", "x", width=hall.width, depth=hall.depth)
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise HallError("bad_capacity", "capacity", high=MAX_CAPACITY)
    for value, name in ((data.visit_minutes, "visit_minutes"), (data.min_visits, "min_visits"),
                        (data.max_visits, "max_visits")):
        if value is not None and value < (1 if name == "visit_minutes" else 0):
            raise HallError("bad_number_value", name)
    if data.theme_id is not None:
        theme = db.session.get(Theme, data.theme_id)
        if theme is None or theme.event_id != event.id:
            raise HallError("unknown_theme", "theme_id")
    for other in stands(event):
        if stand is not None and other.id == stand.id:
            continue
        if other.number.casefold() == number.casefold():
            raise HallError("duplicate_number", "number", number=number)
        if _overlaps(data, other):
            raise HallError("stands_overlap", "x", other=other.number)
    if stand is None:
        stand = Stand(event_id=event.id)
        db.session.add(stand)
    stand.number, stand.x, stand.y, stand.width, stand.depth = number, data.x, data.y, data.width, data.depth
    stand.zone, stand.theme_id, stand.capacity = data.zone.strip(), data.theme_id, data.capacity
    stand.visit_minutes, stand.min_visits, stand.max_visits = data.visit_minutes, data.min_visits, data.max_visits
    db.session.flush()
    audit.record("stand.save", actor_id=actor_id, event_id=event.id, obj=stand, details={"number": number})
    return stand


def delete_stand(event: Event, stand: Stand, *, actor_id: int | None) -> None:
    audit.record("stand.delete", actor_id=actor_id, event_id=event.id, obj=stand, details={"number": stand.number})
    db.session.delete(stand)
    db.session.flush()


def save_entrance(event: Event, name: str, x: float, y: float, *, actor_id: int | None) -> Entrance:
    hall = get_hall(event)
    name = name.strip()
    if not name or len(name) > 60:
        raise HallError("bad_name", "name")
    if not (0 <= x <= hall.width and 0 <= y <= hall.depth):
        raise HallError("outside_hall", "x", width=hall.width, depth=hall.depth)
    entrance = db.session.scalar(select(Entrance).where(Entrance.event_id == event.id, Entrance.name == name))
    if entrance is None:
        count = len(db.session.scalars(select(Entrance.id).where(Entrance.event_id == event.id)).all())
        entrance = Entrance(event_id=event.id, name=name, position=count)
        db.session.add(entrance)
    entrance.x, entrance.y = x, y
    db.session.flush()
    audit.record("hall.entrance", actor_id=actor_id, event_id=event.id, obj=entrance)
    return entrance


def check_window(event: Event, starts_at: datetime, ends_at: datetime, field: str = "starts_at") -> None:
    if ends_at <= starts_at:
        raise HallError("ends_before_start", field)
    # Local dates: a window ending at local midnight still belongs to its day.
    if (to_local(starts_at, event.timezone).date() < event.days[0]
            or to_local(ends_at - timedelta(microseconds=1), event.timezone).date() > event.days[-1]):
        raise HallError("outside_edition", field)


def book_stand(event: Event, stand: Stand, startup: Registration, starts_at: datetime, ends_at: datetime,
               *, actor_id: int | None) -> StandBooking:
    """Give `stand` to `startup` from starts_at to ends_at (UTC)."""
    if (startup.event_id != event.id or startup.category.code != CategoryCode.STARTUP
            or startup.status != RegistrationStatus.CONFIRMED or startup.team_lead_id is not None):
        raise HallError("not_a_startup", "registration_id")
    check_window(event, starts_at, ends_at)
    for booking in db.session.scalars(select(StandBooking).join(Stand).where(Stand.event_id == event.id)):
        if booking.starts_at < ends_at and starts_at < booking.ends_at:
            if booking.stand_id == stand.id:
                raise HallError("stand_taken", "stand_id", stand=stand.number,
                                startup=_startup_name(booking.registration))
            if booking.registration_id == startup.id:
                raise HallError("startup_has_stand", "registration_id", stand=booking.stand.number)
    booking = StandBooking(stand_id=stand.id, registration_id=startup.id, starts_at=starts_at, ends_at=ends_at)
    db.session.add(booking)
    db.session.flush()
    audit.record("stand.book", actor_id=actor_id, event_id=event.id, obj=booking,
                 details={"stand": stand.number, "startup": startup.id})
    return booking


def _startup_name(registration: Registration) -> str:
    return registration.organisation.name if registration.organisation else registration.person.full_name


def unbook(event: Event, booking: StandBooking, *, actor_id: int | None) -> None:
    if booking.stand.event_id != event.id:
        raise HallError("unknown_booking")
    audit.record("stand.unbook", actor_id=actor_id, event_id=event.id, obj=booking)
    db.session.delete(booking)
    db.session.flush()


def close_stand(event: Event, stand: Stand, starts_at: datetime, ends_at: datetime, reason: str = "",
                *, actor_id: int | None) -> StandClosure:
    check_window(event, starts_at, ends_at)
    closure = StandClosure(stand_id=stand.id, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200],
                           created_by_id=actor_id)
    db.session.add(closure)
    db.session.flush()
    audit.record("stand.close", actor_id=actor_id, event_id=event.id, obj=closure, details={"stand": stand.number})
    return closure


def add_tour_slot(event: Event, starts_at: datetime, ends_at: datetime, label: str = "",
                  *, actor_id: int | None) -> TourSlot:
    check_window(event, starts_at, ends_at)
    for slot in db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)):
        if slot.starts_at < ends_at and starts_at < slot.ends_at:
            raise HallError("slots_overlap", "starts_at", starts_at=slot.starts_at, ends_at=slot.ends_at)
    slot = TourSlot(event_id=event.id, starts_at=starts_at, ends_at=ends_at, label=label.strip()[:120])
    db.session.add(slot)
    db.session.flush()
    audit.record("visits.slot", actor_id=actor_id, event_id=event.id, obj=slot)
    return slot


@dataclass
class SettingsInput:
    width: float
    depth: float
    walking_speed: float
    visit_minutes: int
    min_visits: int
    weight_base: float
    weight_theme: float
    weight_wish: float
    weight_mutual: float
    shortfall_penalty: float
    change_penalty: float


def update_settings(event: Event, data: SettingsInput, *, actor_id: int | None) -> Hall:
    """The hall's size and the planning settings. A smaller hall must still hold every stand."""
    hall = get_hall(event)
    if data.width <= 0 or data.depth <= 0 or data.width > 2000 or data.depth > 2000:
        raise HallError("bad_hall_size", "width")
    if not 5 <= data.walking_speed <= 200:
        raise HallError("bad_speed", "walking_speed")
    if not 1 <= data.visit_minutes <= 120:
        raise HallError("bad_visit_minutes", "visit_minutes")
    for name in ("min_visits", "weight_base", "weight_theme", "weight_wish", "weight_mutual", "shortfall_penalty",
                 "change_penalty"):
        if getattr(data, name) < 0:
            raise HallError("negative", name)
    for stand in stands(event):
        if stand.x + stand.width > data.width or stand.y + stand.depth > data.depth:
            raise HallError("stand_outside_smaller_hall", "width", stand=stand.number)
    for entrance in db.session.scalars(select(Entrance).where(Entrance.event_id == event.id)):
        if entrance.x > data.width or entrance.y > data.depth:
            raise HallError("stand_outside_smaller_hall", "width", stand=entrance.name)
    for name, value in vars(data).items():
        setattr(hall, name, value)
    db.session.flush()
    audit.record("hall.settings", actor_id=actor_id, event_id=event.id, obj=hall, details=vars(data))
    return hall


def set_image(event: Event, content: bytes, *, actor_id: int | None) -> Hall:
    """The floor plan drawn behind the stands: a PNG or JPEG of at most 5 MB."""
    if len(content) > 5 * 1024 * 1024:
        raise HallError("image_too_large", "image")
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif content.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    else:
        raise HallError("image_type", "image")
    hall = get_hall(event)
    hall.image, hall.image_type = content, kind
    db.session.flush()
    audit.record("hall.image", actor_id=actor_id, event_id=event.id, obj=hall)
    return hall
