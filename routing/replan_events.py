"""Re-planning the rest of a day: the documents of ``python -m routing.bench replan``.

:func:`day_document` restates a problem document and its base plan the way the web app
re-plans "the rest of the day" (``app/demonstrator/plans/planning.py``, origin ``"day"``, and
``problem.py``'s ``after=``): the visits of the base plan that started before the hour ``at``
are locked at their times, stands are open from ``at`` on only (plus the slots of those locked
visits), the base plan is ``previous`` and each change costs ``change_penalty`` (the hall's
default, 3). The app re-plans everything from ``at`` on, later days included; so does this.

The events change that document as the organiser's news would: :func:`late` (a visitor's tours
of the day that start from ``at`` on begin ``delay`` minutes later), :func:`absent` (a visitor
makes no more visits that day from ``at`` on) and :func:`closed` (a stand closes at ``at`` for
the rest of the day). Each picks the visitor or stand with the most visits of the base plan
from ``at`` to the end of the day (ties to the smallest id), so that figures are reproducible.

Required visits (``required``, see :mod:`routing.required`) are carried over: one made before ``at``
stays required (it is locked at its time, which keeps its window); one not made yet may not start
before ``at``. An entry the re-plan can no longer satisfy is dropped from the document: its visitor or
stand is gone (an event), its visit was made outside its window, or no tour of the visitor leaves room
for it in its window from ``at`` on (a window already past, a late or absent visitor, a closed stand).
:func:`dropped_required` tells the caller which entries of the original document were dropped.

:func:`changes` counts what a plan changes against the base plan: routes (a visitor's tour),
visitors and stands whose list of (visitor, start) differs. All functions take and return
plain documents (dicts); none changes its arguments.
"""

from __future__ import annotations

import copy
import math
from collections import Counter, defaultdict

from .check import objective
from .problem import Problem, parse_problem, parse_solution
from .required import Walks, room

DAY = 1440
#: The web app's default change penalty (``Hall.change_penalty``).
APP_CHANGE_PENALTY = 3.0
EPS = 1e-6

Windows = list[tuple[float, float]]


def _union(windows: Windows) -> Windows:
    out: Windows = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _subtract(windows: Windows, a: float, b: float) -> Windows:
    out: Windows = []
    for x, y in windows:
        if x < a:
            out.append((x, min(y, a)))
        if y > b:
            out.append((max(x, b), y))
    return [(x, y) for x, y in out if y > x]


def tour_of(visitor: dict, start: float, duration: float) -> int | None:
    """The tour of ``visitor`` (a document entry) a visit at ``start`` lies in (as the app's ``_tour_of``)."""
    for k, tour in enumerate(visitor["tours"]):
        if tour["from"] - EPS <= start and start + duration <= tour["to"] + EPS:
            return k
    return None


def _visits(plan: dict):
    for t in plan.get("tours", []):
        for v in t.get("visits", []):
            yield t["visitor"], v["stand"], float(v["start"])


def day_document(problem: dict, base: dict, at: float, change_penalty: float = APP_CHANGE_PENALTY) -> dict:
    """The app's re-plan from minute ``at`` (a whole minute) of ``problem`` around its plan ``base``."""
    doc = copy.deepcopy(problem)
    durations = {s["id"]: s["visit_duration"] for s in doc["stands"]}
    locks = {(v, s): st for v, s, st in _visits(base) if st < at}
    for lk in doc.get("locked") or []:  # the organiser's locks hold too
        if lk.get("start") is not None:
            locks.setdefault((lk["visitor"], lk["stand"]), float(lk["start"]))
    kept: dict[str, Windows] = defaultdict(list)
    for (_, s), st in locks.items():
        if st < at:
            kept[s].append((st, st + durations[s]))
    stands = []
    for s in doc["stands"]:
        open_ = _union(_subtract([tuple(w) for w in s["open"]], float("-inf"), at) + kept[s["id"]])
        if open_:
            stands.append({**s, "open": [list(w) for w in open_]})
    doc["stands"] = stands
    if doc.get("required"):
        # a visit not made yet cannot start before the hour (a stand open before it for a locked visit's slot)
        doc["required"] = [rq if (rq["visitor"], rq["stand"]) in locks or (rq.get("from") is not None
                                                                          and rq["from"] >= at)
                           else {**rq, "from": at} for rq in doc["required"]]
    return _restate(doc, locks, base, change_penalty)


