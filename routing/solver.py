"""``solve``: the one entry point.

The plan comes from the ruin-and-recreate search in :mod:`routing.search`; the
upper bound reported as ``stats.bound`` (which also stops the search early when
it is reached) from :mod:`routing.bound`, in a thread beside it.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Union

from .bound import BoundThread
from .check import objective as true_objective
from .check import violations
from .engine import LockedInfeasible, RequiredInfeasible
from .model import IntModel, build_model, plan_tours
from .parallel import Helpers
from .params import SearchParams
from .problem import InvalidDocument, Problem, Solution, TourPlan
from .result import Result
from .search import Search, new_search

ProgressFn = Callable[[float, Union[float, None], float], None]
ImprovedFn = Callable[[Solution], None]
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
    improved: ImprovedFn | None = None,
    stop=None,
    compute_bound: bool = True,
    params: SearchParams | None = None,
) -> Result:
    """Plan the visits of ``problem``.

    ``progress(best_objective, bound, elapsed_seconds)`` is called after the
    first plan, on every improvement (at most about 5 times a second), at
    least every second in between, and at the end. ``improved(solution)`` gets
    the best plan itself (a feasible :class:`Solution`, its objective checked):
    the first plan, a better one at most every ``params.incumbent_interval``
    seconds (the construction's, then the main search's best), and the plan
    returned if it differs from the last one sent, so that the last plan received
    is the one returned (helpers' plans, with ``threads > 1``, are only compared
    at the end). A caller saves it to survive a crash; the search is unchanged. ``stop`` is a
    ``threading.Event`` or a callable returning True to stop; the best plan
    found so far is returned with status ``"cancelled"``. ``params`` holds the
    search's knobs (:class:`SearchParams`; its defaults when None).
    Raises :class:`InvalidDocument` if the locked visits cannot all hold, or if the required visits found no
    room (naming each one left out; a heuristic placement, so such a document may still have a plan).
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
    try:
        search = new_search(m, seed=seed, params=params)
    except LockedInfeasible as exc:
        r, s = exc.args
        vi, ti = m.tour_key[r]
        raise InvalidDocument(
            f"locked: locked visits cannot all hold together (visitor {problem.visitors[vi].id!r}, "
            f"tour {ti}: no room for stand {problem.stands[s].id!r})") from None
    except RequiredInfeasible as exc:
        raise InvalidDocument(_unplaced(problem, exc.args[0])) from None

    # A function of the arguments alone, so that the budget does not depend on the clock.
    budget = int(params.work_rate * (deadline - t0))
    # threads > 1: more searches with other seeds, each in a process of its own
    helpers = None
    if threads > 1 and not should_stop():
        helpers = Helpers(m, count=threads - 1, seed=seed, deadline=deadline,
                          work_budget=budget, grace=max(0.1, params.helper_grace_share * reserve), params=params)
    try:
        return _search_and_report(problem, m, search, helpers, t0=t0, deadline=deadline, reserve=reserve,
                                  budget=budget, time_limit=time_limit, seed=seed, params=params,
                                  progress=progress, improved=improved, should_stop=should_stop,
                                  compute_bound=compute_bound)
    finally:
        if helpers is not None:
            helpers.close()


