"""Upper bounds on the objective, and the only module that imports OR-Tools.

:func:`lp_bound` solves a linear relaxation with GLOP, or falls back to a
per-visitor fractional knapsack bound; :class:`BoundThread` runs it beside the
search. Work on tighter bounds goes here. OR-Tools moved APIs between versions
(``ortools.routing``, status constants removed in 9.12): keeping every import of
it in this one module keeps an upgrade to one place (the version is pinned in
``requirements.txt``).
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp

from .model import BIG, IntModel, build_model
from .params import SearchParams
from .problem import Problem


class BoundThread:
    """:func:`lp_bound` in a thread of its own, started at once; ``value`` is None until it is known.

    GLOP releases the GIL while it solves, so on a second core the bound costs the
    search little. It gives up, falling back to the cheap bound, after ``seconds``, when
    :meth:`finish` is called or when ``should_stop()``; if the run was stopped
    (``should_stop()``), there is no bound at all. The search does not depend on when
    the bound arrives, except that it ends early once it has reached it, and then its
    best plan can no longer change: a seed still gives one plan.
    """

    def __init__(self, m: IntModel, problem: Problem, *, seconds: float, should_stop: Callable[[], bool],
                 params: SearchParams):
        self.value: float | None = None
        self._quit = threading.Event()

        def compute() -> None:
            # the search's model rounds times for feasibility, which could cut the optimum off a relaxation of it
            # (visits of 10/3 minutes rounded up): a document whose times are not whole gets a model rounded down
            model = m if m.exact else build_model(problem, relaxed=True)
            self.value = lp_bound(model, problem, deadline=time.monotonic() + max(0.05, seconds),
                                  should_stop=lambda: self._quit.is_set() or should_stop(),
                                  cancelled=should_stop, params=params)

        self._thread = threading.Thread(target=compute, name="routing-bound", daemon=True)
        self._thread.start()

    def finish(self, timeout: float) -> None:
        """Interrupt the LP (it is not waited for) and give its cheap fallback ``timeout`` seconds."""
        self._quit.set()
        self._thread.join(timeout=timeout)


def _window_slots(m: IntModel, s: int) -> int:
    d = m.duration[s]
    return sum((c + d - o) // d for o, c in m.windows[s])


def _spans(m: IntModel) -> list[tuple[int, int]]:
    """The distinct time spans of the tours, and the unions of overlapping ones: visits to a stand by the
    tours within a span cannot outnumber the visits that fit in it one after another."""
    distinct = sorted(set(zip(m.tour_from, m.tour_to)))
    unions, cur = [], None
    for lo, hi in distinct:
        if cur is not None and lo < cur[1]:
            cur = (cur[0], max(cur[1], hi))
        else:
            if cur is not None:
                unions.append(cur)
            cur = (lo, hi)
    if cur is not None:
        unions.append(cur)
    return sorted(set(distinct) | set(unions))


class _Reach:
    """When a tour can be at a stand: its visit there starts no earlier than the walk from the tour's start (or a
    shorter path through another stand) and ends no later than the walk back allows, in the model's time."""

    def __init__(self, m: IntModel):
        T = np.array(m.travel, dtype=np.int64)
        loc = np.array(m.location, dtype=np.int64)
        self.m, self.loc = m, loc
        self.start, self.end = np.array(m.tour_start_loc), np.array(m.tour_end_loc)
        between = T[np.ix_(loc, loc)].astype(float)
        np.fill_diagonal(between, np.inf)
        d_min = min(m.duration) if m.duration else 0
        finite = np.isfinite(between)
        self.min_in = np.where(finite.any(axis=0), np.where(finite, between, np.inf).min(axis=0), 0.0)
        self.min_out = np.where(finite.any(axis=1), np.where(finite, between, np.inf).min(axis=1), 0.0)
        self.first = T[np.ix_(self.start, loc)].min(axis=1) + d_min if len(loc) else np.zeros(len(self.start))
        self.last = T[np.ix_(loc, self.end)].min(axis=0) + d_min if len(loc) else np.zeros(len(self.end))
        self.T, self.from_, self.to = T, np.array(m.tour_from), np.array(m.tour_to)

    def window(self, s: int, tours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(earliest start, latest end) of a visit of stand ``s`` by each tour of ``tours``."""
        ls, T = self.loc[s], self.T
        walk_in = np.minimum(T[self.start[tours], ls], self.first[tours] + self.min_in[s])
        walk_out = np.minimum(T[ls, self.end[tours]], self.min_out[s] + self.last[tours])
        return self.from_[tours] + walk_in, self.to[tours] - walk_out


def _span_slots(m: IntModel, s: int, lo: int, hi: int) -> int:
    """How many visits of stand ``s``, one after another, start and end within ``[lo, hi]``."""
    d = m.duration[s]
    total = 0
    for o, c in m.windows[s]:  # starts allowed in [o, c]
        a, b = max(o, lo), min(c, hi - d)
        if b >= a:
            total += (b - a) // d + 1
    return total


def lp_bound(m: IntModel, problem: Problem, *, deadline: float,
             should_stop: Callable[[], bool] = lambda: False,
             cancelled: Callable[[], bool] = lambda: False,
             params: SearchParams = SearchParams(), spans: bool = False) -> float | None:
    """An upper bound on the objective from a linear relaxation (GLOP).

    x[v, s] in [0, 1] relaxes "visitor v visits stand s". Valid constraints:
    each visit costs its duration plus the cheapest travel into the stand, out
    of the visitor's total tour time; stand capacity times the number of
    visit slots in its windows; max_visits on both sides; a locked visit is 1 on
    its tour, a required one sums to 1 over its visitor's tours (its window is
    dropped: a relaxation may). Falls back to a
    per-visitor fractional knapsack bound if the LP is too large (more than
    ``params.bound_max_terms`` terms), too slow (past ``deadline``) or stopped
    (``should_stop()``); returns None if ``cancelled()``. With ``spans``, also the rows of
    :func:`_spans` (stand capacity within the tours' time spans): tighter when tours crowd the same
    session breaks, but slower to solve (the tight bound's companion, not the search's).
    """
    nv, ns = m.num_visitors, m.num_stands
    T, loc = m.travel, m.location
    start_locs = set(m.tour_start_loc)
    stand_locs = set(loc)
    min_in = []
    for s in range(ns):
        ls = loc[s]
        best = min((T[a][ls] for a in start_locs), default=0)
        for b in stand_locs:
            if b != ls and T[b][ls] < best:
                best = T[b][ls]
        min_in.append(best)
    locked_pairs = {(m.tour_visitor[r], s) for r, s, _ in m.locked}
    pairs: list[list[int]] = []
    for v in range(nv):
        ss: set[int] = set()
        for r in m.tours_of[v]:
            ss.update(m.candidates[r])
        ss.update(s for (vv, s) in locked_pairs if vv == v)
        ss.update(s for vv, s, _ in m.required if vv == v)
        pairs.append(sorted(ss))
    avail = [sum(m.tour_to[r] - m.tour_from[r] for r in m.tours_of[v]) for v in range(nv)]
    cost = [m.duration[s] + min_in[s] for s in range(ns)]
    nnz = sum(len(p) for p in pairs)
    if nnz <= params.bound_max_terms:
        # leave a little time for the fallback
        val = _glop_bound(m, problem, pairs, avail, cost, locked_pairs,
                          deadline - params.bound_fallback_share * max(0.0, deadline - time.monotonic()),
                          should_stop, spans)
        if val is not None:
            return val
    if cancelled():
        return None
    return _knapsack_bound(m, pairs, avail, cost)


def _knapsack_bound(m: IntModel, pairs, avail, cost) -> float:
    total = 0.0
    for v, ss in enumerate(pairs):
        items = sorted(((m.score[v].get(s, 0.0), cost[s]) for s in ss), key=lambda x: -x[0] / max(x[1], 1))
        cap = avail[v]
        kn = 0.0
        for val, c in items:
            if val <= 0:
                break
            if c <= cap:
                kn += val
                cap -= c
            else:
                kn += val * cap / c
                break
        top = sorted((val for val, _ in items), reverse=True)
        if m.visitor_max[v] < BIG:
            kn = min(kn, sum(top[: m.visitor_max[v]]))
        total += kn
    return total


def _glop_bound(m: IntModel, problem: Problem, pairs, avail, cost, locked_pairs, t_end: float,
                should_stop: Callable[[], bool], spans: bool = False) -> float | None:
    """LP with one variable per (tour, stand); see :func:`lp_bound`.

    Beyond :func:`lp_bound`'s constraints, per tour the visits must fit the
    tour's own duration less the shortest possible walk back to its end.
    Gives up (None) at ``t_end`` or when ``should_stop()``, also while GLOP runs.
    The model is written as an ``MPModelProto`` (a row's terms in one call) and
    loaded at once: adding its terms one by one through the solver's Python
    wrapper took seconds on a summit while holding the GIL, which the
    construction beside it needs.
    """
    T, loc = m.travel, m.location
    inf = math.inf
    model = linear_solver_pb2.MPModelProto(maximize=True)
    variables, rows = model.variable, model.constraint

    def row(lower: float, upper: float, index: list[int], coef: list[float]) -> None:
        c = rows.add(lower_bound=lower, upper_bound=upper)
        c.var_index.extend(index)
        c.coefficient.extend(coef)

    const = -m.change_penalty * m.num_previous if m.change_penalty else 0.0
    by_stand: list[list[int]] = [[] for _ in range(m.num_stands)]
    by_stand_tour: list[list[int]] = [[] for _ in range(m.num_stands)]
    locked_tour = {(r, s) for r, s, _ in m.locked}
    required: dict[int, set[int]] = {}
    for v, s, _ in m.required:
        required.setdefault(v, set()).add(s)
    for v, ss in enumerate(pairs):
        if not ss:
            continue
        mine_all: list[int] = []
        per_pair: dict[int, list[int]] = {}
        must = required.get(v, set())
        for r in m.tours_of[v]:
            # a required pair on every tour of its visitor (a tour it cannot fit only loosens the relaxation)
            mine = set(m.candidates[r]) | {s for (rr, s) in locked_tour if rr == r} | must
            back = min((T[loc[s]][m.tour_end_loc[r]] for s in mine), default=0)
            index, coef = [], []
            for s in mine:
                c = m.score[v].get(s, 0.0)
                if m.previous_start.get((v, s)) is not None:
                    c += m.change_penalty  # -pen * (1 - x)
                x = len(variables)
                variables.add(lower_bound=1.0 if (r, s) in locked_tour else 0.0, upper_bound=1.0,
                              objective_coefficient=c)
                index.append(x)
                coef.append(cost[s])
                per_pair.setdefault(s, []).append(x)
                by_stand[s].append(x)
                by_stand_tour[s].append(r)
            row(-inf, m.tour_to[r] - m.tour_from[r] - back, index, coef)
            mine_all += index
        if m.visitor_max[v] < BIG:
            row(-inf, m.visitor_max[v], mine_all, [1.0] * len(mine_all))
        for s, xs in per_pair.items():
            if s in must:
                row(1, 1, xs, [1.0] * len(xs))  # a required visit happens once, on one of the tours
            elif len(xs) > 1:
                row(-inf, 1, xs, [1.0] * len(xs))
        if time.monotonic() > t_end or should_stop():
            return None
    span_list = _spans(m) if spans else []
    tour_from, tour_to = np.array(m.tour_from), np.array(m.tour_to)
    reach = _Reach(m) if span_list else None
    for s in range(m.num_stands):
        xs = by_stand[s]
        limit = m.stand_max[s]
        if m.capacity_binds[s]:
            limit = min(limit, m.capacity[s] * _window_slots(m, s))
        if xs and limit < len(xs):
            row(-inf, limit, xs, [1.0] * len(xs))
        if span_list and m.capacity_binds[s] and xs:
            if time.monotonic() > t_end or should_stop():
                return None
            xa = np.array(xs)
            tours = np.array(by_stand_tour[s])
            froms, tos = tour_from[tours], tour_to[tours]
            early, late = reach.window(s, tours)
            for lo, hi in span_list:
                within = (froms >= lo) & (tos <= hi)
                inside = xa[within]
                if not len(inside):
                    continue
                # the visits of these tours start after the walk from their start, end before the walk back
                cap = m.capacity[s] * _span_slots(m, s, max(lo, int(early[within].min())),
                                                  min(hi, int(late[within].max())))
                if cap < len(inside):
                    row(-inf, cap, inside.tolist(), [1.0] * len(inside))
        if m.shortfall_penalty and m.stand_min[s] > 0:
            y = len(variables)
            variables.add(lower_bound=0.0, upper_bound=inf, objective_coefficient=-m.shortfall_penalty)
            row(m.stand_min[s], inf, [y] + xs, [1.0] * (len(xs) + 1))
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None or lp.LoadModelFromProto(model):  # an error message if it could not load
        return None
    left = t_end - time.monotonic()
    if left <= 0 or should_stop():
        return None
    lp.SetTimeLimit(max(1, int(left * 1000)))
    # GLOP releases the GIL while it solves: a watcher interrupts it on stop
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if should_stop() or time.monotonic() > t_end:
                lp.InterruptSolve()
                return

    watcher = threading.Thread(target=watch, name="routing-bound-watch", daemon=True)
    watcher.start()
    try:
        status = lp.Solve()
    finally:
        done.set()
        watcher.join()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    return lp.Objective().Value() + const
