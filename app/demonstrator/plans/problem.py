"""Build the optimiser's `visit-routing/1` problem document from the database.

Visitors and their free windows come from the wishes room (`wishes.visitors`), stands and their
open windows from the hall (`hall.queries`), scores from `wishes.scores`, the visits other features
require (a meeting at a startup's stand) from `required`.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import routing

from app.demonstrator.hall.models import Hall
from app.demonstrator.hall.queries import StandUnit, get_hall, main_entrance, stand_units
from app.demonstrator.intervals import Interval, subtract, union
from app.demonstrator.plans.required import RequiredVisit, required_entries, required_visits
from app.demonstrator.wishes.scores import score_matrix
from app.demonstrator.wishes.visitors import VisitorUnit, tour_windows, visitor_units
from app.events.models import Event


@dataclass
class Built:
    """A problem document and what its ids stand for."""

    document: dict
    reference: datetime
    visitors: dict[str, VisitorUnit] = field(default_factory=dict)
    stands: dict[str, StandUnit] = field(default_factory=dict)
    #: Why each scored pair was chosen: (visitor key, stand key) -> reasons (see pair_value).
    reasons: dict[tuple[str, str], dict] = field(default_factory=dict)
    #: The visits other features require (required.py) that the document leaves out, and why.
    dropped_required: dict[RequiredVisit, str] = field(default_factory=dict)

    def minutes(self, moment: datetime) -> float:
        return (moment - self.reference).total_seconds() / 60

    def moment(self, minutes: float) -> datetime:
        return self.reference + timedelta(minutes=minutes)


def reference_of(event: Event) -> datetime:
    """Minute 0 of an edition's documents: midnight of its first day, local time, in UTC (naive)."""
    local = datetime.combine(event.starts_on, time(0, 0), tzinfo=ZoneInfo(event.timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass
class LockedVisit:
    visitor: str
    stand: str
    start: float | None


def build_problem(event: Event, *, locked: Iterable[LockedVisit] = (), previous: dict | None = None,
                  after: datetime | None = None, name: str | None = None) -> Built:
    """The edition's problem document.

    `after` (UTC) plans only what is still to come: stands are open from then on, except for
    the locked visits already made, which keep their exact times. `previous` is a solution
    document of an earlier plan; entries whose visitor or stand no longer exist are left out.
    """
    hall = get_hall(event)
    entrance, x, y = main_entrance(event)
    door_name, door_xy = f"entrance:{entrance}" if entrance else "entrance", [x, y]
    built = Built({}, reference_of(event))
    units = visitor_units(event)
    stands = stand_units(event)
    windows = tour_windows(event, units)
    locked = list(locked)

    locations = {door_name: door_xy}
    stand_docs = []
    for st in stands:
        built.stands[st.key] = st
        locations[f"stand:{st.key}"] = [round(c, 3) for c in st.stand.centre]
        open_ = st.open
        if after is not None:
            open_ = _open_after(st, open_, after, locked, built, hall)
        if not open_:
            continue
        stand_docs.append({
            "id": st.key, "location": f"stand:{st.key}",
            "visit_duration": st.stand.visit_minutes or hall.visit_minutes,
            "open": [[round(built.minutes(a), 4), round(built.minutes(b), 4)] for a, b in open_],
            "capacity": max(1, st.stand.capacity),
            "max_visits": st.stand.max_visits,
            "min_visits": hall.min_visits if st.stand.min_visits is None else st.stand.min_visits,
        })
    stand_keys = {s["id"] for s in stand_docs}

    visitor_docs = []
    for unit in units:
        tours = windows.get(unit.key, [])
        if not tours:
            continue
        built.visitors[unit.key] = unit
        visitor_docs.append({"id": unit.key, "tours": [
            {"start": door_name, "end": door_name,
             "from": round(built.minutes(a), 4), "to": round(built.minutes(b), 4)} for a, b in tours]})

    scores = []
    for (vkey, skey), (value, reasons) in score_matrix(event, [u for u in units if u.key in built.visitors],
                                                        [s for s in stands if s.key in stand_keys]).items():
        scores.append([vkey, skey, value])
        built.reasons[(vkey, skey)] = reasons

    built.document = {
        "format": "visit-routing/1",
        "name": name or event.name,
        "locations": locations,
        "speed": hall.walking_speed,
        "travel_matrix": whole_minute_walks(locations, hall.walking_speed),
        "stands": stand_docs,
        "visitors": visitor_docs,
        "scores": scores,
        "shortfall_penalty": hall.shortfall_penalty,
        "locked": [],
        "previous": None,
        "change_penalty": hall.change_penalty if previous else 0,
    }
    built.document["locked"] = _locked_entries(built.document, locked)
    if previous:
        built.document["previous"] = _previous_entries(built.document, previous)
    wanted = required_visits(event)
    if wanted:
        stand_of: dict[int, str] = {}
        for st in stands:
            if st.key in stand_keys:
                stand_of.setdefault(st.startup.id, st.key)
        entries, built.dropped_required = required_entries(built.document, wanted, stand_of, built.minutes)
        if entries:
            built.document["required"] = entries
    return built


def whole_minute_walks(locations: dict[str, list[float]], speed: float) -> dict:
    """Walking times between the locations, each rounded up to a whole minute (a travel matrix of the spec).

    With whole-minute walks, visit lengths, tour slots and opening hours, the optimiser places every visit on a
    whole minute, as people read times (14:01, not 14:00:34), and no walk is shortened by the rounding.
    """
    order = sorted(locations)
    walks = routing.Problem(name="", locations={k: tuple(v) for k, v in locations.items()}, speed=speed,
                            matrix_order=None, matrix_times=None, stands=(), visitors=(), scores={})
    return {"order": order,
            "times": [[math.ceil(walks.travel_time(a, b) - 1e-9) for b in order] for a in order]}


def _open_after(st: StandUnit, open_: list[Interval], after: datetime, locked: list[LockedVisit],
                built: Built, hall: Hall) -> list[Interval]:
    duration = timedelta(minutes=st.stand.visit_minutes or hall.visit_minutes)
    kept = [(built.moment(lk.start), built.moment(lk.start) + duration) for lk in locked
            if lk.stand == st.key and lk.start is not None and built.moment(lk.start) < after]
    return union(subtract(open_, [(datetime.min, after)]) + kept)


def _tour_of(visitor: dict, start: float | None, duration: float) -> int | None:
    """The tour a visit at `start` belongs to (the first tour when no start is given)."""
    for k, tour in enumerate(visitor["tours"]):
        if start is None or (tour["from"] - 1e-6 <= start and start + duration <= tour["to"] + 1e-6):
            return k
    return None


def _locked_entries(document: dict, locked: list[LockedVisit]) -> list[dict]:
    """Locks as document entries. A lock whose visitor, stand or tour is gone is dropped (the new plan shows it)."""
    visitors = {v["id"]: v for v in document["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in document["stands"]}
    entries = []
    for lk in locked:
        if lk.visitor not in visitors or lk.stand not in durations:
            continue
        k = _tour_of(visitors[lk.visitor], lk.start, durations[lk.stand])
        if k is not None:
            entries.append({"visitor": lk.visitor, "tour": k, "stand": lk.stand, "start": lk.start})
    return entries


def _previous_entries(document: dict, previous: dict) -> dict:
    """An earlier solution, restated on this document's tours; visits of vanished ids are left out."""
    visitors = {v["id"]: v for v in document["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in document["stands"]}
    tours: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for tour in previous.get("tours", []):
        vid = tour.get("visitor")
        if vid not in visitors:
            continue
        for visit in tour.get("visits", []):
            if visit.get("stand") not in durations:
                continue
            # On the whole minute, as the new plan's visits are: a visit of an older plan at 14:00:34 is kept
            # at 14:01 without a change penalty.
            start = float(math.ceil(visit["start"] - 1e-6))
            k = _tour_of(visitors[vid], start, durations[visit["stand"]])
            tours[(vid, 0 if k is None else k)].append({"stand": visit["stand"], "start": start})
    return {"format": "visit-routing-solution/1",
            "tours": [{"visitor": vid, "tour": k, "visits": sorted(v, key=lambda x: x["start"])}
                      for (vid, k), v in sorted(tours.items())]}
