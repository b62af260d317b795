"""Required visits (issue 29): the document's ``required`` entries, refused when wrong, kept by every plan."""

from __future__ import annotations

import json

import pytest

from routing import InvalidDocument, parse_problem, solve, violations
from routing.cli import main
from routing.codes import VisitCode
from routing.generate import generate
from routing.model import build_model
from routing.params import SearchParams
from routing.problem import Solution, TourPlan, Visit
from routing.search import new_search


def _plan(result, visitor: str, tour: int, stand: str) -> list[float]:
    """The starts of ``visitor``'s visits to ``stand`` on ``tour`` in a result's plan."""
    return [t for v, k, visits in result.routes if v == visitor and k == tour for s, t in visits if s == stand]


def _stand(base_doc, sid: str, score_for: dict | None = None) -> dict:
    """``base_doc`` with one more stand ``sid`` at A's place (worth what ``score_for`` says, else nothing)."""
    base_doc["stands"].append({"id": sid, "location": "A", "visit_duration": 10, "open": [[0, 200]]})
    base_doc["scores"] += [[v, sid, x] for v, x in (score_for or {}).items()]
    return base_doc


# ---------------------------------------------------------------- the document


@pytest.mark.parametrize("entries, needle", [
    ([{"visitor": "nobody", "stand": "A"}], "required[0]: unknown visitor 'nobody'"),
    ([{"visitor": "v1", "stand": "Z9"}], "required[0]: unknown stand 'Z9'"),
    ([{"visitor": "v1", "stand": "A", "when": 3}], "required[0]: unknown field 'when'"),
    ([{"visitor": "v1", "stand": "A", "from": "midi"}], "required[0].from: expected a finite number"),
    ([{"visitor": "v1", "stand": "A"}, {"visitor": "v2", "stand": "A"}, {"visitor": "v1", "stand": "A", "to": 90}],
     "required[2]: the visit of 'v1' to 'A' is already required by required[0]"),
    ([{"visitor": "v1", "stand": "A", "from": 50, "to": 55}], "required[0]: a 10-minute visit does not fit"),
    # between v1's two tours (0-100 and 120-200): no tour leaves room
    ([{"visitor": "v1", "stand": "B", "from": 95, "to": 125}], "required[0]: no room for the visit of 'v1' to 'B'"),
    # B is closed from 60 to 80, and 65-78 is inside a tour: the stand leaves no room
    ([{"visitor": "v1", "stand": "B", "from": 62, "to": 78}], "required[0]: no room"),
    # the walk from the entrance to B takes 10 minutes: v2 cannot start at B before 10, nor end after 90
    ([{"visitor": "v2", "stand": "B", "to": 19}], "required[0]: no room"),
    ([{"visitor": "v2", "stand": "B", "from": 81}], "required[0]: no room"),
    ("A", "required: expected a list"),
])
def test_a_wrong_entry_is_refused_naming_it(base_doc, entries, needle):
    base_doc["required"] = entries
    with pytest.raises(InvalidDocument) as exc:
        parse_problem(base_doc)
    assert needle in str(exc.value)


def test_walks_in_a_matrix_count_by_their_shortest_path(base_doc):
    # A is 100 minutes away by the direct walk but 2 through C: a visit of A between 0 and 20 is possible
    names = ["entree", "A", "B", "C"]
    times = [[0, 100, 10, 1], [100, 0, 10, 1], [10, 10, 0, 10], [1, 1, 10, 0]]
    base_doc["travel_matrix"] = {"order": names, "times": times}
    base_doc["required"] = [{"visitor": "v2", "stand": "A", "from": 0, "to": 20}]
    assert len(parse_problem(base_doc).required) == 1
    base_doc["required"] = [{"visitor": "v2", "stand": "A", "from": 0, "to": 11}]  # 2 to get there, 10 to visit
    with pytest.raises(InvalidDocument, match=r"required\[0\]: no room"):
        parse_problem(base_doc)


def test_maximums_count_locked_and_required_visits(base_doc):
    base_doc["visitors"][1]["max_visits"] = 1
    base_doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": "A"}]
    base_doc["required"] = [{"visitor": "v2", "stand": "A"}]  # the same visit: one in all
    parse_problem(base_doc)
    base_doc["required"].append({"visitor": "v2", "stand": "C"})
    with pytest.raises(InvalidDocument, match="visitor 'v2' has 2 locked and required visits but max_visits 1"):
        parse_problem(base_doc)
    base_doc["visitors"][1]["max_visits"] = None
    base_doc["stands"][2]["max_visits"] = 1
    base_doc["required"].append({"visitor": "v1", "stand": "C"})
    with pytest.raises(InvalidDocument, match="stand 'C' has 2 locked and required visits but max_visits 1"):
        parse_problem(base_doc)


