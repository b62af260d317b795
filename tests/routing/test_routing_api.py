"""The Python entry point: progress, cancellation, reproducibility, locked and previous.

No test here measures time: a run's length is asserted through what it reports (the
work it did against its budget, its iterations, its status, the progress calls).
Timing belongs to ``python -m routing.bench``.
"""

from __future__ import annotations

import sys
import threading

import pytest

from routing import InvalidDocument, parse_problem, solve, violations
from routing.generate import generate
from routing.parallel import helper_seed
from routing.params import SearchParams

# A low work rate and a long time limit: the work runs out long before the clock, even on
# a busy test runner, so a seed gives one plan.
FIXED_WORK = SearchParams(work_rate=100_000)


def stopped_early(res, time_limit: float) -> bool:
    """True if the run did under half the work its time limit allows with the default rate."""
    return res.solution.stats["work"] < 0.5 * SearchParams().work_rate * time_limit


@pytest.fixture(scope="module")
def tiny_summit():
    return parse_problem(generate("tiny", seed=3))


def test_progress_reports_best_bound_and_elapsed(tiny_summit):
    calls = []
    res = solve(tiny_summit, time_limit=1.0, seed=0, progress=lambda best, bound, elapsed: calls.append((best, bound, elapsed)))
    assert calls, "progress was never called"
    bests = [c[0] for c in calls]
    assert all(b >= a - 1e-6 for a, b in zip(bests, bests[1:])) and bests[-1] == pytest.approx(res.objective)
    assert all(c[1] is not None and c[1] >= c[0] - 1e-6 for c in calls)
    assert [c[2] for c in calls] == sorted(c[2] for c in calls)
    assert res.status in ("feasible", "optimal") and res.is_feasible()


def test_progress_keeps_coming_while_nothing_improves(base_doc):
    # The search soon finds the optimum, 15, but without a bound it does not know: the
    # caller still hears from it (its clock moves, its cancel check runs). A work budget
    # too large to end the search, and a short heartbeat: the caller stops the run on its
    # fifth call at the optimum, which only comes if the heartbeat works (else the clock
    # would end the run after 60 s, with status "feasible").
    stop = threading.Event()
    calls = []

    def progress(best, bound, elapsed):
        calls.append((best, elapsed))
        if sum(b == 15 for b, _ in calls) >= 5:
            stop.set()

    res = solve(parse_problem(base_doc), time_limit=60.0, seed=0, compute_bound=False, stop=stop, progress=progress,
                params=SearchParams(work_rate=10**12, heartbeat_seconds=0.05))
    assert res.status == "cancelled" and res.is_feasible() and res.objective == 15
    bests = [b for b, _ in calls]
    assert bests == sorted(bests) and bests.count(15) >= 6  # five while searching, one at the end
    elapsed = [e for _, e in calls]
    assert elapsed == sorted(elapsed)


def test_a_cancel_seen_in_progress_stops_a_stagnating_search(base_doc):
    # The web app looks for a cancel request when it is called back: it must be called
    # back (here with the default heartbeat) even when the best plan no longer improves.
    stop = threading.Event()
    calls = []

    def progress(best, bound, elapsed):
        calls.append(best)
        if len(calls) == 2:  # the first call after the first plan
            stop.set()

    res = solve(parse_problem(base_doc), time_limit=30.0, seed=0, compute_bound=False, progress=progress,
                stop=stop)
    assert res.status == "cancelled" and res.is_feasible() and res.solution.num_visits() > 0
    assert stopped_early(res, 30.0) and res.iterations > 0
    assert len(calls) == 3 and calls[-1] == res.objective


def test_cancellation_with_an_event(tiny_summit):
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    res = solve(tiny_summit, time_limit=30.0, seed=0, stop=stop)
    assert res.status == "cancelled" and res.is_feasible()
    assert stopped_early(res, 30.0)


def test_cancellation_with_a_callable(tiny_summit):
    # stopped before it starts: no construction, no search, an empty (feasible) plan
    res = solve(tiny_summit, time_limit=30.0, seed=0, stop=lambda: True)
    assert res.status == "cancelled" and res.is_feasible()
    assert res.iterations == 0 and res.solution.stats["work"] == 0 and res.bound is None


def test_same_seed_same_solution(tiny_summit):
    # The search stops after a fixed amount of work, not wall time, so that a seed
    # reproduces its plan; the wall clock only cuts in on an overloaded machine.
    a = solve(tiny_summit, time_limit=30.0, seed=7, threads=1, params=FIXED_WORK)
    b = solve(tiny_summit, time_limit=30.0, seed=7, threads=1, params=FIXED_WORK)
    assert a.iterations == b.iterations > 100
    assert a.to_document()["tours"] == b.to_document()["tours"] and a.objective == b.objective
    c = solve(tiny_summit, time_limit=30.0, seed=8, threads=1, params=FIXED_WORK)
    assert c.iterations != a.iterations or c.to_document()["tours"] != a.to_document()["tours"]


