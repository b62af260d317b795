"""``solve``: the one entry point, and the only module that imports OR-Tools.

OR-Tools' GLOP solves a linear relaxation that gives the upper bound reported
as ``stats.bound`` (and stops the search early when it is reached). The plan
itself comes from the ruin-and-recreate search in :mod:`routing.search`.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable, Union

from ortools.linear_solver import linear_solver_pb2, pywraplp

from .check import objective as true_objective
from .check import violations
from .engine import Engine, LockedInfeasible
from .model import BIG, IntModel, build_model
from .parallel import Helpers
from .params import SearchParams
from .problem import InvalidDocument, Problem, Solution, TourPlan, Visit
from .result import Result
from .search import Search

ProgressFn = Callable[[float, Union[float, None], float], None]
StopArg = Union[Callable[[], bool], "object", None]


def _stop_fn(stop) -> Callable[[], bool]:
    if stop is None:
        return lambda: False
    if hasattr(stop, "is_set"):
        return stop.is_set
    if callable(stop):
        return lambda: bool(stop())
    raise TypeError("stop must be a threading.Event, a callable returning bool, or None")


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    threads: int = 1,
    progress: ProgressFn | None = None,
    stop=None,
    compute_bound: bool = True,
    params: SearchParams | None = None,
) -> Result:
    """Plan the visits of ``problem``.

    ``progress(best_objective, bound, elapsed_seconds)`` is called after the
    first plan, on every improvement (at most about 5 times a second), at
    least every second in between, and at the end. ``stop`` is a
    ``threading.Event`` or a callable returning True to stop; the best plan
    found so far is returned with status ``"cancelled"``. ``params`` holds the
    search's knobs (:class:`SearchParams`; its defaults when None).
    Raises :class:`InvalidDocument` if the locked visits cannot all hold.
    """
    if not (time_limit > 0 and math.isfinite(time_limit)):
        raise ValueError("time_limit must be a positive number of seconds")
    if params is None:
        params = SearchParams()
    elif not isinstance(params, SearchParams):
        raise TypeError("params must be a SearchParams or None")
    t0 = time.monotonic()
    should_stop = _stop_fn(stop)
    reserve = min(params.reserve_max, params.reserve_share * time_limit + params.reserve_base
                  + params.reserve_per_tour * sum(len(v.tours) for v in problem.visitors))
    deadline = t0 + max(0.05, time_limit - reserve)
    m = build_model(problem)
    eng = Engine(m, seed)
    try:
        eng.place_locked()
    except LockedInfeasible as exc:
        r, s = exc.args
        vi, ti = m.tour_key[r]
        raise InvalidDocument(
            f"locked: locked visits cannot all hold together (visitor {problem.visitors[vi].id!r}, "
            f"tour {ti}: no room for stand {problem.stands[s].id!r})") from None

    # A function of the arguments alone, so that the budget does not depend on the clock.
    budget = int(params.work_rate * (deadline - t0))
    # threads > 1: more searches with other seeds, each in a process of its own
    helpers = None
    if threads > 1 and not should_stop():
        helpers = Helpers(m, count=threads - 1, seed=seed, deadline=deadline,
                          work_budget=budget, grace=max(0.1, 0.5 * reserve), params=params)
    try:
        return _search_and_report(problem, m, eng, helpers, t0=t0, deadline=deadline, reserve=reserve,
                                  budget=budget, time_limit=time_limit, seed=seed, params=params,
                                  progress=progress, should_stop=should_stop, compute_bound=compute_bound)
    finally:
        if helpers is not None:
            helpers.close()


def _search_and_report(problem: Problem, m: IntModel, eng: Engine, helpers: Helpers | None, *, t0: float,
                       deadline: float, reserve: float, budget: int, time_limit: float, seed: int,
                       params: SearchParams, progress: ProgressFn | None, should_stop: Callable[[], bool],
                       compute_bound: bool) -> Result:
    """The bound, the main search, the helpers' plans: the best of them as a :class:`Result`."""
    # The bound runs in a thread beside the search (GLOP releases the GIL while it
    # solves, so on a second core it costs the search little) and gives up, falling
    # back to a cheap bound, when its time is spent or the run is stopped. The search
    # does not depend on when the bound arrives, except that it ends early once it
    # has reached it, and then its best plan can no longer change: a seed still
    # gives one plan.
    box: dict = {"bound": None}
    quit_bound = threading.Event()
    bound_thread = None
    if compute_bound and not should_stop():
        share = min(params.bound_share * time_limit - reserve, params.bound_max_seconds)

        def compute() -> None:
            box["bound"] = lp_bound(m, problem, deadline=time.monotonic() + max(0.05, share),
                                    should_stop=lambda: quit_bound.is_set() or should_stop(),
                                    cancelled=should_stop, params=params)

        bound_thread = threading.Thread(target=compute, name="routing-bound", daemon=True)
        bound_thread.start()

    seen: dict = {"best": None, "at": t0}

    def report(obj: float, force: bool = False) -> None:
        if seen["best"] is None or obj > seen["best"]:
            seen["best"] = obj
        if progress is None:
            return
        now = time.monotonic()
        if force or now - seen["at"] >= params.progress_interval:
            seen["at"] = now
            progress(seen["best"], box["bound"], now - t0)

    def alive() -> bool:
        """``should_stop`` for the construction and the search, which also reports progress
        at least every second while nothing improves: a caller that looks for a cancel
        request in ``progress`` hears it within a second or two, and its clock moves."""
        if progress is not None and time.monotonic() - seen["at"] >= params.heartbeat_seconds:
            report(eng.obj, force=True)  # every state of the engine is a feasible (partial) plan
        return should_stop()

    search = Search(eng, params)
    search.construct(deadline, alive)
    search.construct_objective = eng.obj
    search.construct_seconds = time.monotonic() - t0
    report(eng.obj, force=True)
    search.run(work_budget=budget, deadline=deadline, should_stop=alive,
               on_improve=report, upper=lambda: box["bound"])
    if bound_thread is not None:
        quit_bound.set()  # the LP is not waited for; its cheap fallback is, briefly
        bound_thread.join(timeout=max(0.2, min(2.0, reserve)))
    bound = box["bound"]
    # the best of the searches (each one's objective is the engine's, in the same model)
    R, S, best, iterations = eng.R, eng.S, eng.obj, search.iterations
    if helpers is not None:
        reached = bound is not None and best >= bound - 1e-9
        for plan in helpers.collect(stopped=should_stop() or reached):
            iterations += plan.iterations
            if plan.objective > best + 1e-9:
                R, S, best = plan.R, plan.S, plan.objective
    solution = _repair(problem, Solution(_tours(problem, m, R, S)))
    obj = true_objective(problem, solution)
    if bound is not None and bound < obj:
        bound = obj  # numerical noise of the LP
    runtime = time.monotonic() - t0
    if should_stop():
        status = "cancelled"
    elif bound is not None and obj >= bound - 1e-6 * max(1.0, abs(bound)):
        status = "optimal"
    else:
        status = "feasible"
    stats = {"seconds": round(runtime, 3), "bound": bound, "status": status,
             "iterations": iterations, "seed": seed, "work": eng.work,
             "construction": {"objective": search.construct_objective,
                              "seconds": round(search.construct_seconds, 3)}}
    solution = Solution(solution.tours, obj, stats)
    if progress is not None:
        progress(obj, bound, runtime)
    return Result(problem, solution, obj, bound, status, runtime, iterations)