def _search_and_report(problem: Problem, m: IntModel, search: Search, helpers: Helpers | None, *, t0: float,
                       deadline: float, reserve: float, budget: int, time_limit: float, seed: int,
                       params: SearchParams, progress: ProgressFn | None, improved: ImprovedFn | None,
                       should_stop: Callable[[], bool], compute_bound: bool) -> Result:
    """The bound, the main search, the helpers' plans: the best of them as a :class:`Result`."""
    eng = search.engine
    # the bound runs in a thread beside the search (see BoundThread)
    bound_thread = None
    if compute_bound and not should_stop():
        bound_thread = BoundThread(m, problem, seconds=min(params.bound_share * time_limit - reserve,
                                                           params.bound_max_seconds),
                                   should_stop=should_stop, params=params)

    def known_bound() -> float | None:
        return None if bound_thread is None else bound_thread.value

    seen: dict = {"best": None, "at": t0}

    def report(obj: float, force: bool = False) -> None:
        if seen["best"] is None or obj > seen["best"]:
            seen["best"] = obj
        if progress is None:
            return
        now = time.monotonic()
        if force or now - seen["at"] >= params.progress_interval:
            seen["at"] = now
            progress(seen["best"], known_bound(), now - t0)

    sent: dict = {"objective": float("-inf"), "at": t0, "tours": None}

    def send(solution: Solution, objective: float) -> None:
        """Hand ``improved`` a plan; it is called again only for a better one (or the final one)."""
        sent.update(objective=objective, at=time.monotonic(), tours=solution.tours)
        improved(solution)

    def send_plan(route: list[list[int]], starts: list[list[int]], objective: float) -> None:
        solution = _repair(problem, Solution(plan_tours(problem, m, route, starts)))
        obj = true_objective(problem, solution)
        stats = {"seconds": round(time.monotonic() - t0, 3), "bound": known_bound(), "status": "searching"}
        send(Solution(solution.tours, obj, stats), objective)

    def send_better() -> None:
        """The best plan to ``improved`` if it is better than the last one sent: while the search runs, its
        best plan; while the first plan is built, the plan as it stands (every state of the engine is a
        feasible plan)."""
        best = search.best_plan()
        if best is not None:
            if search.best_objective > sent["objective"] + 1e-9:
                send_plan(*best, search.best_objective)
        elif eng.objective > sent["objective"] + 1e-9 or sent["tours"] is None:
            send_plan(eng.route, eng.starts, eng.objective)

    def alive() -> bool:
        """``should_stop`` for the construction and the search, which also reports progress
        every ``heartbeat_seconds`` while nothing improves: a caller that looks for a cancel
        request in ``progress`` hears it within a second or two, and its clock moves. Every
        ``incumbent_interval``, a better plan goes to ``improved``."""
        now = time.monotonic()
        if progress is not None and now - seen["at"] >= params.heartbeat_seconds:
            report(eng.objective, force=True)  # every state of the engine is a feasible (partial) plan
        if improved is not None and now - sent["at"] >= params.incumbent_interval:
            send_better()
        return should_stop()

    search.construct(deadline, alive, None if improved is None else send_better)
    construction = {"objective": eng.objective, "seconds": round(time.monotonic() - t0, 3)}
    report(eng.objective, force=True)
    if improved is not None:
        send_better()  # the first plan
    search.run(work_budget=budget, deadline=deadline, should_stop=alive,
               on_improve=report, upper=known_bound)
    if bound_thread is not None:
        bound_thread.finish(timeout=max(0.2, min(params.bound_wait_max, reserve)))
    bound = known_bound()
    # the best of the searches (each one's objective is the engine's, in the same model)
    route, starts, best, iterations = eng.route, eng.starts, eng.objective, search.iterations
    if helpers is not None:
        reached = bound is not None and best >= bound - 1e-9
        for plan in helpers.collect(stopped=should_stop() or reached):
            iterations += plan.iterations
            if plan.objective > best + 1e-9:
                route, starts, best = plan.route, plan.starts, plan.objective
    solution = _repair(problem, Solution(plan_tours(problem, m, route, starts)))
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
             "iterations": iterations, "seed": seed, "work": eng.work, "construction": construction}
    solution = Solution(solution.tours, obj, stats)
    if improved is not None and solution.tours != sent["tours"]:
        send(solution, obj)
    if progress is not None:
        progress(obj, bound, runtime)
    return Result(problem, solution, obj, bound, status, runtime, iterations)


def _unplaced(problem: Problem, indices: list[int]) -> str:
    """The message naming the required visits the solver found no room for."""
    def one(i: int) -> str:
        rq = problem.required[i]
        window = f"{'any' if rq.from_ is None else f'{rq.from_:g}'}-{'any' if rq.to is None else f'{rq.to:g}'}"
        return f"required[{i}] ({rq.visitor!r} at {rq.stand!r}, {window})"
    left = set(indices)
    stands, visitors = {problem.required[i].stand for i in left}, {problem.required[i].visitor for i in left}
    # the placed ones that took the room: those at the same stands or of the same visitors
    rivals = [j for j, rq in enumerate(problem.required)
              if j not in left and (rq.stand in stands or rq.visitor in visitors)]
    beside = (f"beside {', '.join(one(j) for j in rivals)}{' and the locked visits' if problem.locked else ''}"
              if rivals else "beside the locked and other required visits")
    return (f"required: found no room for {', '.join(one(i) for i in indices)} {beside} (the solver places "
            f"them greedily, so a plan may still exist)")


def _repair(problem: Problem, sol: Solution) -> Solution:
    """Safety net: never hand out an infeasible plan.

    The integer model is conservative, so this should never change anything;
    if it does, visits neither locked nor required are dropped from the tours
    at fault (and, if a violation spans tours, from every tour).
    """
    if not violations(problem, sol, check_objective=False):
        return sol
    locked = {(lk.visitor, lk.tour, lk.stand) for lk in problem.locked}
    required = {(rq.visitor, rq.stand) for rq in problem.required}
    if required:  # kept like locked visits, on whichever tour they are
        locked |= {(t.visitor, t.tour, x.stand) for t in sol.tours for x in t.visits if (t.visitor, x.stand) in required}
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
