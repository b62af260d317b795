"""The RGAA grid in docs/accessibility.md, and the figures the statement computes from it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.accessibility.grid import RGAA_CRITERIA, GridError, load, parse

GRID = Path(__file__).resolve().parents[2] / "docs" / "accessibility.md"


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\|\s*\d+\.\d+\s*\|", line)]


def test_the_grid_holds_the_106_criteria_of_rgaa_41_each_once_with_a_valid_status():
    text = GRID.read_text(encoding="utf-8")
    rows = _rows(text)
    numbers = [row.split("|")[1].strip() for row in rows]
    statuses = [row.split("|")[4].strip() for row in rows]
    assert len(numbers) == 106 and len(set(numbers)) == 106
    assert numbers[0] == "1.1" and numbers[-1] == "13.12"
    assert tuple(numbers) == RGAA_CRITERIA
    assert set(statuses) <= {"C", "NC", "NA"}
    grid = load(GRID)
    assert len(grid.criteria) == 106
    assert grid.num_conforming + grid.num_not_conforming + grid.num_not_applicable == 106
    assert all(c.note_fr and c.note_en for c in grid.criteria)


def test_the_rate_is_the_criteria_met_over_the_applicable_ones_and_sets_the_level():
    text = GRID.read_text(encoding="utf-8")
    grid = parse(text)
    rows = _rows(text)
    met = sum(1 for row in rows if row.split("|")[4].strip() == "C")
    failed = sum(1 for row in rows if row.split("|")[4].strip() == "NC")
    assert grid.num_conforming == met and grid.num_not_conforming == failed
    assert float(grid.rate) == pytest.approx(100 * met / (met + failed), abs=0.05)
    assert grid.level == ("total" if failed == 0 else "partial" if 100 * met / (met + failed) >= 50 else "none")


def _with_statuses(statuses: dict[str, str]) -> str:
    text = GRID.read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        cells = line.split("|")
        if _rows(line) and cells[1].strip() in statuses:
            cells[4] = f" {statuses[cells[1].strip()]} "
            line = "|".join(cells)
        out.append(line)
    return "\n".join(out)


def test_the_level_follows_the_rgaa_rule():
    every_c = {n: "C" for n in RGAA_CRITERIA}
    assert parse(_with_statuses(every_c)).level == "total"
    assert parse(_with_statuses(every_c)).rate == 100
    half = {n: ("NC" if i % 2 else "C") for i, n in enumerate(RGAA_CRITERIA)}  # 53 C, 53 NC
    assert parse(_with_statuses(half)).rate == 50 and parse(_with_statuses(half)).level == "partial"
    mostly_nc = {n: ("C" if i < 10 else "NC") for i, n in enumerate(RGAA_CRITERIA)}
    assert parse(_with_statuses(mostly_nc)).level == "none"


@pytest.mark.parametrize("change, problem", [
    (lambda t: t.replace("| 4.13 |", "| 4.14 |"), "missing: 4.13"),
    (lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("| 12.7 |")), "missing: 12.7"),
    (lambda t: t.replace("| 7.4 | Changement de contexte à l'initiative de l'utilisateur | Change of context on request | C |",
                         "| 7.4 | Changement de contexte à l'initiative de l'utilisateur | Change of context on request | OK |"),
     "status 'OK'"),
    (lambda t: t.replace("evaluated: ", "evaluated on: "), "date of evaluation"),
])
def test_a_grid_that_is_not_complete_and_valid_is_refused(change, problem):
    with pytest.raises(GridError, match=problem):
        parse(change(GRID.read_text(encoding="utf-8")))
