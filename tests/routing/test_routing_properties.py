"""Property tests on small random documents."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing import objective, parse_problem, solve, violations
from routing.problem import Solution, TourPlan, Visit

@st.composite
def problems(draw, max_stands=5, max_visitors=3, max_tours=2, single_visitor=False, couple=True):
    n_st = draw(st.integers(1, max_stands))
    n_vi = 1 if single_visitor else draw(st.integers(1, max_visitors))
    coords = st.integers(0, 20)
    locations = {"E": [0, 0]}
    stands = []
    for i in range(n_st):
        locations[f"L{i}"] = [draw(coords), draw(coords)]
        dur = draw(st.integers(1, 15))
        a = draw(st.integers(0, 60))
        b = a + draw(st.integers(dur, 120))
        windows = [[a, b]]
        if draw(st.booleans()):
            c = b + draw(st.integers(1, 30))
            windows.append([c, c + draw(st.integers(dur, 60))])
        stand = {"id": f"S{i}", "location": f"L{i}", "visit_duration": dur, "open": windows,
                 "capacity": draw(st.integers(1, 2)) if couple else 1}
        if draw(st.integers(0, 3)) == 0:
            stand["max_visits"] = draw(st.integers(0, 2))
        if draw(st.integers(0, 3)) == 0:
            stand["min_visits"] = draw(st.integers(1, 2))
        stands.append(stand)
    visitors = []
    scores = []
    for j in range(n_vi):
        tours = []
        t = draw(st.integers(0, 30))
        for _ in range(draw(st.integers(1, max_tours))):
            length = draw(st.integers(10, 150))
            tours.append({"start": "E", "end": draw(st.sampled_from(["E", "L0"])), "from": t, "to": t + length})
            t += length + draw(st.integers(0, 30))
        v = {"id": f"V{j}", "tours": tours}
        if draw(st.integers(0, 3)) == 0:
            v["max_visits"] = draw(st.integers(0, 3))
        visitors.append(v)
        for i in range(n_st):
            if draw(st.integers(0, 4)):
                scores.append([f"V{j}", f"S{i}", draw(st.integers(0, 20))])
    return {
        "format": "visit-routing/1", "name": "random", "locations": locations,
        "speed": draw(st.sampled_from([1.0, 2.0, 0.5])), "stands": stands, "visitors": visitors,
        "scores": scores, "shortfall_penalty": draw(st.sampled_from([0, 0, 3])),
    }


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_every_solution_passes_check(doc):
    problem = parse_problem(doc)
    res = solve(problem, time_limit=0.3, seed=1)
    assert violations(problem, res.solution) == []
    assert abs(objective(problem, res.solution) - res.objective) < 1e-6
    assert res.bound is None or res.bound >= res.objective - 1e-6


# ---------------------------------------------------------------- brute force


def _schedule(problem, tour, stands):
    """Earliest-start schedule of one tour visiting ``stands`` in order, or None."""
    t, loc, out = tour.from_, tour.start, []
    for sid in stands:
        st = problem.stands[problem.stand_index[sid]]
        arr = t + problem.travel_time(loc, st.location)
        start = next((max(arr, a) for a, b in st.open if max(arr, a) + st.visit_duration <= b + 1e-9), None)
        if start is None:
            return None
        out.append(Visit(sid, start))
        t, loc = start + st.visit_duration, st.location
    if t + problem.travel_time(loc, tour.end) > tour.to + 1e-9:
        return None
    return out


def brute_force(problem):
    """Optimum of a one-visitor problem by enumerating every ordered visit sequence of every tour."""
    (visitor,) = problem.visitors
    ids = [s.id for s in problem.stands]
    per_tour = []
    for tour in visitor.tours:
        options = []
        for k in range(len(ids) + 1):
            for seq in itertools.permutations(ids, k):
                sched = _schedule(problem, tour, seq)
                if sched is not None:
                    options.append(sched)
        per_tour.append(options)
    best = 0.0
    best_sol = Solution(())
    for combo in itertools.product(*per_tour):
        sol = Solution(tuple(TourPlan(visitor.id, k, tuple(v)) for k, v in enumerate(combo) if v))
        if violations(problem, sol, check_objective=False):
            continue  # duplicates across tours, max_visits
        val = objective(problem, sol)
        if val > best:
            best, best_sol = val, sol
    return objective(problem, best_sol) if best_sol.tours else objective(problem, Solution(())), best_sol


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_stands=4, single_visitor=True, max_tours=2))
def test_solver_finds_the_brute_force_optimum(doc):
    problem = parse_problem(doc)
    best, _ = brute_force(problem)
    res = solve(problem, time_limit=1.0, seed=0)
    assert violations(problem, res.solution) == []
    assert res.objective >= best - 1e-6
    assert res.bound >= best - 1e-6


# Found by the property test above (the code of e7a2e77 misses it too): the optimum,
# 29, visits S1 at 60 then S3 at 71. The search keeps S1 (inserted first, worth more) and
# never adds S3: the insertion it rates best puts S3 at 70 *before* S1, which the latest-
# arrival cache allows because S1 could move to its later window [111, 112], but that
# move makes the tour end late, so the insertion is refused, and the recreate drops S3
# for that tour instead of trying S3 after S1 (which fits). Pinned until that is fixed.
MISSED_OPTIMUM = {
    "format": "visit-routing/1", "name": "random",
    "locations": {"E": [0, 0], "L0": [0, 0], "L1": [0, 15], "L2": [0, 0], "L3": [0, 20]},
    "speed": 0.5,
    "stands": [
        {"id": "S0", "location": "L0", "visit_duration": 1, "open": [[0, 1]], "capacity": 1},
        {"id": "S1", "location": "L1", "visit_duration": 1, "open": [[0, 81], [111, 112]], "capacity": 1,
         "max_visits": 1},
        {"id": "S2", "location": "L2", "visit_duration": 1, "open": [[0, 1]], "capacity": 1},
        {"id": "S3", "location": "L3", "visit_duration": 1, "open": [[0, 1], [16, 74]], "capacity": 1},
    ],
    "visitors": [{"id": "V0", "tours": [{"start": "E", "end": "L0", "from": 30, "to": 115},
                                        {"start": "E", "end": "L0", "from": 115, "to": 127}]}],
    "scores": [["V0", "S1", 20], ["V0", "S3", 9]], "shortfall_penalty": 0,
}


@pytest.mark.xfail(strict=True, reason="the recreate drops a stand whose best-rated position is refused "
                                       "(known search weakness, see the comment above)")
def test_solver_finds_the_optimum_when_a_later_window_misleads_the_cache():
    problem = parse_problem(MISSED_OPTIMUM)
    best, _ = brute_force(problem)
    assert best == 29
    res = solve(problem, time_limit=1.0, seed=0)
    assert violations(problem, res.solution) == []
    assert res.objective >= best - 1e-6
