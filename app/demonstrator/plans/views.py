"""What the organiser's plan pages show: names for the document's ids, the figures in words and the
visits grouped by visitor (the occupancy chart and the map of the routes are in charts.py).

Plain values for the templates (no request, no commit).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.numbers import format_number
from app.demonstrator.hall.models import Stand
from app.demonstrator.hall.queries import stand_sort_key, startup_name
from app.demonstrator.hall.tours import tour_window
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.wishes.visitors import group_sizes
from app.extensions import db
from app.registrations.models import Delegation, Registration

#: Colours of visitors in the charts (distinct on white, readable as thin lines).
PALETTE = ["#1f77b4", "#e0752d", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#5b6577",
           "#b5a000", "#17becf", "#163a69", "#a15c00", "#1d7a46", "#7b3294", "#c51b7d", "#4d9221"]


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


def visit_rows(plan: VisitPlan) -> list:
    """The plan's visits as light rows (the columns the charts read, no ORM objects): the demo summit has
    thousands, and building objects for them costs more than drawing them."""
    return list(db.session.execute(
        select(PlannedVisit.id, PlannedVisit.visitor_key, PlannedVisit.tour, PlannedVisit.stand_key,
               PlannedVisit.startup_id, PlannedVisit.start, PlannedVisit.starts_at, PlannedVisit.ends_at,
               PlannedVisit.locked)
        .where(PlannedVisit.plan_id == plan.id).order_by(PlannedVisit.visitor_key, PlannedVisit.starts_at)))


def _visit_column(plan: VisitPlan, column) -> list:
    """The distinct values of one column of the plan's visits (without loading the visits)."""
    return list(db.session.scalars(select(column).where(PlannedVisit.plan_id == plan.id).distinct()))


def visitor_infos(plan: VisitPlan, visits=None) -> dict[str, VisitorInfo]:
    """Every visitor of the plan's document (and of its visits), in the document's order.

    `visits`: the plan's visits when the caller has them already (objects or `visit_rows`); else the visitors
    are read from one column, without loading the visits."""
    present = {v.visitor_key for v in visits} if visits is not None else set(_visit_column(plan, PlannedVisit.visitor_key))
    keys = [v["id"] for v in plan.problem.get("visitors", [])]
    keys += sorted(present - set(keys))
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


def stand_infos(plan: VisitPlan, visits=None) -> dict[str, StandInfo]:
    """Every stand key of the plan's document (and of its visits): the stand and the startup holding it.

    `visits`: the plan's visits when the caller has them already; else read as distinct pairs."""
    keys = [s["id"] for s in plan.problem.get("stands", [])]
    if visits is not None:
        pairs = sorted({(v.stand_key, v.startup_id) for v in visits}, key=lambda p: (p[0], p[1] is None, p[1] or 0))
    else:
        pairs = db.session.execute(select(PlannedVisit.stand_key, PlannedVisit.startup_id)
                                   .where(PlannedVisit.plan_id == plan.id).distinct()
                                   .order_by(PlannedVisit.stand_key, PlannedVisit.startup_id)).all()
    keys += sorted({key for key, _startup in pairs} - set(keys))
    stands = {s.number: s for s in db.session.scalars(
        select(Stand).where(Stand.event_id == plan.event_id).options(selectinload(Stand.bookings)))}
    startup_of_key: dict[str, int] = {}
    for key, startup_id in pairs:
        if startup_id is not None:
            startup_of_key.setdefault(key, startup_id)
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
    for key in sorted(keys, key=stand_sort_key):
        number = key.partition("/")[0]
        infos[key] = StandInfo(key, number, startup_name(startups.get(startup_of_key.get(key))), stands.get(number))
    return infos


# -- the figures, in words -----------------------------------------------------------------------

def number(value: float | None, digits: int = 1) -> str:
    """A figure in the reader's language ("41,5"), a dash when there is none yet."""
    return format_number(value, digits)