def _tours(problem: Problem, m: IntModel, R: list[list[int]], S: list[list[int]]) -> tuple[TourPlan, ...]:
    """The tours of a plan held as stands ``R[r]`` starting at scaled times ``S[r]``."""
    k = m.scale
    plans = []
    for r in range(m.num_tours):
        if not R[r]:
            continue
        vi, ti = m.tour_key[r]
        visits = tuple(Visit(problem.stands[s].id, t / k) for s, t in zip(R[r], S[r]))
        plans.append(TourPlan(problem.visitors[vi].id, ti, visits))
    return tuple(plans)


def _repair(problem: Problem, sol: Solution) -> Solution:
    """Safety net: never hand out an infeasible plan.

    The integer model is conservative, so this should never change anything;
    if it does, unlocked visits are dropped from the tours at fault (and, if
    a violation spans tours, from every tour).
    """
    if not violations(problem, sol, check_objective=False):
        return sol
    locked = {(lk.visitor, lk.tour, lk.stand) for lk in problem.locked}
    tours = []
    for t in sol.tours:
        visits = list(t.visits)
        while visits and any(x.kind in ("window", "timing") for x in violations(
                problem, Solution((TourPlan(t.visitor, t.tour, tuple(visits)),)), check_objective=False)):
            drop = next((i for i in range(len(visits) - 1, -1, -1)
                         if (t.visitor, t.tour, visits[i].stand) not in locked), None)
            if drop is None:
                break
            del visits[drop]
        tours.append(TourPlan(t.visitor, t.tour, tuple(visits)))
    fixed = Solution(tuple(t for t in tours if t.visits))
    if not violations(problem, fixed, check_objective=False):
        return fixed
    tours = [TourPlan(t.visitor, t.tour, tuple(v for v in t.visits if (t.visitor, t.tour, v.stand) in locked))
             for t in sol.tours]
    return Solution(tuple(t for t in tours if t.visits))


# ------------------------------------------------------------------ bound


