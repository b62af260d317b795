"""The re-plan scenarios of ``python -m routing.bench replan``: the rest of a day re-planned as the web app
does it, after a late visitor, an absent one or a closed stand. Behaviour only, never seconds."""

from __future__ import annotations

import json

import pytest

from routing import parse_problem, parse_solution, solve, violations
from routing.bench import main as bench_main
from routing.generate import generate
from routing.params import SearchParams
from routing.replan_events import (
    APP_CHANGE_PENALTY,
    absent,
    afresh,
    changes,
    closed,
    day_document,
    drop_short_tours,
    late,
)

AT = 600.0  # 10:00 on the only day of the tiny summit: tours have started, others start later
FIXED_WORK = SearchParams(work_rate=200_000)


def _solve(doc: dict) -> dict:
    problem = parse_problem(doc)
    solution = solve(problem, time_limit=30, seed=3, params=FIXED_WORK).to_document()
    assert violations(problem, parse_solution(solution, problem)) == []
    return solution


def _visits(plan: dict):
    return {(t["visitor"], v["stand"], v["start"]) for t in plan["tours"] for v in t["visits"]}


@pytest.fixture(scope="module")
def summit():
    problem = generate("tiny", seed=4)
    return problem, _solve(problem)


def _replanned(doc: dict, base: dict) -> dict:
    plan = _solve(doc)
    made = {(v, s, st) for v, s, st in _visits(base) if st < AT}
    assert made and made <= _visits(plan)  # the visits made before the hour stay, at their times
    # nothing new before the hour, except beside a visit made at a stand that takes two at once: as in the web
    # app, a stand is open before the hour only for the slots of the visits made there
    stands = {s["id"]: s for s in doc["stands"]}
    for v, s, st in _visits(plan) - made:
        assert st >= AT or (stands[s]["capacity"] > 1 and any(
            x == s and y <= st < y + stands[s]["visit_duration"] for _, x, y in made))
    return plan


def test_the_day_document_locks_what_was_visited_and_keeps_the_rest_as_previous(summit):
    problem, base = summit
    doc = day_document(problem, base, AT)
    assert {(lk["visitor"], lk["stand"], lk["start"]) for lk in doc["locked"]} == \
        {x for x in _visits(base) if x[2] < AT}
    assert _visits(doc["previous"]) == _visits(base) and doc["change_penalty"] == APP_CHANGE_PENALTY
    assert afresh(doc)["previous"] is None and afresh(doc)["change_penalty"] == 0
    plan = _replanned(doc, base)
    # nothing happened: the re-plan keeps far more than a re-plan from scratch does
    assert changes(problem, base, plan)[0] <= changes(problem, base, _solve(afresh(doc)))[0]


def test_a_late_visitor_starts_later_and_its_route_changes(summit):
    problem, base = summit
    doc, who = late(day_document(problem, base, AT), base, AT, delay=40)
    assert who is not None
    tours = next(v["tours"] for v in problem["visitors"] if v["id"] == who)
    moved = next(v["tours"] for v in doc["visitors"] if v["id"] == who)
    assert [t["from"] for t in moved] == [min(t["from"] + 40, t["to"] - 1) if t["from"] >= AT else t["from"]
                                          for t in tours]
    new = [t["from"] for t in moved if t["from"] >= AT]
    plan = _replanned(doc, base)
    early = [st for v, s, st in _visits(plan) if v == who and st >= AT and st < min(new)]
    assert early == []  # it is not there yet
    assert any(v == who and st < min(new) for v, s, st in _visits(base) if st >= AT)  # so its route had to change
    routes, visitors, _ = changes(problem, base, plan)
    assert routes >= 1 and visitors >= 1


def test_an_absent_visitor_makes_no_more_visits_that_day(summit):
    problem, base = summit
    doc, who = absent(day_document(problem, base, AT), base, AT)
    assert any(v == who and st >= AT for v, s, st in _visits(base))
    plan = _replanned(doc, base)
    assert [x for x in _visits(plan) if x[0] == who and x[2] >= AT] == []
    assert changes(problem, base, plan)[1] >= 1


def test_a_closed_stand_has_no_visit_for_the_rest_of_the_day(summit):
    problem, base = summit
    doc, which = closed(day_document(problem, base, AT), base, AT)
    assert any(s == which and st >= AT for v, s, st in _visits(base))
    plan = _replanned(doc, base)
    assert [x for x in _visits(plan) if x[1] == which and x[2] >= AT] == []
    assert changes(problem, base, plan)[2] >= 1


def test_changes_count_routes_visitors_and_stands(summit):
    problem, base = summit
    assert changes(problem, base, base) == (0, 0, 0)
    tour = next(t for t in base["tours"] if t["visits"])
    fewer = {**base, "tours": [t if t is not tour else {**t, "visits": t["visits"][1:]} for t in base["tours"]]}
    assert changes(problem, base, fewer) == (1, 1, 1)


def test_short_tours_are_left_free_unless_locked(summit):
    problem, base = summit
    tidied = drop_short_tours(problem, base, 2)
    assert all(len(t["visits"]) >= 2 for t in tidied["tours"])
    p = parse_problem(problem)
    assert violations(p, parse_solution(tidied, p)) == []  # feasible, and its objective is the checked one
    one = next((t for t in base["tours"] if len(t["visits"]) == 1), None)
    if one is not None:
        v = one["visits"][0]
        locked = {**problem, "locked": [{"visitor": one["visitor"], "tour": one["tour"], "stand": v["stand"],
                                          "start": v["start"]}]}
        assert one in drop_short_tours(locked, base, 2)["tours"]


def test_the_benchmark_prints_a_checked_row_per_event(summit, tmp_path, capsys):
    problem, base = summit
    (tmp_path / "p.json").write_text(json.dumps(problem))
    (tmp_path / "b.json").write_text(json.dumps(base))
    code = bench_main(["replan", "--problem", str(tmp_path / "p.json"), "--base", str(tmp_path / "b.json"),
                       "--day", "0", "--at", "10:00", "--time-limit", "0.5", "--reference-time-limit", "1"])
    rows = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")][1:]
    assert code == 0
    assert [r.split()[0] for r in rows] == ["late", "absent", "closed"]
    assert all(r.endswith(" ok") for r in rows)


def test_the_locks_hold_whenever_a_visitor_leaves(summit):
    # the tour under way ends after the visits made and the walk out, which the optimiser rounds up
    problem, base = summit
    for at in range(560, 1080, 10):
        doc, who = absent(day_document(problem, base, at), base, at)
        if who is not None:
            solve(parse_problem(doc), time_limit=1, seed=0, compute_bound=False, params=SearchParams(work_rate=1000))
