"""What the app makes of the optimiser's plan before storing it: no tour too short to be worth a guided walk,
and every visit on a whole minute.

A re-plan of the rest of the day adds nothing before its hour (`drop_past_visits`).
A tour slot that the optimiser filled with fewer stands than the hall's `min_route_visits` (a single 10-minute
stand, say) is left free: its visits are dropped and listed in the plan's figures (`short_tours`), so that the
official's route says the slot is free and why. A tour holding a locked visit is kept: an organiser fixed it; so is
one holding a required visit (a meeting asked for at a stand).
Dropping visits never breaks a rule of the plan (at worst a startup gets fewer visits than its minimum wish).
"""
from __future__ import annotations

from dataclasses import dataclass

import routing
from routing.problem import TourPlan

from app.demonstrator.plans.rounding import whole_minutes


@dataclass(frozen=True)
class Tidied:
    solution: routing.Solution
    #: The tours left free: [visitor key, tour index, from, to (minutes of the document), visits it had].
    short_tours: list[list]


def tidy(problem: routing.Problem, solution: routing.Solution, *, min_route_visits: int,
         not_before: float | None = None) -> Tidied:
    if not_before is not None:
        solution = drop_past_visits(problem, solution, not_before)
    solution, short = drop_short_tours(problem, solution, min_route_visits)
    return Tidied(whole_minutes(problem, solution), short)


def drop_past_visits(problem: routing.Problem, solution: routing.Solution, not_before: float) -> routing.Solution:
    """A re-plan of the rest of the day changes nothing before its hour: the document keeps a stand open for the
    visits made there, and a stand that takes two visitors at once could otherwise get a new one in that past slot.
    Every visit before `not_before` (minutes of the document) that is not locked is dropped."""
    locked = {(lk.visitor, lk.stand) for lk in problem.locked}
    tours = []
    for plan in solution.tours:
        visits = tuple(v for v in plan.visits if v.start >= not_before - 1e-9 or (plan.visitor, v.stand) in locked)
        tours.append(plan if len(visits) == len(plan.visits) else TourPlan(plan.visitor, plan.tour, visits))
    return routing.Solution(tuple(tours), solution.objective, solution.stats)


def drop_short_tours(problem: routing.Problem, solution: routing.Solution,
                     min_route_visits: int) -> tuple[routing.Solution, list[list]]:
    locked = {(lk.visitor, lk.tour) for lk in problem.locked}
    required = {(rq.visitor, rq.stand) for rq in problem.required}
    kept, short = [], []
    for plan in solution.tours:
        if (0 < len(plan.visits) < min_route_visits and (plan.visitor, plan.tour) not in locked
                and not any((plan.visitor, v.stand) in required for v in plan.visits)):
            tour = problem.visitors[problem.visitor_index[plan.visitor]].tours[plan.tour]
            short.append([plan.visitor, plan.tour, tour.from_, tour.to, len(plan.visits)])
        else:
            kept.append(plan)
    if not short:
        return solution, []
    return routing.Solution(tuple(kept), solution.objective, solution.stats), short
