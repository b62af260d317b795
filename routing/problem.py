"""Problem and solution documents: parsing and validation.

Everything here is plain Python (no OR-Tools). A parsed :class:`Problem` is
frozen; building one validates the document and raises :class:`InvalidDocument`
with a message naming the entry at fault. The values themselves live in
:mod:`routing.values` and are re-exported here.
"""

from __future__ import annotations

import json
from typing import Any

from .fields import InvalidDocument, _int, _label, _list, _num, _obj, _str, _unknown_keys
from .required import parse_required
from .values import (
    PROBLEM_FORMAT,
    SOLUTION_FORMAT,
    Locked,
    Problem,
    Required,
    Solution,
    Stand,
    Tour,
    TourPlan,
    Visit,
    Visitor,
)

__all__ = [
    "InvalidDocument", "Locked", "PROBLEM_FORMAT", "Problem", "Required", "SOLUTION_FORMAT", "Solution", "Stand", "Tour",
    "TourPlan", "Visit", "Visitor", "load_problem", "load_solution", "max_overlap", "parse_problem",
    "parse_solution", "read_json",
]


# ---------------------------------------------------------------- problem


def parse_problem(doc: Any) -> Problem:
    """Validate a problem document (already decoded from JSON) and build a Problem.

    Beyond the contract (``../shared/specs/visit-routing.md``), a document may carry ``required`` (issue 29):
    ``[{"visitor": V, "stand": S, "from": a, "to": b}, ...]``, visits every solution must contain, on any tour
    of V, starting no earlier than ``a`` and ending no later than ``b`` (both optional: the tours' own limits),
    every other rule holding. A pair both locked and required is accepted when its lock can keep the window.
    What is refused, naming the entry, is listed in :mod:`routing.required`.
    """
    doc = _obj(doc, "problem")
    _unknown_keys(
        doc,
        {"format", "name", "locations", "speed", "travel_matrix", "stands", "visitors", "scores",
         "shortfall_penalty", "locked", "previous", "change_penalty", "required"},
        "problem",
    )
    if doc.get("format") != PROBLEM_FORMAT:
        raise InvalidDocument(f"format: expected {PROBLEM_FORMAT!r}, got {json.dumps(doc.get('format'))[:60]}")
    name = doc.get("name", "")
    if not isinstance(name, str):
        raise InvalidDocument("name: expected a string")

    locations: dict[str, tuple[float, float]] = {}
    raw_locs = doc.get("locations") or {}
    for key, xy in _obj(raw_locs, "locations").items():
        where = f"locations[{key!r}]"
        if not isinstance(xy, list) or len(xy) != 2:
            raise InvalidDocument(f"{where}: expected [x, y]")
        locations[key] = (_num(xy[0], where + "[0]"), _num(xy[1], where + "[1]"))
    speed = _num(doc.get("speed", 1.0), "speed", minimum=0, strict=True)

    order = times = None
    tm = doc.get("travel_matrix")
    if tm is not None:
        tm = _obj(tm, "travel_matrix")
        order_l = _list(tm.get("order"), "travel_matrix.order")
        order = tuple(_str(n, f"travel_matrix.order[{i}]") for i, n in enumerate(order_l))
        if len(set(order)) != len(order):
            dup = next(n for n in order if order.count(n) > 1)
            raise InvalidDocument(f"travel_matrix.order: duplicate location {dup!r}")
        rows = _list(tm.get("times"), "travel_matrix.times")
        if len(rows) != len(order):
            raise InvalidDocument(f"travel_matrix.times: expected {len(order)} rows, got {len(rows)}")
        tt = []
        for i, row in enumerate(rows):
            row = _list(row, f"travel_matrix.times[{i}]")
            if len(row) != len(order):
                raise InvalidDocument(f"travel_matrix.times[{i}]: expected {len(order)} entries, got {len(row)}")
            tt.append(tuple(_num(x, f"travel_matrix.times[{i}][{j}]", minimum=0) for j, x in enumerate(row)))
        times = tuple(tt)
    known_locs = set(order) if order is not None else set(locations)

    def check_loc(loc: Any, where: str) -> str:
        loc = _str(loc, where)
        if loc not in known_locs:
            if order is not None:
                raise InvalidDocument(f"{where}: location {loc!r} has no entry in travel_matrix")
            raise InvalidDocument(f"{where}: unknown location {loc!r}")
        return loc

    stands = []
    seen: set[str] = set()
    for i, st in enumerate(_list(doc.get("stands", []), "stands")):
        where = _label(f"stands[{i}]", st)
        st = _obj(st, where)
        _unknown_keys(st, {"id", "location", "visit_duration", "open", "capacity", "max_visits", "min_visits", "name"}, where)
        sid = _str(st.get("id"), where + ".id")
        if sid in seen:
            raise InvalidDocument(f"{where}: duplicate stand id {sid!r}")
        seen.add(sid)
        loc = check_loc(st.get("location"), where + ".location")
        dur = _num(st.get("visit_duration"), where + ".visit_duration", minimum=0, strict=True)
        windows = []
        for k, w in enumerate(_list(st.get("open"), where + ".open")):
            ww = f"{where}.open[{k}]"
            if not isinstance(w, list) or len(w) != 2:
                raise InvalidDocument(f"{ww}: expected [open, close]")
            a, b = _num(w[0], ww + "[0]"), _num(w[1], ww + "[1]")
            if b < a:
                raise InvalidDocument(f"{ww}: closes ({b:g}) before it opens ({a:g})")
            windows.append((a, b))
        windows.sort()
        for (a1, b1), (a2, b2) in zip(windows, windows[1:]):
            if a2 < b1:
                raise InvalidDocument(f"{where}.open: windows [{a1:g}, {b1:g}] and [{a2:g}, {b2:g}] overlap")
        cap = _int(st.get("capacity", 1), where + ".capacity", minimum=1)
        mx = _int(st.get("max_visits"), where + ".max_visits", nullable=True)
        mn = _int(st.get("min_visits", 0), where + ".min_visits", nullable=True) or 0
        stands.append(Stand(sid, loc, dur, tuple(windows), cap, mx, mn))

    visitors = []
    seen = set()
    for i, vi in enumerate(_list(doc.get("visitors", []), "visitors")):
        where = _label(f"visitors[{i}]", vi)
        vi = _obj(vi, where)
        _unknown_keys(vi, {"id", "tours", "max_visits", "name"}, where)
        vid = _str(vi.get("id"), where + ".id")
        if vid in seen:
            raise InvalidDocument(f"{where}: duplicate visitor id {vid!r}")
        seen.add(vid)
        tours = []
        raw_tours = _list(vi.get("tours"), where + ".tours")
        if not raw_tours:
            raise InvalidDocument(f"{where}.tours: a visitor needs at least one tour")
        for k, t in enumerate(raw_tours):
            tw = f"{where}.tours[{k}]"
            t = _obj(t, tw)
            _unknown_keys(t, {"start", "end", "from", "to"}, tw)
            a = _num(t.get("from"), tw + ".from")
            b = _num(t.get("to"), tw + ".to")
            if b < a:
                raise InvalidDocument(f"{tw}: 'to' ({b:g}) is before 'from' ({a:g})")
            tours.append(Tour(check_loc(t.get("start"), tw + ".start"), check_loc(t.get("end"), tw + ".end"), a, b))
        ordered = sorted(range(len(tours)), key=lambda k: tours[k].from_)
        for k1, k2 in zip(ordered, ordered[1:]):
            if tours[k2].from_ < tours[k1].to:
                raise InvalidDocument(f"{where}: tours[{k1}] and tours[{k2}] overlap in time")
        mx = _int(vi.get("max_visits"), where + ".max_visits", nullable=True)
        visitors.append(Visitor(vid, tuple(tours), mx))

    stand_ids = {s.id for s in stands}
    visitor_map = {v.id: v for v in visitors}
    scores: dict[tuple[str, str], float] = {}
    for i, tr in enumerate(_list(doc.get("scores", []), "scores")):
        where = f"scores[{i}]"
        if not isinstance(tr, list) or len(tr) != 3:
            raise InvalidDocument(f"{where}: expected [visitor, stand, value]")
        vid, sid = _str(tr[0], where + "[0]"), _str(tr[1], where + "[1]")
        if vid not in visitor_map:
            raise InvalidDocument(f"{where}: unknown visitor {vid!r}")
        if sid not in stand_ids:
            raise InvalidDocument(f"{where}: unknown stand {sid!r}")
        if (vid, sid) in scores:
            raise InvalidDocument(f"{where}: duplicate score for ({vid!r}, {sid!r})")
        scores[(vid, sid)] = _num(tr[2], where + "[2]", minimum=0)

    shortfall = _num(doc.get("shortfall_penalty", 0) or 0, "shortfall_penalty", minimum=0)
    change = _num(doc.get("change_penalty", 0) or 0, "change_penalty", minimum=0)

    stand_map = {s.id: s for s in stands}
    locked = []
    lock_pairs: set[tuple[str, str]] = set()
    for i, lk in enumerate(_list(doc.get("locked") or [], "locked")):
        where = f"locked[{i}]"
        lk = _obj(lk, where)
        _unknown_keys(lk, {"visitor", "tour", "stand", "start"}, where)
        vid, sid = _str(lk.get("visitor"), where + ".visitor"), _str(lk.get("stand"), where + ".stand")
        if vid not in visitor_map:
            raise InvalidDocument(f"{where}: unknown visitor {vid!r}")
        if sid not in stand_map:
            raise InvalidDocument(f"{where}: unknown stand {sid!r}")
        k = _int(lk.get("tour", 0), where + ".tour")
        if k >= len(visitor_map[vid].tours):
            raise InvalidDocument(f"{where}: visitor {vid!r} has no tour {k}")
        if (vid, sid) in lock_pairs:
            raise InvalidDocument(f"{where}: ({vid!r}, {sid!r}) is locked twice; a visitor visits a stand at most once")
        lock_pairs.add((vid, sid))
        start = lk.get("start")
        if start is not None:
            start = _num(start, where + ".start")
            st, tour = stand_map[sid], visitor_map[vid].tours[k]
            if not any(a - 1e-6 <= start and start + st.visit_duration <= b + 1e-6 for a, b in st.open):
                raise InvalidDocument(f"{where}: stand {sid!r} is not open for the whole visit starting at {start:g}")
            if start < tour.from_ - 1e-6 or start + st.visit_duration > tour.to + 1e-6:
                raise InvalidDocument(f"{where}: start {start:g} lies outside tour {k} of {vid!r}")
        locked.append(Locked(vid, k, sid, start))
    _check_locked_counts(locked, visitor_map, stand_map)

    problem = Problem(
        name=name, locations=locations, speed=speed, matrix_order=order, matrix_times=times,
        stands=tuple(stands), visitors=tuple(visitors), scores=scores, shortfall_penalty=shortfall,
        locked=tuple(locked), previous=None, change_penalty=change,
    )
    _check_locked_timing(problem)
    if doc.get("required") is not None:
        object.__setattr__(problem, "required", parse_required(doc["required"], problem))
    if doc.get("previous") is not None:
        prev = parse_solution(doc["previous"], problem, where="previous")
        object.__setattr__(problem, "previous", prev)
    return problem


