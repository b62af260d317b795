"""The plan's charts: stand occupancy over time (a Gantt chart per day) and the map of the routes.

Geometry is computed here so that the templates only place what they are given (the CSP forbids
inline styles, so the charts are SVG with presentation attributes).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.timefmt import to_local
from app.demonstrator.hall.models import Entrance, Hall, Stand, TourSlot
from app.demonstrator.hall.queries import stand_sort_key
from app.demonstrator.hall.tours import slot_label
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.views import PALETTE, StandInfo, VisitorInfo
from app.extensions import db


# -- occupancy over time (a Gantt chart per day) ------------------------------------------------

LABEL_WIDTH = 215
MINUTE_PX = 2.2
LANE = 16
ROW_GAP = 8
HEAD = 26


@dataclass
class Bar:
    x: float
    y: float
    width: float
    colour: str
    locked: bool
    title: str
    visit_id: int


@dataclass
class GanttRow:
    y: float
    height: float
    number: str
    startup: str
    capacity: int
    open: list[tuple[float, float]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    count: int = 0


@dataclass
class GanttDay:
    day: date
    width: float
    height: float
    ticks: list[tuple[float, str]]
    rows: list[GanttRow]
    num_visits: int
    visitor_keys: set[str] = field(default_factory=set)


def local_times(visits, tz: str) -> dict[int, tuple[datetime, datetime]]:
    """Each visit's start and end in local time, by visit id (once per visit: the charts place thousands).

    Visits start and end on few distinct moments (tour slots, the same lengths): each is converted once."""
    converted: dict[datetime, datetime] = {}

    def local(moment: datetime) -> datetime:
        if moment not in converted:
            converted[moment] = to_local(moment, tz)
        return converted[moment]
    return {v.id: (local(v.starts_at), local(v.ends_at)) for v in visits}


def occupancy(plan: VisitPlan, stands: dict[str, StandInfo], visitors: dict[str, VisitorInfo], tz: str,
              only: date | None = None, visits=None, local=None) -> list[GanttDay]:
    """One chart per day with visits (or the day `only`): a row per stand (taller for stands taking several
    groups at once). `visits` (the plan's, or `views.visit_rows`) and their `local_times` when known."""
    visits = plan.visits if visits is None else visits
    local = local_times(visits, tz) if local is None else local
    doc_stands = {s["id"]: s for s in plan.problem.get("stands", [])}
    by_day: dict[date, list[PlannedVisit]] = defaultdict(list)
    for visit in visits:
        by_day[local[visit.id][0].date()].append(visit)
    moments: dict[float, datetime] = {}  # tours and opening hours share their bounds: each converted once

    def at(minutes: float) -> datetime:
        if minutes not in moments:
            moments[minutes] = to_local(plan.reference + timedelta(minutes=minutes), tz)
        return moments[minutes]
    tour_windows = [(at(t["from"]), at(t["to"])) for v in plan.problem.get("visitors", []) for t in v.get("tours", [])]
    days = []
    for day, visits in sorted(by_day.items()):
        if only is not None and day != only:
            continue

        def minute_of_day(moment: datetime, day=day) -> float:
            return (moment.date() - day).days * 1440 + moment.hour * 60 + moment.minute + moment.second / 60
        minutes = {v.id: (minute_of_day(local[v.id][0]), minute_of_day(local[v.id][1])) for v in visits}
        first = min(a for a, _b in minutes.values())
        last = max(b for _a, b in minutes.values())
        for window_start, window_end in tour_windows:
            start, end = minute_of_day(window_start), minute_of_day(window_end)
            if 0 <= start < 1440:
                first, last = min(first, start), max(last, min(end, 1440))
        lo, hi = int(first // 60) * 60, int(-(-last // 60)) * 60
        hi = max(hi, lo + 60)

        def x_of(minute: float, lo=lo) -> float:
            return round(LABEL_WIDTH + (minute - lo) * MINUTE_PX, 2)

        ticks = [(x_of(m), f"{m // 60:02d}:00") for m in range(lo, hi + 1, 60)]
        at_stand: dict[str, list[PlannedVisit]] = defaultdict(list)
        for visit in visits:
            at_stand[visit.stand_key].append(visit)
        keys = sorted(set(at_stand) | set(doc_stands), key=stand_sort_key)
        rows, y = [], HEAD
        for key in keys:
            info = stands.get(key) or StandInfo(key, key.partition("/")[0], "")
            capacity = max(1, int(doc_stands.get(key, {}).get("capacity", 1) or 1))
            mine = sorted(at_stand.get(key, []), key=lambda v: v.start)
            lanes: list[float] = []
            placed = []
            for visit in mine:
                start, end = minutes[visit.id]
                lane = next((i for i, free_at in enumerate(lanes) if free_at <= start + 1e-6), None)
                if lane is None:
                    lanes.append(end)
                    lane = len(lanes) - 1
                else:
                    lanes[lane] = end
                placed.append((visit, start, end, lane))
            num_lanes = max(capacity, len(lanes))
            row = GanttRow(y, num_lanes * LANE + ROW_GAP, info.number, info.startup, capacity, count=len(mine))
            for a, b in doc_stands.get(key, {}).get("open", []):
                start, end = minute_of_day(at(a)), minute_of_day(at(b))
                start, end = max(start, lo), min(end, hi)
                if start < end:
                    row.open.append((x_of(start), round((end - start) * MINUTE_PX, 2)))
            for visit, start, end, lane in placed:
                who = visitors.get(visit.visitor_key)
                starts, ends = local[visit.id]
                title = f"{starts:%H:%M}–{ends:%H:%M} · {who.name if who else visit.visitor_key} · {info.label}"
                if visit.locked:
                    title += " · " + _("locked")
                row.bars.append(Bar(x_of(start), y + ROW_GAP / 2 + lane * LANE, round((end - start) * MINUTE_PX, 2),
                                    who.colour if who else PALETTE[0], visit.locked, title, visit.id))
            rows.append(row)
            y += row.height
        days.append(GanttDay(day, x_of(hi) + 30, y + 4, ticks, rows, len(visits), {v.visitor_key for v in visits}))
    return days


# -- the map of all routes ---------------------------------------------------------------------

@dataclass
class MapStand:
    x: float
    y: float
    width: float
    depth: float
    number: str
    visited: bool
    font: float = 1.0   # the number's size, so that it fits inside the stand (neighbours touch)


@dataclass
class MapEntrance:
    x: float
    y: float
    name: str
    #: Where the name goes: beside the door along its wall's aisle, never over the stands.
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass
class MapPath:
    points: str
    colour: str
    title: str
    key: str


@dataclass
class MapView:
    width: float
    depth: float
    unit: float
    stands: list[MapStand]
    entrances: list[MapEntrance]
    paths: list[MapPath]
    legend: list[tuple[VisitorInfo, int]]
    choices: list[tuple[str, list[tuple[str, str]]]]
    selected: str
    num_tours: int
    people: list[VisitorInfo]
    who: str

    @property
    def shown(self) -> str:
        """What the map shows, in words: "All days and tours", "Wednesday 2 June, all tours", a tour slot."""
        return next((label for _g, options in self.choices for value, label in options if value == self.selected), "")

    @property
    def who_name(self) -> str:
        """Whose routes are drawn: a visitor's name, or "" for every visitor."""
        return next((v.name for v in self.people if v.key == self.who), "")


def _entrance(x: float, y: float, name: str, width: float, depth: float, unit: float) -> MapEntrance:
    """An entrance with its name beside it: on a side wall, along the aisle it opens on (vertically centred,
    as the hall plan does); on the front or back wall, centred outside the hall."""
    size = unit * 2.8
    if x < width * 0.12:
        return MapEntrance(x, y, name, x + unit * 2.2, y + size * 0.35, "start")
    if x > width * 0.88:
        return MapEntrance(x, y, name, x - unit * 2.2, y + size * 0.35, "end")
    below = y > depth / 2
    return MapEntrance(x, y, name, x, y + unit * 2.2 + size * 0.8 if below else y - unit * 2.2, "middle")


def _slot_label(slot: TourSlot, tz: str) -> str:
    return slot_label(slot, tz)  # with its day, as everywhere a tour slot is named


def route_map(plan: VisitPlan, visitors: dict[str, VisitorInfo], tz: str, selected: str, day_label,
              who: str | None = "", visits=None) -> MapView:
    """The hall with every tour's path (entrance, stands in order, entrance), for a day, a tour slot or all.

    `selected` is "all", "day:YYYY-MM-DD" or "slot:<id>"; anything else means "all". `who`, a
    visitor key, keeps that visitor's tours only; "" means every visitor, None (nothing chosen yet) the
    first visitor by name: a thousand routes drawn at once hide each other. `day_label(date)` writes a
    day in the reader's language. `visits`: the plan's visits (objects or `views.visit_rows`).
    """
    visits = plan.visits if visits is None else visits
    hall = db.session.scalar(select(Hall).where(Hall.event_id == plan.event_id))
    width, depth = (hall.width, hall.depth) if hall else (60.0, 40.0)
    locations = plan.problem.get("locations", {})
    unit = max(width, depth) / 120
    visited = {v.stand_key.partition("/")[0] for v in visits}
    # A number's width is about 0.62 of its size per character: fit the stand with a margin.
    stands = [MapStand(s.x, s.y, s.width, s.depth, s.number, s.number in visited,
                       round(min(unit * 3, s.depth * 0.55, (s.width * 0.86) / (0.62 * max(1, len(s.number)))), 3))
              for s in db.session.scalars(select(Stand).where(Stand.event_id == plan.event_id).order_by(Stand.number))]
    doors = [(e.x, e.y, e.name) for e in db.session.scalars(
        select(Entrance).where(Entrance.event_id == plan.event_id).order_by(Entrance.position, Entrance.id))]
    for name, (x, y) in locations.items():
        if name.startswith("entrance") and not any(abs(x - dx) < 1e-6 and abs(y - dy) < 1e-6 for dx, dy, _n in doors):
            doors.append((x, y, name.partition(":")[2] or _("Entrance")))
    entrances = [_entrance(x, y, name, width, depth, unit) for x, y, name in doors]

    slots = list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == plan.event_id)
                                    .order_by(TourSlot.starts_at)))
    tours: dict[tuple[str, int], list[PlannedVisit]] = defaultdict(list)
    for visit in visits:
        tours[(visit.visitor_key, visit.tour)].append(visit)
    days = sorted({to_local(min(vs, key=lambda v: v.start).starts_at, tz).date() for vs in tours.values()})
    choices = [("", [("all", _("All days and tours"))])]
    for day in days:
        options = [(f"day:{day.isoformat()}", _("%(day)s, all tours", day=day_label(day)))]
        options += [(f"slot:{s.id}", _slot_label(s, tz)) for s in slots if to_local(s.starts_at, tz).date() == day]
        choices.append((day_label(day), options))
    valid = {value for _g, options in choices for value, _l in options}
    selected = selected if selected in valid else "all"

    def shown(first: PlannedVisit) -> bool:
        if selected.startswith("day:"):
            return to_local(first.starts_at, tz).date().isoformat() == selected[4:]
        if selected.startswith("slot:"):
            slot = next(s for s in slots if str(s.id) == selected[5:])
            return slot.starts_at <= first.starts_at < slot.ends_at
        return True

    routed = {key for key, _index in tours}
    people = sorted((v for v in visitors.values() if v.key in routed), key=lambda v: v.name)
    if who is None:
        who = people[0].key if people else ""
    who = who if who in routed else ""
    tour_docs = {v["id"]: v.get("tours", []) for v in plan.problem.get("visitors", [])}
    order = list(visitors)
    position = {key: i for i, key in enumerate(order)}
    paths, counts = [], defaultdict(int)
    for (key, index), visits in sorted(tours.items(), key=lambda item: (position.get(item[0][0], 0), item[0][1])):
        visits = sorted(visits, key=lambda v: v.start)
        if not shown(visits[0]) or (who and key != who):
            continue
        tour = tour_docs.get(key, [])[index] if index < len(tour_docs.get(key, [])) else {}
        names = [tour.get("start")] + [f"stand:{v.stand_key}" for v in visits] + [tour.get("end")]
        points = [locations[n] for n in names if n in locations]
        if len(points) < 2:
            continue
        # Paths of different visitors would hide each other on shared aisles: shift each a little.
        shift = (position.get(key, 0) % 5 - 2) * unit * 0.35
        info = visitors.get(key)
        stops = " → ".join(v.stand_key.partition("/")[0] for v in visits)
        paths.append(MapPath(" ".join(f"{x + shift:.2f},{y + shift:.2f}" for x, y in points),
                             info.colour if info else PALETTE[0],
                             f"{info.name if info else key}: {stops}", key))
        counts[key] += len(visits)
    legend = [(visitors[key], counts[key]) for key in order if key in counts]
    return MapView(width, depth, unit, stands, entrances, paths, legend, choices, selected, len(paths), people, who)
