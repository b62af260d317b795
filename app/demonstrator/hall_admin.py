"""The organiser's side of the hall, on top of hall.py: bookings over whole days, the free-stand
assignment, removals, and the values the hall plan is drawn from.

Like hall.py, every function validates first and raises HallError; callers commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.core.timefmt import local_to_utc
from app.demonstrator import hall as hall_services
from app.demonstrator.hall import HallError
from app.demonstrator.models import Entrance, Stand, StandBooking, StandClosure, TourSlot
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

#: The hours a stand is held each day when a booking covers the whole edition (local time).
DAY_OPENS, DAY_CLOSES = time(9, 0), time(18, 0)

#: Fills of the plan, in the order themes or zones are met; light enough to read black text on.
PALETTE = ["#cfe0f7", "#fde2c4", "#d4efdc", "#f6d3e0", "#e4dcf5", "#fbf0b8", "#cdeef0", "#ead9c9",
           "#dfe7c2", "#f5d0c5"]
HELD_FILL = "#dce8f8"   # a held stand with no theme or zone


def stand_sort_key(number: str) -> list:
    """A2 before A10: numbers inside stand numbers compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", number)]


def startup_name(registration: Registration) -> str:
    return registration.organisation.name if registration.organisation else registration.person.full_name


def startups(event: Event) -> list[Registration]:
    """The confirmed startups of the edition (team leads only), by organisation name."""
    rows = db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Category.code == CategoryCode.STARTUP,
               Registration.status == RegistrationStatus.CONFIRMED, Registration.team_lead_id.is_(None))
        .options(selectinload(Registration.organisation), selectinload(Registration.person))).all()
    return sorted(rows, key=lambda r: startup_name(r).lower())


def book(event: Event, stand: Stand, startup: Registration, days: list[date], opens: time, closes: time,
         *, actor_id: int | None) -> list[StandBooking]:
    """Give `stand` to `startup` on each of `days` from `opens` to `closes` (local time): all days or none."""
    if not days:
        raise HallError("outside_edition", "day")
    if closes <= opens:
        raise HallError("ends_before_start", "end")
    return [hall_services.book_stand(event, stand, startup, local_to_utc(day, opens, event.timezone),
                                     local_to_utc(day, closes, event.timezone), actor_id=actor_id)
            for day in days]


@dataclass
class Assignment:
    assigned: int
    left_without: int


def startups_without_stand(event: Event) -> list[Registration]:
    """Confirmed startups that hold no stand at any time."""
    booked = set(db.session.scalars(select(StandBooking.registration_id).join(Stand)
                                    .where(Stand.event_id == event.id)))
    return [s for s in startups(event) if s.id not in booked]


def assign_free_stands(event: Event, *, actor_id: int | None) -> Assignment:
    """Give each confirmed startup without any stand a stand nobody holds, for every day of the edition
    (DAY_OPENS to DAY_CLOSES), stands in number order and startups by name."""
    waiting = startups_without_stand(event)
    held = set(db.session.scalars(select(StandBooking.stand_id).join(Stand).where(Stand.event_id == event.id)))
    free = sorted((s for s in hall_services.stands(event) if s.id not in held), key=lambda s: stand_sort_key(s.number))
    pairs = list(zip(free, waiting))
    for stand, startup in pairs:
        book(event, stand, startup, event.days, DAY_OPENS, DAY_CLOSES, actor_id=actor_id)
    return Assignment(assigned=len(pairs), left_without=len(waiting) - len(pairs))


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


def remove_closure(event: Event, closure: StandClosure, *, actor_id: int | None) -> None:
    audit.record("stand.reopen", actor_id=actor_id, event_id=event.id, obj=closure,
                 details={"stand": closure.stand.number})
    db.session.delete(closure)
    db.session.flush()


def get_entrance(event: Event, entrance_id: int) -> Entrance:
    entrance = db.session.get(Entrance, entrance_id)
    if entrance is None or entrance.event_id != event.id:
        raise HallError("unknown_entrance")
    return entrance


def remove_entrance(event: Event, entrance: Entrance, *, actor_id: int | None) -> None:
    audit.record("hall.entrance_remove", actor_id=actor_id, event_id=event.id, obj=entrance,
                 details={"name": entrance.name})
    db.session.delete(entrance)
    db.session.flush()


def remove_image(event: Event, *, actor_id: int | None) -> None:
    hall = hall_services.get_hall(event)
    hall.image, hall.image_type = None, ""
    db.session.flush()
    audit.record("hall.image_remove", actor_id=actor_id, event_id=event.id, obj=hall)


def tour_slots(event: Event) -> list[TourSlot]:
    return list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)
                                   .order_by(TourSlot.starts_at)))


