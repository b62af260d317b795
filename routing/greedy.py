"""First-come-first-served greedy planner: the baseline of the summit benchmark.

Visitors in registration order; each tour is built by appending the stand
with the best value per minute (travel + waiting + visit) that still fits.
"""

from __future__ import annotations

from .construct import construct_fcfs
from .model import build_model, plan_tours
from .problem import Problem, Solution
from .search import new_search


def greedy(problem: Problem) -> Solution:
    m = build_model(problem)
    engine = new_search(m, seed=0).engine
    construct_fcfs(engine)
    return Solution(plan_tours(problem, m, engine.route, engine.starts))
