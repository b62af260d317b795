"""The route sheets page's list of tours, from light rows: the demo summit's published plan has thousands of
visits, and building an object for each (with its stand and its visitor's members) cost more than the page.

Each tour is what itinerary.build_tours makes of it (the same grouping, departure, return, slot and order),
without the stops: the list shows the stands' numbers only.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.i18n import localized
from app.core.timefmt import to_local
from app.demonstrator.hall.models import Stand
from app.demonstrator.plans.hall_map import hall_map
from app.demonstrator.plans.itinerary import _slots, _to_minute, unit_name, units_for
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Delegation, Registration


@dataclass(frozen=True)
class TourRow:
    visitor_key: str
    index: int
    name: str
    #: Members walking, for a delegation (None for an official alone).
    num_members: int | None
    day: date
    depart: datetime
    back: datetime
    slot_label: str
    stand_numbers: list[str]


def tour_rows(event: Event, plan_id: int) -> list[TourRow]:
    """The tours of the plan `plan_id`, by departure, as itinerary.plan_tours orders them."""
    hall = hall_map(event)
    centres = {s.number: s.centre for s in hall.stands}
    rows = db.session.execute(
        select(PlannedVisit.visitor_key, PlannedVisit.tour, PlannedVisit.stand_key, PlannedVisit.starts_at,
               PlannedVisit.ends_at, Stand.number, Stand.x, Stand.y, Stand.width, Stand.depth)
        .outerjoin(Stand, PlannedVisit.stand_id == Stand.id)
        .where(PlannedVisit.plan_id == plan_id)
        .order_by(PlannedVisit.visitor_key, PlannedVisit.tour, PlannedVisit.starts_at)).all()
    grouped: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        grouped[(row.visitor_key, row.tour)].append(row)
    names = _names(event, {key for key, _ in grouped})
    slots = [(s.starts_at, s.ends_at, localized(s, "label")) for s in _slots(event)]  # each label read once
    door = (hall.door.x, hall.door.y)
    tours = []
    for (key, index), group in grouped.items():
        numbers = [row.number if row.number is not None else row.stand_key.partition("/")[0] for row in group]

        def centre(row, number):
            if row.number is not None:
                return (row.x + row.width / 2, row.y + row.depth / 2)
            return centres.get(number)

        first, last = centre(group[0], numbers[0]), centre(group[-1], numbers[-1])
        depart = group[0].starts_at - timedelta(minutes=hall.walk_minutes(door, first) if first else 0)
        back = group[-1].ends_at + timedelta(minutes=hall.walk_minutes(last, door) if last else 0)
        slot = next((label for start, end, label in slots if start <= group[0].starts_at < end), "")
        name, members = names[key]
        tours.append(TourRow(key, index, name, members, to_local(group[0].starts_at, event.timezone).date(),
                             _to_minute(depart, down=True), _to_minute(back, down=False),
                             slot, numbers))
    tours.sort(key=lambda t: (t.depart, t.name, t.visitor_key))
    return tours


def _names(event: Event, keys: set[str]) -> dict[str, tuple[str, int | None]]:
    """Visitor key -> (name, members walking for a delegation), as the sheets name them (itinerary.units_for): a
    visitor whose members are all gone keeps the name of its delegation or official."""
    units = units_for(event, keys)
    gone = {k: int(k[1:]) for k, unit in units.items() if not unit.members and k[1:].isdigit()}
    names = {f"d{i}": name for i, name in db.session.execute(
        select(Delegation.id, Delegation.name).where(Delegation.id.in_([i for k, i in gone.items() if k[0] == "d"])))}
    names |= {f"r{r.id}": r.person.full_name for r in db.session.scalars(
        select(Registration).where(Registration.id.in_([i for k, i in gone.items() if k[0] == "r"]))
        .options(selectinload(Registration.person)))}
    return {key: (names.get(key, "?") if key in gone else unit_name(unit),
                  len(unit.members) if key.startswith("d") else None) for key, unit in units.items()}
