"""Column generation and a deflected subgradient over the grid relaxation of routing.relax (an experiment).

    python bench/bench_bound_dual.py --size small --seconds 60 [--warm 0.5] [--alpha 0.5] [--seed 1]
    python bench/bench_bound_dual.py --size medium --seconds 300 --deflect 0.8 [--no-capacity]

The Lagrangian dual of routing.lagrange (the rules that couple tours priced by multipliers, every tour's best
grid route priced by routing.relax) equals the linear programme that chooses, per tour, a convex combination
of grid routes subject to those rules (Dantzig-Wolfe). This script grows that programme (the restricted
master, GLOP, one pywraplp model re-solved as columns arrive, rows written once columns could break them)
and prices the tours at its duals, smoothed towards the best ones seen (Wentges: ``alpha * best + (1 - alpha)
* master``); ``--warm`` first runs subgradient steps for that share of the time and starts the master from the
routes they priced. Every priced point gives a valid bound (routing.lagrange's formula), and the master's
value, checked here against the coupling rules row by row, is a value of the relaxation's linear programme:
a floor under every bound any method over this relaxation can give. ``--deflect BETA`` runs only the
subgradient, each step along the subgradient plus BETA times the previous direction (Camerini-Fratta-Maffioli).

Not part of the routing package (which keeps OR-Tools to routing.bound): on the small and medium summits the
master grows too slowly to bound within the plan's time, and its value shows that the relaxation itself,
not the dual method, keeps the bound from the plans (small summit, seed 1: after 600 s the bound is 21,946.7 and
the checked master 21,907.9, the plain LP's 21,908.4; the plan 20,559.3).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import Callable

import numpy as np
from ortools.linear_solver import pywraplp

from routing import parse_problem
from routing.generate import generate
from routing.lagrange import Coupling, LagrangeReport, begin, coupling
from routing.problem import Problem
from routing.relax import Relaxation


def evaluate(rx: Relaxation, cp: Coupling, y: np.ndarray, want_route=None):
    ns = rx.num_stands
    mu, lam, sigma, rho, pi = (y[cp.cuts[i]:cp.cuts[i + 1]] for i in range(5))
    priced = rx.price(mu, lam, sigma - rho, pi.reshape(ns, cp.n_inst), want_route=want_route)
    return float(priced.value.sum()) + float(y @ cp.rhs) + cp.const, priced


def rows_of(rx: Relaxation, cp: Coupling, tour_visitor: np.ndarray, r: int, route) -> tuple[np.ndarray, np.ndarray]:
    """The coupling rows a route uses (indices into the multiplier vector) and its coefficients there."""
    arr = np.array(route, dtype=np.int64).reshape(-1, 3)
    s_, u_, k_ = arr[:, 0], arr[:, 1], arr[:, 2]
    v = tour_visitor[r]
    out = [k_, np.full(len(s_), cp.cuts[1] + v), cp.cuts[2] + s_, cp.cuts[3] + s_]
    coef = [np.ones(3 * len(s_)), -np.ones(len(s_))]  # a stand's minimum is written -count <= -min
    on = cp.binds[s_]
    if on.any():
        inst = -(-(u_[on] + rx.origin) // rx.q[s_[on]]) - rx.k0[s_[on]]
        out.append(cp.cuts[4] + s_[on] * cp.n_inst + inst)
        coef.append(np.ones(int(on.sum())))
    idx, coef = np.concatenate(out), np.concatenate(coef)
    keep = cp.active[idx]
    ids, inv = np.unique(idx[keep], return_inverse=True)
    return ids, np.bincount(inv, weights=coef[keep], minlength=len(ids))


class Master:
    """The restricted master LP, grown column by column (rows created when a column first needs them)."""

    def __init__(self, rx: Relaxation, cp: Coupling, problem: Problem, params: str = "use_preprocessing: false"):
        self.rx, self.cp = rx, cp
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        if params:
            self.lp.SetSolverSpecificParametersAsString(params)
        self.obj = self.lp.Objective()
        self.obj.SetMaximization()
        self.rows: dict[int, pywraplp.Constraint] = {}
        self.row_ids: list[int] = []
        self.row_list: list = []
        self.conv: dict[int, pywraplp.Constraint] = {}
        self.cols: list[tuple[int, np.ndarray, float]] = []
        self.vars: list = []
        self.counts: list = []
        self.smin_start = cp.cuts[3]
        self.smin_end = cp.cuts[4]
        self.penalty = problem.shortfall_penalty
        self.touch: dict[int, tuple[list, dict]] = {}
        self.load: dict[int, float] = {}
        for i in np.flatnonzero(cp.active[self.smin_start:self.smin_end]).tolist():
            self._row(self.smin_start + i)

    def _row(self, i: int):
        c = self.rows.get(i)
        if c is None:
            c = self.lp.Constraint(-math.inf, self.cp.rhs[i])
            if self.smin_start <= i < self.smin_end:  # -count - shortfall <= -min
                x = self.lp.NumVar(0.0, math.inf, "")
                self.obj.SetCoefficient(x, -self.penalty)
                c.SetCoefficient(x, -1.0)
            self.rows[i] = c
            self.row_ids.append(i)
            self.row_list.append(c)
        return c

    def add(self, r: int, rows: tuple[np.ndarray, np.ndarray], value: float) -> None:
        x = self.lp.NumVar(0.0, math.inf, "")
        self.obj.SetCoefficient(x, value)
        conv = self.conv.get(r)
        if conv is None:
            conv = self.conv[r] = self.lp.Constraint(-math.inf, 1.0)
        conv.SetCoefficient(x, 1.0)
        ids, counts = rows
        for i, n in zip(ids.tolist(), counts.tolist()):
            c = self.rows.get(i)
            if c is not None:
                c.SetCoefficient(x, n)
                continue
            if self.smin_start <= i < self.smin_end:
                self._row(i).SetCoefficient(x, n)
                continue
            # a row is written only once the columns touching it could break it (its dual is 0 till then)
            touch = self.touch.setdefault(i, ([], {}))
            touch[0].append((x, n))
            most = touch[1]
            if n > most.get(r, 0.0):
                self.load[i] = self.load.get(i, 0.0) + n - most.get(r, 0.0)
                most[r] = n
            if self.load[i] > self.cp.rhs[i] + 1e-9:
                c = self._row(i)
                for xx, nn in touch[0]:
                    c.SetCoefficient(xx, nn)
                del self.touch[i]
        self.cols.append((r, ids, value))
        self.counts.append(counts)
        self.vars.append(x)

    def solve(self, seconds: float):
        self.lp.SetTimeLimit(max(1, int(seconds * 1000)))
        status = self.lp.Solve()
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        y = np.zeros(self.cp.cuts[-1])
        duals = np.array([c.dual_value() for c in self.row_list])
        ids = np.array(self.row_ids, dtype=np.int64)
        y[ids] = np.clip(duals, 0.0, self.cp.upper[ids])
        delta = {r: max(0.0, c.dual_value()) for r, c in self.conv.items()}
        return self.obj.Value(), y, delta


def cg_bound(problem: Problem, *, deadline: float, should_stop: Callable[[], bool] = lambda: False,
             on_bound: Callable[[float], None] | None = None, max_iterations: int = 100_000,
             rx: Relaxation | None = None, alpha: float = 0.5, deflect: float = 0.0,
             warm: float = 0.0, keep: int = 20, target: Callable[[], float | None] = lambda: None,
             log: Callable[[str], None] | None = None, inspect=None) -> LagrangeReport:
    """Bounds by column generation (see the module); ``warm`` is the share of the time given to subgradient
    steps first (only those, with ``warm`` 1); ``inspect(master)`` is called at the end."""
    t0 = time.monotonic()
    report, rx = begin(problem, deadline=deadline, should_stop=should_stop, rx=rx)
    if rx is None:
        return report
    cp = coupling(problem, rx)
    tv = np.array(rx.tour_visitor, dtype=np.int64)
    pv = np.array(rx.pair_value + [0.0])
    master = Master(rx, cp, problem)
    best, center = math.inf, None
    y_m = np.zeros(cp.cuts[-1])
    delta: dict[int, float] = {}

    def record(bound: float, y: np.ndarray) -> None:
        nonlocal best, center
        if report.first is None:
            report.first = bound
        if best == math.inf or bound < best - 1e-9 * max(1.0, abs(best)):
            best, center = bound, y
            report.value = best
            report.history.append((round(time.monotonic() - t0, 3), best))
            if on_bound is not None:
                on_bound(best)

    if warm > 0:
        y_m = _subgradient(rx, cp, tv, pv, min(deadline, t0 + warm * (deadline - t0)), target, record, report,
                           master if warm < 1 else None, keep, should_stop, log, deflect)
        if warm >= 1:
            report.seconds = time.monotonic() - t0
            return report
        out = master.solve(deadline - time.monotonic())
        if out is not None:
            obj, y_m, delta = out
            if log:
                log(f"warm master {obj + cp.const:.1f} cols {len(master.cols)} rows {len(master.rows)} "
                    f"t {time.monotonic() - t0:.1f}")
    a = alpha
    while report.iterations < max_iterations:
        y_sep = y_m if center is None else a * center + (1 - a) * y_m
        bound, priced = evaluate(rx, cp, y_sep, want_route=lambda r, val: True)
        report.iterations += 1
        record(bound, y_sep)
        if should_stop() or time.monotonic() > deadline:
            break
        added = 0
        for r, route in priced.routes.items():
            rows = rows_of(rx, cp, tv, r, route)
            value = float(pv[[k for _, _, k in route]].sum())
            red = value - float(y_m[rows[0]] @ rows[1]) - delta.get(r, 0.0)
            if red > 1e-6:
                master.add(r, rows, value)
                added += 1
        if added == 0:
            if a == 0.0:
                break  # the master's duals are optimal: the bound is the relaxation's optimum
            a = 0.0 if a < 0.1 else a / 2
            continue
        t1 = time.monotonic()
        out = master.solve(deadline - time.monotonic())
        if out is None:
            break
        obj, y_m, delta = out
        if log:
            log(f"it {report.iterations} t {time.monotonic() - t0:.1f} bound {bound:.1f} best {best:.1f} "
                f"master {obj + cp.const:.1f} cols {len(master.cols)} rows {len(master.rows)} added {added} "
                f"lp {time.monotonic() - t1:.2f}s a {a:.2f}")
        a = alpha
    report.seconds = time.monotonic() - t0
    if inspect is not None:
        inspect(master)
    return report


def _subgradient(rx, cp, tv, pv, until, target, record, report, master, keep, should_stop, log, deflect):
    warm_only = master is None
    """Projected subgradient steps (as :func:`routing.lagrange.lagrangian_bound`) until ``until``; the routes
    priced in the last ``keep`` iterations become the master's first columns. Returns the last multipliers."""
    y = np.zeros(cp.cuts[-1])
    best, theta, idle, it = math.inf, 1.0, 0, 0
    pool: dict[tuple, tuple[int, tuple, float, int]] = {}
    d = y
    while time.monotonic() < until and not should_stop():
        bound, priced = evaluate(rx, cp, y, want_route=lambda r, val: True)
        report.iterations += 1
        it += 1
        record(bound, y)
        if bound < best - 1e-9 * max(1.0, abs(best)) or best == math.inf:
            best, idle = bound, 0
        else:
            idle += 1
            if idle >= 8:
                theta, idle = theta / 2, 0
        parts = []
        for r, route in priced.routes.items():
            rows = rows_of(rx, cp, tv, r, route)
            parts.append(rows)
            if warm_only:
                continue
            key = (r, tuple((s, u) for s, u, _ in route))
            if key in pool:
                pool[key] = pool[key][:3] + (it,)
            else:
                pool[key] = (r, rows, float(pv[[k for _, _, k in route]].sum()), it)
        used = np.zeros(len(y))
        if parts:
            used = np.bincount(np.concatenate([i for i, _ in parts]), weights=np.concatenate([c for _, c in parts]),
                               minlength=len(y))
        g = np.where(cp.active, cp.rhs - used, 0.0)
        if deflect and it > 1:
            g = g + deflect * d
        d = np.where(((y <= 0) & (g > 0)) | ((y >= cp.upper) & (g < 0)), 0.0, g)
        norm = float(d @ d)
        if norm <= 0 or theta < 1e-4:
            break
        goal = target()
        if goal is None or goal >= bound:
            goal = 0.95 * bound if bound > 0 else bound - 1.0
        y = np.clip(y - theta * (bound - goal) / norm * d, 0.0, cp.upper)
    for r, rows, value, last in pool.values() if master is not None else ():
        if last > it - keep:
            master.add(r, rows, value)
    if log:
        log(f"subgradient {it} iterations, best {best:.1f}, {len(pool)} routes seen")
    return y


