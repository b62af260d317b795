"""What the organiser's plan pages show: names for the document's ids, the figures in words,
the visits grouped by visitor, the occupancy chart and the map of the routes.

Plain values for the templates (no request, no commit); geometry is computed here so that the
templates only place what they are given (the CSP forbids inline styles, so the charts are SVG
with presentation attributes).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.timefmt import to_local
from app.demonstrator.document import group_sizes
from app.demonstrator.models import Entrance, Hall, PlannedVisit, Stand, TourSlot, VisitPlan
from app.extensions import db
from app.registrations.models import Delegation, Registration

#: Colours of visitors in the charts (distinct on white, readable as thin lines).
PALETTE = ["#1f77b4", "#e0752d", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#5b6577",
           "#b5a000", "#17becf", "#163a69", "#a15c00", "#1d7a46", "#7b3294", "#c51b7d", "#4d9221"]


def natural_key(text: str) -> list:
    """"A2" before "A10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def startup_name(registration: Registration | None) -> str:
    if registration is None:
        return ""
    if registration.organisation is not None:
        return registration.organisation.name
    return registration.person.full_name


# -- the document's ids, named ---------------------------------------------------------------------

@dataclass
class VisitorInfo:
    key: str
    name: str
    members: int
    colour: str
    is_delegation: bool


@dataclass
class StandInfo:
    key: str
    number: str
    startup: str
    stand: Stand | None = None

    @property
    def label(self) -> str:
        return f"{self.number} · {self.startup}" if self.startup else self.number


def visitor_infos(plan: VisitPlan) -> dict[str, VisitorInfo]:
    """Every visitor of the plan's document (and of its visits), in the document's order."""
    keys = [v["id"] for v in plan.problem.get("visitors", [])]
    keys += sorted({v.visitor_key for v in plan.visits} - set(keys))
    delegation_ids = [int(k[1:]) for k in keys if k.startswith("d") and k[1:].isdigit()]
    registration_ids = [int(k[1:]) for k in keys if k.startswith("r") and k[1:].isdigit()]
    delegations = {d.id: d for d in db.session.scalars(select(Delegation).where(Delegation.id.in_(delegation_ids)))}
    registrations = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_(registration_ids)).options(selectinload(Registration.person)))}
    sizes = group_sizes(plan.event_id)
    infos = {}
    for index, key in enumerate(keys):
        ident = int(key[1:]) if key[1:].isdigit() else None
        if key.startswith("d"):
            delegation = delegations.get(ident)
            name = delegation.name if delegation else _("Delegation %(id)s", id=key[1:])
            members = sizes.get(key, 1)
        else:
            registration = registrations.get(ident)
            name = registration.person.full_name if registration else key
            members = 1
        infos[key] = VisitorInfo(key, name, members, PALETTE[index % len(PALETTE)], key.startswith("d"))
    return infos


def stand_infos(plan: VisitPlan) -> dict[str, StandInfo]:
    """Every stand key of the plan's document (and of its visits): the stand and the startup holding it."""
    keys = [s["id"] for s in plan.problem.get("stands", [])]
    keys += sorted({v.stand_key for v in plan.visits} - set(keys))
    stands = {s.number: s for s in db.session.scalars(
        select(Stand).where(Stand.event_id == plan.event_id).options(selectinload(Stand.bookings)))}
    startup_of_key: dict[str, int] = {}
    for visit in plan.visits:
        if visit.startup_id is not None:
            startup_of_key.setdefault(visit.stand_key, visit.startup_id)
    for key in keys:
        number, _sep, startup = key.partition("/")
        if startup.isdigit():
            startup_of_key[key] = int(startup)
        elif key not in startup_of_key and number in stands and stands[number].bookings:
            startup_of_key[key] = stands[number].bookings[0].registration_id
    startups = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_(set(startup_of_key.values())))
        .options(selectinload(Registration.organisation), selectinload(Registration.person)))}
    infos = {}
    for key in sorted(keys, key=natural_key):
        number = key.partition("/")[0]
        infos[key] = StandInfo(key, number, startup_name(startups.get(startup_of_key.get(key))), stands.get(number))
    return infos


# -- the figures, in words -----------------------------------------------------------------------

def number(value: float | None, digits: int = 1) -> str:
    """A figure in the reader's language ("41,5"), a dash when there is none yet."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "–"
    return format_decimal(round(value, digits), format="#,##0" + ("." + "#" * digits if digits else ""))


def gap_percent(objective: float | None, bound: float | None) -> float | None:
    """How far the plan is below the optimiser's upper bound, in percent (None without a bound)."""
    if objective is None or bound is None:
        return None
    if bound <= 0:
        return 0.0 if objective >= bound - 1e-9 else None
    return max(0.0, 100 * (bound - objective) / bound)


def gap_words(gap: float | None) -> str:
    if gap is None:
        return _("no bound known")
    if gap < 0.05:
        return _("at the bound: no better plan exists")
    return _("within %(gap)s %% of the bound", gap=number(gap, 1))


