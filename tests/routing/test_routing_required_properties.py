"""Required visits on small random documents (brute force, bounds) and in the rest-of-the-day re-plan."""

from __future__ import annotations

import itertools
import math
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from routing import InvalidDocument, objective, parse_problem, parse_solution, solve, tight_bound, violations
from routing.generate import generate
from routing.greedy import greedy
from routing.lagrange import lagrangian_bound
from routing.params import SearchParams
from routing.problem import Solution, TourPlan, Visit
from routing.replan_events import closed, day_document, drop_short_tours, dropped_required
from tests.routing.test_routing_properties import problems

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _schedule(problem, visitor, tour, stands):
    """Earliest-start schedule of one tour visiting ``stands`` in order, no visit before its required window."""
    after = {rq.stand: rq.from_ for rq in problem.required if rq.visitor == visitor and rq.from_ is not None}
    t, loc, out = tour.from_, tour.start, []
    for sid in stands:
        st_ = problem.stands[problem.stand_index[sid]]
        arrival = max(t + problem.travel_time(loc, st_.location), after.get(sid, -math.inf))
        start = next((max(arrival, a) for a, b in st_.open if max(arrival, a) + st_.visit_duration <= b + 1e-9), None)
        if start is None:
            return None
        out.append(Visit(sid, start))
        t, loc = start + st_.visit_duration, st_.location
    if t + problem.travel_time(loc, tour.end) > tour.to + 1e-9:
        return None
    return out


def _tour_options(problem, k):
    """Every feasible schedule of the one visitor's tour ``k`` (earliest starts, any order), the unused tour
    (no visit, whatever its walk) first."""
    (visitor,) = problem.visitors
    ids = [s.id for s in problem.stands]
    out = [[]]
    for n in range(1, len(ids) + 1):
        for seq in itertools.permutations(ids, n):
            sched = _schedule(problem, visitor.id, visitor.tours[k], seq)
            if sched is not None:
                out.append(sched)
    return out


def brute_force_required(problem) -> float | None:
    """The best value of a one-visitor problem over its plans that break no rule, required visits included
    (None if there is none). Waiting is never needed but for a window: earliest starts are enough."""
    (visitor,) = problem.visitors
    best = None
    for combo in itertools.product(*(_tour_options(problem, k) for k in range(len(visitor.tours)))):
        sol = Solution(tuple(TourPlan(visitor.id, k, tuple(v)) for k, v in enumerate(combo) if v))
        if not violations(problem, sol, check_objective=False):
            value = objective(problem, sol)
            best = value if best is None else max(best, value)
    return best


def _require(draw, doc: dict, visits) -> dict:
    """``doc`` requiring some of ``visits`` ((visitor, stand, start, duration) of a plan that breaks no rule),
    each in a window around its start, or without one: the plan keeps them, so the document has one."""
    required = []
    first = draw(st.integers(0, len(visits) - 1)) if visits else None  # at least one, when there is one
    for i, (v, s, t, d) in enumerate(visits):
        if i == first or draw(st.booleans()):
            entry = {"visitor": v, "stand": s}
            if draw(st.booleans()):
                entry["from"] = t - draw(st.integers(0, 40))
            if draw(st.booleans()):
                # not to the millionth: the solver's integer model rounds walks up, a window down
                entry["to"] = t + d + draw(st.integers(1, 40))
            required.append(entry)
    return {**doc, "required": required}


@st.composite
def one_visitor_with_required(draw):
    """A one-visitor document whose required visits are some visits of one of its tours' feasible schedules."""
    doc = draw(problems(max_stands=4, single_visitor=True, max_tours=2))
    problem = parse_problem(doc)
    k = draw(st.integers(0, len(problem.visitors[0].tours) - 1))
    options = [o for o in _tour_options(problem, k)
               if not o or not violations(problem, Solution((TourPlan("V0", k, tuple(o)),)), check_objective=False)]
    plan = draw(st.sampled_from([o for o in options if o] or options))
    durations = {s.id: s.visit_duration for s in problem.stands}
    return _require(draw, doc, [("V0", x.stand, x.start, durations[x.stand]) for x in plan])


# Drawn afresh (HYPOTHESIS_PROFILE=explore), the equality below failed on 5 of 4,000 examples measured (two
# documents and variants of them): the search's known weak spots (the xfails here and in
# test_routing_properties.py), one of them on a document with no required visit at all. The suite's profile
# draws the same examples on every run.
@SLOW
@given(one_visitor_with_required())
def test_plans_keep_required_visits_and_reach_the_brute_force_optimum(doc):
    assume(doc["required"])  # test_routing_properties.py covers the others
    problem = parse_problem(doc)
    best = brute_force_required(problem)
    assert best is not None  # the plan the requirements were drawn from
    res = solve(problem, time_limit=1.0, seed=0)
    assert violations(problem, res.solution) == []
    assert abs(res.objective - best) < 1e-6
    assert res.bound >= best - 1e-6
    lagrange = lagrangian_bound(problem, deadline=time.monotonic() + 1e9, max_iterations=40).value
    assert lagrange is None or lagrange >= best - 1e-6
    assert tight_bound(problem, time_limit=0.2).value >= best - 1e-6


