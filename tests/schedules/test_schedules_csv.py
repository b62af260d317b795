"""Program CSV: UTF-8 with BOM, local times, formulas neutralised (S11)."""
from __future__ import annotations

import csv
import io

import pytest
from schedules_builders import ADA, LYON, MONTREAL, PARIS, QUEBEC, ROOMS, at, session

from schedules import program_csv
from schedules.csv_export import safe_cell


def rows(data: bytes, delimiter=","):
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_one_row_per_session_in_local_time():
    sessions = [session(2, at(PARIS, 2027, 6, 2, 14), at(PARIS, 2027, 6, 2, 15, 30), room_id=2, kind="atelier",
                        seat_limit=20, speakers=(ADA,), themes=("mobilité", "climat"), title_fr="Vélo & ville"),
                session(1, at(PARIS, 2027, 6, 2, 9), at(PARIS, 2027, 6, 2, 10), cancelled=True, room_id=None)]
    header, first, second = rows(program_csv(LYON, ROOMS, sessions, "fr"))
    assert header == ["date", "début", "fin", "salle", "format", "titre", "intervenant·es", "thèmes", "places", "statut"]
    assert first == ["2027-06-02", "09:00", "10:00", "", "Conférence", "Séance 1", "", "", "", "annulée"]
    assert second == ["2027-06-02", "14:00", "15:30", "Atelier B", "Atelier", "Vélo & ville",
                      "Ada Lovelace (Ville de Lyon)", "mobilité, climat", "20", "programmée"]


def test_english_and_quebec_time_and_semicolons():
    sessions = [session(1, at(MONTREAL, 2027, 11, 7, 10), at(MONTREAL, 2027, 11, 7, 11))]
    header, row = rows(program_csv(QUEBEC, ROOMS, sessions, "en", delimiter=";"), delimiter=";")
    assert header[0:3] == ["date", "start", "end"]
    assert row[:6] == ["2027-11-07", "10:00", "11:00", "Salle Rhône", "Talk", "Session 1"]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text):
    assert safe_cell(text) == "'" + text
    [_, row] = rows(program_csv(LYON, ROOMS, [session(1, at(PARIS, 2027, 6, 2, 9), at(PARIS, 2027, 6, 2, 10), title_fr=text)], "fr"))
    assert row[5] == "'" + text


def test_plain_cells_are_left_alone():
    assert safe_cell("Atelier = fun") == "Atelier = fun" and safe_cell("") == ""
