"""What the app makes of the optimiser's plan before storing it: no tour too short to be worth a guided walk,
and every visit on a whole minute.

A tour slot that the optimiser filled with fewer stands than the hall's `min_route_visits` (a single 10-minute
stand, say) is left free: its visits are dropped and listed in the plan's figures (`short_tours`), so that the
official's route says the slot is free and why. A tour holding a locked visit is kept: an organiser fixed it.
Dropping visits never breaks a rule of the plan (at worst a startup gets fewer visits than its minimum wish).
"""
from __future__ import annotations

from dataclasses import dataclass

import routing

from app.demonstrator.plans.rounding import whole_minutes


@dataclass(frozen=True)
class Tidied:
    solution: routing.Solution
    #: The tours left free: [visitor key, tour index, from, to (minutes of the document), visits it had].
    short_tours: list[list]


def tidy(problem: routing.Problem, solution: routing.Solution, *, min_route_visits: int) -> Tidied:
    solution, short = drop_short_tours(problem, solution, min_route_visits)
    return Tidied(whole_minutes(problem, solution), short)


def drop_short_tours(problem: routing.Problem, solution: routing.Solution,
                     min_route_visits: int) -> tuple[routing.Solution, list[list]]:
    locked = {(lk.visitor, lk.tour) for lk in problem.locked}
    kept, short = [], []
    for plan in solution.tours:
        if 0 < len(plan.visits) < min_route_visits and (plan.visitor, plan.tour) not in locked:
            tour = problem.visitors[problem.visitor_index[plan.visitor]].tours[plan.tour]
            short.append([plan.visitor, plan.tour, tour.from_, tour.to, len(plan.visits)])
        else:
            kept.append(plan)
    if not short:
        return solution, []
    return routing.Solution(tuple(kept), solution.objective, solution.stats), short