def _check_locked_counts(locked, visitor_map, stand_map) -> None:
    per_v: dict[str, int] = {}
    per_s: dict[str, int] = {}
    for lk in locked:
        per_v[lk.visitor] = per_v.get(lk.visitor, 0) + 1
        per_s[lk.stand] = per_s.get(lk.stand, 0) + 1
    for vid, n in per_v.items():
        mx = visitor_map[vid].max_visits
        if mx is not None and n > mx:
            raise InvalidDocument(f"locked: visitor {vid!r} has {n} locked visits but max_visits {mx}")
    for sid, n in per_s.items():
        mx = stand_map[sid].max_visits
        if mx is not None and n > mx:
            raise InvalidDocument(f"locked: stand {sid!r} has {n} locked visits but max_visits {mx}")


def _check_locked_timing(problem: Problem) -> None:
    """Locked visits with a start time must fit together (travel and capacity)."""
    stands = {s.id: s for s in problem.stands}
    by_tour: dict[tuple[str, int], list[Locked]] = {}
    for lk in problem.locked:
        if lk.start is not None:
            by_tour.setdefault((lk.visitor, lk.tour), []).append(lk)
    tours = {v.id: v.tours for v in problem.visitors}
    for (vid, k), items in by_tour.items():
        items.sort(key=lambda lk: lk.start)
        tour = tours[vid][k]
        prev_loc, prev_end = tour.start, tour.from_
        for lk in items:
            st = stands[lk.stand]
            if lk.start + 1e-6 < prev_end + problem.travel_time(prev_loc, st.location):
                raise InvalidDocument(
                    f"locked: visit of {vid!r} to {lk.stand!r} at {lk.start:g} cannot be reached in time on tour {k}")
            prev_loc, prev_end = st.location, lk.start + st.visit_duration
        if prev_end + problem.travel_time(prev_loc, tour.end) > tour.to + 1e-6:
            raise InvalidDocument(f"locked: tour {k} of {vid!r} cannot end in time after its locked visits")
    by_stand: dict[str, list[float]] = {}
    for lk in problem.locked:
        if lk.start is not None:
            by_stand.setdefault(lk.stand, []).append(lk.start)
    for sid, starts in by_stand.items():
        st = stands[sid]
        if max_overlap(starts, st.visit_duration) > st.capacity:
            raise InvalidDocument(f"locked: stand {sid!r} has more locked visits at once than its capacity {st.capacity}")


