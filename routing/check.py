"""Independent feasibility checker and objective of a solution.

Written directly from the contract, in floating point with tolerance 1e-6. It
shares no scheduling code with the solver on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .problem import Problem, Solution, max_overlap

TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    kind: str  # window, timing, duplicate, max_visits_visitor, max_visits_stand, capacity, locked, required, objective
    message: str


def objective(problem: Problem, solution: Solution) -> float:
    """Objective of ``solution`` as the contract defines it (feasibility aside)."""
    total = 0.0
    counts = {s.id: 0 for s in problem.stands}
    starts: dict[tuple[str, str], list[float]] = {}
    for plan in solution.tours:
        for v in plan.visits:
            total += problem.score(plan.visitor, v.stand)
            counts[v.stand] += 1
            starts.setdefault((plan.visitor, v.stand), []).append(v.start)
    if problem.shortfall_penalty:
        total -= problem.shortfall_penalty * sum(max(0, s.min_visits - counts[s.id]) for s in problem.stands)
    if problem.change_penalty and problem.previous is not None:
        changed = 0
        for plan in problem.previous.tours:
            for v in plan.visits:
                now = starts.get((plan.visitor, v.stand), [])
                if not any(abs(t - v.start) <= TOL for t in now):
                    changed += 1
        total -= problem.change_penalty * changed
    return total


def violations(problem: Problem, solution: Solution, *, check_objective: bool = True) -> list[Violation]:
    """Every way ``solution`` breaks the feasibility rules of the contract."""
    out: list[Violation] = []
    stands = {s.id: s for s in problem.stands}
    visitors = {v.id: v for v in problem.visitors}
    per_visitor: dict[str, list[str]] = {}
    per_stand: dict[str, list[float]] = {}
    placed: dict[tuple[str, int, str], list[float]] = {}

    for plan in solution.tours:
        vis = visitors[plan.visitor]
        tour = vis.tours[plan.tour]
        label = f"tour {plan.tour} of {plan.visitor!r}"
        loc, free_at = tour.start, tour.from_
        for j, v in enumerate(plan.visits):
            st = stands[v.stand]
            end = v.start + st.visit_duration
            if not any(a - TOL <= v.start and end <= b + TOL for a, b in st.open):
                out.append(Violation("window", f"{label}: visit {j} to {v.stand!r} at {v.start:g}-{end:g} is outside the stand's open windows"))
            earliest = free_at + problem.travel_time(loc, st.location)
            if v.start < earliest - TOL:
                out.append(Violation("timing", f"{label}: visit {j} to {v.stand!r} starts at {v.start:g}, before it can be reached ({earliest:g})"))
            loc, free_at = st.location, end
            per_visitor.setdefault(plan.visitor, []).append(v.stand)
            per_stand.setdefault(v.stand, []).append(v.start)
            placed.setdefault((plan.visitor, plan.tour, v.stand), []).append(v.start)
        back = free_at + problem.travel_time(loc, tour.end)
        if back > tour.to + TOL:
            out.append(Violation("timing", f"{label}: returns to {tour.end!r} at {back:g}, after {tour.to:g}"))

    for vid, seq in per_visitor.items():
        seen: set[str] = set()
        for sid in seq:
            if sid in seen:
                out.append(Violation("duplicate", f"visitor {vid!r} visits stand {sid!r} more than once"))
            seen.add(sid)
        mx = visitors[vid].max_visits
        if mx is not None and len(seq) > mx:
            out.append(Violation("max_visits_visitor", f"visitor {vid!r} has {len(seq)} visits, max_visits is {mx}"))
    for sid, starts in per_stand.items():
        out.extend(_stand_violations(stands[sid], starts))
    for lk in problem.locked:
        times = placed.get((lk.visitor, lk.tour, lk.stand))
        if not times:
            out.append(Violation("locked", f"locked visit of {lk.visitor!r} to {lk.stand!r} is missing from tour {lk.tour}"))
        elif lk.start is not None and not any(abs(t - lk.start) <= TOL for t in times):
            out.append(Violation("locked", f"locked visit of {lk.visitor!r} to {lk.stand!r} must start at {lk.start:g}, starts at {times[0]:g}"))
    by_pair: dict[tuple[str, str], list[float]] = {}
    for (vid, _, sid), ts in (placed.items() if problem.required else ()):
        by_pair.setdefault((vid, sid), []).extend(ts)
    for rq in problem.required:
        times = by_pair.get((rq.visitor, rq.stand))
        window = f"window [{'any' if rq.from_ is None else f'{rq.from_:g}'}, {'any' if rq.to is None else f'{rq.to:g}'}]"
        if not times:
            out.append(Violation("required", f"required visit of {rq.visitor!r} to {rq.stand!r} ({window}) is missing"))
            continue
        d = stands[rq.stand].visit_duration
        for t in times:
            if (rq.from_ is not None and t < rq.from_ - TOL) or (rq.to is not None and t + d > rq.to + TOL):
                out.append(Violation("required", f"required visit of {rq.visitor!r} to {rq.stand!r} at {t:g}-{t + d:g} "
                                                 f"is outside its {window}"))
    if check_objective and solution.objective is not None:
        real = objective(problem, solution)
        if abs(real - solution.objective) > TOL * max(1.0, abs(real)):
            out.append(Violation("objective", f"stated objective {solution.objective:g} differs from the computed {real:g}"))
    return out


def _stand_violations(st, starts: list[float]) -> list[Violation]:
    """The rules of one stand, given the start of every visit to it."""
    out = []
    if st.max_visits is not None and len(starts) > st.max_visits:
        out.append(Violation("max_visits_stand", f"stand {st.id!r} has {len(starts)} visits, max_visits is {st.max_visits}"))
    peak = max_overlap(starts, st.visit_duration, TOL)
    if peak > st.capacity:
        out.append(Violation("capacity", f"stand {st.id!r} has {peak} visits in progress at once, capacity is {st.capacity}"))
    return out


def edit_violations(problem: Problem, visitor: str, tours: Solution,
                    stand_starts: Mapping[str, list[float]]) -> list[Violation]:
    """What an edit of ``visitor``'s visits breaks in a solution that broke no rule before it.

    ``tours`` holds every tour of ``visitor`` after the edit (and nothing else); ``stand_starts`` the start of
    every visit, of any visitor, to each stand the edit added a visit to. Only those can break a rule that held:
    the visitor's tours, visits, locks and required visits, and those stands' limits. The rules and sentences are `violations`'s.
    """
    if any(plan.visitor != visitor for plan in tours.tours):
        raise ValueError("tours must be the edited visitor's only")
    own = replace(problem, locked=tuple(lk for lk in problem.locked if lk.visitor == visitor),
                  required=tuple(rq for rq in problem.required if rq.visitor == visitor))
    stand_rules = ("max_visits_stand", "capacity")
    out = [v for v in violations(own, tours, check_objective=False) if v.kind not in stand_rules]
    for sid, starts in stand_starts.items():
        out.extend(_stand_violations(problem.stands[problem.stand_index[sid]], starts))
    return out


def is_feasible(problem: Problem, solution: Solution) -> bool:
    return not violations(problem, solution, check_objective=False)
