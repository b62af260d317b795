"""The independent checker of placements: it accepts a right one and catches each kind of violation."""

from __future__ import annotations

import copy

import pytest

from routing.meetings import InvalidDocument, parse_placement, violations

DOC = {
    "format": "meeting-placement/1",
    "sessions": [{"id": "am", "start": 540, "end": 600, "max_per_person": 2}],  # slots 540, 560, 580
    "slot_length": 20,
    "tables": ["T1", "T2"],
    "buffer": 5,
    "people": [{"id": "a", "busy": [[585, 600]]}, {"id": "b"}, {"id": "c"}, {"id": "d"},
               {"id": "e", "available": [[700, 800]]}],
    "meetings": [{"id": "ab", "people": ["a", "b"]},
                 {"id": "cd", "people": ["c", "d"], "fixed": {"start": 540, "table": "T2"}},
                 {"id": "ac", "people": ["a", "c"]},
                 {"id": "ae", "people": ["a", "e"]}],
}
GOOD = {
    "format": "meeting-placement-solution/1",
    "placed": [{"meeting": "ab", "start": 540, "table": "T1"}, {"meeting": "cd", "start": 540, "table": "T2"},
               {"meeting": "ac", "start": 560, "table": "T1"}],
    "unplaced": [{"meeting": "ae", "reason": "no_common_slot"}],
}


@pytest.fixture
def placement():
    return parse_placement(copy.deepcopy(DOC))


def kinds(placement, solution):
    return sorted(v.kind for v in violations(placement, solution))


def changed(**entries):
    solution = copy.deepcopy(GOOD)
    for key, value in entries.items():
        solution[key] = value
    return solution


def test_a_right_placement_passes(placement):
    assert violations(placement, GOOD) == []


def test_unknown_meeting(placement):
    extra = GOOD["placed"] + [{"meeting": "zz", "start": 580, "table": "T1"}]
    assert kinds(placement, changed(placed=extra)) == ["unknown_meeting"]


def test_duplicate(placement):
    again = GOOD["placed"] + [{"meeting": "ab", "start": 580, "table": "T2"}]
    assert kinds(placement, changed(placed=again)) == ["duplicate"]
    both = GOOD["unplaced"] + [{"meeting": "ab", "reason": "person_busy"}]
    assert "duplicate" in kinds(placement, changed(unplaced=both))


def test_missing(placement):
    assert kinds(placement, changed(unplaced=[])) == ["missing"]


