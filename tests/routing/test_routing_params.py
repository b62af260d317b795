"""SearchParams: one frozen, validated value with the knobs of a run."""

from __future__ import annotations

import dataclasses

import pytest

from routing import parse_problem, solve
from routing.generate import generate
from routing.params import SearchParams


def test_defaults_are_the_measured_settings():
    p = SearchParams()
    assert p.work_rate == 10_000_000 and p.heartbeat_seconds == 1.0 and p.bound_max_seconds == 30.0
    assert p.construction == "fcfs" and p.construction_share == 0.8
    assert (p.restart_after_few_tours, p.restart_after_many_tours) == (1500, 4000)
    assert (p.accept_few_tours, p.accept_many_tours) == (2.0, 0.3)
    assert p.kick_few_tours == (0.8, 1.0) and p.kick_many_tours is None


def test_frozen_and_lists_become_tuples():
    p = SearchParams(noise_levels=[0.0, 0.2], related_hours=[0.5, 1.0])
    assert p.noise_levels == (0.0, 0.2) and p.related_hours == (0.5, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.work_rate = 1
    assert hash(p) == hash(SearchParams(noise_levels=(0.0, 0.2), related_hours=(0.5, 1.0)))


@pytest.mark.parametrize("field,value", [
    ("work_rate", 0),
    ("work_rate", 1.5),
    ("work_rate", True),
    ("heartbeat_seconds", 0),
    ("progress_interval", -0.1),
    ("incumbent_interval", -1.0),
    ("reserve_max", float("nan")),
    ("bound_share", 0.0),
    ("bound_share", 1.5),
    ("bound_max_terms", -1),
    ("construction", "random"),
    ("construction_share", 0),
    ("few_tours", -1),
    ("accept_many_tours", -0.3),
    ("restart_after_few_tours", 0),
    ("kick_few_tours", (0.5, 1.2)),
    ("kick_few_tours", (0.9, 0.8)),
    ("kick_many_tours", 0.5),
    ("kick_rankings", ()),
    ("kick_rankings", (3,)),
    ("noise_levels", (0.0, 2.5)),
    ("ranking_cutoffs", (0.9, 0.6)),
    ("p_locked_first", 1.1),
    ("ruin_power", 0),
    ("p_related_visits", 0.7),  # with p_string 0.4: more than 1
    ("p_ruin_slot", 0.8),  # with p_ruin_tours 0.3: more than 1
    ("related_hours", (0.0, 2.0)),
    ("related_time_weights", (-1.0,)),
    ("near_stands", 0),
    ("related_max_tours", 0),
    ("slot_max_slack", -1),
])
def test_a_bad_value_is_refused_with_its_field_named(field, value):
    with pytest.raises(ValueError, match=f"^{field}: "):
        SearchParams(**{field: value})


def test_solve_takes_params_and_refuses_anything_else():
    problem = parse_problem(generate("tiny", seed=3))
    with pytest.raises(TypeError, match="SearchParams"):
        solve(problem, time_limit=1.0, params={"work_rate": 1})
    # the knobs reach the search: another ruin mix gives another search from the same seed
    fixed = SearchParams(work_rate=100_000)
    a = solve(problem, time_limit=30.0, seed=3, compute_bound=False, params=fixed)
    b = solve(problem, time_limit=30.0, seed=3, compute_bound=False,
              params=dataclasses.replace(fixed, p_ruin_tours=1.0, p_ruin_slot=0.0))
    assert a.is_feasible() and b.is_feasible()
    assert (a.iterations, a.to_document()["tours"]) != (b.iterations, b.to_document()["tours"])
