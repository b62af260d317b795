"""Reading attendee files: encodings, delimiters, XLSX, and every bad row with its line and column (R6, R9)."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.extensions import db
from app.registrations import exporting
from app.registrations.imports import services as import_services
from app.registrations.imports.parsing import FileProblem, parse
from app.registrations.imports.services import ImportRefused, check_file, edition_rules
from app.registrations.models import Mandate, Registration, RegistrationStatus
from app.registrations.services import RegistrationError
from tests.registrations.imports.import_files import (
    GOOD_ROWS,
    HEADER_EN,
    HEADER_FR,
    csv_bytes,
    register_quietly,
    xlsx_bytes,
)


def rows_of(check):
    return [(r.line, r.data, r.status, r.delegation) for r in check.new_rows]


def errors_of(check):
    return [(e.line, e.column, e.code) for e in check.parsed.errors]


def bad(event, row_changes: dict, *, base: int = 4) -> list[tuple[int, str, str]]:
    """The errors of a file whose row at index `base` of GOOD_ROWS has some cells changed (by column index)."""
    rows = [list(r) for r in GOOD_ROWS]
    for index, value in row_changes.items():
        rows[base][index] = value
    return errors_of(check_file(event, csv_bytes(rows), "bad.csv"))


def test_cp1252_semicolon_and_utf8_bom_comma_give_the_same_rows(event):
    windows = csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1252", header=HEADER_FR)
    utf8 = csv_bytes(GOOD_ROWS, delimiter=",", encoding="utf-8-sig")
    assert windows.count(b";") > 10 and not windows.startswith(b"\xef\xbb\xbf")
    from_windows, from_utf8 = check_file(event, windows, "a.csv"), check_file(event, utf8, "b.csv")
    assert errors_of(from_windows) == errors_of(from_utf8) == []
    assert rows_of(from_windows) == rows_of(from_utf8)
    names = [(r.data.first_name, r.data.last_name) for r in from_windows.new_rows]
    assert names == [("Hélène", "Dupré"), ("François", "Lefèvre"), ("Geneviève", "Côté"), ("Inès", "Benali"),
                     ("Noël", "Garçon")]


def test_values_are_understood_in_french_and_english(event):
    rows = {r.data.email: r for r in check_file(event, csv_bytes(GOOD_ROWS), "a.csv").new_rows}
    helene = rows["hélène.dupré@nevers.fr"]
    assert helene.line == 2 and helene.data.category == CategoryCode.ELU and helene.data.mandate == Mandate.MAIRE
    assert helene.data.theme_codes == ["mobilite", "sante"] and helene.data.days == event.days
    assert helene.delegation == "Ville de Nevers" and helene.status == RegistrationStatus.CONFIRMED
    assert rows["francois.lefevre@nevers.fr"].data.mandate == Mandate.MAIRE_ADJOINT
    genevieve = rows["genevieve.cote@trois-rivieres.ca"]
    assert genevieve.data.country == "CA" and genevieve.data.theme_codes == ["energie"]
    assert genevieve.data.days == [date(2027, 6, 2), date(2027, 6, 3)]
    assert genevieve.status == RegistrationStatus.PENDING
    ines = rows["ines@capteo.example"]
    assert ines.data.category == CategoryCode.STARTUP and ines.data.country == "BE"
    assert ines.data.organisation_name == "Captéo"
    noel = rows["noel.garcon@example.org"]
    assert noel.data.category == CategoryCode.VISITEUR and noel.data.country == "FR"
    assert noel.status == RegistrationStatus.WAITLISTED


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_delimiters_are_sniffed(event, delimiter):
    check = check_file(event, csv_bytes(GOOD_ROWS, delimiter=delimiter, encoding="utf-8"), "a.txt")
    assert len(check.new_rows) == 5 and not check.parsed.errors


def test_xlsx_with_dates_and_numbers(event):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][10] = datetime(2027, 6, 3)  # a date cell, as a spreadsheet stores it
    rows[4][5] = 42  # a number where text is expected
    check = check_file(event, xlsx_bytes(rows, header=HEADER_FR), "liste.xlsx")
    assert errors_of(check) == []
    by_email = {r.data.email: r.data for r in check.new_rows}
    assert by_email["francois.lefevre@nevers.fr"].days == [date(2027, 6, 3)]
    assert by_email["noel.garcon@example.org"].job_title == "42"
    assert by_email["genevieve.cote@trois-rivieres.ca"].last_name == "Côté"


def test_blank_lines_are_skipped_but_counted(event):
    content = csv_bytes(GOOD_ROWS[:1]) + b",,,,,,,,,,,,,\r\n\r\nbad,Jo,X,visiteur,,,,,,,,,,\r\n"
    assert errors_of(check_file(event, content, "a.csv")) == [(5, "email", "bad_email")]


@pytest.mark.parametrize(("content", "filename", "code"), [
    (b"", "empty.csv", "empty"),
    (b"  \r\n\r\n", "blank.csv", "empty"),
    (b"email,first_name,last_name,category\r\n", "header.csv", "no_rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "photo.csv", "binary_file"),
    (bytes(range(1, 32)) * 20, "garbage.csv", "binary_file"),
    (b"PK\x03\x04 not really a zip", "fake.xlsx", "broken_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "binary_file"),
    (b"nom;prenom;ville\r\nDupont;Jean;Nevers\r\n", "wrong.csv", "missing_columns"),
    (b"email,courriel,first_name,last_name,category\r\na@b.fr,a@b.fr,A,B,visiteur\r\n", "twice.csv",
     "duplicate_column"),
])
def test_unreadable_files_are_refused_as_a_whole(event, content, filename, code):
    with pytest.raises(FileProblem) as refused:
        check_file(event, content, filename)
    assert refused.value.code == code


def test_missing_columns_are_named(event):
    with pytest.raises(FileProblem) as refused:
        check_file(event, b"E-mail;Nom;Ville\r\na@b.fr;Dupont;Nevers\r\n", "wrong.csv")
    assert refused.value.params["missing"] == ["first_name", "category"]


def test_size_and_row_limits(app, event):
    big = csv_bytes([GOOD_ROWS[4]]) + b"x" * 200
    app.config["IMPORT_MAX_BYTES"] = len(big) - 1
    try:
        with pytest.raises(FileProblem) as refused:
            check_file(event, big, "big.csv")
        assert refused.value.code == "too_large"
    finally:
        app.config.pop("IMPORT_MAX_BYTES")
    rows = [[f"p{i}@example.org", "A", "B", "visiteur"] + [""] * 10 for i in range(4)]
    app.config["IMPORT_MAX_ROWS"], previous = 3, app.config["IMPORT_MAX_ROWS"]
    try:
        with pytest.raises(FileProblem) as refused:
            check_file(event, csv_bytes(rows), "many.csv")
        assert refused.value.code == "too_many_rows"
        assert len(check_file(event, csv_bytes(rows[:3]), "ok.csv").new_rows) == 3
    finally:
        app.config["IMPORT_MAX_ROWS"] = previous


@pytest.mark.parametrize(("changes", "expected"), [
    ({3: "Martien"}, [(6, "category", "unknown_category")]),
    ({0: "noel.garcon@@example"}, [(6, "email", "bad_email")]),
    ({0: ""}, [(6, "email", "required")]),
    ({1: ""}, [(6, "first_name", "required")]),
    ({10: "2027-06-09"}, [(6, "days", "day_outside")]),
    ({10: "le 2 juin"}, [(6, "days", "bad_day"), (6, "days", "bad_day"), (6, "days", "bad_day")]),
    ({9: "mobilite|astronomie"}, [(6, "themes", "unknown_theme")]),
    ({6: "XX"}, [(6, "country", "unknown_country")]),
    ({6: "Atlantide"}, [(6, "country", "unknown_country")]),
    ({12: "annulé"}, [(6, "status", "unknown_status")]),
    ({3: "elu"}, [(6, "mandate", "mandate_required"), (6, "territory", "territory_required")]),
    ({3: "elu", 7: "Empereur", 8: "Nevers"}, [(6, "mandate", "unknown_mandate")]),
    ({3: "startup"}, [(6, "organisation", "organisation_required"), (6, "pitch", "pitch_required")]),
])
def test_bad_rows_are_reported_with_line_and_column(event, changes, expected):
    assert bad(event, changes) == expected


def test_the_same_email_twice_is_reported_on_the_second_line(event):
    rows = [list(r) for r in GOOD_ROWS] + [["Noel.Garcon@example.org", "Noël", "Garçon", "visiteur"] + [""] * 10]
    check = check_file(event, csv_bytes(rows), "twice.csv")
    assert errors_of(check) == [(7, "email", "email_twice")]
    assert check.parsed.errors[0].params["first_line"] == 6


def test_columns_are_reported_as_written_in_the_file(event):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][3] = "Cosmonaute"
    check = check_file(event, csv_bytes(rows, delimiter=";", encoding="cp1252", header=HEADER_FR), "fr.csv")
    assert errors_of(check) == [(2, "Catégorie", "unknown_category")]


def test_a_closed_category_is_reported(event, db):
    event.category("presse").is_open = False
    db.session.commit()
    assert bad(event, {3: "Presse"}) == [(6, "category", "category_closed")]


def test_already_registered_people_are_sorted_apart(event):
    register_quietly(event, "Noel.Garcon@example.org")
    check = check_file(event, csv_bytes(GOOD_ROWS), "a.csv")
    assert len(check.new_rows) == 4
    assert [(row.data.email, status) for row, status in check.existing] == [
        ("noel.garcon@example.org", RegistrationStatus.CONFIRMED)]


def test_an_export_of_one_edition_imports_into_another(app, event, make_event):
    """The back office's safe export (S11: '+33... quoted) reads back unchanged, labels and all."""
    register_quietly(event, "a@example.org", phone="+33 6 12 34 56 78", first_name="Zoé", last_name="Pétillon",
                     theme_codes=["sante"], days=event.days[:2], consent_directory=True)
    register_quietly(event, "b@example.org", category=CategoryCode.ELU, mandate=Mandate.MAIRE_ADJOINT,
                     territory="Nevers")
    registrations = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    with app.test_request_context():
        exported = exporting.to_csv(registrations)
    assert b"'+33 6" in exported
    other = make_event(slug="sommet-2028", starts_on=event.starts_on, ends_on=event.ends_on)
    check = check_file(other, exported, "export.csv")
    assert errors_of(check) == []
    zoe, elu = (row.data for row in check.new_rows)
    assert (zoe.first_name, zoe.last_name, zoe.phone, zoe.theme_codes, zoe.days, zoe.consent_directory) == (
        "Zoé", "Pétillon", "+33 6 12 34 56 78", ["sante"], event.days[:2], True)
    assert (elu.category, elu.mandate, elu.territory) == (CategoryCode.ELU, Mandate.MAIRE_ADJOINT, "Nevers")


def test_a_refusal_by_register_is_worded_like_a_bad_row(event, monkeypatch):
    """A race (someone registers the person between the check and the import) fails the row cleanly."""
    calls = []

    def refuse_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise RegistrationError("duplicate", "email", email="x")
        return real_register(*args, **kwargs)

    real_register = import_services.register
    monkeypatch.setattr(import_services, "register", refuse_the_third)
    with pytest.raises(ImportRefused) as refused:
        import_services.run_import(event, csv_bytes(GOOD_ROWS), "a.csv", actor_id=None, notify=False)
    db.session.rollback()
    assert [(e.line, e.column, e.code) for e in refused.value.errors] == [(4, "email", "registered_meanwhile")]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
    st.text(alphabet=st.sampled_from(list("ab@.;,\t\"'\r\n|éÉ-0123 ")), max_size=300).map(
        lambda t: ("email;first_name;last_name;category;days;themes;country\r\n" + t).encode("cp1252")),
))
def test_no_input_crashes_the_parser(event, content):
    rules = edition_rules(event)
    try:
        parsed = parse(content, "fuzz.csv", rules)
    except FileProblem as problem:
        assert problem.code in {"empty", "no_rows", "binary_file", "broken_xlsx", "nul_byte", "bad_encoding",
                                "bad_csv", "missing_columns", "duplicate_column", "too_large", "too_many_rows"}
    else:
        assert all(error.line >= 2 for error in parsed.errors)


def test_blank_rows_do_not_count_against_the_row_limit(app, event):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER_EN)
    sheet.append(GOOD_ROWS[4])
    for line in range(3, 60):  # rows a spreadsheet keeps because someone formatted them
        sheet.cell(row=line, column=1).number_format = "@"
        sheet.cell(row=line, column=2, value="")
    buffer = io.BytesIO()
    workbook.save(buffer)
    previous, app.config["IMPORT_MAX_ROWS"] = app.config["IMPORT_MAX_ROWS"], 2
    try:
        assert len(check_file(event, buffer.getvalue(), "formatted.xlsx").new_rows) == 1
        assert len(check_file(event, csv_bytes(GOOD_ROWS[:2]) + b",,,\r\n" * 50, "a.csv").new_rows) == 2
    finally:
        app.config["IMPORT_MAX_ROWS"] = previous


def test_written_titles_give_the_mandate_and_are_kept_as_the_printed_title(event):
    header = [*HEADER_EN, "mandate_title"]
    rows = [["claire@namur.be", "Claire", "Dubois", "élue", "", "", "Belgique", "Échevine", "Namur", "", "", "", "",
             "", ""],
            ["awa@thies.sn", "Awa", "Ndiaye", "élue", "", "", "Sénégal", "Mairesse", "Thiès", "", "", "", "", "", ""],
            ["marc@region.ci", "Marc", "Kouassi", "élu", "", "", "Côte d'Ivoire", "Gouverneur", "Abidjan", "", "",
             "", "", "", "Gouverneur du district autonome"],
            ["paul@nevers.fr", "Paul", "Martin", "élu", "", "", "France", "conseiller_municipal", "Nevers", "", "",
             "", "", "", ""]]
    check = check_file(event, csv_bytes(rows, header=header), "titres.csv")
    assert errors_of(check) == []
    found = [(r.data.mandate, r.data.mandate_title) for r in check.new_rows]
    assert found == [(Mandate.ECHEVIN, "Échevine"), (Mandate.MAIRE, "Mairesse"),
                     (Mandate.GOUVERNEUR, "Gouverneur du district autonome"), (Mandate.CONSEILLER_MUNICIPAL, "")]