def _restate(doc: dict, locks: dict, base: dict | None, change_penalty: float) -> dict:
    """``doc`` with its locked entries and ``previous`` rebuilt on its current stands and tours."""
    visitors = {v["id"]: v for v in doc["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in doc["stands"]}
    doc["scores"] = [sc for sc in doc["scores"] if sc[0] in visitors and sc[1] in durations]
    doc["locked"] = []
    for (v, s), st in sorted(locks.items(), key=lambda x: (x[1], x[0])):
        k = tour_of(visitors[v], st, durations[s]) if v in visitors and s in durations else None
        if k is not None:
            doc["locked"].append({"visitor": v, "tour": k, "stand": s, "start": st})
    doc["previous"], doc["change_penalty"] = None, 0
    if doc.get("required"):
        doc["required"] = _satisfiable(doc)
    if base is not None:
        tours: dict[tuple[str, int], list[dict]] = defaultdict(list)
        for v, s, st in _visits(base):
            if v in visitors and s in durations:
                k = tour_of(visitors[v], st, durations[s])
                tours[(v, 0 if k is None else k)].append({"stand": s, "start": st})
        doc["previous"] = {"format": "visit-routing-solution/1",
                           "tours": [{"visitor": v, "tour": k, "visits": sorted(x, key=lambda y: y["start"])}
                                     for (v, k), x in sorted(tours.items())]}
        doc["change_penalty"] = change_penalty
    return doc


def _satisfiable(doc: dict) -> list[dict]:
    """The ``required`` entries of ``doc`` (its stands, tours and locks as they now are) it can still satisfy."""
    problem = parse_problem({**doc, "required": []})
    walks = Walks(problem)
    locked = {(lk.visitor, lk.stand): lk for lk in problem.locked}
    durations = {s.id: s.visit_duration for s in problem.stands}
    out = []
    for rq in doc["required"]:
        v, s, a, b = rq["visitor"], rq["stand"], rq.get("from"), rq.get("to")
        if v not in problem.visitor_index or s not in durations:
            continue
        lk = locked.get((v, s))
        if lk is not None and lk.start is not None:
            if (a is None or lk.start >= a - EPS) and (b is None or lk.start + durations[s] <= b + EPS):
                out.append(rq)
        elif room(problem, walks, v, s, a, b, None if lk is None else {lk.tour}):
            out.append(rq)
    return out


def dropped_required(problem: dict, doc: dict) -> list[dict]:
    """The ``required`` entries of ``problem`` that the re-plan document ``doc`` no longer carries (see the
    module): visits the re-plan cannot make any more, for the caller to report."""
    kept = {(rq["visitor"], rq["stand"]) for rq in doc.get("required") or []}
    return [rq for rq in problem.get("required") or [] if (rq["visitor"], rq["stand"]) not in kept]


def afresh(doc: dict) -> dict:
    """The same re-plan from scratch: no ``previous``, no change penalty (the locks hold)."""
    return {**doc, "previous": None, "change_penalty": 0}


def _locks(doc: dict) -> dict:
    return {(lk["visitor"], lk["stand"]): lk["start"] for lk in doc["locked"]}


def _busiest(counts: Counter, ids) -> str | None:
    ranked = sorted((-counts[i], i) for i in ids if counts[i] > 0)
    return ranked[0][1] if ranked else None


def late(doc: dict, base: dict, at: float, delay: float = 40) -> tuple[dict, str | None]:
    """The visitor with the most visits in its tours of the day starting from ``at`` on is late:
    those tours start ``delay`` minutes later. (doc unchanged, None) if no tour starts then."""
    day_end = (at // DAY + 1) * DAY
    counts: Counter = Counter()
    visitors = {v["id"]: v for v in doc["visitors"]}
    for v, s, st in _visits(base):
        if at <= st < day_end and v in visitors:
            k = tour_of(visitors[v], st, 0)
            if k is not None and visitors[v]["tours"][k]["from"] >= at:
                counts[v] += 1
    who = _busiest(counts, visitors)
    if who is None:
        return doc, None
    out = copy.deepcopy(doc)
    for v in out["visitors"]:
        if v["id"] == who:
            for t in v["tours"]:
                if at <= t["from"] < day_end:
                    t["from"] = min(t["from"] + delay, t["to"] - 1)
    return _restate(out, _locks(doc), base, doc["change_penalty"]), who


def absent(doc: dict, base: dict, at: float) -> tuple[dict, str | None]:
    """The visitor with the most visits from ``at`` to the end of the day leaves at ``at``: its later
    tours of the day are gone and the one under way ends when its visits made so far (locked) and the
    walk out are over."""
    day_end = (at // DAY + 1) * DAY
    counts = Counter(v for v, s, st in _visits(base) if at <= st < day_end)
    who = _busiest(counts, [v["id"] for v in doc["visitors"]])
    if who is None:
        return doc, None
    problem = parse_problem(afresh(doc))
    stands = {s.id: s for s in problem.stands}
    locks = _locks(doc)
    out = copy.deepcopy(doc)
    for v in out["visitors"]:
        if v["id"] != who:
            continue
        tours = []
        for t in v["tours"]:
            if at <= t["from"] < day_end:
                continue
            if t["from"] < at < t["to"]:
                made = sorted((st, s) for (x, s), st in locks.items() if x == who and t["from"] <= st < at)
                end = at
                if made:
                    st, s = made[-1]
                    end = max(at, st + stands[s].visit_duration + problem.travel_time(stands[s].location, t["end"]))
                # half a minute more than needed, since the optimiser rounds times up (no visit fits in it)
                t = {**t, "to": min(t["to"], math.ceil(end + 0.5))}
            tours.append(t)
        v["tours"] = tours
    out["visitors"] = [v for v in out["visitors"] if v["tours"]]
    return _restate(out, locks, base, doc["change_penalty"]), who


def closed(doc: dict, base: dict, at: float) -> tuple[dict, str | None]:
    """The stand with the most visits from ``at`` to the end of the day closes at ``at`` for the rest of
    the day (a visit under way at ``at``, locked, ends as planned)."""
    day_end = (at // DAY + 1) * DAY
    counts = Counter(s for v, s, st in _visits(base) if at <= st < day_end)
    which = _busiest(counts, [s["id"] for s in doc["stands"]])
    if which is None:
        return doc, None
    locks = _locks(doc)
    out = copy.deepcopy(doc)
    stands = []
    for s in out["stands"]:
        if s["id"] == which:
            made = [(st, st + s["visit_duration"]) for (v, x), st in locks.items() if x == which and st < at]
            open_ = _union(_subtract([tuple(w) for w in s["open"]], at, day_end) + made)
            if not open_:
                continue
            s = {**s, "open": [list(w) for w in open_]}
        stands.append(s)
    out["stands"] = stands
    return _restate(out, locks, base, doc["change_penalty"]), which


def changes(problem: dict, base: dict, plan: dict) -> tuple[int, int, int]:
    """(routes, visitors, stands) that ``plan`` changes against ``base``. A route is a visitor's tour of
    ``problem`` (the original document, so that tours an event removed still count); a stand changes when
    its list of (visitor, start) does."""
    visitors = {v["id"]: v for v in problem["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in problem["stands"]}

    def index(p: dict):
        routes, stands = defaultdict(set), defaultdict(set)
        for v, s, st in _visits(p):
            routes[(v, tour_of(visitors[v], st, durations[s]))].add((s, round(st, 6)))
            stands[s].add((v, round(st, 6)))
        return routes, stands

    r0, s0 = index(base)
    r1, s1 = index(plan)
    routes = {k for k in r0.keys() | r1.keys() if r0.get(k) != r1.get(k)}
    stands = {k for k in s0.keys() | s1.keys() if s0.get(k) != s1.get(k)}
    return len(routes), len({v for v, _ in routes}), len(stands)


def drop_short_tours(doc: dict, plan: dict, min_route_visits: int, problem: Problem | None = None) -> dict:
    """``plan`` as the web app stores it (its ``tidy``): a tour with fewer than ``min_route_visits`` visits
    and no locked or required visit is left free. The objective is recomputed by :mod:`routing.check` (on
    ``problem``, ``doc`` parsed, when given)."""
    locked = {(lk["visitor"], lk["tour"]) for lk in doc.get("locked") or []}
    required = {(rq["visitor"], rq["stand"]) for rq in doc.get("required") or []}
    tours = [t for t in plan["tours"]
             if len(t["visits"]) >= min_route_visits or (t["visitor"], t["tour"]) in locked
             or any((t["visitor"], x["stand"]) in required for x in t["visits"])]
    if len(tours) == len(plan["tours"]):
        return plan
    problem = problem or parse_problem(doc)
    out = {**plan, "tours": tours}
    out["objective"] = objective(problem, parse_solution(out, problem))
    return out
