"""Meeting-placement documents: every invalid one is refused with a message naming the entry; the command line."""

from __future__ import annotations

import copy
import json

import pytest

from routing.cli import main
from routing.meetings import InvalidDocument, parse_placement

BASE = {
    "format": "meeting-placement/1",
    "sessions": [{"id": "j1-matin", "start": 540, "end": 750, "max_per_person": 4},
                 {"id": "j1-aprem", "start": 840, "end": 1080}],
    "slot_length": 20,
    "tables": ["T1", "T2"],
    "buffer": 5,
    "people": [{"id": "p1", "available": [[540, 1080]], "busy": [[600, 690]]}, {"id": "p2"}, {"id": "p3"}],
    "meetings": [{"id": "m1", "people": ["p1", "p2"], "value": 1.0,
                  "fixed": {"start": 560, "table": "T2"}, "previous": {"start": 580, "table": "T1"}},
                 {"id": "m2", "people": ["p2", "p3"]},
                 {"id": "m3", "people": ["p1", "p3"], "value": 2}],
}


def doc() -> dict:
    return copy.deepcopy(BASE)


def test_the_example_parses():
    placement = parse_placement(doc())
    assert [m.id for m in placement.meetings] == ["m1", "m2", "m3"]
    assert placement.meetings[0].fixed.table == "T2" and placement.meetings[2].value == 2
    assert placement.grid.num_slots == 10 + 12


def set_path(d, path, value):
    *head, last = path
    for key in head:
        d = d[key]
    if value is KeyError:
        del d[last]
    else:
        d[last] = value


INVALID = [
    (("format",), "meeting-placement/2", "format: expected 'meeting-placement/1'"),
    (("slot_length",), 0, "slot_length: must be > 0"),
    (("slot_length",), "20", "slot_length: expected a finite number"),
    (("slot_length",), KeyError, "slot_length: expected a finite number, got null"),
    (("buffer",), -5, "buffer: must be >= 0"),
    (("sessions", 1, "start"), 700, "sessions[1] (id 'j1-aprem'): overlaps sessions[0] (id 'j1-matin')"),
    (("sessions", 1, "end"), 800, "sessions[1]: ends (800) before it starts (840)"),
    (("sessions", 1, "id"), "j1-matin", "sessions[1].id: duplicate session id 'j1-matin'"),
    (("sessions", 0, "max_per_person"), -1, "sessions[0].max_per_person: must be >= 0"),
    (("sessions", 0, "max_per_person"), 1.5, "sessions[0].max_per_person: expected an integer"),
    (("tables", 1), "T1", "tables[1]: duplicate table 'T1'"),
    (("tables", 0), "", "tables[0]: expected a non-empty string"),
    (("people", 2, "id"), "p1", "people[2].id: duplicate person id 'p1'"),
    (("people", 0, "busy", 0), [690, 600], "people[0].busy[0]: busy interval ends (600) before it starts (690)"),
    (("people", 0, "available", 0), [540], "people[0].available[0]: expected [start, end]"),
    (("people", 0, "busy", 0, 1), float("nan"), "people[0].busy[0][1]: expected a finite number"),
    (("people", 1, "colour"), "red", "people[1]: unknown field 'colour'"),
    (("meetings", 2, "people", 1), "p9", "meetings[2].people[1]: unknown person 'p9'"),
    (("meetings", 2, "people", 1), "p1", "meetings[2].people[1]: person 'p1' is twice in meeting 'm3'"),
    (("meetings", 1, "people"), ["p2"], "meetings[1].people: meeting 'm2' needs at least 2 distinct people, has 1"),
    (("meetings", 1, "id"), "m1", "meetings[1].id: duplicate meeting id 'm1'"),
    (("meetings", 1, "value"), 0, "meetings[1].value: must be > 0"),
    (("meetings", 1, "value"), -2, "meetings[1].value: must be > 0"),
    (("meetings", 0, "fixed", "table"), "T9", "meetings[0].fixed.table: unknown table 'T9'"),
    (("meetings", 0, "fixed", "start"), 565, "meetings[0].fixed.start: 565 is not the start of a slot"),
    (("meetings", 0, "fixed", "start"), 740, "meetings[0].fixed.start: 740 is not the start of a slot"),
    (("meetings", 0, "fixed", "start"), 600, "meetings[0].fixed: person 'p1' may not meet at 600-620"),
    (("meetings", 0, "fixed", "start"), 580, "meetings[0].fixed: person 'p1' may not meet at 580-600"),
    (("meetings", 0, "previous", "start"), "later", "meetings[0].previous.start: expected a finite number"),
]


@pytest.mark.parametrize(("path", "value", "message"), INVALID, ids=[m for _, _, m in INVALID])
def test_invalid_documents_name_the_entry(path, value, message):
    d = doc()
    set_path(d, path, value)
    with pytest.raises(InvalidDocument) as exc:
        parse_placement(d)
    assert message in str(exc.value)


