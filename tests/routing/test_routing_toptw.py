"""The public TOPTW benchmark: reference routes pass check; the solver comes close to the BKS."""

from __future__ import annotations

import csv

import pytest

from routing import objective, parse_problem, solve, violations
from routing.bench import main as bench_main
from routing.problem import parse_solution
from routing import toptw
from routing.toptw import read_instance, to_document, truncated_matrix


def test_reference_routes_pass_check_with_their_scores(toptw_dir):
    with open(toptw_dir / "reference_solutions" / "righini_salani_m1_routes.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 58
    cache = {}
    for row in rows:
        inst = row["instance"]
        if inst not in cache:
            cache[inst] = parse_problem(to_document(toptw_dir / "instances" / "c_r_rc_100_100" / f"{inst}.txt", 1))
        problem = cache[inst]
        visits = [{"stand": s, "start": float(t)} for s, t in
                  zip(row["route_node_ids"].split(), row["service_start_times_reported"].split())]
        doc = {"format": "visit-routing-solution/1", "objective": float(row["score"]),
               "tours": [{"visitor": "v0", "tour": 0, "visits": visits}]}
        sol = parse_solution(doc, problem)
        assert violations(problem, sol) == [], (inst, row["rs_run"])
        assert objective(problem, sol) == float(row["score"])


def test_truncation_and_parsing_quirks(toptw_dir):
    nodes, dec = read_instance(toptw_dir / "instances" / "c_r_rc_200_100" / "c204.txt")
    assert len(nodes) == 101 and dec == 1
    nodes, dec = read_instance(toptw_dir / "instances" / "pr01_10" / "pr01.txt")  # CRLF
    assert len(nodes) == 49 and dec == 2
    m = truncated_matrix(nodes, dec)
    assert all(abs(x * 100 - round(x * 100)) < 1e-6 for row in m for x in row)
    nodes, dec = read_instance(toptw_dir / "instances" / "c_r_rc_100_100" / "c101.txt")
    assert truncated_matrix(nodes, dec)[0][1] == 18.6  # hypot(5, 18) = 18.68 -> 18.6


@pytest.mark.parametrize("set_name,inst,m,bks", [
    ("c_r_rc_100_100", "c101", 1, 320),
    ("c_r_rc_100_100", "r102", 1, 286),
    ("c_r_rc_100_100", "rc104", 1, 301),
    ("pr01_10", "pr01", 2, 502),
    ("pr11_20", "pr11", 3, 654),
])
def test_solver_close_to_best_known(toptw_dir, set_name, inst, m, bks):
    problem = parse_problem(to_document(toptw_dir / "instances" / set_name / f"{inst}.txt", m))
    res = solve(problem, time_limit=2.0, seed=0)
    assert violations(problem, res.solution) == []
    assert res.objective >= 0.9 * bks
    assert res.bound >= res.objective


def test_the_repository_carries_the_benchmark_and_an_override_is_honoured(tmp_path, monkeypatch):
    monkeypatch.delenv("MEDIANE_SHARED", raising=False)
    assert toptw.toptw_dir() == toptw.DATA_DIR
    assert (toptw.DATA_DIR / "bks.csv").exists() and (toptw.DATA_DIR / "README.md").exists()
    for set_name in toptw.SETS:  # every set the benchmark command runs by default
        assert len(list((toptw.DATA_DIR / "instances" / set_name).glob("*.txt"))) >= 10, set_name
    monkeypatch.setenv("MEDIANE_SHARED", str(tmp_path))
    assert toptw.toptw_dir() == tmp_path / "bench" / "toptw"


def test_bench_command_prints_score_bks_and_gap(toptw_dir, capsys):
    code = bench_main(["toptw", "--sets", "pr01_10", "--tours", "1", "--instances", "pr01", "--time-limit", "1"])
    out = capsys.readouterr().out
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("pr01_10"))
    score, bks = float(row.split()[3]), float(row.split()[4])
    assert bks == 308 and row.split()[-1] == "ok" and score <= bks
    assert "# average gap" in out
