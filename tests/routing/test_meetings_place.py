"""place() and greedy() against brute force on tiny documents, and on hand-made cases whose answer is known."""

from __future__ import annotations

import copy
import itertools
import re
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routing.meetings.solver as solver
from routing.meetings import InvalidDocument, greedy, parse_placement, place, upper_bound, violations
from routing.meetings.generate import generate

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def documents(draw):
    sessions = [{"id": "s1", "start": 0, "end": 10 * draw(st.integers(1, 3))}]
    if draw(st.booleans()):
        sessions.append({"id": "s2", "start": 50, "end": 50 + 10 * draw(st.integers(0, 3))})
    for s in sessions:
        if draw(st.integers(0, 2)) == 0:
            s["max_per_person"] = draw(st.integers(0, 2))
    tables = ["T1", "T2"][:draw(st.integers(1, 2))]
    people = []
    for i in range(draw(st.integers(2, 4))):
        p = {"id": f"p{i}"}
        if draw(st.integers(0, 2)) == 0:
            a = draw(st.sampled_from([0, 10, 50]))
            p["available"] = [[a, a + draw(st.sampled_from([10, 20, 40, 90]))]]
        if draw(st.booleans()):
            c = 5 * draw(st.integers(0, 16))
            p["busy"] = [[c, c + draw(st.sampled_from([5, 10, 20]))]]
        people.append(p)
    meetings = []
    for k in range(draw(st.integers(1, 4))):
        size = 3 if len(people) > 2 and draw(st.integers(0, 4)) == 0 else 2
        who = draw(st.permutations([p["id"] for p in people]))[:size]
        m = {"id": f"m{k}", "people": list(who), "value": draw(st.sampled_from([1, 1, 1.5, 2]))}
        if draw(st.booleans()):
            m["previous"] = {"start": 10 * draw(st.integers(0, 8)), "table": draw(st.sampled_from(["T1", "T2"]))}
        if draw(st.integers(0, 5)) == 0:
            m["fixed"] = {"start": 10 * draw(st.integers(0, 2)), "table": draw(st.sampled_from(tables))}
        meetings.append(m)
    doc = {"format": "meeting-placement/1", "sessions": sessions, "slot_length": 10, "tables": tables,
           "buffer": draw(st.sampled_from([0, 5])), "people": people, "meetings": meetings}
    try:
        parse_placement(doc)
    except InvalidDocument:  # a fixed meeting that breaks a rule: drop the locks
        for m in meetings:
            m.pop("fixed", None)
    return doc


def brute_force(placement) -> tuple[int, int]:
    """(best value, most previous slots kept at that value), in the grid's integers, over every placement."""
    g = placement.grid
    options = [[f] if f is not None else [-1, *g.common[m]] for m, f in enumerate(g.fixed)]
    best = (-1, -1)
    for choice in itertools.product(*options):
        per_slot, per_person_slot, per_session = {}, set(), {}
        ok = True
        for m, s in enumerate(choice):
            if s < 0:
                continue
            per_slot[s] = per_slot.get(s, 0) + 1
            for p in g.members[m]:
                session = g.session_of[s]
                per_session[p, session] = per_session.get((p, session), 0) + 1
                cap = g.caps[session]
                ok = ok and (p, s) not in per_person_slot and (cap is None or per_session[p, session] <= cap)
                per_person_slot.add((p, s))
        if ok and all(n <= g.tables for n in per_slot.values()):
            value = sum(g.values[m] for m, s in enumerate(choice) if s >= 0)
            kept = sum(1 for m, s in enumerate(choice) if s >= 0 and s == g.previous[m] and g.fixed[m] is None)
            best = max(best, (value, kept))
    return best


@FAST
@given(documents())
def test_place_is_optimal_and_keeps_the_most_previous_slots(doc):
    placement = parse_placement(doc)
    scale = placement.grid.scale
    value, kept = brute_force(placement)
    result = place(placement, time_limit=10)
    assert violations(placement, result.to_document()) == []
    assert round(result.value * scale) == value and result.status == "optimal"
    assert result.kept == kept
    assert result.bound * scale >= value - 1e-9 and upper_bound(placement) * scale >= value - 1e-9
    first = greedy(placement)
    assert violations(placement, first.to_document()) == []
    assert first.value * scale <= value + 1e-9
    for m in placement.meetings:
        if m.fixed:
            assert any(p.meeting == m.id and p.start == m.fixed.start and p.table == m.fixed.table
                       for p in result.placed)
    # keeping previous slots never costs value: the same value as without any previous placement
    fresh = copy.deepcopy(doc)
    for m in fresh["meetings"]:
        m.pop("previous", None)
    assert place(parse_placement(fresh), time_limit=10).value == result.value


