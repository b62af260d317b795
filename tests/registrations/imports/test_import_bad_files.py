"""Files that are not clean CSV or XLSX: each refusal says what is wrong and on which line (R6, R9, issue 24)."""
from __future__ import annotations

import io
import zipfile

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.people.models import Person
from app.registrations.imports import tables
from app.registrations.imports.messages import cleaned_lines_text, file_problem_text
from app.registrations.imports.models import ImportBatch
from app.registrations.imports.parsing import FileProblem
from app.registrations.imports.services import check_file, run_import
from app.registrations.models import Registration
from tests.conftest import login
from tests.registrations.imports.import_files import GOOD_ROWS, HEADER_FR, csv_bytes, xlsx_bytes

HEADER = b"email,first_name,last_name,category\r\n"


def refused(event, content: bytes, filename: str = "liste.csv") -> FileProblem:
    with pytest.raises(FileProblem) as problem:
        check_file(event, content, filename)
    return problem.value


def texts(app, problem) -> tuple[str, str]:
    with app.test_request_context():
        with force_locale("en"):
            english = file_problem_text(problem)
        with force_locale("fr"):
            french = file_problem_text(problem)
    return english, french


def rows_of(check):
    return [(r.line, r.data.email, r.data.first_name, r.data.last_name, r.data.organisation_name)
            for r in check.new_rows]


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def rewritten_xlsx(change) -> bytes:
    """A real workbook with one of its parts changed by `change(name, data) -> data`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS)))
    return zipped({name: change(name, source.read(name)) for name in source.namelist()})


# -- NUL bytes and encodings: the line at fault ---------------------------------------------------------------

def test_a_nul_byte_is_refused_with_its_line(app, event):
    content = (HEADER + b"a@example.org,Ana,Lima,visiteur\r\n"
               b"\"b@example.org\",\"Bea\nsur deux lignes\",Roy,visiteur\r\n"
               b"c@example.org,Ca\x00rl,Sun,visiteur\r\n")
    problem = refused(event, content)
    assert (problem.code, problem.params["line"]) == ("nul_byte", 4)  # a spreadsheet row, not a line of the file
    english, french = texts(app, problem)
    assert english.startswith("Line 4 holds a NUL byte, an invisible character that a CSV file never contains")
    assert french.startswith("La ligne 4 contient un octet NUL")


def test_a_utf8_file_with_a_line_in_another_encoding_is_refused_not_garbled(app, event):
    good = csv_bytes(GOOD_ROWS, encoding="utf-8")
    lines = good.split(b"\r\n")
    lines[3] = "genevieve.cote@trois-rivieres.ca,Geneviève,Côté,Décideur".encode("cp1252") + b"," * 10
    problem = refused(event, b"\r\n".join(lines))
    assert (problem.code, problem.params["encoding"], problem.params["line"]) == ("bad_encoding", "UTF-8", 4)
    english, french = texts(app, problem)
    assert english.startswith("Line 4 is not valid UTF-8 (byte 0xE8), unlike the rest of the file: the file "
                              "mixes two encodings")
    assert french.startswith("La ligne 4 n'est pas en UTF-8 valide (octet 0xE8)")


def test_a_byte_that_is_no_windows_text_is_refused_with_its_line(app, event):
    content = (HEADER + "a@example.org,Hélène,Dupré,visiteur\r\nb@example.org,Bo\x81b,Roy,visiteur\r\n"
               .encode("latin-1"))
    problem = refused(event, content)
    assert problem.params == {"encoding": "Windows-1252", "byte": "81", "line": 3}
    assert texts(app, problem)[0].startswith("Line 3 holds a byte (0x81) that is text neither in UTF-8 nor in "
                                             "Windows-1252")


def test_utf16_files_import_the_same_rows_with_or_without_a_bom(event):
    reference = rows_of(check_file(event, csv_bytes(GOOD_ROWS), "a.csv"))
    text = csv_bytes(GOOD_ROWS, delimiter="\t", encoding="utf-8").decode("utf-8")
    for content in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be")):
        assert rows_of(check_file(event, content, "unicode.txt")) == reference


def test_a_truncated_utf16_file_names_its_line(event):
    content = csv_bytes(GOOD_ROWS, encoding="utf-16")[:-5]  # half of the last character of line 6
    problem = refused(event, content)
    assert (problem.code, problem.params["encoding"], problem.params["line"]) == ("bad_encoding", "UTF-16", 6)


# -- Control characters in cells: removed, and the lines named ------------------------------------------------

def test_control_characters_are_removed_from_cells_and_their_lines_named(app, event, db):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][1] = "Fran\x07çois"                # a bell, pasted from who knows where
    rows[3][4] = "Capt\u00e9o\x0bSA"           # a line break inside a cell, as some exports write it
    rows[4][0] = "\ufeffnoel.garcon@example.org\x1a"  # a stray byte order mark and an end-of-file mark
    content = csv_bytes(rows)
    check = check_file(event, content, "a.csv")
    assert check.parsed.errors == [] and check.parsed.cleaned_lines == [3, 5, 6]
    by_line = {r.line: r.data for r in check.new_rows}
    assert by_line[3].first_name == "François" and by_line[5].organisation_name == "Captéo SA"
    assert by_line[6].email == "noel.garcon@example.org"
    with app.test_request_context(), force_locale("en"):
        assert cleaned_lines_text([3, 5, 6]).startswith("Invisible control characters were removed from lines "
                                                        "3, 5, 6")
    run_import(event, content, "a.csv", actor_id=None, notify=False)
    stored = {p.first_name for p in db.session.scalars(select(Person))}
    assert "François" in stored and not any("\x07" in name for name in stored)


def test_the_preview_and_the_command_name_the_cleaned_lines(app, client, event, make_organiser, tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][2] = "C\x1bôté"
    content = csv_bytes(rows)
    login(client, make_organiser(event))
    client.get("/lang/en")
    response = client.submit(f"/manage/e/{event.slug}/imports/", {"file": (io.BytesIO(content), "a.csv")},
                             content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "Invisible control characters were removed from line 4 (" in response.get_data(as_text=True)
    path = tmp_path / "liste.csv"
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import-attendees", str(path), "--event", event.slug, "--dry-run"])
    assert result.exit_code == 0 and "retirés de la ligne 4 (" in result.stdout


def test_workbook_cells_are_cleaned_too(event):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][1] = "Hél\x7fène\x85"  # characters an XLSX may hold (openpyxl refuses to write C0 controls)
    check = check_file(event, xlsx_bytes(rows), "liste.xlsx")
    assert check.parsed.cleaned_lines == [2] and check.new_rows[0].data.first_name == "Hélène"


# -- Files that are not CSV: named for what they are ----------------------------------------------------------

@pytest.mark.parametrize(("content", "kind", "english"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf", "This is a PDF document, not a spreadsheet."),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image", "This is an image, not a spreadsheet."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old_excel", "This is an Excel 97–2003 workbook (.xls)"),
    (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "ods",
     "This is an OpenDocument spreadsheet (.ods). In LibreOffice, save it as"),
    (zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "document",
     "This is a word-processing document"),
    (zipped({"liste.csv": csv_bytes(GOOD_ROWS)}), "archive", "This is a compressed archive, not a spreadsheet."),
    (b"\x1f\x8b\x08\x00" + bytes(40), "archive", "This is a compressed archive"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><table><tr><td>email</td></tr></table>", "html",
     "This is a web page (HTML or XML) saved under a spreadsheet's name."),
    (bytes(range(256)) * 8, "other", "This file holds binary data, not text"),
])
def test_a_file_that_is_no_spreadsheet_is_named_for_what_it_is(app, event, content, kind, english):
    problem = refused(event, content, "liste.xlsx")
    assert (problem.code, problem.params["kind"]) == ("binary_file", kind)
    assert texts(app, problem)[0].startswith(english)


def test_a_damaged_workbook_is_refused_not_a_crash(app, event):
    for part in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"):
        content = rewritten_xlsx(lambda name, data: data[:len(data) // 2] if name == part else data)  # noqa: B023
        assert refused(event, content, "liste.xlsx").code == "broken_xlsx", part
    english, french = texts(app, FileProblem("broken_xlsx"))
    assert english.startswith("This XLSX workbook cannot be opened: it is damaged or incomplete.")
    assert french.startswith("Ce classeur XLSX ne peut pas être ouvert")


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(app, event, monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1024 * 1024)
    content = rewritten_xlsx(lambda name, data: data)
    content = zipped({**{n: zipfile.ZipFile(io.BytesIO(content)).read(n) for n in
                         zipfile.ZipFile(io.BytesIO(content)).namelist()}, "xl/media/padding.bin": bytes(2 << 20)})
    assert len(content) < 100_000
    problem = refused(event, content, "liste.xlsx")
    assert problem.code == "too_large_unpacked" and problem.params == {"size_mb": 2, "max_mb": 1}
    assert texts(app, problem)[0].startswith("Once unpacked, this XLSX workbook takes 2 MB, more than the 1 MB")


def test_the_content_decides_not_the_name(event):
    assert len(check_file(event, csv_bytes(GOOD_ROWS), "liste.xlsx").new_rows) == 5
    assert len(check_file(event, xlsx_bytes(GOOD_ROWS), "liste.csv").new_rows) == 5


def test_header_problems_name_the_header_line(app, event):
    problem = refused(event, b"\r\n\r\nnom;prenom;ville\r\nDupont;Jean;Nevers\r\n")
    assert (problem.code, problem.params["line"]) == ("missing_columns", 3)
    assert texts(app, problem)[0].startswith("Required columns are missing from the header (line 3): email, "
                                             "category.")
    twice = refused(event, b"email,courriel,first_name,last_name,category\r\na@b.fr,a@b.fr,A,B,visiteur\r\n")
    assert texts(app, twice)[1].startswith("Les colonnes « courriel » et « email » de l'en-tête (ligne 1)")


def test_an_unclosed_quote_names_the_line_where_the_cell_starts(app, event):
    content = HEADER + b"a@example.org,Ana,Lima,visiteur\r\nb@example.org,\"Bea,Roy,visiteur\r\n" + b"x" * 140_000
    problem = refused(event, content)
    assert (problem.code, problem.params["line"]) == ("bad_csv", 3)
    assert texts(app, problem)[0].startswith("The CSV file cannot be read from line 3: a cell there never ends")


# -- Through the upload page: a 422 with the reason, nothing stored -------------------------------------------

def test_the_upload_page_says_what_is_wrong_and_stores_nothing(client, event, make_organiser, db):
    login(client, make_organiser(event))
    content = csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1252", header=HEADER_FR).replace(b"Lef", b"L\x00f")
    for language, text in (("en", "Line 3 holds a NUL byte"), ("fr", "La ligne 3 contient un octet NUL")):
        response = client.submit(f"/manage/e/{event.slug}/imports/", {"file": (io.BytesIO(content), "a.csv")},
                                 content_type="multipart/form-data", headers={"Accept-Language": language})
        assert response.status_code == 422 and text in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
