"""A tighter upper bound: a Lagrangian relaxation of the rules that couple tours, and :func:`tight_bound`.

The rules that tie tours together (a stand at most once per visitor, the visitors' and stands'
maximums, the stands' minimums, and every stand's capacity at the capacity instants of
:mod:`routing.relax`) are moved into the objective, each with a multiplier; what is left splits into
one problem per tour, the best route of the grid relaxation, solved exactly by
:meth:`routing.relax.Relaxation.price`. For any multipliers of the right sign the sum

    sum over tours of their best route's priced value (at least 0: the empty route)
    + sum over the coupling rules of multiplier x right-hand side + constant terms

is at least the value of every plan (weak duality), so each iteration gives a valid bound and a run
cut off at any point returns the least one seen. The multipliers move by projected subgradient steps
(Polyak's step towards a target: the best plan known, when the caller has one), the step halving when
the bound stops improving.

Unlike the linear relaxation of :mod:`routing.bound`, this one knows when visits can happen: a
stand hosts, at any instant, no more visits than its capacity, and a tour's time comes in whole
visits (end-of-tour fragments shorter than any visit are lost). Its steps converge slowly, so
:func:`tight_bound` runs it beside the linear relaxation with span rows (which, on a summit whose tours
crowd the same session breaks, is the closer of the two) and keeps the lower.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .bound import lp_bound
from .model import build_model
from .params import SearchParams
from .problem import Problem
from .relax import Relaxation


@dataclass
class LagrangeReport:
    value: float | None = None        # the least bound seen (None: stopped before the first)
    first: float | None = None        # the bound with every multiplier at 0
    iterations: int = 0
    seconds: float = 0.0
    build_seconds: float = 0.0
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, best bound so far)
    lp: float | None = None           # tight_bound: the linear relaxation's value (its knapsack fallback if unsolved)


@dataclass
class Coupling:
    """The rules that couple tours, packed as the multipliers are (pairs, visitors' and stands' maximums, stands'
    minimums written -count <= -min, capacity at each instant): row ``i`` is ``sum <= rhs[i]`` when ``active[i]``."""
    cuts: np.ndarray
    rhs: np.ndarray
    active: np.ndarray
    upper: np.ndarray
    binds: np.ndarray
    const: float
    n_inst: int


def coupling(problem: Problem, rx: Relaxation) -> Coupling:
    """The coupling rules of ``problem`` over the relaxation ``rx`` (shared with bench/bench_bound_dual.py)."""
    ns, nv = rx.num_stands, len(problem.visitors)
    cap = rx.capacity
    pairs_of_stand = np.bincount(rx.pair_stand, minlength=ns) if len(rx.pairs) else np.zeros(ns, dtype=np.int64)
    smax = np.array([math.inf if s.max_visits is None else s.max_visits for s in problem.stands], dtype=float)
    binds = (cap < pairs_of_stand) & (cap < smax)
    vmax = np.array([math.inf if v.max_visits is None else v.max_visits for v in problem.visitors], dtype=float)
    smin = np.array([s.min_visits for s in problem.stands], dtype=float)
    penalty = problem.shortfall_penalty
    has_min = (smin > 0) & (penalty > 0)
    const = 0.0
    if problem.previous is not None and problem.change_penalty > 0:
        const = -problem.change_penalty * problem.previous.num_visits()
    fin_v, fin_s = np.isfinite(vmax), np.isfinite(smax)
    n_pairs, n_inst = len(rx.pairs), rx.num_instants
    # the multipliers, packed: mu (a stand once per visitor), lam (visitors' maximums), sigma (stands'
    # maximums), rho (stands' minimums, at most the shortfall penalty), pi (capacity at each instant)
    cuts = np.cumsum([0, n_pairs, nv, ns, ns, ns * n_inst])
    upper = np.full(cuts[-1], math.inf)
    upper[cuts[3]:cuts[4]] = penalty
    rhs = np.concatenate([np.ones(n_pairs), np.where(fin_v, vmax, 0.0), np.where(fin_s, smax, 0.0), -smin,
                          (np.where(binds, cap, 0.0)[:, None] * np.ones((1, n_inst))).ravel()])
    active = np.concatenate([np.ones(n_pairs, bool), fin_v, fin_s, has_min, np.repeat(binds, n_inst)])
    return Coupling(cuts, np.where(active, rhs, 0.0), active, upper, binds, const, n_inst)


def begin(problem: Problem, *, deadline: float, should_stop: Callable[[], bool],
          rx: Relaxation | None = None) -> tuple[LagrangeReport, Relaxation | None]:
    """An empty report and the grid relaxation a bound iterates on (built unless given), timed in the report;
    no relaxation when stopped already, or when visits are shorter than the grid's step (no valid bound)."""
    t0 = time.monotonic()
    report = LagrangeReport()
    if should_stop() or time.monotonic() > deadline:
        return report, None
    rx = rx or Relaxation(problem)
    report.build_seconds = time.monotonic() - t0
    return report, (rx if rx.usable else None)


