"""Laying out the hall: stands, entrances, the floor plan image and the planning settings.

Every function that changes something is one unit of work (`app.core.transaction.atomic`): it
validates first and raises HallError, and its change is committed once at its end, or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.images import ImageRefused, clean_image
from app.core.timefmt import to_local
from app.core.transaction import atomic
from app.demonstrator.hall.models import Entrance, Hall, Stand
from app.demonstrator.hall.queries import get_hall
from app.events.models import Event, Theme
from app.extensions import db

MAX_CAPACITY = 20
MAX_IMAGE_BYTES = 5 * 1024 * 1024


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
    zone_en: str = ""
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


@atomic()
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
    stand.zone, stand.zone_en = data.zone.strip(), data.zone_en.strip()
    stand.theme_id, stand.capacity = data.theme_id, data.capacity
    stand.visit_minutes, stand.min_visits, stand.max_visits = data.visit_minutes, data.min_visits, data.max_visits
    db.session.flush()
    audit.record("stand.save", actor_id=actor_id, event_id=event.id, obj=stand, details={"number": number})
    return stand


@atomic()
def delete_stand(event: Event, stand: Stand, *, actor_id: int | None) -> None:
    audit.record("stand.delete", actor_id=actor_id, event_id=event.id, obj=stand, details={"number": stand.number})
    db.session.delete(stand)
    db.session.flush()


@atomic()
def save_entrance(event: Event, name: str, x: float, y: float, *, name_en: str = "",
                  actor_id: int | None) -> Entrance:
    """Place a new entrance, or move the one of this (French) name; an empty `name_en` keeps its English name."""
    hall = get_hall(event)
    name, name_en = name.strip(), name_en.strip()
    if not name or len(name) > 60:
        raise HallError("bad_name", "name")
    if len(name_en) > 60:
        raise HallError("bad_name", "name_en")
    if not (0 <= x <= hall.width and 0 <= y <= hall.depth):
        raise HallError("outside_hall", "x", width=hall.width, depth=hall.depth)
    entrance = db.session.scalar(select(Entrance).where(Entrance.event_id == event.id, Entrance.name == name))
    if entrance is None:
        count = len(db.session.scalars(select(Entrance.id).where(Entrance.event_id == event.id)).all())
        entrance = Entrance(event_id=event.id, name=name, position=count)
        db.session.add(entrance)
    entrance.x, entrance.y = x, y
    if name_en:
        entrance.name_en = name_en
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


def get_entrance(event: Event, entrance_id: int) -> Entrance:
    entrance = db.session.get(Entrance, entrance_id)
    if entrance is None or entrance.event_id != event.id:
        raise HallError("unknown_entrance")
    return entrance


@atomic()
def remove_entrance(event: Event, entrance: Entrance, *, actor_id: int | None) -> None:
    audit.record("hall.entrance_remove", actor_id=actor_id, event_id=event.id, obj=entrance,
                 details={"name": entrance.name})
    db.session.delete(entrance)
    db.session.flush()


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
    min_route_visits: int = 2


@atomic()
def update_settings(event: Event, data: SettingsInput, *, actor_id: int | None) -> Hall:
    """The hall's size and the planning settings. A smaller hall must still hold every stand."""
    hall = get_hall(event)
    if data.width <= 0 or data.depth <= 0 or data.width > 2000 or data.depth > 2000:
        raise HallError("bad_hall_size", "width")
    if not 5 <= data.walking_speed <= 200:
        raise HallError("bad_speed", "walking_speed")
    if not 1 <= data.visit_minutes <= 120:
        raise HallError("bad_visit_minutes", "visit_minutes")
    if not 1 <= data.min_route_visits <= 20:
        raise HallError("bad_min_route_visits", "min_route_visits")
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


@atomic()
def set_image(event: Event, content: bytes, *, actor_id: int | None) -> Hall:
    """The floor plan drawn behind the stands: a PNG or JPEG of at most 5 MB, stored as decoded and
    re-encoded (`app.core.images`); HallError with the image's refusal code otherwise."""
    try:
        image = clean_image(content, max_bytes=MAX_IMAGE_BYTES)
    except ImageRefused as refused:
        raise HallError(refused.code, "image", **refused.params) from refused
    hall = get_hall(event)
    hall.image, hall.image_type = image.data, image.mimetype
    db.session.flush()
    audit.record("hall.image", actor_id=actor_id, event_id=event.id, obj=hall)
    return hall


@atomic()
def remove_image(event: Event, *, actor_id: int | None) -> None:
    hall = get_hall(event)
    hall.image, hall.image_type = None, ""
    db.session.flush()
    audit.record("hall.image_remove", actor_id=actor_id, event_id=event.id, obj=hall)