def test_a_pair_both_locked_and_required_keeps_the_window(base_doc):
    base_doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "A", "start": 40}]
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 30, "to": 50}]
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == [] and _plan(res, "v1", 0, "A") == [40.0]
    base_doc["required"][0]["to"] = 45
    with pytest.raises(InvalidDocument, match=r"required\[0\]: the visit of 'v1' to 'A' is locked at 40, outside"):
        parse_problem(base_doc)
    # locked on a tour without a time: the window must meet that tour, and the visit keeps to it
    base_doc["locked"] = [{"visitor": "v1", "tour": 1, "stand": "A"}]
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 0, "to": 100}]
    with pytest.raises(InvalidDocument, match=r"required\[0\]: no room .* on its locked tour 1"):
        parse_problem(base_doc)
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 170, "to": 185}]
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == []
    assert [t for t in _plan(res, "v1", 1, "A") if 170 <= t <= 175] != []


# ---------------------------------------------------------------- the solver


def test_a_window_that_fits_only_the_second_tour_puts_the_visit_there(base_doc):
    # A is worth most to v1 and would go on its first tour; D is worth nothing
    base_doc = _stand(base_doc, "D")
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 110}, {"visitor": "v1", "stand": "D", "to": 200}]
    problem = parse_problem(base_doc)
    free = solve(parse_problem({**base_doc, "required": []}), time_limit=0.5, seed=0)
    assert _plan(free, "v1", 0, "A")
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == []
    assert _plan(res, "v1", 1, "A") and not _plan(res, "v1", 0, "A")
    assert len(_plan(res, "v1", 0, "D") + _plan(res, "v1", 1, "D")) == 1
    assert res.objective <= free.objective and res.bound >= res.objective


def test_two_required_visits_that_cannot_both_fit_are_named(base_doc):
    # A takes one visit at a time; both must be there between 5 and 20 (a 10-minute visit each)
    base_doc["required"] = [{"visitor": "v1", "stand": "C"},
                            {"visitor": "v1", "stand": "A", "from": 5, "to": 20},
                            {"visitor": "v2", "stand": "A", "from": 5, "to": 20}]
    problem = parse_problem(base_doc)  # each one alone has room: the document is valid
    with pytest.raises(InvalidDocument) as exc:
        solve(problem, time_limit=0.5, seed=0)
    message = str(exc.value)
    assert "required[1] ('v1' at 'A', 5-20)" in message and "required[2] ('v2' at 'A', 5-20)" in message
    assert "required[0]" not in message and "a plan may still exist" in message
    base_doc["stands"][0]["capacity"] = 2  # now they fit together
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == []


def test_required_visits_without_value_are_made_and_cost_nothing(base_doc):
    base_doc = _stand(base_doc, "D")
    base_doc["required"] = [{"visitor": "v2", "stand": "D", "from": 30, "to": 70}]
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == []
    assert [t for t in _plan(res, "v2", 0, "D") if 30 <= t <= 60]
    assert res.bound >= res.objective


def test_required_visits_work_with_previous_and_its_change_penalty(base_doc):
    base_doc["previous"] = {"format": "visit-routing-solution/1", "tours": [
        {"visitor": "v2", "tour": 0, "visits": [{"stand": "A", "start": 30}]}]}
    base_doc["change_penalty"] = 100
    base_doc["required"] = [{"visitor": "v2", "stand": "A", "from": 25, "to": 45}]
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == [] and _plan(res, "v2", 0, "A") == [30.0]
    base_doc["required"] = [{"visitor": "v2", "stand": "A", "from": 50, "to": 70}]  # the old time is out
    problem = parse_problem(base_doc)
    res = solve(problem, time_limit=0.5, seed=0)
    assert violations(problem, res.solution) == [] and 50 <= _plan(res, "v2", 0, "A")[0] <= 60


def _watch_insertions(engine) -> list[tuple[int, int, int]]:
    """Make every insertion of a required pair into ``engine`` check its start against the pair's window; the
    (visitor, stand, start) of each such insertion is appended to the list returned."""
    seen: list[tuple[int, int, int]] = []
    insert, m = engine.insert, engine.model

    def watched(r, p, s, t, code):
        v = m.tour_visitor[r]
        if (v, s) in m.pair_windows:
            assert any(o <= t <= c for o, c in m.pair_windows[(v, s)]), (v, s, t, m.pair_windows[(v, s)])
            seen.append((v, s, t))
        return insert(r, p, s, t, code)

    engine.insert = watched
    return seen