def test_slot(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[2]["start"] = 570
    assert kinds(placement, changed(placed=placed)) == ["slot"]
    placed[2]["start"] = 600  # would end after the session
    assert kinds(placement, changed(placed=placed)) == ["slot"]


def test_table(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[2]["table"] = "T7"
    assert kinds(placement, changed(placed=placed)) == ["table"]


def test_unavailable_counts_the_buffer(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[2]["start"] = 580  # a is busy from 585; the slot 580-600 overlaps it
    assert kinds(placement, changed(placed=placed)) == ["unavailable"]
    placed = copy.deepcopy(GOOD["placed"])
    placed[0]["start"] = 560  # 560-580 ends 5 minutes before a's busy interval: allowed with buffer 5
    placed[2]["start"] = 540
    placed[0]["table"], placed[2]["table"] = "T1", "T1"
    assert kinds(placement, changed(placed=placed)) == ["person_clash"]  # c is in cd and ac at 540; a is free
    unplaced = [{"meeting": "ac", "reason": "person_busy"}]  # true: a is in ab at 540, in ae at 560
    placed = GOOD["placed"][:2] + [{"meeting": "ae", "start": 560, "table": "T1"}]
    assert kinds(placement, changed(placed=placed, unplaced=unplaced)) == ["unavailable"]  # e is not there


def test_table_clash(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[0]["table"] = "T2"
    assert kinds(placement, changed(placed=placed)) == ["table_clash"]


def test_person_clash(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[2]["start"], placed[2]["table"] = 540, "T1"
    placed[0]["table"] = "T1"
    assert "person_clash" in kinds(placement, changed(placed=placed))


def test_cap(placement):
    doc = copy.deepcopy(DOC)
    doc["sessions"][0]["max_per_person"] = 1
    doc["meetings"][1].pop("fixed")
    tight = parse_placement(doc)
    solution = changed(unplaced=GOOD["unplaced"])
    assert kinds(tight, solution) == ["cap", "cap"]  # a (ab, ac) and c (cd, ac)


def test_fixed(placement):
    placed = copy.deepcopy(GOOD["placed"])
    placed[1]["table"], placed[0]["table"] = "T1", "T2"
    assert kinds(placement, changed(placed=placed)) == ["fixed"]
    unplaced = GOOD["unplaced"] + [{"meeting": "cd", "reason": "person_busy"}]
    assert "fixed" in kinds(placement, changed(placed=GOOD["placed"][::2], unplaced=unplaced))


def test_reason(placement):
    unplaced = [{"meeting": "ae", "reason": "no_table"}]
    assert kinds(placement, changed(unplaced=unplaced)) == ["reason"]  # it has no common free slot
    unplaced = GOOD["unplaced"] + [{"meeting": "ac", "reason": "no_common_slot"}]
    assert kinds(placement, changed(placed=GOOD["placed"][:2], unplaced=unplaced)) == ["reason"]
    unplaced[1]["reason"] = "no_table"  # 560 has two free tables
    assert kinds(placement, changed(placed=GOOD["placed"][:2], unplaced=unplaced)) == ["reason"]
    unplaced[1]["reason"] = "person_busy"  # at 560 a and c are free: ac could have been placed
    assert kinds(placement, changed(placed=GOOD["placed"][:2], unplaced=unplaced)) == ["reason"]
    unplaced[1]["reason"] = "elsewhere"
    assert kinds(placement, changed(placed=GOOD["placed"][:2], unplaced=unplaced)) == ["reason"]


def test_reason_person_busy_and_no_table_are_told_apart():
    doc = copy.deepcopy(DOC)
    doc["sessions"][0]["end"] = 560  # one slot, 540
    doc["tables"] = ["T1"]
    doc["meetings"] = [{"id": "ab", "people": ["a", "b"]}, {"id": "cd", "people": ["c", "d"]},
                       {"id": "ac", "people": ["a", "c"]}]
    one_table = parse_placement(doc)
    placed = [{"meeting": "ab", "start": 540, "table": "T1"}]
    for why, expected in (("no_table", []), ("person_busy", ["reason"])):
        unplaced = [{"meeting": "cd", "reason": why}, {"meeting": "ac", "reason": why}]
        assert kinds(one_table, changed(placed=placed, unplaced=unplaced)) == expected + expected
    doc["tables"] = ["T1", "T2"]
    two_tables = parse_placement(doc)
    unplaced = [{"meeting": "cd", "reason": "no_table"}, {"meeting": "ac", "reason": "person_busy"}]
    assert kinds(two_tables, changed(placed=placed, unplaced=unplaced)) == ["reason"]  # cd has a table and is free
    placed.append({"meeting": "cd", "start": 540, "table": "T2"})
    # ac's only common free slot has both tables taken: no_table, even though a and c are busy there too
    assert kinds(two_tables, changed(placed=placed, unplaced=[{"meeting": "ac", "reason": "no_table"}])) == []
    assert kinds(two_tables, changed(placed=placed, unplaced=unplaced[1:])) == ["reason"]


def test_malformed_solutions_are_invalid_documents(placement):
    for bad, message in ((["x"], "solution: expected an object"),
                         ({"format": "other"}, "solution.format"),
                         (changed(placed=[{"meeting": "ab", "start": "9h", "table": "T1"}]),
                          "solution.placed[0].start: expected a finite number"),
                         (changed(unplaced=[{"meeting": "ae"}]), "solution.unplaced[0].reason")):
        with pytest.raises(InvalidDocument) as exc:
            violations(placement, bad)
        assert message in str(exc.value)