def _window_slots(m: IntModel, s: int) -> int:
    d = m.dur[s]
    return sum((c + d - o) // d for o, c in m.wins[s])


def lp_bound(m: IntModel, problem: Problem, *, deadline: float,
             should_stop: Callable[[], bool] = lambda: False,
             cancelled: Callable[[], bool] = lambda: False,
             params: SearchParams = SearchParams()) -> float | None:
    """An upper bound on the objective from a linear relaxation (GLOP).

    x[v, s] in [0, 1] relaxes "visitor v visits stand s". Valid constraints:
    each visit costs its duration plus the cheapest travel into the stand, out
    of the visitor's total tour time; stand capacity times the number of
    visit slots in its windows; max_visits on both sides. Falls back to a
    per-visitor fractional knapsack bound if the LP is too large (more than
    ``params.bound_max_terms`` terms), too slow (past ``deadline``) or stopped
    (``should_stop()``); returns None if ``cancelled()``.
    """
    nv, ns = m.num_visitors, m.num_stands
    T, loc = m.T, m.loc
    start_locs = set(m.tour_sloc)
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
            ss.update(m.cands[r])
        ss.update(s for (vv, s) in locked_pairs if vv == v)
        pairs.append(sorted(ss))
    avail = [sum(m.tour_to[r] - m.tour_from[r] for r in m.tours_of[v]) for v in range(nv)]
    cost = [m.dur[s] + min_in[s] for s in range(ns)]
    nnz = sum(len(p) for p in pairs)
    if nnz <= params.bound_max_terms:
        # leave a little time for the fallback
        val = _glop_bound(m, problem, pairs, avail, cost, locked_pairs,
                          deadline - params.bound_fallback_share * max(0.0, deadline - time.monotonic()),
                          should_stop)
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
        if m.vmax[v] < BIG:
            kn = min(kn, sum(top[: m.vmax[v]]))
        total += kn
    return total


def _glop_bound(m: IntModel, problem: Problem, pairs, avail, cost, locked_pairs, t_end: float,
                should_stop: Callable[[], bool]) -> float | None:
    """LP with one variable per (tour, stand); see :func:`lp_bound`.

    Beyond :func:`lp_bound`'s constraints, per tour the visits must fit the
    tour's own duration less the shortest possible walk back to its end.
    Gives up (None) at ``t_end`` or when ``should_stop()``, also while GLOP runs.
    The model is written as an ``MPModelProto`` (a row's terms in one call) and
    loaded at once: adding its terms one by one through the solver's Python
    wrapper took seconds on a summit while holding the GIL, which the
    construction beside it needs.
    """
    T, loc = m.T, m.loc
    inf = math.inf
    model = linear_solver_pb2.MPModelProto(maximize=True)
    variables, rows = model.variable, model.constraint

    def row(lower: float, upper: float, index: list[int], coef: list[float]) -> None:
        c = rows.add(lower_bound=lower, upper_bound=upper)
        c.var_index.extend(index)
        c.coefficient.extend(coef)

    const = -m.pen_change * m.num_previous if m.pen_change else 0.0
    by_stand: list[list[int]] = [[] for _ in range(m.num_stands)]
    locked_tour = {(r, s) for r, s, _ in m.locked}
    for v, ss in enumerate(pairs):
        if not ss:
            continue
        mine_all: list[int] = []
        per_pair: dict[int, list[int]] = {}
        for r in m.tours_of[v]:
            mine = set(m.cands[r]) | {s for (rr, s) in locked_tour if rr == r}
            back = min((T[loc[s]][m.tour_eloc[r]] for s in mine), default=0)
            index, coef = [], []
            for s in mine:
                c = m.score[v].get(s, 0.0)
                if m.prev_time.get((v, s)) is not None:
                    c += m.pen_change  # -pen * (1 - x)
                x = len(variables)
                variables.add(lower_bound=1.0 if (r, s) in locked_tour else 0.0, upper_bound=1.0,
                              objective_coefficient=c)
                index.append(x)
                coef.append(cost[s])
                per_pair.setdefault(s, []).append(x)
                by_stand[s].append(x)
            row(-inf, m.tour_to[r] - m.tour_from[r] - back, index, coef)
            mine_all += index
        if m.vmax[v] < BIG:
            row(-inf, m.vmax[v], mine_all, [1.0] * len(mine_all))
        for xs in per_pair.values():
            if len(xs) > 1:
                row(-inf, 1, xs, [1.0] * len(xs))
        if time.monotonic() > t_end or should_stop():
            return None
    for s in range(m.num_stands):
        xs = by_stand[s]
        limit = m.smax[s]
        if m.cap_relevant[s]:
            limit = min(limit, m.cap[s] * _window_slots(m, s))
        if xs and limit < len(xs):
            row(-inf, limit, xs, [1.0] * len(xs))
        if m.pen_short and m.minv[s] > 0:
            y = len(variables)
            variables.add(lower_bound=0.0, upper_bound=inf, objective_coefficient=-m.pen_short)
            row(m.minv[s], inf, [y] + xs, [1.0] * (len(xs) + 1))
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