def gap_percent(objective: float | None, bound: float | None) -> float | None:
    """How far the plan is below the optimiser's upper bound, in percent (None without a bound)."""
    if objective is None or bound is None:
        return None
    if bound <= 0:
        return 0.0 if objective >= bound - 1e-9 else None
    return max(0.0, 100 * (bound - objective) / bound)


def quality_words(gap: float | None) -> str:
    """How good the plan is, in an organiser's words: how close to the best plan that could exist.

    The optimiser's bound is a value no plan can beat, so a plan 19.9 % below it is at least 80 % as
    good as the best possible one (the best may well be lower than the bound).
    """
    if gap is None:
        return _("How close this plan is to the best possible one is not known yet.")
    if gap < 0.05:
        return _("This is the best possible plan: no better one exists.")
    return _("This plan reaches at least %(percent)s %% of the best possible one.",
             percent=format_number(math.floor(100 - gap)))


def quality_short(gap: float) -> str:
    """The same for a list: "at least 80 % of the best possible"."""
    if gap < 0.05:
        return _("the best possible")
    return _("at least %(percent)s %% of the best possible", percent=format_number(math.floor(100 - gap)))


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
    quality_text: str
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
    shortfall.sort(key=lambda s: (s["visits"] - s["min"], stand_sort_key(s["key"])))
    return Summary(figures, gap, gap_text, quality_words(gap), shortfall, bool(figures.get("edited")))


# -- visits grouped by visitor -------------------------------------------------------------------

@dataclass
class TourRows:
    index: int
    window: str
    visits: list[PlannedVisit]


@dataclass
class VisitorRows:
    """A routed visitor: when their first visit starts, how many visits; `tours` once loaded (`with_tours`)."""

    info: VisitorInfo
    first_start: float
    num_visits: int
    tours: list[TourRows] = field(default_factory=list)


def visitor_groups(plan: VisitPlan, visitors: dict[str, VisitorInfo]) -> tuple[list[VisitorRows], list[VisitorInfo]]:
    """The routed visitors in the order of their first visit (without their visits), and those without a visit.

    One grouped query: a page shows twenty visitors, not the plan's thousands of visits.
    """
    counts = {key: (first, num) for key, first, num in db.session.execute(
        select(PlannedVisit.visitor_key, func.min(PlannedVisit.start), func.count())
        .where(PlannedVisit.plan_id == plan.id).group_by(PlannedVisit.visitor_key))}
    groups = [VisitorRows(info, *counts[key]) for key, info in visitors.items() if key in counts]
    groups.sort(key=lambda g: (g.first_start, g.info.key))
    return groups, [info for key, info in visitors.items() if key not in counts]


def with_tours(plan: VisitPlan, groups: list[VisitorRows], tz: str) -> list[VisitorRows]:
    """`groups` with their tours and visits in time order, each tour named with its day and hours."""
    keys = [g.info.key for g in groups]
    by_key: dict[str, dict[int, list[PlannedVisit]]] = defaultdict(lambda: defaultdict(list))
    for visit in db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id,
                                                               PlannedVisit.visitor_key.in_(keys))):
        by_key[visit.visitor_key][visit.tour].append(visit)
    tours_of = {v["id"]: v.get("tours", []) for v in plan.problem.get("visitors", []) if v["id"] in by_key}
    for group in groups:
        key, tours = group.info.key, []
        for index, visits in sorted(by_key[key].items()):
            window = ""
            if index < len(tours_of.get(key, [])):
                t = tours_of[key][index]
                window = tour_window(plan.reference + timedelta(minutes=t["from"]),
                                     plan.reference + timedelta(minutes=t["to"]), tz)
            tours.append(TourRows(index, window, sorted(visits, key=lambda v: v.start)))
        group.tours = tours
    return groups


def stand_choices(plan: VisitPlan, stands: dict[str, StandInfo]) -> list[tuple[str, str]]:
    keys = [s["id"] for s in plan.problem.get("stands", [])]
    return [(key, stands[key].label if key in stands else key) for key in sorted(keys, key=stand_sort_key)]