def master_value(master: Master, problem: Problem) -> float:
    """The restricted master's value, recomputed from its solution after checking every coupling rule."""
    master.lp.Solve()
    cp = master.cp
    x = np.array([v.solution_value() for v in master.vars])
    used, conv, value = np.zeros(cp.cuts[-1]), {}, 0.0
    for xi, (r, ids, val), coef in zip(x, master.cols, master.counts):
        conv[r] = conv.get(r, 0.0) + xi
        value += xi * val
        used[ids] += xi * coef
    smin = slice(cp.cuts[3], cp.cuts[4])
    excess = np.where(cp.active, used - cp.rhs, 0.0)
    excess[smin] = 0.0
    assert x.min(initial=0.0) >= -1e-9 and max(conv.values(), default=0.0) <= 1 + 1e-9 and excess.max() <= 1e-9
    shortfall = np.where(cp.active[smin], np.maximum(0.0, used[smin] - cp.rhs[smin]), 0.0)
    return value - problem.shortfall_penalty * float(shortfall.sum()) + cp.const


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/bench_bound_dual.py")
    ap.add_argument("--size", default="small", choices=["tiny", "small", "medium", "large"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--warm", type=float, default=0.0, help="share of the time for subgradient steps first")
    ap.add_argument("--alpha", type=float, default=0.5, help="dual smoothing towards the best point")
    ap.add_argument("--deflect", type=float, default=None, help="subgradient steps only, deflected by this")
    ap.add_argument("--target", type=float, default=None, help="a plan's value, for the Polyak steps")
    ap.add_argument("--no-capacity", action="store_true", help="leave the stands' capacity out of the rules")
    args = ap.parse_args(argv)
    problem = parse_problem(generate(args.size, seed=args.seed))
    rx = Relaxation(problem)
    if args.no_capacity:
        rx.capacity = rx.capacity + 1e9  # no stand's capacity binds, so no capacity rule is written
    floor: list[float] = []
    t0 = time.monotonic()
    report = cg_bound(problem, deadline=t0 + args.seconds, rx=rx, alpha=args.alpha,
                      warm=1.0 if args.deflect is not None else args.warm, deflect=args.deflect or 0.0,
                      target=lambda: args.target, log=lambda line: print(line, flush=True),
                      inspect=None if args.deflect is not None else lambda m: floor.append(master_value(m, problem)))
    print(f"bound {report.value:.1f} after {report.iterations} iterations, {report.seconds:.1f} s")
    if floor:
        print(f"master (a value of the relaxation's linear programme: no bound over it goes lower) {floor[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