@dataclass
class Summary:
    figures: dict
    gap: float | None
    gap_text: str
    shortfall: list[dict]
    edited: bool


def summary(plan: VisitPlan, stands: dict[str, StandInfo]) -> Summary:
    figures = dict(plan.figures or {})
    gap = gap_percent(figures.get("objective"), figures.get("bound"))
    gap_text = gap_words(gap)
    shortfall = []
    for item in figures.get("shortfall", []):
        info = stands.get(item["stand"]) or StandInfo(item["stand"], item["stand"].partition("/")[0], "")
        shortfall.append({"key": item["stand"], "number": info.number, "startup": info.startup,
                          "visits": item["visits"], "min": item["min"]})
    shortfall.sort(key=lambda s: (s["visits"] - s["min"], natural_key(s["key"])))
    return Summary(figures, gap, gap_text, shortfall, bool(figures.get("edited")))


# -- visits grouped by visitor -------------------------------------------------------------------

@dataclass
class TourRows:
    index: int
    window: str
    visits: list[PlannedVisit]


@dataclass
class VisitorRows:
    info: VisitorInfo
    tours: list[TourRows]

    @property
    def num_visits(self) -> int:
        return sum(len(t.visits) for t in self.tours)


def _local(plan: VisitPlan, minutes: float, tz: str) -> datetime:
    return to_local(plan.reference + timedelta(minutes=minutes), tz)


def visits_by_visitor(plan: VisitPlan, visitors: dict[str, VisitorInfo], tz: str) -> tuple[list[VisitorRows], list[VisitorInfo]]:
    """The routed visitors with their tours and visits in time order, and those left without a visit."""
    tours_of = {v["id"]: v.get("tours", []) for v in plan.problem.get("visitors", [])}
    by_key: dict[str, dict[int, list[PlannedVisit]]] = defaultdict(lambda: defaultdict(list))
    for visit in plan.visits:
        by_key[visit.visitor_key][visit.tour].append(visit)
    groups, idle = [], []
    for key, info in visitors.items():
        if key not in by_key:
            idle.append(info)
            continue
        tours = []
        for index, visits in sorted(by_key[key].items()):
            window = ""
            if index < len(tours_of.get(key, [])):
                t = tours_of[key][index]
                start, end = _local(plan, t["from"], tz), _local(plan, t["to"], tz)
                window = f"{start:%H:%M}–{end:%H:%M}"
            tours.append(TourRows(index, window, sorted(visits, key=lambda v: v.start)))
        groups.append(VisitorRows(info, tours))
    groups.sort(key=lambda g: min(v.start for t in g.tours for v in t.visits))
    return groups, idle


def stand_choices(plan: VisitPlan, stands: dict[str, StandInfo]) -> list[tuple[str, str]]:
    keys = [s["id"] for s in plan.problem.get("stands", [])]
    return [(key, stands[key].label if key in stands else key) for key in sorted(keys, key=natural_key)]


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