@pytest.mark.parametrize("time_limit", [5.0, 30.0])
def test_the_work_budget_follows_the_time_limit(tiny_summit, time_limit):
    # The search ends on a work budget of work_rate units per second of the limit, less
    # a reserve of at most 2 s for the last steps (overshooting by one iteration at most).
    res = solve(tiny_summit, time_limit=time_limit, seed=7, params=FIXED_WORK)
    work = res.solution.stats["work"]
    assert FIXED_WORK.work_rate * (time_limit - 2.0) <= work <= FIXED_WORK.work_rate * time_limit
    assert res.status == "feasible" and res.is_feasible()


def test_the_clock_ends_a_search_its_budget_would_not():
    # as on a machine too slow for its work budget (here, a budget no machine does in 3 s):
    # the run still ends, with the plan found so far (were the clock ignored, it would not end)
    problem = parse_problem(generate("small", seed=2))
    res = solve(problem, time_limit=3.0, seed=0, params=SearchParams(work_rate=10**12))
    assert res.status == "feasible" and res.is_feasible() and res.objective > 0


def test_locked_visits_are_kept(base_doc):
    base_doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": "C", "start": 40},
                          {"visitor": "v1", "tour": 1, "stand": "B"}]
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == []
    routes = {(v, k): visits for v, k, visits in res.routes}
    assert ("C", 40.0) in routes[("v2", 0)]
    assert "B" in [s for s, _ in routes[("v1", 1)]]


def test_replanning_keeps_the_previous_plan_when_changes_cost(base_doc):
    base_doc["previous"] = {"format": "visit-routing-solution/1", "tours": [
        {"visitor": "v1", "tour": 0, "visits": [{"stand": "C", "start": 50}]},
        {"visitor": "v2", "tour": 0, "visits": [{"stand": "A", "start": 30}]}]}
    base_doc["change_penalty"] = 100
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    routes = {(v, k): visits for v, k, visits in res.routes}
    assert ("C", 50.0) in routes[("v1", 0)] and ("A", 30.0) in routes[("v2", 0)]
    assert res.is_feasible()
    # without the penalty the optimiser is free to move them
    base_doc["change_penalty"] = 0
    assert solve(parse_problem(base_doc), time_limit=0.5, seed=0).objective >= res.objective


def test_scores_are_visitor_specific_and_capacity_binds():
    doc = {
        "format": "visit-routing/1", "locations": {"E": [0, 0], "S": [0, 0]}, "speed": 1,
        "stands": [{"id": "S", "location": "S", "visit_duration": 10, "open": [[0, 20]], "capacity": 1}],
        "visitors": [{"id": f"v{i}", "tours": [{"start": "E", "end": "E", "from": 0, "to": 20}]} for i in range(3)],
        "scores": [["v0", "S", 1], ["v1", "S", 5], ["v2", "S", 3]],
    }
    res = solve(parse_problem(doc), time_limit=0.5, seed=0)
    # the stand fits two visits of 10 minutes in [0, 20]: v1 and v2
    assert res.objective == 8 and res.status == "optimal"


def test_shortfall_penalty_pulls_visits_to_a_stand():
    doc = {
        "format": "visit-routing/1", "locations": {"E": [0, 0], "A": [1, 0], "B": [2, 0]}, "speed": 1,
        "stands": [{"id": "A", "location": "A", "visit_duration": 10, "open": [[0, 100]]},
                   {"id": "B", "location": "B", "visit_duration": 10, "open": [[0, 100]], "min_visits": 1}],
        "visitors": [{"id": "v", "tours": [{"start": "E", "end": "E", "from": 0, "to": 14}]}],
        "scores": [["v", "A", 2]], "shortfall_penalty": 5,
    }
    res = solve(parse_problem(doc), time_limit=0.5, seed=0)
    assert [s for s, _ in res.routes[0][2]] == ["B"] and res.objective == 0


def test_infeasible_locked_raises_invalid_document(base_doc):
    base_doc["visitors"][1]["tours"][0]["to"] = 40
    base_doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": s} for s in "ABC"]
    with pytest.raises(InvalidDocument, match="locked"):
        solve(parse_problem(base_doc), time_limit=0.5)


def test_replanning_a_summit_day_changes_little():
    doc = generate("tiny", seed=5)
    first = solve(parse_problem(doc), time_limit=1.0, seed=0)
    # the organiser closes one stand for the afternoon: re-plan against the published plan
    doc["previous"] = first.to_document()
    # A penalty above any score: no voluntary change can pay, whatever the search had time for.
    doc["change_penalty"] = 1000
    busy = first.routes[0][2][0][0]
    stand = next(s for s in doc["stands"] if s["id"] == busy)
    stand["open"] = [[0, 1]] if stand["visit_duration"] > 1 else [[0, 0.5]]
    problem = parse_problem(doc)
    second = solve(problem, time_limit=1.0, seed=0)
    assert second.is_feasible()
    before = {(v, s, t) for v, _, visits in first.routes for s, t in visits}
    after = {(v, s, t) for v, _, visits in second.routes for s, t in visits}
    lost = before - after
    assert all(s == busy for _, s, _ in lost)  # only the closed stand's visits moved


