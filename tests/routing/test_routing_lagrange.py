"""The tight bound (routing.lagrange): never below a plan, and close where the quick bound is not."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings

from routing import parse_problem, solve, tight_bound
from routing.cli import main as cli_main
from routing.lagrange import lagrangian_bound
from tests.routing.test_routing_properties import brute_force, problems

FAR = 1e9


def _bound(problem, iterations=80, target=None):
    return lagrangian_bound(problem, deadline=time.monotonic() + FAR, max_iterations=iterations,
                            target=lambda: target).value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_stands=4, single_visitor=True, max_tours=2))
def test_the_bound_is_never_below_the_brute_force_optimum(doc):
    problem = parse_problem(doc)
    best, _ = brute_force(problem)
    assert _bound(problem) >= best - 1e-6
    assert tight_bound(problem, time_limit=0.2).value >= best - 1e-6  # with the span LP beside it


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_stands=5, max_visitors=3, max_tours=2))
def test_the_bound_is_never_below_a_plan_when_visitors_share_stands(doc):
    problem = parse_problem(doc)
    plan = solve(problem, time_limit=0.5, seed=0, compute_bound=False)
    assert _bound(problem) >= plan.objective - 1e-6


def _crowded(visitors: int) -> dict:
    """``visitors`` officials free from 0 to 30, one stand of 10-minute visits (capacity 1) they all want."""
    return {
        "format": "visit-routing/1", "name": "crowded", "locations": {"E": [0, 0]}, "speed": 1.0,
        "stands": [{"id": "A", "location": "E", "visit_duration": 10, "open": [[0, 100]]}],
        "visitors": [{"id": f"V{i}", "tours": [{"start": "E", "end": "E", "from": 0, "to": 30}]}
                     for i in range(visitors)],
        "scores": [[f"V{i}", "A", 10] for i in range(visitors)],
    }


def test_the_bound_knows_a_stand_hosts_one_visit_at_a_time():
    # Three visits fit between 0 and 30: the best plan is worth 30. The quick bound only knows that the stand
    # is open for ten visits that day, so it says 50; the tight bound says 30.
    problem = parse_problem(_crowded(5))
    plan = solve(problem, time_limit=1.0, seed=0)
    assert plan.objective == 30
    assert plan.bound >= 49
    assert 30 - 1e-6 <= _bound(problem, iterations=400, target=plan.objective) <= 30.5


@pytest.mark.parametrize("walk, fit", [(0, 3), (1, 2), (2.5, 2), (5, 2), (6, 1)])
def test_the_bound_knows_the_walk_to_a_crowded_stand_and_back(walk, fit):
    # Five officials free from 0 to 30 at the door, one 10-minute stand `walk` minutes away: `fit` visits fit
    # between the walk there and the walk back, whoever makes them (the optimum is `fit` x 10).
    doc = _crowded(5)
    doc["locations"]["S"] = [walk, 0]
    doc["stands"][0]["location"] = "S"
    problem = parse_problem(doc)
    plan = solve(problem, time_limit=1.0, seed=0)
    assert plan.objective == fit * 10
    assert fit * 10 - 1e-6 <= tight_bound(problem, time_limit=5, target=plan.objective).value <= fit * 10 + 0.5


def test_the_bound_counts_whole_visits_in_a_tour():
    # A 25-minute tour holds two 10-minute visits, not two and a half.
    doc = {
        "format": "visit-routing/1", "name": "fragments", "locations": {"E": [0, 0]}, "speed": 1.0,
        "stands": [{"id": s, "location": "E", "visit_duration": 10, "open": [[0, 100]]} for s in "ABC"],
        "visitors": [{"id": "V", "tours": [{"start": "E", "end": "E", "from": 0, "to": 25}]}],
        "scores": [["V", s, 10] for s in "ABC"],
    }
    problem = parse_problem(doc)
    plan = solve(problem, time_limit=1.0, seed=0)
    assert plan.objective == 20 and plan.bound >= 24
    assert 20 - 1e-6 <= _bound(problem, iterations=400, target=plan.objective) <= 20.5


def test_a_stopped_run_has_no_bound_and_a_short_one_still_a_valid_one():
    problem = parse_problem(_crowded(5))
    assert tight_bound(problem, time_limit=10, stop=lambda: True).value is None
    one = lagrangian_bound(problem, deadline=time.monotonic() + FAR, max_iterations=1)
    assert one.iterations == 1 and one.value == one.first >= 30


def test_visits_shorter_than_the_grid_step_give_no_bound_rather_than_a_wrong_one():
    # An 8,000-minute tour would need a 2-minute step; two 1-minute visits fit in [0.5, 2.5] (worth 2).
    doc = {"format": "visit-routing/1", "name": "fine", "locations": {"E": [0, 0]}, "speed": 1.0,
           "stands": [{"id": s, "location": "E", "visit_duration": 1, "open": [[0.5, 2.5]]} for s in "AB"],
           "visitors": [{"id": "V", "tours": [{"start": "E", "end": "E", "from": 0, "to": 8000}]}],
           "scores": [["V", "A", 1], ["V", "B", 1]]}
    problem = parse_problem(doc)
    assert _bound(problem) is None
    assert tight_bound(problem, time_limit=5).value >= 2 - 1e-6


def test_thirds_of_a_minute_do_not_cut_the_bound_below_the_optimum():
    # Visits of 10/3 minutes: three fit in [0, 10] (worth 3), though the integer model rounds them up to 3.34.
    doc = {"format": "visit-routing/1", "name": "thirds", "locations": {"E": [0, 0]}, "speed": 1.0,
           "stands": [{"id": "A", "location": "E", "visit_duration": 10 / 3, "open": [[0, 10]]}],
           "visitors": [{"id": f"V{i}", "tours": [{"start": "E", "end": "E", "from": 0, "to": 10}]}
                        for i in range(3)],
           "scores": [[f"V{i}", "A", 1] for i in range(3)]}
    problem = parse_problem(doc)
    assert tight_bound(problem, time_limit=5).value >= 3 - 1e-6
    assert solve(problem, time_limit=1, seed=0).bound >= 3 - 1e-6


def _in_thirds(doc: dict) -> dict:
    """The same document with every time divided by 3 (walks too: the speed is tripled): the same plans,
    at times that are no whole number of hundredths."""
    thirds = dict(doc, speed=doc["speed"] * 3)
    thirds["stands"] = [dict(s, visit_duration=s["visit_duration"] / 3, open=[[a / 3, b / 3] for a, b in s["open"]])
                        for s in doc["stands"]]
    thirds["visitors"] = [dict(v, tours=[dict(t, **{"from": t["from"] / 3, "to": t["to"] / 3}) for t in v["tours"]])
                          for v in doc["visitors"]]
    return thirds


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_stands=4, single_visitor=True, max_tours=2))
def test_times_in_thirds_of_a_minute_give_bounds_never_below_the_optimum(doc):
    problem = parse_problem(_in_thirds(doc))
    best, _ = brute_force(problem)
    assert solve(problem, time_limit=0.3, seed=0).bound >= best - 1e-6  # the search's quick bound
    assert tight_bound(problem, time_limit=0.2).value >= best - 1e-6


def test_command_line_prints_the_bound_and_the_gap(tmp_path, capsys):
    problem_path = tmp_path / "p.json"
    problem_path.write_text(json.dumps(_crowded(5)))
    solution = {"format": "visit-routing-solution/1", "tours": [
        {"visitor": "V0", "tour": 0, "visits": [{"stand": "A", "start": 0}]},
        {"visitor": "V1", "tour": 0, "visits": [{"stand": "A", "start": 10}]}]}
    solution_path = tmp_path / "s.json"
    solution_path.write_text(json.dumps(solution))
    assert cli_main(["bound", str(problem_path), "--time-limit", "5", "--solution", str(solution_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bound 30.0") and "objective 20" in out and "gap 50.00%" in out
    # a plan that breaks the rules is refused, naming the file
    solution["tours"][1]["visits"][0]["start"] = 5
    solution_path.write_text(json.dumps(solution))
    assert cli_main(["bound", str(problem_path), "--time-limit", "5", "--solution", str(solution_path)]) == 2
    assert "s.json: not a feasible plan" in capsys.readouterr().err