def occupancy(plan: VisitPlan, stands: dict[str, StandInfo], visitors: dict[str, VisitorInfo], tz: str) -> list[GanttDay]:
    """One chart per day with visits: a row per stand (taller for stands taking several groups at once)."""
    doc_stands = {s["id"]: s for s in plan.problem.get("stands", [])}
    by_day: dict[date, list[PlannedVisit]] = defaultdict(list)
    for visit in plan.visits:
        by_day[to_local(visit.starts_at, tz).date()].append(visit)
    days = []
    for day, visits in sorted(by_day.items()):
        def minute_of_day(moment: datetime, day=day) -> float:
            local = to_local(moment, tz)
            return (local.date() - day).days * 1440 + local.hour * 60 + local.minute + local.second / 60
        first = min(minute_of_day(v.starts_at) for v in visits)
        last = max(minute_of_day(v.ends_at) for v in visits)
        for t in (t for v in plan.problem.get("visitors", []) for t in v.get("tours", [])):
            start = minute_of_day(plan.reference + timedelta(minutes=t["from"]))
            end = minute_of_day(plan.reference + timedelta(minutes=t["to"]))
            if 0 <= start < 1440:
                first, last = min(first, start), max(last, min(end, 1440))
        lo, hi = int(first // 60) * 60, int(-(-last // 60)) * 60
        hi = max(hi, lo + 60)

        def x_of(minute: float, lo=lo) -> float:
            return round(LABEL_WIDTH + (minute - lo) * MINUTE_PX, 2)

        ticks = [(x_of(m), f"{m // 60:02d}:00") for m in range(lo, hi + 1, 60)]
        keys = sorted({v.stand_key for v in visits} | set(doc_stands), key=natural_key)
        rows, y = [], HEAD
        for key in keys:
            info = stands.get(key) or StandInfo(key, key.partition("/")[0], "")
            capacity = max(1, int(doc_stands.get(key, {}).get("capacity", 1) or 1))
            mine = sorted((v for v in visits if v.stand_key == key), key=lambda v: v.start)
            lanes: list[float] = []
            placed = []
            for visit in mine:
                start, end = minute_of_day(visit.starts_at), minute_of_day(visit.ends_at)
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
                start = minute_of_day(plan.reference + timedelta(minutes=a))
                end = minute_of_day(plan.reference + timedelta(minutes=b))
                start, end = max(start, lo), min(end, hi)
                if start < end:
                    row.open.append((x_of(start), round((end - start) * MINUTE_PX, 2)))
            for visit, start, end, lane in placed:
                who = visitors.get(visit.visitor_key)
                title = f"{to_local(visit.starts_at, tz):%H:%M}–{to_local(visit.ends_at, tz):%H:%M} · " \
                        f"{who.name if who else visit.visitor_key} · {info.label}"
                if visit.locked:
                    title += " · " + _("locked")
                row.bars.append(Bar(x_of(start), y + ROW_GAP / 2 + lane * LANE, round((end - start) * MINUTE_PX, 2),
                                    who.colour if who else PALETTE[0], visit.locked, title, visit.id))
            rows.append(row)
            y += row.height
        days.append(GanttDay(day, x_of(hi) + 30, y + 4, ticks, rows, len(visits)))
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
    entrances: list[tuple[float, float, str]]
    paths: list[MapPath]
    legend: list[tuple[VisitorInfo, int]]
    choices: list[tuple[str, list[tuple[str, str]]]]
    selected: str
    num_tours: int
    people: list[VisitorInfo]
    who: str


def _slot_label(slot: TourSlot, tz: str) -> str:
    start, end = to_local(slot.starts_at, tz), to_local(slot.ends_at, tz)
    window = f"{start:%H:%M}–{end:%H:%M}"
    return f"{slot.label} ({window})" if slot.label else window


def route_map(plan: VisitPlan, visitors: dict[str, VisitorInfo], tz: str, selected: str, day_label,
              who: str = "") -> MapView:
    """The hall with every tour's path (entrance, stands in order, entrance), for a day, a tour slot or all.

    `selected` is "all", "day:YYYY-MM-DD" or "slot:<id>"; anything else means "all". `who`, a
    visitor key, keeps that visitor's tours only. `day_label(date)` writes a day in the reader's language.
    """
    hall = db.session.scalar(select(Hall).where(Hall.event_id == plan.event_id))
    width, depth = (hall.width, hall.depth) if hall else (60.0, 40.0)
    locations = plan.problem.get("locations", {})
    unit = max(width, depth) / 120
    visited = {v.stand_key.partition("/")[0] for v in plan.visits}
    stands = [MapStand(s.x, s.y, s.width, s.depth, s.number, s.number in visited)
              for s in db.session.scalars(select(Stand).where(Stand.event_id == plan.event_id).order_by(Stand.number))]
    doors = [(e.x, e.y, e.name) for e in db.session.scalars(
        select(Entrance).where(Entrance.event_id == plan.event_id).order_by(Entrance.position, Entrance.id))]
    for name, (x, y) in locations.items():
        if name.startswith("entrance") and not any(abs(x - dx) < 1e-6 and abs(y - dy) < 1e-6 for dx, dy, _n in doors):
            doors.append((x, y, name.partition(":")[2] or _("Entrance")))

    slots = list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == plan.event_id)
                                    .order_by(TourSlot.starts_at)))
    tours: dict[tuple[str, int], list[PlannedVisit]] = defaultdict(list)
    for visit in plan.visits:
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
    who = who if who in routed else ""
    tour_docs = {v["id"]: v.get("tours", []) for v in plan.problem.get("visitors", [])}
    order = list(visitors)
    paths, counts = [], defaultdict(int)
    for (key, index), visits in sorted(tours.items(), key=lambda item: (order.index(item[0][0])
                                                                         if item[0][0] in order else 0, item[0][1])):
        visits = sorted(visits, key=lambda v: v.start)
        if not shown(visits[0]) or (who and key != who):
            continue
        tour = tour_docs.get(key, [])[index] if index < len(tour_docs.get(key, [])) else {}
        names = [tour.get("start")] + [f"stand:{v.stand_key}" for v in visits] + [tour.get("end")]
        points = [locations[n] for n in names if n in locations]
        if len(points) < 2:
            continue
        # Paths of different visitors would hide each other on shared aisles: shift each a little.
        shift = ((order.index(key) if key in order else 0) % 5 - 2) * unit * 0.35
        info = visitors.get(key)
        stops = " → ".join(v.stand_key.partition("/")[0] for v in visits)
        paths.append(MapPath(" ".join(f"{x + shift:.2f},{y + shift:.2f}" for x, y in points),
                             info.colour if info else PALETTE[0],
                             f"{info.name if info else key}: {stops}", key))
        counts[key] += len(visits)
    legend = [(visitors[key], counts[key]) for key in order if key in counts]
    return MapView(width, depth, unit, stands, doors, paths, legend, choices, selected, len(paths), people, who)
