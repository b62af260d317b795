"""What the rest of the demonstrator reads about the hall: its settings, entrances, the confirmed
startups, and the (stand, startup) pairs that can be visited with the windows they are open.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.demonstrator.hall.models import Entrance, Hall, Stand
from app.demonstrator.intervals import Interval, subtract
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from app.registrations.queries import confirmed_startups


def get_hall(event: Event) -> Hall:
    """The edition's hall and planning settings, created with defaults on first use."""
    hall = db.session.scalar(select(Hall).where(Hall.event_id == event.id))
    if hall is None:
        hall = Hall(event_id=event.id)
        db.session.add(hall)
        db.session.flush()
    return hall


def entrances(event: Event) -> list[Entrance]:
    return list(db.session.scalars(select(Entrance).where(Entrance.event_id == event.id)
                                   .order_by(Entrance.position, Entrance.id)))


def main_entrance(event: Event) -> tuple[str, float, float]:
    """Where tours start and end: the first entrance, or the middle of the left wall when none is set."""
    doors = entrances(event)
    if doors:
        return doors[0].name, doors[0].x, doors[0].y
    return "", 0.0, round(get_hall(event).depth / 2, 3)


def stand_sort_key(number: str) -> list:
    """A2 before A10: numbers inside stand numbers compare as numbers, letters without case."""
    # The digit runs are at the odd places of the split; "²" is not one of them (though "²".isdigit()).
    return [int(part) if index % 2 else part.lower() for index, part in enumerate(re.split(r"(\d+)", number))]


def startup_name(registration: Registration | None) -> str:
    """How a startup is named on every page (Registration.startup_name), or nothing."""
    return registration.startup_name if registration is not None else ""


@dataclass
class StandUnit:
    key: str
    stand: Stand
    startup: Registration
    open: list[Interval]


def stand_units(event: Event) -> list[StandUnit]:
    """Bookable (stand, startup) pairs with the windows the stand is open for visits."""
    startups = {r.id: r for r in confirmed_startups(event)}
    stands = db.session.scalars(select(Stand).where(Stand.event_id == event.id)
                                .options(selectinload(Stand.bookings), selectinload(Stand.closures))
                                .order_by(Stand.number)).all()
    units = []
    for stand in stands:
        holders: dict[int, list[Interval]] = defaultdict(list)
        for booking in stand.bookings:
            if booking.registration_id in startups:
                holders[booking.registration_id].append((booking.starts_at, booking.ends_at))
        closed = [(c.starts_at, c.ends_at) for c in stand.closures]
        for startup_id, windows in sorted(holders.items()):
            key = stand.number if len(holders) == 1 else f"{stand.number}/{startup_id}"
            open_ = subtract(windows, closed)
            if open_:
                units.append(StandUnit(key, stand, startups[startup_id], open_))
    return units
