"""First-come-first-served greedy planner: the baseline of the summit benchmark.

Visitors in registration order; each tour is built by appending the stand
with the best value per minute (travel + waiting + visit) that still fits.
"""

from __future__ import annotations

from .model import build_model
from .problem import Problem, Solution, TourPlan, Visit
from .search import new_search


def greedy(problem: Problem) -> Solution:
    m = build_model(problem)
    search = new_search(m, seed=0)
    search.construct_fcfs()
    eng = search.engine
    k = m.scale
    plans = []
    for r in range(m.num_tours):
        if eng.route[r]:
            vi, ti = m.tour_key[r]
            plans.append(TourPlan(problem.visitors[vi].id, ti,
                                  tuple(Visit(problem.stands[s].id, t / k) for s, t in zip(eng.route[r], eng.starts[r]))))
    return Solution(tuple(plans))