def base(people=("a", "b", "c", "d"), tables=("T1", "T2"), end=600, cap=None, buffer=0) -> dict:
    session = {"id": "am", "start": 540, "end": end}
    if cap is not None:
        session["max_per_person"] = cap
    return {"format": "meeting-placement/1", "sessions": [session], "slot_length": 20, "tables": list(tables),
            "buffer": buffer, "people": [{"id": p} for p in people], "meetings": []}


def spots(result) -> dict[str, tuple[float, str]]:
    return {p.meeting: (p.start, p.table) for p in result.placed}


def test_a_person_on_a_route_is_never_placed_within_the_buffer():
    doc = base(people=["mayor", *(f"s{i}" for i in range(10))], end=750, buffer=5)
    doc["people"][0]["busy"] = [[600, 690]]  # a 90-minute visit route
    doc["meetings"] = [{"id": f"m{i}", "people": ["mayor", f"s{i}"]} for i in range(10)]
    placement = parse_placement(doc)
    result = place(placement, time_limit=10)
    assert violations(placement, result.to_document()) == []
    # 580-600 ends 5 minutes before the route, 680-700 and 700-720 are within 5 minutes of its end... 700 is not
    assert sorted(start for start, _ in spots(result).values()) == [540, 560, 700, 720]
    assert {u.reason for u in result.unplaced} == {"person_busy"}


def test_fixed_meetings_stay_where_they_are():
    doc = base(tables=["T1"])
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"], "fixed": {"start": 580, "table": "T1"}},
                       {"id": "cd", "people": ["c", "d"], "value": 5},
                       {"id": "ac", "people": ["a", "c"], "value": 5}]
    doc["people"][2]["available"] = [[575, 600]]  # c: only the 580 slot, which the fixed meeting holds
    result = place(parse_placement(doc), time_limit=10)
    assert spots(result) == {"ab": (580, "T1")}
    assert {u.meeting: u.reason for u in result.unplaced} == {"cd": "no_table", "ac": "no_table"}


def test_previous_placements_are_kept_when_nothing_forces_a_move():
    doc = base(people=[f"p{i}" for i in range(8)], tables=["T1", "T2", "T3"], end=620)  # 4 slots
    previous = [(560, "T3"), (600, "T1"), (540, "T2"), (580, "T2"), (540, "T1"), (560, "T1")]
    pairs = [("p0", "p1"), ("p2", "p3"), ("p4", "p5"), ("p6", "p7"), ("p0", "p2"), ("p4", "p6")]
    doc["meetings"] = [{"id": f"m{k}", "people": list(pair), "previous": {"start": s, "table": t}}
                       for k, (pair, (s, t)) in enumerate(zip(pairs, previous))]
    placement = parse_placement(doc)
    for result in (place(placement, time_limit=10), greedy(placement)):
        assert spots(result) == {f"m{k}": spot for k, spot in enumerate(previous)}
        assert result.kept == 6 and violations(placement, result.to_document()) == []


def test_previous_slots_are_kept_even_where_the_greedy_does_not_keep_them():
    doc = base()  # slots 540, 560, 580; two tables
    doc["people"][0]["available"] = [[540, 580]]  # a: 540 or 560, so ab is the hardest
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"], "previous": {"start": 540, "table": "T1"}},
                       {"id": "ac", "people": ["a", "c"], "previous": {"start": 540, "table": "T1"}},
                       {"id": "bd", "people": ["b", "d"], "previous": {"start": 540, "table": "T2"}}]
    placement = parse_placement(doc)
    first = greedy(placement)  # keeps ab's slot first, which leaves ac and bd theirs no more
    assert first.kept == 1 and spots(first)["ab"] == (540, "T1")
    result = place(placement, time_limit=10)
    assert spots(result) == {"ac": (540, "T1"), "bd": (540, "T2"), "ab": (560, "T1")} and result.kept == 2


