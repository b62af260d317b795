"""Visit times on whole minutes: people read times to the minute (14:00, never 14:00:34).

The optimiser places visits to a hundredth of a minute. Each tour is moved onto whole minutes as one piece:
every start goes up to the next whole minute, or, if that no longer fits, down to the previous one (never
before the visitor can arrive), later visits following when the walk needs it. A tour is moved only if it
still keeps every rule on its own (stand hours, walking, the end of the tour) and the stands it visits are
never more crowded than their capacity, counted against every other tour as it stands at that moment; so the
plan stays feasible at every step. A tour that cannot move (rare) keeps its exact times, and `routing`'s own
checker has the last word on the whole plan.
"""
from __future__ import annotations

import math
from collections import defaultdict

import routing
from routing.problem import TourPlan, Visit

EPS = 1e-6
#: Passes over the tours: a tour that could not move may fit once its neighbours have moved.
PASSES = 3


def whole_minutes(problem: routing.Problem, solution: routing.Solution) -> routing.Solution:
    """The same visits, each starting on a whole minute wherever the rules allow it (see the module)."""
    fixed = {(lk.visitor, lk.stand): lk.start for lk in problem.locked if lk.start is not None}
    exact = list(solution.tours)
    tours = list(exact)
    # Every tour up to the next minute at once: with whole-minute visit lengths, rounding up keeps apart the
    # visits of a stand that were apart. Only a tour whose walk pushed a visit further can crowd a stand, and a
    # tour that kept its exact times can be caught up by the one before it: those give way, until none is left.
    pushed = set()
    for index, plan in enumerate(exact):
        candidate = _rounded_tour(problem, plan, fixed, math.ceil)
        if candidate is not None:
            tours[index] = candidate
            if any(new.start > math.ceil(old.start - EPS) + EPS for old, new in zip(plan.visits, candidate.visits)):
                pushed.add(index)
    while crowded := _crowding(problem, tours):
        give_way = (crowded & pushed) or {i for i in crowded if tours[i] is not exact[i]}
        if not give_way:
            break  # only exact times left: cannot happen with a feasible solution, and the checker decides
        for index in give_way:
            tours[index] = exact[index]
            pushed.discard(index)
    # Then the tours left exact, one by one, up or down to a whole minute where the stands have room.
    busy: dict[str, list[tuple[float, float, int]]] = defaultdict(list)  # stand -> (start, end, tour index)
    for index, plan in enumerate(tours):
        for visit in plan.visits:
            busy[visit.stand].append((visit.start, visit.start + _duration(problem, visit.stand), index))
    for _ in range(PASSES):
        moved = False
        for index, plan in enumerate(tours):
            if all(_is_whole(v.start) or (plan.visitor, v.stand) in fixed for v in plan.visits):
                continue
            for rounding in (math.ceil, math.floor):
                candidate = _rounded_tour(problem, plan, fixed, rounding)
                if candidate is not None and _room_at_stands(problem, busy, index, candidate):
                    _occupy(problem, busy, index, plan, candidate)
                    tours[index], moved = candidate, True
                    break
        if not moved:
            break
    rounded = routing.Solution(tuple(tours), solution.objective, solution.stats)
    if any(v.kind != "objective" for v in routing.violations(problem, rounded)):
        return solution
    return rounded


def _crowding(problem: routing.Problem, tours: list[TourPlan]) -> set[int]:
    """The tours with a visit at a stand that holds more visits than its capacity at some instant."""
    at: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for index, plan in enumerate(tours):
        for visit in plan.visits:
            at[visit.stand].append((visit.start, visit.start + _duration(problem, visit.stand), index))
    crowded: set[int] = set()
    for stand_id, visits in at.items():
        capacity = problem.stands[problem.stand_index[stand_id]].capacity
        for moment, _, _ in visits:
            present = [owner for a, b, owner in visits if a <= moment + EPS and moment < b - EPS]
            if len(present) > capacity:
                crowded.update(present)
    return crowded


def _is_whole(start: float) -> bool:
    return abs(start - round(start)) < EPS


def _duration(problem: routing.Problem, stand: str) -> float:
    return problem.stands[problem.stand_index[stand]].visit_duration


def _rounded_tour(problem: routing.Problem, plan: TourPlan, fixed: dict, rounding) -> TourPlan | None:
    """The tour with each start rounded by `rounding` (but never before the visitor can be there), or None if
    it would then break a rule of its own: a stand closed, a visit too early or the tour back too late."""
    tour = problem.visitors[problem.visitor_index[plan.visitor]].tours[plan.tour]
    free_at, here, visits = tour.from_, tour.start, []
    for visit in plan.visits:
        stand = problem.stands[problem.stand_index[visit.stand]]
        earliest = free_at + problem.travel_time(here, stand.location)
        start = fixed.get((plan.visitor, visit.stand))
        if start is None:
            start = float(max(rounding(visit.start + (EPS if rounding is math.floor else -EPS)),
                              math.ceil(earliest - EPS)))
        if start < earliest - EPS or not any(a - EPS <= start and start + stand.visit_duration <= b + EPS
                                             for a, b in stand.open):
            return None
        visits.append(Visit(visit.stand, start))
        free_at, here = start + stand.visit_duration, stand.location
    if free_at + problem.travel_time(here, tour.end) > tour.to + EPS:
        return None
    return TourPlan(plan.visitor, plan.tour, tuple(visits))


def _room_at_stands(problem: routing.Problem, busy: dict, index: int, candidate: TourPlan) -> bool:
    """True if every visit of `candidate` finds its stand below capacity for its whole length (visits are
    half-open [start, end); the other tours' visits as they stand now)."""
    for visit in candidate.visits:
        stand = problem.stands[problem.stand_index[visit.stand]]
        start, end = visit.start, visit.start + stand.visit_duration
        others = [(a, b) for a, b, owner in busy[visit.stand]
                  if owner != index and a < end - EPS and start < b - EPS]
        # The crowd only grows where a visit starts: count at the new visit's start and at each other start.
        for moment in [start] + [a for a, _ in others if a > start]:
            if 1 + sum(1 for a, b in others if a <= moment + EPS and moment < b - EPS) > stand.capacity:
                return False
    return True


def _occupy(problem: routing.Problem, busy: dict, index: int, old: TourPlan, new: TourPlan) -> None:
    for visit in old.visits:
        busy[visit.stand] = [entry for entry in busy[visit.stand] if entry[2] != index]
    for visit in new.visits:
        busy[visit.stand].append((visit.start, visit.start + _duration(problem, visit.stand), index))