def lagrangian_bound(problem: Problem, *, deadline: float, should_stop: Callable[[], bool] = lambda: False,
                     target: Callable[[], float | None] = lambda: None, on_bound: Callable[[float], None] | None = None,
                     max_iterations: int = 100_000, rx: Relaxation | None = None,
                     patience: int = 8) -> LagrangeReport:
    """The least Lagrangian bound met before ``deadline``, ``should_stop()`` or ``max_iterations``.

    ``target()`` is the best plan value known (a lower bound on the optimum) for the step size;
    ``on_bound(value)`` hears every improvement; the step halves after ``patience`` iterations without one.
    """
    t0 = time.monotonic()
    report, rx = begin(problem, deadline=deadline, should_stop=should_stop, rx=rx)
    if rx is None:
        return report
    ns = rx.num_stands
    cp = coupling(problem, rx)
    cuts, rhs, active, upper, binds, const, n_inst = (cp.cuts, cp.rhs, cp.active, cp.upper, cp.binds, cp.const,
                                                        cp.n_inst)
    n_pairs, nv = cuts[1], cuts[2] - cuts[1]
    y = np.zeros(cuts[-1])
    tour_visitor = np.array(rx.tour_visitor, dtype=np.int64)
    q, k0 = rx.q, rx.k0
    best, theta, idle = math.inf, 1.0, 0
    while report.iterations < max_iterations:
        mu, lam, sigma, rho, pi = (y[cuts[i]:cuts[i + 1]] for i in range(5))
        pi = pi.reshape(ns, n_inst)
        priced = rx.price(mu, lam, sigma - rho, pi, want_route=lambda r, val: True)
        bound = float(priced.value.sum()) + float(y @ np.where(active, rhs, 0.0)) + const
        report.iterations += 1
        if report.first is None:
            report.first = bound
        if best == math.inf or bound < best - 1e-9 * max(1.0, abs(best)):
            best, idle = bound, 0
            report.value = best
            report.history.append((round(time.monotonic() - t0, 3), best))
            if on_bound is not None:
                on_bound(best)
        else:
            idle += 1
            if idle >= patience:
                theta, idle = theta / 2, 0
        if theta < 1e-4 or should_stop() or time.monotonic() > deadline:
            break
        # the rules' slack under every tour's best route: right-hand side less what the routes use
        visits = [(r, s, u, k) for r, route in priced.routes.items() for s, u, k in route]
        arr = np.array(visits, dtype=np.int64).reshape(-1, 4)
        r_, s_, u_, k_ = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
        per_stand = np.bincount(s_, minlength=ns).astype(float)
        used = np.zeros(cuts[-1])
        used[:n_pairs] = np.bincount(k_, minlength=n_pairs)
        used[cuts[1]:cuts[2]] = np.bincount(tour_visitor[r_], minlength=nv)
        used[cuts[2]:cuts[3]] = per_stand
        used[cuts[3]:cuts[4]] = -per_stand
        on = binds[s_]
        if on.any():
            inst = -(-(u_[on] + rx.origin) // q[s_[on]]) - k0[s_[on]]
            np.add.at(used, cuts[4] + s_[on] * n_inst + inst, 1.0)
        g = np.where(active, rhs - used, 0.0)
        # a multiplier at a bound does not move out of range
        d = np.where(((y <= 0) & (g > 0)) | ((y >= upper) & (g < 0)), 0.0, g)
        norm = float(d @ d)
        if norm <= 0:
            break  # no rule is violated or slack with a multiplier: the bound is the relaxation's optimum
        goal = target()
        if goal is None or goal >= bound:
            goal = 0.95 * bound if bound > 0 else bound - 1.0
        y = np.clip(y - theta * (bound - goal) / norm * d, 0.0, upper)
    report.seconds = time.monotonic() - t0
    return report


def tight_bound(problem: Problem, *, time_limit: float, target: float | None = None,
                stop: Callable[[], bool] | None = None) -> LagrangeReport:
    """The least of two bounds computed side by side for ``time_limit`` seconds: :func:`lagrangian_bound`
    (stepping towards ``target``, a plan's value) and, in a thread (GLOP releases the GIL), the linear
    relaxation with stand capacity within the tours' time spans (:func:`routing.bound.lp_bound` with ``spans``),
    the latter only on documents whose times are whole in the integer model (``IntModel.exact``, the app's),
    where it is tight and valid as it stands.

    Run it after a plan's search (it has the machine to itself then), for at most the plan's own time:
    ``bound = min(result.bound, tight_bound(...).value)``.
    """
    deadline = time.monotonic() + max(0.0, time_limit)
    should_stop = stop or (lambda: False)
    lp: list[float | None] = [None]
    lp_done = threading.Event()
    best = [math.inf]

    def linear() -> None:
        try:
            # On a document in whole minutes (the app's) the span rows pay: the breaks it plans are crowded. On
            # the generated summits (Euclidean walks) they gave nothing in the time (small 21,909.8 with or
            # without them, medium 102,773.9 after 286 s), so the subgradient keeps both cores' worth there.
            model = build_model(problem)
            if model.exact:
                lp[0] = lp_bound(model, problem, deadline=deadline, should_stop=should_stop, cancelled=should_stop,
                                 params=SearchParams(bound_fallback_share=0.0), spans=True)
        finally:
            lp_done.set()

    def enough() -> bool:
        # once the LP is solved and lower, the subgradient (which seldom overtakes it) stops
        return should_stop() or (lp_done.is_set() and lp[0] is not None and lp[0] <= best[0])

    thread = threading.Thread(target=linear, name="routing-tight-lp", daemon=True)
    thread.start()
    report = lagrangian_bound(problem, deadline=deadline, should_stop=enough, target=lambda: target,
                              on_bound=lambda value: best.__setitem__(0, value))
    thread.join(timeout=max(0.5, deadline - time.monotonic() + 1.0))
    report.lp = lp[0]
    if report.lp is not None and (report.value is None or report.lp < report.value):
        report.value = report.lp
    return report