@pytest.mark.parametrize("doc", [
    {"format": "visit-routing/1", "stands": [], "visitors": []},
    {"format": "visit-routing/1", "locations": {"A": [0, 0]},
     "stands": [{"id": "A", "location": "A", "visit_duration": 5, "open": [[0, 10]]}], "visitors": []},
    {"format": "visit-routing/1", "locations": {"E": [0, 0], "A": [1, 1]},
     "stands": [{"id": "A", "location": "A", "visit_duration": 5, "open": []}],
     "visitors": [{"id": "v", "tours": [{"start": "E", "end": "E", "from": 0, "to": 10}]}], "scores": [["v", "A", 3]]},
])
def test_degenerate_documents_solve_without_searching(doc):
    res = solve(parse_problem(doc), time_limit=5.0)
    assert res.objective == 0 and res.status == "optimal"
    assert res.iterations == 0 and res.solution.stats["work"] == 0


def test_two_threads_compute_the_bound_beside_the_search(tiny_summit):
    res = solve(tiny_summit, time_limit=2.0, seed=0, threads=2)
    assert res.is_feasible() and res.status in ("feasible", "optimal")
    assert res.bound is not None and res.bound >= res.objective - 1e-6


def test_two_threads_search_in_a_second_process_and_keep_the_best(tiny_summit):
    # With a work budget the main search repeats the one-thread run of the same seed
    # exactly, and the helper (in another process) the one-thread run of its own seed:
    # the best of the two is kept, and the iterations of both are counted.
    one = solve(tiny_summit, time_limit=30.0, seed=7, threads=1, params=FIXED_WORK)
    alone = solve(tiny_summit, time_limit=30.0, seed=helper_seed(7, 1), threads=1, compute_bound=False,
                  params=FIXED_WORK)
    two = solve(tiny_summit, time_limit=30.0, seed=7, threads=2, params=FIXED_WORK)
    assert two.is_feasible() and two.objective == max(one.objective, alone.objective)
    # the helper stopped on its budget, not on the clock: it did exactly the same search
    assert two.iterations == one.iterations + alone.iterations


def test_two_threads_without_an_interpreter_to_start_still_plan(tiny_summit, monkeypatch):
    one = solve(tiny_summit, time_limit=30.0, seed=7, threads=1, params=FIXED_WORK)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python3")
    two = solve(tiny_summit, time_limit=30.0, seed=7, threads=2, params=FIXED_WORK)
    assert two.is_feasible() and two.objective == one.objective and two.iterations == one.iterations


def test_two_threads_stop_when_asked(tiny_summit):
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    res = solve(tiny_summit, time_limit=60.0, seed=0, threads=2, stop=stop)
    assert res.status == "cancelled" and res.is_feasible()
    assert stopped_early(res, 60.0)


def test_bound_gives_up_on_stop_and_falls_back(tiny_summit):
    import time as _time

    from routing.model import build_model
    from routing.bound import lp_bound
    m = build_model(tiny_summit)
    far = _time.monotonic() + 60
    lp = lp_bound(m, tiny_summit, deadline=far)
    # stopped at once: the LP is skipped, the cheap knapsack bound is still valid (and weaker)
    cheap = lp_bound(m, tiny_summit, deadline=far, should_stop=lambda: True)
    assert cheap is not None and cheap >= lp - 1e-6
    # a past deadline behaves the same; a cancelled run gets no bound at all
    assert lp_bound(m, tiny_summit, deadline=_time.monotonic() - 1) == pytest.approx(cheap)
    assert lp_bound(m, tiny_summit, deadline=far, should_stop=lambda: True, cancelled=lambda: True) is None


def test_a_locked_visit_without_time_moves_within_its_tour():
    # v's locked visit of A, placed first at the earliest time, must make way for w,
    # who can only see A at the start of the day: it moves later on v's tour.
    doc = {
        "format": "visit-routing/1", "locations": {"E": [0, 0], "A": [1, 0]}, "speed": 1,
        "stands": [{"id": "A", "location": "A", "visit_duration": 10, "open": [[0, 100]], "capacity": 1}],
        "visitors": [{"id": "v", "tours": [{"start": "E", "end": "E", "from": 0, "to": 100}]},
                     {"id": "w", "tours": [{"start": "E", "end": "E", "from": 0, "to": 20}]}],
        "scores": [["v", "A", 1], ["w", "A", 10]],
        "locked": [{"visitor": "v", "tour": 0, "stand": "A"}],
    }
    problem = parse_problem(doc)
    res = solve(problem, time_limit=1.0, seed=0)
    assert violations(problem, res.solution) == []
    routes = {v: visits for v, _, visits in res.routes}
    assert routes["w"] == [("A", 1.0)] and [s for s, _ in routes["v"]] == ["A"]
    assert res.objective == 11