def test_keeping_a_previous_slot_never_costs_a_placement():
    doc = base(people=["a", "b", "c", "d", "e", "f"], tables=["T1"])  # three slots, one table
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"], "previous": {"start": 540, "table": "T1"}},
                       {"id": "cd", "people": ["c", "d"], "previous": {"start": 560, "table": "T1"}},
                       {"id": "new", "people": ["e", "f"]}]
    doc["people"][4]["available"] = [[540, 580]]  # e: 540 and 560 only
    placement = parse_placement(doc)
    result = place(placement, time_limit=10)
    assert len(result.placed) == 3 and result.kept == 1  # one of ab, cd moves to 580; new takes its slot
    assert spots(result)["ab"][0] in (540, 580) and spots(result)["cd"][0] in (560, 580)
    assert violations(placement, result.to_document()) == []


def test_the_table_is_renumbered_only_when_taken():
    doc = base(tables=["T1", "T2"])
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"], "previous": {"start": 540, "table": "T2"}},
                       {"id": "cd", "people": ["c", "d"], "fixed": {"start": 540, "table": "T2"}}]
    result = place(parse_placement(doc), time_limit=10)
    assert spots(result) == {"ab": (540, "T1"), "cd": (540, "T2")} and result.kept == 1


def test_unplaced_reasons_on_hand_made_cases():
    doc = base(people=["a", "b", "c", "d", "e", "f"], tables=["T1"], end=580, cap=1)  # slots 540 and 560
    doc["people"][0]["available"] = [[540, 560]]
    doc["people"][1]["available"] = [[560, 580]]
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"]},  # never both there
                       {"id": "cd", "people": ["c", "d"], "value": 2},
                       {"id": "ef", "people": ["e", "f"], "value": 2},  # cd and ef take the only table twice
                       {"id": "ce", "people": ["c", "e"]}]  # c and e are at their cap, and the table is taken
    result = place(parse_placement(doc), time_limit=10)
    assert {u.meeting: u.reason for u in result.unplaced} == {"ab": "no_common_slot", "ce": "no_table"}
    doc["tables"] = ["T1", "T2"]
    result = place(parse_placement(doc), time_limit=10)
    doc["sessions"][0].pop("max_per_person")
    doc["people"][2]["available"] = doc["people"][4]["available"] = [[540, 560]]  # c and e: 540 only
    result = place(parse_placement(doc), time_limit=10)
    assert {u.meeting: u.reason for u in result.unplaced} == {"ab": "no_common_slot", "ce": "no_table"}
    doc["tables"] = ["T1", "T2", "T3"]  # a table left at 540, but c and e are in their meetings
    result = place(parse_placement(doc), time_limit=10)
    assert {u.meeting: u.reason for u in result.unplaced} == {"ab": "no_common_slot", "ce": "person_busy"}


@pytest.mark.parametrize("threads", [1, 2])
def test_the_neighbourhood_search_improves_on_the_greedy(monkeypatch, threads):
    monkeypatch.setattr(solver, "WHOLE_MEETINGS", 0)  # the path of large documents, on a small one
    placement = parse_placement(generate(people=80, meetings=260, tables=4, days=1, seed=5, fixed=0.05))
    first = greedy(placement)
    result = place(placement, time_limit=1, seed=1, threads=threads)
    assert violations(placement, result.to_document()) == []
    assert result.method == "cp-sat" and result.solves > 1
    assert first.value <= result.value <= result.bound == upper_bound(placement)


def test_a_stop_ends_the_search_early_with_a_feasible_placement(monkeypatch):
    monkeypatch.setattr(solver, "WHOLE_MEETINGS", 0)
    placement = parse_placement(generate(people=300, meetings=900, tables=12, seed=2))
    stop = threading.Event()
    stop.set()
    result = place(placement, time_limit=30, stop=stop)
    assert result.method == "greedy" and result.value == greedy(placement).value
    assert violations(placement, result.to_document()) == []
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    began = time.monotonic()
    result = place(placement, time_limit=30, stop=stop)
    assert time.monotonic() - began < 5
    assert violations(placement, result.to_document()) == []


def test_only_the_solver_imports_ortools():
    pkg = Path(solver.__file__).parent
    pattern = re.compile(r"^\s*(import|from)\s+ortools", re.M)
    assert sorted(p.name for p in pkg.glob("*.py") if pattern.search(p.read_text())) == ["solver.py"]