def test_fixed_meetings_that_clash_are_refused():
    d = doc()
    d["people"].append({"id": "p4"})
    d["meetings"].append({"id": "m4", "people": ["p3", "p4"], "fixed": {"start": 560, "table": "T2"}})
    with pytest.raises(InvalidDocument, match=r"meetings\[3\].fixed: table 'T2' at 560-580 is already taken by "
                                              r"meeting 'm1'"):
        parse_placement(d)
    d["meetings"][1]["fixed"] = {"start": 560, "table": "T1"}  # p2 is in m1 then
    with pytest.raises(InvalidDocument, match=r"meetings\[1\].fixed: person 'p2' is already in meeting 'm1'"):
        parse_placement(d)
    d = doc()
    d["sessions"][0]["max_per_person"] = 1
    d["meetings"][2]["fixed"] = {"start": 700, "table": "T1"}  # p1's second fixed meeting of the morning
    with pytest.raises(InvalidDocument, match=r"meetings\[2\].fixed: person 'p1' would have 2 fixed meetings in "
                                              r"session 'j1-matin', max_per_person is 1"):
        parse_placement(d)


def test_a_previous_placement_that_no_longer_fits_is_a_wish_not_an_error():
    d = doc()
    d["meetings"][1]["previous"] = {"start": 565, "table": "T-removed"}
    placement = parse_placement(d)
    assert placement.grid.previous[1] is None and placement.grid.previous_table[1] is None


def test_overlapping_available_windows_are_merged():
    d = doc()
    d["people"][1]["available"] = [[600, 700], [540, 600], [650, 760]]
    assert parse_placement(d).people[1].available == ((540, 760),)


def write(tmp_path, content, name="doc.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_places_and_checks(tmp_path, capsys):
    source, output = write(tmp_path, doc()), str(tmp_path / "out.json")
    code, out, err = run(["meetings", "place", source, "-o", output, "--time-limit", "5"], capsys)
    assert code == 0, err
    assert out.startswith("placed 3 of 3 (0 without a common free slot), value 4, bound 4, ")
    assert json.loads((tmp_path / "out.json").read_text())["stats"]["status"] == "optimal"
    code, out, err = run(["meetings", "check", source, output], capsys)
    assert (code, out) == (0, "placed 3 of 3, value 4, feasible\n")


def test_cli_check_exits_1_on_an_infeasible_placement(tmp_path, capsys):
    source = write(tmp_path, doc())
    bad = {"format": "meeting-placement-solution/1",
           "placed": [{"meeting": "m1", "start": 560, "table": "T2"}, {"meeting": "m3", "start": 600, "table": "T1"}],
           "unplaced": [{"meeting": "m2", "reason": "no_table"}]}
    code, out, _ = run(["meetings", "check", source, write(tmp_path, bad, "bad.json")], capsys)
    assert code == 1
    assert "infeasible [unavailable]" in out and "infeasible [reason]" in out and "INFEASIBLE (2 violations)" in out


@pytest.mark.parametrize("path,value,message", INVALID[:6] + INVALID[17:19] + INVALID[25:27])
def test_cli_exits_2_on_invalid_documents(tmp_path, capsys, path, value, message):
    d = doc()
    set_path(d, path, value)
    code, out, err = run(["meetings", "place", write(tmp_path, d), "-o", str(tmp_path / "o.json")], capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("args,message", [
    (["meetings"], "choose a meetings command"),
    (["meetings", "plan", "x"], "invalid choice: 'plan'"),
    (["meetings", "place", "DOC"], "the following arguments are required: -o/--output"),
    (["meetings", "place", "DOC", "-o", "OUT", "--time-limit", "-3"], "must be a positive number of seconds"),
    (["meetings", "place", "DOC", "-o", "OUT", "--time-limit", "soon"], "expected a number of seconds"),
    (["meetings", "place", "DOC", "-o", "OUT", "--threads", "0"], "must be >= 1"),
    (["meetings", "place", "DOC", "-o", "OUT", "--seed", "x"], "expected an integer"),
    (["meetings", "place", "missing.json", "-o", "OUT"], "missing.json: no such file"),
    (["meetings", "place", "DOC", "-o", "no/such/dir/out.json"], "does not exist"),
    (["meetings", "check", "DOC"], "the following arguments are required: solution"),
    (["meetings", "check", "DOC", "NOTJSON"], "not valid JSON"),
    (["meetings", "check", "DOC", "WRONG"], "solution.placed[0].start: expected a finite number"),
])
def test_cli_exits_2_on_bad_arguments(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, doc(), "DOC")
    write(tmp_path, "{not json", "NOTJSON")
    write(tmp_path, {"format": "meeting-placement-solution/1", "placed": [{"meeting": "m1", "table": "T1"}]}, "WRONG")
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_the_routing_commands_still_parse(capsys):
    code, _, err = run(["bound"], capsys)
    assert code == 2 and "the following arguments are required: problem" in err
    code, _, err = run([], capsys)
    assert code == 2 and "choose a command: solve, check, bound or meetings" in err
