"""The command line: invalid documents and arguments give one clear message and exit 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from routing.cli import main
from routing.generate import generate


def write(tmp_path, doc, name="problem.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return str(p)


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def break_doc(doc, case):
    if case == "unknown visitor in scores":
        doc["scores"].append(["nobody", "A", 1])
    elif case == "unknown stand in scores":
        doc["scores"].append(["v1", "Z9", 1])
    elif case == "unknown stand in locked":
        doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "Z9"}]
    elif case == "unknown tour in locked":
        doc["locked"] = [{"visitor": "v2", "tour": 3, "stand": "A"}]
    elif case == "overlapping tours":
        doc["visitors"][0]["tours"][1]["from"] = 50
    elif case == "negative duration":
        doc["stands"][1]["visit_duration"] = -5
    elif case == "zero duration":
        doc["stands"][1]["visit_duration"] = 0
    elif case == "missing location":
        doc["stands"][2]["location"] = "nowhere"
    elif case == "missing tour location":
        doc["visitors"][1]["tours"][0]["end"] = "sortie"
    elif case == "location missing from matrix":
        doc["travel_matrix"] = {"order": ["entree", "A", "B"], "times": [[0, 1, 2], [1, 0, 1], [2, 1, 0]]}
    elif case == "duplicate stand id":
        doc["stands"][2]["id"] = "A"
    elif case == "duplicate visitor id":
        doc["visitors"][1]["id"] = "v1"
    elif case == "malformed number":
        doc["stands"][0]["open"][0][1] = "midi"
    elif case == "malformed score":
        doc["scores"][0][2] = "beaucoup"
    elif case == "negative score":
        doc["scores"][0][2] = -1
    elif case == "overlapping open windows":
        doc["stands"][1]["open"] = [[0, 100], [50, 200]]
    elif case == "wrong format":
        doc["format"] = "visit-routing/0"
    elif case == "locked visits that cannot hold":
        doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": "A", "start": 20},
                         {"visitor": "v2", "tour": 0, "stand": "C", "start": 25}]
    elif case == "locked visits without times that cannot hold":
        doc["visitors"][1]["tours"][0]["to"] = 40
        doc["locked"] = [{"visitor": "v2", "tour": 0, "stand": s} for s in "ABC"]
    elif case == "locked over capacity":
        doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "A", "start": 20},
                         {"visitor": "v2", "tour": 0, "stand": "A", "start": 25}]
    elif case == "locked outside window":
        doc["locked"] = [{"visitor": "v1", "tour": 0, "stand": "B", "start": 55}]
    elif case == "capacity zero":
        doc["stands"][0]["capacity"] = 0
    else:
        raise AssertionError(case)
    return doc


CASES = {
    "unknown visitor in scores": "nobody",
    "unknown stand in scores": "Z9",
    "unknown stand in locked": "Z9",
    "unknown tour in locked": "locked[0]",
    "overlapping tours": "visitors[0] (id 'v1')",
    "negative duration": "stands[1] (id 'B').visit_duration",
    "zero duration": "stands[1] (id 'B').visit_duration",
    "missing location": "nowhere",
    "missing tour location": "sortie",
    "location missing from matrix": "has no entry in travel_matrix",
    "duplicate stand id": "duplicate stand id 'A'",
    "duplicate visitor id": "duplicate visitor id 'v1'",
    "malformed number": "stands[0] (id 'A').open[0][1]",
    "malformed score": "scores[0][2]",
    "negative score": "scores[0][2]",
    "overlapping open windows": "stands[1] (id 'B').open",
    "wrong format": "format",
    "locked visits that cannot hold": "locked",
    "locked over capacity": "capacity",
    "locked visits without times that cannot hold": "locked visits cannot all hold together",
    "locked outside window": "locked[0]",
    "capacity zero": "stands[0] (id 'A').capacity",
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["solve", "check"])
def test_invalid_problem_is_refused_with_a_clear_message(tmp_path, capsys, base_doc, case, command):
    prob = write(tmp_path, break_doc(base_doc, case))
    sol = write(tmp_path, {"format": "visit-routing-solution/1", "tours": []}, "sol.json")
    args = ["solve", prob, "-o", str(tmp_path / "out.json"), "--time-limit", "1"] if command == "solve" \
        else ["check", prob, sol]
    code, out, err = run_cli(args, capsys)
    if case == "locked visits without times that cannot hold" and command == "check":
        assert code == 1  # a valid question with an infeasible answer: the empty plan misses them
        return
    assert code == 2, (out, err)
    assert CASES[case] in err
    assert err.startswith("error: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("text,needle", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected an object"),
    ('{"format": "visit-routing/1", "stands": [{"id": "A"}]}', "stands[0] (id 'A').location"),
])
def test_unparseable_problem(tmp_path, capsys, text, needle):
    code, out, err = run_cli(["check", write(tmp_path, text), write(tmp_path, "{}", "s.json")], capsys)
    assert code == 2 and needle in err


def test_missing_file(tmp_path, capsys):
    code, _, err = run_cli(["check", str(tmp_path / "absent.json"), str(tmp_path / "s.json")], capsys)
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("solution,needle", [
    ({"format": "visit-routing-solution/1", "tours": [{"visitor": "ghost", "tour": 0, "visits": []}]}, "ghost"),
    ({"format": "visit-routing-solution/1", "tours": [{"visitor": "v1", "tour": 0,
                                                       "visits": [{"stand": "Z", "start": 1}]}]}, "Z"),
    ({"format": "visit-routing-solution/1", "tours": [{"visitor": "v2", "tour": 1, "visits": []}]}, "no tour 1"),
    ({"format": "visit-routing-solution/1", "tours": [{"visitor": "v1", "tour": 0,
                                                       "visits": [{"stand": "A", "start": "10h"}]}]},
     "tours[0].visits[0].start"),
    ({"format": "other", "tours": []}, "format"),
])
def test_invalid_solution_document(tmp_path, capsys, base_doc, solution, needle):
    code, _, err = run_cli(["check", write(tmp_path, base_doc), write(tmp_path, solution, "s.json")], capsys)
    assert code == 2 and needle in err


@pytest.mark.parametrize("args,needle", [
    ([], "choose a command"),
    (["plan"], "invalid choice"),
    (["solve", "p.json", "--time-limit", "5"], "-o/--output"),
    (["solve", "p.json", "-o", "s.json"], "--time-limit"),
    (["solve", "p.json", "-o", "s.json", "--time-limit", "-3"], "positive"),
    (["solve", "p.json", "-o", "s.json", "--time-limit", "abc"], "number of seconds"),
    (["solve", "p.json", "-o", "s.json", "--time-limit", "1", "--threads", "0"], "must be >= 1"),
    (["solve", "p.json", "-o", "s.json", "--time-limit", "1", "--seed", "x"], "integer"),
    (["check", "p.json"], "required"),
    (["solve", "p.json", "-o", "s.json", "--time-limit", "1", "--save-every", "0"], "positive"),
])
def test_bad_arguments(capsys, args, needle):
    code, _, err = run_cli(args, capsys)
    assert code == 2 and needle in err and "Traceback" not in err


def test_solve_then_check_through_subprocess(tmp_path, base_doc):
    prob = write(tmp_path, base_doc)
    out = tmp_path / "sol.json"
    r = subprocess.run([sys.executable, "-m", "routing", "solve", prob, "-o", str(out), "--time-limit", "2"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "objective" in r.stdout and "visits" in r.stdout and "seconds" in r.stdout
    doc = json.loads(out.read_text())
    assert doc["format"] == "visit-routing-solution/1" and doc["stats"]["bound"] >= doc["objective"]
    assert doc["stats"]["status"] in ("feasible", "optimal") and doc["stats"]["seed"] == 0
    r = subprocess.run([sys.executable, "-m", "routing", "check", prob, str(out)], capture_output=True, text=True)
    assert r.returncode == 0 and f"objective {doc['objective']:g}" in r.stdout
    r = subprocess.run([sys.executable, "-m", "routing", "solve", str(tmp_path / "nope.json"), "-o", str(out),
                        "--time-limit", "1"], capture_output=True, text=True)
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_check_reports_infeasible_with_exit_1(tmp_path, capsys, base_doc):
    sol = {"format": "visit-routing-solution/1", "tours": [
        {"visitor": "v1", "tour": 0, "visits": [{"stand": "A", "start": 1}]}]}
    code, out, _ = run_cli(["check", write(tmp_path, base_doc), write(tmp_path, sol, "s.json")], capsys)
    assert code == 1 and "[timing]" in out


def test_a_killed_solve_leaves_the_best_plan_it_saved(tmp_path):
    # --save-every writes the best plan so far to the output as the search goes: killed half way
    # (kill -9, no clean-up), the run leaves a whole document that `check` accepts.
    prob = write(tmp_path, generate("small", seed=2))
    out = tmp_path / "sol.json"
    errors = tmp_path / "stderr.txt"
    with open(errors, "wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "routing", "solve", prob, "-o", str(out), "--time-limit",
                                 "120", "--save-every", "0.5"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        saves = set()
        while len(saves) < 2 and time.monotonic() < deadline and proc.poll() is None:
            if out.exists():
                saves.add(os.stat(out).st_mtime_ns)
            time.sleep(0.05)
        assert len(saves) >= 2, errors.read_text() if proc.poll() is not None else "no second save within 60 s"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    doc = json.loads(out.read_text())
    assert doc["stats"]["status"] == "searching" and doc["objective"] > 0
    r = subprocess.run([sys.executable, "-m", "routing", "check", prob, str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"objective {doc['objective']:g}" in r.stdout
