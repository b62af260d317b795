"""The hall as maps draw it for people: stands, entrances, and the walk between two points."""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from app.core.i18n import localized
from app.demonstrator.hall.models import Hall, Stand
from app.demonstrator.hall.queries import entrances, get_hall, main_entrance
from app.events.models import Event
from app.extensions import db


@dataclass(frozen=True)
class Door:
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class MapStand:
    number: str
    x: float
    y: float
    width: float
    depth: float
    zone: str

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.depth / 2)


@dataclass
class HallMap:
    width: float
    depth: float
    speed: float
    door: Door
    doors: list[Door]
    stands: list[MapStand]
    image: bytes | None = None

    def bounds(self, margin: float = 3.0) -> tuple[float, float, float, float]:
        """(x, y, width, depth) around the stands and entrances, within the hall: the part a phone map shows."""
        xs = [d.x for d in self.doors] + [v for s in self.stands for v in (s.x, s.x + s.width)]
        ys = [d.y for d in self.doors] + [v for s in self.stands for v in (s.y, s.y + s.depth)]
        x0, y0 = max(0.0, min(xs) - margin), max(0.0, min(ys) - margin)
        x1, y1 = min(self.width, max(xs) + margin), min(self.depth, max(ys) + margin)
        return x0, y0, max(x1 - x0, 1.0), max(y1 - y0, 1.0)

    def walk_minutes(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        return math.hypot(a[0] - b[0], a[1] - b[1]) / self.speed


def hall_map(event: Event, *, with_image: bool = False) -> HallMap:
    """The hall, its stands and entrances (named in the interface's language); tours start and end at the first
    entrance, as in the document."""
    hall: Hall = get_hall(event)
    doors = [Door(localized(d, "name"), d.x, d.y) for d in entrances(event)]
    door = doors[0] if doors else Door(*main_entrance(event))
    stands = [MapStand(s.number, s.x, s.y, s.width, s.depth, localized(s, "zone")) for s in db.session.scalars(
        select(Stand).where(Stand.event_id == event.id).order_by(Stand.number))]
    return HallMap(hall.width, hall.depth, hall.walking_speed, door, doors or [door], stands,
                   hall.image if with_image else None)