def test_the_fast_path_keeps_the_window_of_a_required_visit():
    # No stand's capacity can bind (one visitor), so the recreate inserts from the numpy batch without an exact
    # check: the batch itself must keep S0, the most valuable stand, in its late window when a ruin takes it out.
    doc = {"format": "visit-routing/1", "name": "fast path", "speed": 1.0,
           "locations": {"E": [0, 0], **{f"L{i}": [3 * i, 4 * (i % 3)] for i in range(6)}},
           "stands": [{"id": f"S{i}", "location": f"L{i}", "visit_duration": 10, "open": [[0, 300]]}
                      for i in range(6)],
           "visitors": [{"id": "V", "tours": [{"start": "E", "end": "E", "from": 0, "to": 300}]}],
           "scores": [["V", "S0", 50]] + [["V", f"S{i}", i] for i in range(1, 6)],
           "required": [{"visitor": "V", "stand": "S0", "from": 200, "to": 240}]}
    problem = parse_problem(doc)
    search = new_search(build_model(problem), seed=0)
    assert not any(search.model.capacity_binds)
    seen = _watch_insertions(search.engine)
    search.construct()
    search.run(work_budget=search.engine.work + 5_000_000, deadline=float("inf"), should_stop=lambda: False)
    assert search.iterations > 200 and len(seen) > 50
    res = solve(problem, time_limit=1, seed=0)
    assert violations(problem, res.solution) == [] and res.objective == 65


def test_a_push_never_moves_a_required_visit_out_of_its_window():
    # V must see R between 20 and 40 (start by 30); W sees R from 30 to 40. Putting X (open from 18) before R on
    # V's tour would push R to 23, then, R being busy, to 40 (a stand with two windows may wait): refused.
    doc = {"format": "visit-routing/1", "name": "push", "speed": 1.0, "locations": {"E": [0, 0]},
           "stands": [{"id": "R", "location": "E", "visit_duration": 10, "open": [[0, 100], [150, 200]]},
                      {"id": "X", "location": "E", "visit_duration": 5, "open": [[18, 100]]}],
           "visitors": [{"id": "V", "tours": [{"start": "E", "end": "E", "from": 0, "to": 100}]},
                        {"id": "W", "tours": [{"start": "E", "end": "E", "from": 0, "to": 100}]}],
           "scores": [["V", "X", 10], ["W", "R", 1]],
           "required": [{"visitor": "V", "stand": "R", "from": 20, "to": 40}]}
    engine = new_search(build_model(parse_problem(doc)), seed=0).engine
    k = engine.model.scale  # the engine's times are scaled
    assert engine.route[0] == [0] and engine.starts[0] == [20 * k]  # R placed at the start of its window
    assert engine.insert(1, 0, 0, 30 * k, VisitCode.FREE) is not None  # W's visit of R right after V's
    assert engine.insert(0, 0, 1, 18 * k, VisitCode.FREE) is None
    assert engine.route[0] == [0] and engine.starts[0] == [20 * k]
    assert engine.evaluate(0, 1)[1:3] == (1, 30 * k)  # X after R is fine


def test_a_visit_moved_to_a_later_window_never_pushes_the_next_one_out_of_its_own():
    # Found through a required visit, true of any plan: X (open 0-30 and 100-200) at 20, then Y (open 0-60) at
    # 30. Putting Z (25 minutes) first moves X to its second window, which would push Y to 110: refused (before
    # the fix, the push went through and the plan broke Y's window).
    doc = {"format": "visit-routing/1", "name": "jump", "speed": 1.0, "locations": {"E": [0, 0]},
           "stands": [{"id": "X", "location": "E", "visit_duration": 10, "open": [[0, 30], [100, 200]]},
                      {"id": "Y", "location": "E", "visit_duration": 10, "open": [[0, 60]]},
                      {"id": "Z", "location": "E", "visit_duration": 25, "open": [[0, 200]]}],
           "visitors": [{"id": "V", "tours": [{"start": "E", "end": "E", "from": 0, "to": 200}]}],
           "scores": [["V", "X", 1], ["V", "Y", 1], ["V", "Z", 1]]}
    engine = new_search(build_model(parse_problem(doc)), seed=0).engine
    k = engine.model.scale
    assert engine.insert(0, 0, 0, 20 * k, VisitCode.FREE) is not None
    assert engine.insert(0, 1, 1, 30 * k, VisitCode.FREE) is not None
    assert engine.insert(0, 0, 2, 0, VisitCode.FREE) is None
    assert engine.route[0] == [0, 1] and engine.starts[0] == [20 * k, 30 * k]