def max_overlap(starts: list[float], duration: float, tol: float = 1e-6) -> int:
    """Largest number of half-open intervals [t, t + duration) in progress at one instant."""
    starts = sorted(starts)
    best = 0
    lo = 0
    for i, t in enumerate(starts):
        while starts[lo] + duration <= t + tol:
            lo += 1
        best = max(best, i - lo + 1)
    return best


# ---------------------------------------------------------------- solution


def parse_solution(doc: Any, problem: Problem, where: str = "solution") -> Solution:
    """Validate a solution document against the ids of ``problem`` (not its feasibility)."""
    doc = _obj(doc, where)
    if doc.get("format") != SOLUTION_FORMAT:
        raise InvalidDocument(f"{where}.format: expected {SOLUTION_FORMAT!r}, got {json.dumps(doc.get('format'))[:60]}")
    objective = doc.get("objective")
    if objective is not None:
        objective = _num(objective, where + ".objective")
    stats = doc.get("stats") or {}
    _obj(stats, where + ".stats")
    vmap = {v.id: v for v in problem.visitors}
    seen: set[tuple[str, int]] = set()
    plans = []
    for i, t in enumerate(_list(doc.get("tours", []), where + ".tours")):
        tw = f"{where}.tours[{i}]"
        t = _obj(t, tw)
        vid = _str(t.get("visitor"), tw + ".visitor")
        if vid not in vmap:
            raise InvalidDocument(f"{tw}: unknown visitor {vid!r}")
        k = _int(t.get("tour", 0), tw + ".tour")
        if k >= len(vmap[vid].tours):
            raise InvalidDocument(f"{tw}: visitor {vid!r} has no tour {k}")
        if (vid, k) in seen:
            raise InvalidDocument(f"{tw}: tour {k} of {vid!r} appears twice")
        seen.add((vid, k))
        visits = []
        for j, v in enumerate(_list(t.get("visits", []), tw + ".visits")):
            vw = f"{tw}.visits[{j}]"
            v = _obj(v, vw)
            sid = _str(v.get("stand"), vw + ".stand")
            if sid not in problem.stand_index:
                raise InvalidDocument(f"{vw}: unknown stand {sid!r}")
            visits.append(Visit(sid, _num(v.get("start"), vw + ".start")))
        plans.append(TourPlan(vid, k, tuple(visits)))
    return Solution(tuple(plans), objective, dict(stats))


def read_json(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise InvalidDocument(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidDocument(f"{path}: cannot read {what}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidDocument(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def load_problem(path: str) -> Problem:
    doc = read_json(path, "problem")
    try:
        return parse_problem(doc)
    except InvalidDocument as exc:
        raise InvalidDocument(f"{path}: {exc}") from None


def load_solution(path: str, problem: Problem) -> Solution:
    doc = read_json(path, "solution")
    try:
        return parse_solution(doc, problem)
    except InvalidDocument as exc:
        raise InvalidDocument(f"{path}: {exc}") from None
