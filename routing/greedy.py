"""First-come-first-served greedy planner: the baseline of the summit benchmark.

Visitors in registration order; each tour is built by appending the stand
with the best value per minute (travel + waiting + visit) that still fits.
"""

from __future__ import annotations

from .engine import Engine
from .model import build_model
from .params import SearchParams
from .problem import Problem, Solution, TourPlan, Visit
from .search import Search


def greedy(problem: Problem) -> Solution:
    m = build_model(problem)
    eng = Engine(m, 0)
    eng.place_locked()
    Search(eng, SearchParams()).construct_fcfs()
    k = m.scale
    plans = []
    for r in range(m.num_tours):
        if eng.R[r]:
            vi, ti = m.tour_key[r]
            plans.append(TourPlan(problem.visitors[vi].id, ti,
                                  tuple(Visit(problem.stands[s].id, t / k) for s, t in zip(eng.R[r], eng.S[r]))))
    return Solution(tuple(plans))