def _summit_with_required():
    """The tiny summit with a required visit for every third visitor: a stand worth nothing to it, and one of
    its best stands late in its first tour."""
    doc = generate("tiny", seed=4)
    scored = {(v, s) for v, s, x in doc["scores"] if x > 0}
    stands = [s["id"] for s in doc["stands"]]
    required = []
    for visitor in doc["visitors"][::3]:
        v, tour = visitor["id"], visitor["tours"][0]
        worthless = next(s for s in stands if (v, s) not in scored)
        best = max((x, s) for w, s, x in doc["scores"] if w == v)[1]
        required += [{"visitor": v, "stand": worthless},
                     {"visitor": v, "stand": best, "from": (tour["from"] + tour["to"]) / 2}]
    doc["required"] = required
    return doc


def test_the_search_keeps_required_visits_through_its_ruins():
    doc = _summit_with_required()
    problem = parse_problem(doc)
    search = new_search(build_model(problem), seed=1)
    engine = search.engine
    search.construct()
    missing_after_recreate = []
    put_back = engine.insert_required

    def counting(v, s):
        if s not in engine.visited[v]:
            missing_after_recreate.append((v, s))
        return put_back(v, s)

    engine.insert_required = counting
    seen = _watch_insertions(engine)
    search.run(work_budget=engine.work + 20_000_000, deadline=float("inf"), should_stop=lambda: False)
    assert search.iterations > 500 and len(missing_after_recreate) > 50  # ruins took them out, often
    assert len(seen) > len(missing_after_recreate)  # and the recreate put some back by itself
    for v, s, _ in engine.model.required:
        assert s in engine.visited[v]
    res = solve(problem, time_limit=5, seed=2, params=SearchParams(work_rate=2_000_000))
    assert res.iterations > 500 and violations(problem, res.solution) == []
    assert res.objective <= res.bound + 1e-6


# ---------------------------------------------------------------- the checker


def test_check_reports_a_missing_required_visit_and_one_outside_its_window(base_doc):
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 120}, {"visitor": "v2", "stand": "C", "to": 50}]
    problem = parse_problem(base_doc)

    def plan(*tours):
        return Solution(tuple(TourPlan(v, k, tuple(Visit(s, t) for s, t in visits)) for v, k, visits in tours))

    good = plan(("v1", 1, [("A", 125)]), ("v2", 0, [("C", 10)]))
    assert violations(problem, good) == []
    found = violations(problem, plan(("v1", 0, [("A", 5)]), ("v2", 0, [("C", 46)])))
    assert [v.kind for v in found] == ["required", "required"]
    assert "'v1' to 'A' at 5-15 is outside its window [120, any]" in found[0].message
    assert "'v2' to 'C' at 46-51 is outside its window [any, 50]" in found[1].message
    found = violations(problem, plan(("v2", 0, [("C", 10)])))
    assert [(v.kind, v.message) for v in found] == [
        ("required", "required visit of 'v1' to 'A' (window [120, any]) is missing")]


# ---------------------------------------------------------------- the command line


def test_the_command_line_refuses_a_wrong_entry_and_an_unplaceable_one(tmp_path, capsys, base_doc):
    out = str(tmp_path / "out.json")
    problem = tmp_path / "p.json"
    base_doc["required"] = [{"visitor": "v1", "stand": "A"}, {"visitor": "v1", "stand": "Z9"}]
    problem.write_text(json.dumps(base_doc))
    for args in (["solve", str(problem), "-o", out, "--time-limit", "1"], ["check", str(problem), out]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err == f"error: {problem}: required[1]: unknown stand 'Z9'\n"
    base_doc["required"] = [{"visitor": "v1", "stand": "A", "from": 5, "to": 20},
                            {"visitor": "v2", "stand": "A", "from": 5, "to": 20}]
    problem.write_text(json.dumps(base_doc))
    assert main(["solve", str(problem), "-o", out, "--time-limit", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: required: found no room for required[") and len(err.splitlines()) == 1
    base_doc["stands"][0]["capacity"] = 2
    problem.write_text(json.dumps(base_doc))
    assert main(["solve", str(problem), "-o", out, "--time-limit", "1"]) == 0
    capsys.readouterr()
    assert main(["check", str(problem), out]) == 0
    assert capsys.readouterr().out.endswith("feasible\n")
