"""The independent checker catches every kind of violation, and computes the objective."""

from __future__ import annotations

import pytest

from routing import objective, parse_problem, violations
from routing.problem import parse_solution


def sol_doc(v1_t0, v2_t0, v1_t1, objective=None):
    tours = []
    for vid, k, visits in (("v1", 0, v1_t0), ("v2", 0, v2_t0), ("v1", 1, v1_t1)):
        if visits:
            tours.append({"visitor": vid, "tour": k, "visits": [{"stand": s, "start": t} for s, t in visits]})
    return {"format": "visit-routing-solution/1", "objective": objective, "tours": tours}


GOOD = (
    [("A", 5), ("B", 20)],
    [("C", 10), ("A", 22)],
    [("C", 130)],
)


def kinds(base_doc, solution, **problem_changes):
    for path, value in problem_changes.items():
        target = base_doc
        *keys, last = path.split("__")
        for k in keys:
            target = target[int(k)] if k.isdigit() else target[k]
        target[int(last) if last.isdigit() else last] = value
    problem = parse_problem(base_doc)
    return {v.kind for v in violations(problem, parse_solution(solution, problem))}


def test_reference_plan_is_feasible(base_doc):
    problem = parse_problem(base_doc)
    sol = parse_solution(sol_doc(*GOOD, objective=15), problem)
    assert violations(problem, sol) == []
    assert objective(problem, sol) == 15


@pytest.mark.parametrize("plan,kind", [
    (([("A", 5), ("B", 55)], GOOD[1], GOOD[2]), "window"),          # B closes at 60
    ((GOOD[0], [("C", 10), ("A", 18)], GOOD[2]), "timing"),         # C->A takes 6.7
    ((GOOD[0], GOOD[1], [("C", 192)]), "timing"),                   # back at 207 > 200
    (([("B", 5)], GOOD[1], GOOD[2]), "timing"),                     # entree->B takes 10
    ((GOOD[0], GOOD[1], [("A", 125)]), "duplicate"),                # v1 sees A twice
    ((GOOD[0], [("A", 8), ("C", 25)], GOOD[2]), "capacity"),         # A busy 5-15
])
def test_injected_violation_is_caught(base_doc, plan, kind):
    assert kind in kinds(base_doc, sol_doc(*plan))


def test_capacity_two_allows_two_at_once_but_not_three(base_doc):
    plan = (GOOD[0], [("C", 10), ("A", 22)], [("C", 130)])
    v1 = ([("C", 10)], [("C", 12)], [])
    assert "capacity" not in kinds(base_doc, sol_doc(*v1))
    assert "capacity" in kinds(base_doc, sol_doc(*v1), stands__2__capacity=1)
    # half-open: back-to-back visits do not overlap
    assert "capacity" not in kinds(base_doc, sol_doc([("A", 5)], [("A", 15)], []))
    assert kinds(base_doc, sol_doc(*plan)) == set()


def test_max_visits_both_sides(base_doc):
    assert "max_visits_visitor" in kinds(base_doc, sol_doc(*GOOD), visitors__0__max_visits=2)
    assert "max_visits_stand" in kinds(base_doc, sol_doc(*GOOD), stands__0__max_visits=1)
    assert kinds(base_doc, sol_doc(*GOOD), visitors__0__max_visits=3, stands__0__max_visits=2) == set()


def test_locked_missing_or_moved(base_doc):
    base_doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": "B"}]
    assert "locked" in kinds(base_doc, sol_doc(*GOOD))
    base_doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "A", "start": 6}]
    assert "locked" in kinds(base_doc, sol_doc(*GOOD))
    base_doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "A", "start": 5}]
    assert kinds(base_doc, sol_doc(*GOOD)) == set()
    base_doc["locked"] = [{"visitor": "v1", "tour": 1, "stand": "A"}]  # on another tour
    assert "locked" in kinds(base_doc, sol_doc(*GOOD))


def test_stated_objective_must_match(base_doc):
    assert kinds(base_doc, sol_doc(*GOOD, objective=99)) == {"objective"}


def test_objective_with_shortfall_and_changes(base_doc):
    base_doc["stands"][1]["min_visits"] = 2
    base_doc["shortfall_penalty"] = 3
    base_doc["previous"] = sol_doc([("A", 5)], [("A", 22), ("B", 50)], [("C", 131)])
    base_doc["change_penalty"] = 2
    problem = parse_problem(base_doc)
    sol = parse_solution(sol_doc(*GOOD), problem)
    # 15 in scores, B one visit short of 2 (-3), v2-B missing and v1-C moved (-2 * 2)
    assert objective(problem, sol) == pytest.approx(15 - 3 - 4)