# Found by the property test above; the same plan is missed with S1 locked on the tour instead of required (and
# on main, before required visits). The optimum, 6, visits S1 at 22, S0 at 39 (worth the shortfall penalty)
# and S2 at 49.5. With S1 in place the recreate inserts S2 first (its ratio is higher, whatever the noise)
# where it adds least time, tied between before and after S1: before, which pushes S1 to 49 and leaves S0 no
# room. With S2 in place, S0 goes after it (least time), and then S1 fits nowhere: no step leads out.
MISSED_WITH_A_REQUIRED_VISIT = {
    "format": "visit-routing/1", "name": "random", "speed": 2.0,
    "locations": {"E": [0, 0], "L0": [0, 0], "L1": [0, 1], "L2": [13, 0]},
    "stands": [{"id": "S0", "location": "L0", "visit_duration": 4, "open": [[39, 54]], "min_visits": 1},
               {"id": "S1", "location": "L1", "visit_duration": 2, "open": [[22, 52]]},
               {"id": "S2", "location": "L2", "visit_duration": 15, "open": [[0, 15], [16, 68]]}],
    "visitors": [{"id": "V0", "tours": [{"start": "E", "end": "E", "from": 21, "to": 72}]}],
    "scores": [["V0", "S2", 6]], "shortfall_penalty": 3, "required": [{"visitor": "V0", "stand": "S1"}],
}


@pytest.mark.xfail(strict=True, reason="min-added-time insertion ties and the greedy order trap the search "
                                       "(known search weakness, see the comment above)")
def test_the_optimum_behind_an_insertion_tie_is_found():
    problem = parse_problem(MISSED_WITH_A_REQUIRED_VISIT)
    assert brute_force_required(problem) == 6
    res = solve(problem, time_limit=1.0, seed=0)
    assert violations(problem, res.solution) == []
    assert res.objective == 6


@st.composite
def many_visitors_with_required(draw):
    """A document with several visitors whose required visits are some visits of its greedy plan."""
    doc = draw(problems(max_stands=5, max_visitors=3, max_tours=2))
    problem = parse_problem(doc)
    durations = {s.id: s.visit_duration for s in problem.stands}
    visits = [(t.visitor, x.stand, x.start, durations[x.stand]) for t in greedy(problem).tours for x in t.visits]
    return _require(draw, doc, visits)


@SLOW
@given(many_visitors_with_required())
def test_every_plan_with_required_visits_passes_check(doc):
    problem = parse_problem(doc)
    try:
        res = solve(problem, time_limit=0.3, seed=1)
    except InvalidDocument as exc:  # the placement is greedy: it may miss, but then it says which
        assert str(exc).startswith("required: found no room for required[")
        return
    assert violations(problem, res.solution) == []
    assert res.bound >= res.objective - 1e-6
    lagrange = lagrangian_bound(problem, deadline=time.monotonic() + 1e9, max_iterations=40).value
    assert lagrange is None or lagrange >= res.objective - 1e-6


# ---------------------------------------------------------------- the rest of the day


def test_the_rest_of_the_day_keeps_the_required_visits_it_still_can():
    at = 600.0
    doc = generate("tiny", seed=4)
    base = solve(parse_problem(doc), time_limit=30, seed=3, params=SearchParams(work_rate=200_000)).to_document()
    durations = {s["id"]: s["visit_duration"] for s in doc["stands"]}
    made = [(t["visitor"], v["stand"], v["start"]) for t in base["tours"] for v in t["visits"]]
    before = next(x for x in made if x[2] < at)
    _, shut_stand = closed(day_document(doc, base, at), base, at)  # the stand the event closes
    later = [x for x in made if x[2] >= at + 30]
    after = next(x for x in later if x[1] != shut_stand)
    at_closed = next(x for x in later if x[1] == shut_stand and x[0] != after[0])
    visited = {(v, s) for v, s, _ in made}
    missed = next((v, s["id"]) for v in (x["visitor"] for x in base["tours"]) for s in doc["stands"]
                  if (v, s["id"]) not in visited)
    doc["required"] = [
        {"visitor": before[0], "stand": before[1], "from": before[2] - 5, "to": before[2] + durations[before[1]]},
        {"visitor": after[0], "stand": after[1], "from": after[2] - 40, "to": after[2] + durations[after[1]] + 5},
        {"visitor": at_closed[0], "stand": at_closed[1]},
        {"visitor": missed[0], "stand": missed[1], "to": at - 1},  # past, and never made
    ]
    day = day_document(doc, base, at)
    assert dropped_required(doc, day) == [doc["required"][3]]
    kept = {(rq["visitor"], rq["stand"]): rq for rq in day["required"]}
    assert kept[before[:2]] == doc["required"][0]  # made before the hour: locked, and still required
    assert kept[after[:2]]["from"] == max(at, after[2] - 40)  # not made yet: not before the hour
    problem = parse_problem(day)
    plan = solve(problem, time_limit=5, seed=0, params=SearchParams(work_rate=400_000))
    assert violations(problem, plan.solution) == []
    # as the app stores it, short tours left free: never one that holds a required visit
    stored = drop_short_tours(day, plan.to_document(), 99, problem)
    assert violations(problem, parse_solution(stored, problem)) == []
    assert len(stored["tours"]) < len(plan.solution.tours)
    # the stand closes for the rest of the day: its required visit not made yet cannot be kept
    shut, which = closed(day, base, at)
    assert which == shut_stand
    assert {(rq["visitor"], rq["stand"]) for rq in dropped_required(doc, shut)} == {missed, at_closed[:2]}
    problem = parse_problem(shut)
    assert violations(problem, solve(problem, time_limit=5, seed=0,
                                     params=SearchParams(work_rate=400_000)).solution) == []