def get_slot(event: Event, slot_id: int) -> TourSlot:
    slot = db.session.get(TourSlot, slot_id)
    if slot is None or slot.event_id != event.id:
        raise HallError("unknown_slot")
    return slot


def remove_slot(event: Event, slot: TourSlot, *, actor_id: int | None) -> None:
    audit.record("visits.slot_remove", actor_id=actor_id, event_id=event.id, obj=slot)
    db.session.delete(slot)
    db.session.flush()


@dataclass
class PlanStand:
    """A stand as the plan draws it."""

    stand: Stand
    fill: str
    holders: list[str]
    lines: list[str] = field(default_factory=list)   # the holders' names cut to fit the stand's width
    number_size: float = 1.0
    name_size: float = 0.6


@dataclass
class Plan:
    width: float
    depth: float
    stands: list[PlanStand]
    legend: list[tuple[str, str]]      # (fill, label)
    colour_by: str                     # "theme" or "zone"
    has_themes: bool
    has_zones: bool
    grid_x: list[int]                  # a line every half label step (5 m in a 60 m hall)
    grid_y: list[int]
    labels_x: list[int]                # a label every 10 m in a 60 m hall
    labels_y: list[int]


def _fit(text: str, width: float, size: float) -> str:
    """Cut `text` so that it fits `width` metres at a font size of `size` metres."""
    room = max(1, int(width / (size * 0.58)))
    return text if len(text) <= room else text[: max(1, room - 1)] + "…"


def _wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """`text` on at most `max_lines` lines of `width` metres, cut at spaces; the last line cut if need be."""
    room = max(1, int(width / (size * 0.58)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_fit(line, width, size) for line in lines[:max(max_lines, 0)]]


def plan(event: Event, locale: str, colour_by: str | None = None) -> Plan:
    """What the hall plan shows: stands with their fills and holders, the legend, the grid."""
    hall = hall_services.get_hall(event)
    rows = list(db.session.scalars(
        select(Stand).where(Stand.event_id == event.id)
        .options(selectinload(Stand.bookings).selectinload(StandBooking.registration)
                 .selectinload(Registration.organisation), selectinload(Stand.theme),
                 selectinload(Stand.closures))))
    rows.sort(key=lambda s: stand_sort_key(s.number))
    has_themes = any(s.theme for s in rows)
    has_zones = any(s.zone for s in rows)
    if colour_by not in ("theme", "zone"):
        colour_by = "theme" if has_themes or not has_zones else "zone"
    keys: dict[str, str] = {}
    if colour_by == "theme":
        for theme in sorted({s.theme for s in rows if s.theme}, key=lambda t: (t.position, t.id)):
            keys[str(theme.id)] = theme.name(locale)
    else:
        for zone in sorted({s.zone for s in rows if s.zone}, key=str.lower):
            keys[zone] = zone
    fills = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    items = []
    for stand in rows:
        key = (str(stand.theme_id) if stand.theme_id else "") if colour_by == "theme" else stand.zone
        names = sorted({startup_name(b.registration) for b in stand.bookings}, key=str.lower)
        number_size = min(1.0, stand.depth / 3, stand.width / 3) if names else min(1.2, stand.depth / 2.5,
                                                                                    stand.width / 2.5)
        name_size = min(0.75, stand.width / 4.5, stand.depth / 4)
        room = max(0, int((stand.depth - number_size * 1.4) / (name_size * 1.25)))
        if len(names) == 1:
            lines = _wrap(names[0], stand.width - 0.4, name_size, room)
        else:
            lines = [_fit(n, stand.width - 0.4, name_size) for n in names[:room]]
        if len(names) > room and room:
            lines[-1] = f"+{len(names) - room + 1}"
        items.append(PlanStand(stand, fills.get(key, HELD_FILL), names, lines, round(number_size, 2),
                               round(name_size, 2)))
    step = _label_step(max(hall.width, hall.depth))
    return Plan(width=hall.width, depth=hall.depth, stands=items,
                legend=[(fills[k], label) for k, label in keys.items()], colour_by=colour_by,
                has_themes=has_themes, has_zones=has_zones,
                grid_x=_steps(hall.width, step // 2), grid_y=_steps(hall.depth, step // 2),
                labels_x=_steps(hall.width, step), labels_y=_steps(hall.depth, step))


def _steps(length: float, step: int) -> list[int]:
    return [v for v in range(step, int(length) + 1, step) if v < length - 1e-9]


def _label_step(width: float) -> int:
    """Metres between axis labels: at most about eight labels whatever the hall's size."""
    return next((step for step in (2, 10, 20, 50, 100, 200, 500) if width / step <= 8), 1000)
