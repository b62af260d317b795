"""``improved``: the best plan as the search finds it, for a caller that saves it to survive a crash.

As elsewhere in these tests, nothing is timed: the rate limit is shown by the number of calls.
"""

from __future__ import annotations

import threading

import pytest

from routing import parse_problem, solve, violations
from routing.generate import generate
from routing.params import SearchParams

FIXED_WORK = SearchParams(work_rate=100_000)
EVERY_IMPROVEMENT = SearchParams(work_rate=100_000, incumbent_interval=0.0)


@pytest.fixture(scope="module")
def tiny_summit():
    return parse_problem(generate("tiny", seed=3))


def test_every_plan_received_is_feasible_better_and_the_last_is_the_one_returned(tiny_summit):
    received = []
    res = solve(tiny_summit, time_limit=30.0, seed=7, improved=received.append, params=EVERY_IMPROVEMENT)
    assert len(received) > 2  # the first plan, then the search's improvements
    for solution in received:
        assert violations(tiny_summit, solution) == []  # feasible, and its objective is the checked one
    objectives = [s.objective for s in received]
    assert objectives == sorted(objectives) and len(set(objectives)) == len(objectives)
    assert received[-1].tours == res.solution.tours and received[-1].objective == res.objective
    # sent while searching (the plan returned is sent again only if it differs from the last one)
    assert all(s.stats["status"] in ("searching", res.status) for s in received)


def test_calls_are_rate_limited(tiny_summit):
    # An interval longer than the run: the plans of the construction (first come first served, then the
    # rebuild that improved on it), then only the plan returned; none while the search runs.
    received = []
    res = solve(tiny_summit, time_limit=30.0, seed=7, improved=received.append,
                params=SearchParams(work_rate=100_000, incumbent_interval=3600.0))
    construction = res.solution.stats["construction"]["objective"]
    assert len(received) == 3
    assert received[0].objective < received[1].objective < res.objective
    assert received[1].objective == pytest.approx(construction)
    assert received[2].tours == res.solution.tours and received[2].objective == res.objective
    every = []
    solve(tiny_summit, time_limit=30.0, seed=7, improved=every.append, params=EVERY_IMPROVEMENT)
    assert len(every) > 3


def test_the_first_come_first_served_plan_is_sent_before_the_longer_rebuild():
    # On a summit the first plan is built in two steps; the second (a global rebuild) may take a good share
    # of the time limit: the plan of the first is already in the caller's hands.
    problem = parse_problem(generate("small", seed=2))
    received = []
    res = solve(problem, time_limit=30.0, seed=1, stop=lambda: len(received) >= 1, improved=received.append)
    assert res.status == "cancelled" and len(received) == 1 and received[0].num_visits() > 0
    assert received[0].objective == res.objective and violations(problem, received[0]) == []


def test_the_search_is_the_same_with_or_without_a_receiver(tiny_summit):
    alone = solve(tiny_summit, time_limit=30.0, seed=7, params=EVERY_IMPROVEMENT)
    received = []
    watched = solve(tiny_summit, time_limit=30.0, seed=7, improved=received.append, params=EVERY_IMPROVEMENT)
    assert watched.to_document()["tours"] == alone.to_document()["tours"]
    assert (watched.iterations, watched.solution.stats["work"]) == (alone.iterations, alone.solution.stats["work"])


def test_a_run_that_does_not_improve_after_its_first_plan_sends_it_once(base_doc):
    # stopped as soon as it starts: the first plan (the locked visits, here none) is also the one returned
    received = []
    res = solve(parse_problem(base_doc), time_limit=5.0, stop=lambda: True, improved=received.append)
    assert res.status == "cancelled" and len(received) == 1 and received[0].tours == res.solution.tours


def test_a_receiver_that_fails_stops_the_run_with_the_last_plan_it_had(tiny_summit):
    # What a crashed caller holds: the plans received before the failure, each feasible.
    received = []

    def receive(solution):
        received.append(solution)
        if len(received) == 3:
            raise RuntimeError("the caller died")

    with pytest.raises(RuntimeError, match="the caller died"):
        solve(tiny_summit, time_limit=30.0, seed=7, improved=receive, params=EVERY_IMPROVEMENT)
    assert len(received) == 3 and all(violations(tiny_summit, s) == [] for s in received)


def test_with_helpers_the_last_plan_received_is_still_the_one_returned(tiny_summit):
    stop = threading.Event()
    received = []
    res = solve(tiny_summit, time_limit=30.0, seed=7, threads=2, improved=received.append, stop=stop,
                params=EVERY_IMPROVEMENT)
    assert res.is_feasible() and received and received[-1].tours == res.solution.tours
    assert all(violations(tiny_summit, s) == [] for s in received)
