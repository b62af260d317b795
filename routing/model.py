"""Integer model of a Problem: scaled times, index-based lookups.

All times are multiplied by a power of ten and rounded *conservatively*
(travel and durations up, latest starts and tour ends down, earliest starts
up), so a plan that is feasible in integers is feasible in the original units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .problem import Problem, TourPlan, Visit

BIG = 1 << 60
# A scaled value this close to an integer is that integer (float noise such as
# 12.3 * 10 = 122.99999999999999); anything else is rounded conservatively.
EPS = 1e-7


def _choose_scale(values: list[float], euclidean: bool) -> int:
    for k in (1, 10, 100, 1000):
        if all(abs(x * k - round(x * k)) <= EPS for x in values):
            return max(k, 100) if euclidean else k
    return 1000


def _integral(a: np.ndarray) -> bool:
    return bool(np.all(np.abs(a - np.rint(a)) <= EPS))


def _up(x: float, k: int) -> int:
    y = x * k
    r = round(y)
    return int(r) if abs(y - r) <= EPS else math.ceil(y)


def _down(x: float, k: int) -> int:
    y = x * k
    r = round(y)
    return int(r) if abs(y - r) <= EPS else math.floor(y)


@dataclass
class IntModel:
    """A :class:`Problem` in scaled integer time, indexed by position (stands, visitors,
    tours numbered from 0; a visitor's tours are consecutive). ``BIG`` stands for "no limit"."""

    scale: int                # times are multiplied by this
    num_stands: int
    num_visitors: int
    num_tours: int
    duration: list[int]       # per stand: visit duration
    location: list[int]       # per stand: location index
    windows: list[list[tuple[int, int]]]  # per stand: (open, latest start) of each window
    latest_start: list[int]   # per stand: latest start over all windows (-1 if never open)
    capacity: list[int]       # per stand: visits in progress at once
    capacity_binds: list[bool]  # per stand: False when capacity can never bind (no bookings kept)
    stand_max: list[int]      # per stand: max_visits (BIG if none)
    stand_min: list[int]      # per stand: min_visits
    travel: list[list[int]]   # travel time between location indices
    visitor_max: list[int]    # per visitor: max_visits (BIG if none)
    tour_visitor: list[int]   # per tour: its visitor
    tour_start_loc: list[int]  # per tour: location index of its start
    tour_end_loc: list[int]   # per tour: location index of its end
    tour_from: list[int]      # per tour: earliest departure
    tour_to: list[int]        # per tour: latest return
    tours_of: list[list[int]]  # visitor -> tour indices
    score: list[dict[int, float]]  # visitor -> {stand: value}, positive values only
    candidates: list[list[int]]  # tour -> stands worth inserting and reachable
    previous_start: dict[tuple[int, int], int]  # (visitor, stand) -> start in the previous plan
    previous_visits: list[tuple[int, int, int]]  # (tour, stand, start) of the previous plan
    locked: list[tuple[int, int, int | None]]  # (tour, stand, start or None)
    #: Required visits that no lock already places: (visitor, stand, index in the document's ``required``).
    required: list[tuple[int, int, int]]
    #: (visitor, stand) -> the stand's windows (open, latest start) clipped to the pair's required window, for every
    #: required pair but those locked at a time (their start is fixed, and was checked against the window).
    pair_windows: dict[tuple[int, int], list[tuple[int, int]]]
    shortfall_penalty: float
    change_penalty: float
    num_previous: int         # visits of the previous plan (0 without a change penalty)
    tour_key: list[tuple[int, int]]  # tour -> (visitor index, tour index in visitor)
    #: Every time of the document (durations, windows, tours, walks, locks, previous starts) is a whole number
    #: of 1 / scale: nothing was rounded, so a relaxation of this model also bounds the document.
    exact: bool = False


def build_model(problem: Problem, *, relaxed: bool = False) -> IntModel:
    """The integer model of ``problem``. By default every time is rounded for feasibility (see the module).
    ``relaxed=True`` rounds every time *down* instead (walks, durations, windows, tours, locks): each plan of the
    document, its starts rounded down, is then a plan of the model (a sum of floors is at most the floor of the
    sum; two visits that overlap once rounded overlapped before), so a relaxation of it bounds the document even
    when its times are not whole numbers of 1 / scale; such a model says ``exact``."""
    up = _down if relaxed else _up
    locs = problem.used_locations()
    li = {n: i for i, n in enumerate(locs)}
    if problem.matrix_times is not None:
        mi = {n: i for i, n in enumerate(problem.matrix_order)}
        rows = [problem.matrix_times[mi[a]] for a in locs]
        cols = [mi[b] for b in locs]
        raw = np.array([[row[j] for j in cols] for row in rows], dtype=float)
    else:
        xy = np.array([problem.locations[n] for n in locs], dtype=float).reshape(-1, 2)
        raw = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) / problem.speed
    values: list[float] = []
    for s in problem.stands:
        values.append(s.visit_duration)
        for a, b in s.open:
            values += [a, b]
    for v in problem.visitors:
        for t in v.tours:
            values += [t.from_, t.to]
    for lk in problem.locked:
        if lk.start is not None:
            values.append(lk.start)
    for rq in problem.required:
        values += [x for x in (rq.from_, rq.to) if x is not None]
    if problem.previous is not None:
        for plan in problem.previous.tours:
            values += [x.start for x in plan.visits]
    euclid = problem.matrix_times is None
    k = _choose_scale(values, euclid)
    if not euclid:
        while k < 1000 and not _integral(raw * k):
            k *= 10
    scaled = raw * k
    near = np.rint(scaled)
    exact = np.abs(scaled - near) <= EPS
    T = np.where(exact, near, np.floor(scaled) if relaxed else np.ceil(scaled)).astype(np.int64).tolist()
    times_exact = relaxed or (bool(exact.all()) and _integral(np.array(values, dtype=float) * k))

    dur, loc, wins, last_close = [], [], [], []
    for s in problem.stands:
        d = up(s.visit_duration, k)
        dur.append(d)
        loc.append(li[s.location])
        ws = []
        for a, b in s.open:
            o, c = (_down(a, k) if relaxed else _up(a, k)), _down(b, k) - d
            if c >= o:
                ws.append((o, c))
        wins.append(ws)
        last_close.append(ws[-1][1] if ws else -1)
    cap = [s.capacity for s in problem.stands]
    smax = [BIG if s.max_visits is None else s.max_visits for s in problem.stands]
    minv = [s.min_visits for s in problem.stands]

    vmax, tv, tsl, tel, tf, tt, tours_of, tkey = [], [], [], [], [], [], [], []
    for vi, v in enumerate(problem.visitors):
        vmax.append(BIG if v.max_visits is None else v.max_visits)
        tours_of.append([])
        for ti, t in enumerate(v.tours):
            tours_of[vi].append(len(tv))
            tkey.append((vi, ti))
            tv.append(vi)
            tsl.append(li[t.start])
            tel.append(li[t.end])
            tf.append(up(t.from_, k))
            tt.append(_down(t.to, k))

    sidx, vidx = problem.stand_index, problem.visitor_index
    score: list[dict[int, float]] = [dict() for _ in problem.visitors]
    for (vid, sid), val in problem.scores.items():
        if val > 0:
            score[vidx[vid]][sidx[sid]] = val

    prev_time: dict[tuple[int, int], int] = {}
    prev_visits: list[tuple[int, int, int]] = []
    num_prev = 0
    if problem.previous is not None and problem.change_penalty > 0:
        for plan in problem.previous.tours:
            vi = vidx[plan.visitor]
            for x in plan.visits:
                t = up(x.start, k)
                prev_time[(vi, sidx[x.stand])] = t
                prev_visits.append((tours_of[vi][plan.tour], sidx[x.stand], t))
                num_prev += 1

    # capacity can bind only if more visits than the capacity may ever happen
    extra_set = {s for s in range(len(problem.stands)) if minv[s] > 0 and problem.shortfall_penalty > 0}
    interest = [0] * len(problem.stands)
    for vi in range(len(problem.visitors)):
        for s in score[vi]:
            interest[s] += 1
    for (v, s) in prev_time:
        interest[s] += 1
    for lk in problem.locked:
        interest[sidx[lk.stand]] += 1
    for rq in problem.required:
        if sidx[rq.stand] not in score[vidx[rq.visitor]]:
            interest[sidx[rq.stand]] += 1
    cap_relevant = [
        cap[s] < min(smax[s], len(problem.visitors) if s in extra_set else interest[s])
        for s in range(len(problem.stands))
    ]

    cands: list[list[int]] = []
    prev_by_v: dict[int, set[int]] = {}
    for (v, s) in prev_time:
        prev_by_v.setdefault(v, set()).add(s)
    for r in range(len(tv)):
        v = tv[r]
        want = set(score[v]) | extra_set | prev_by_v.get(v, set())
        lst = []
        for s in sorted(want):
            if smax[s] == 0 or not wins[s]:
                continue
            arr = tf[r] + T[tsl[r]][loc[s]]
            ok = False
            for o, c in wins[s]:
                st = max(arr, o)
                if st <= c and st + dur[s] + T[loc[s]][tel[r]] <= tt[r]:
                    ok = True
                    break
            if ok:
                lst.append(s)
        cands.append(lst)

    locked = []
    for lk in problem.locked:
        r = tours_of[vidx[lk.visitor]][lk.tour]
        locked.append((r, sidx[lk.stand], None if lk.start is None else up(lk.start, k)))

    locked_pairs = {(lk.visitor, lk.stand): lk for lk in problem.locked}
    required, pair_windows = [], {}
    for i, rq in enumerate(problem.required):
        v, s = vidx[rq.visitor], sidx[rq.stand]
        lk = locked_pairs.get((rq.visitor, rq.stand))
        if lk is None:
            required.append((v, s, i))
        if lk is None or lk.start is None:
            lo = -BIG if rq.from_ is None else up(rq.from_, k)
            hi = BIG if rq.to is None else _down(rq.to, k) - dur[s]
            pair_windows[(v, s)] = [(max(o, lo), min(c, hi)) for o, c in wins[s] if max(o, lo) <= min(c, hi)]

    return IntModel(
        scale=k, num_stands=len(problem.stands), num_visitors=len(problem.visitors), num_tours=len(tv),
        duration=dur, location=loc, windows=wins, latest_start=last_close, capacity=cap,
        capacity_binds=cap_relevant, stand_max=smax, stand_min=minv, travel=T, visitor_max=vmax,
        tour_visitor=tv, tour_start_loc=tsl, tour_end_loc=tel, tour_from=tf, tour_to=tt, tours_of=tours_of,
        score=score, candidates=cands, previous_start=prev_time, previous_visits=prev_visits,
        locked=locked, required=required, pair_windows=pair_windows, shortfall_penalty=problem.shortfall_penalty, change_penalty=problem.change_penalty,
        num_previous=num_prev, tour_key=tkey, exact=times_exact,
    )


def plan_tours(problem: Problem, m: IntModel, route: list[list[int]], starts: list[list[int]]) -> tuple[TourPlan, ...]:
    """The tours of a plan held as stands ``route[r]`` starting at scaled times ``starts[r]``."""
    k = m.scale
    plans = []
    for r in range(m.num_tours):
        if not route[r]:
            continue
        vi, ti = m.tour_key[r]
        visits = tuple(Visit(problem.stands[s].id, t / k) for s, t in zip(route[r], starts[r]))
        plans.append(TourPlan(problem.visitors[vi].id, ti, visits))
    return tuple(plans)
