"""Properties of the attendee import's parser, for any input (R6, R9, issue 24).

- Any bytes, and any text in any cell under any header order, delimiter and encoding: `parse` returns or
  raises FileProblem, nothing else; a refusal that concerns part of the file names its line, and the message
  names it too, in English and in French.
- Cells never keep invisible control characters.
- A valid row, written in any of those ways, reads back as the registration it describes.
"""
from __future__ import annotations

import csv
import io
import random
import re
from datetime import date

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.events.models import CategoryCode
from app.registrations.imports.decoding import STRIPPED, UTF8_SEQUENCE
from app.registrations.imports.messages import file_problem_text, row_error_text
from app.registrations.imports.parsing import FileProblem, parse
from app.registrations.imports.services import edition_rules
from app.registrations.imports.vocabulary import (
    CATEGORY_ALIASES,
    COLUMN_ALIASES,
    FALSE_WORDS,
    HEADER_LOOKUP,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
    normalise,
)
from tests.registrations.imports.import_files import GOOD_ROWS, csv_bytes

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
#: Refusals of the whole file, with no line to name.
WHOLE_FILE = {"empty", "no_rows", "binary_file", "broken_xlsx", "too_large", "too_large_unpacked", "too_many_rows"}
#: Refusals of a part of the file: they name its line.
AT_A_LINE = {"nul_byte", "bad_encoding", "bad_csv", "missing_columns", "duplicate_column"}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "xlsx")
#: Categories that need no more than the four required columns.
SIMPLE_CATEGORIES = (CategoryCode.VISITEUR, CategoryCode.DECIDEUR, CategoryCode.ENTREPRISE, CategoryCode.PRESSE,
                     CategoryCode.INTERVENANT)


@pytest.fixture
def rules(event):
    return edition_rules(event)


def check_outcome(app, content: bytes, rules, filename: str = "any.csv"):
    """Parse `content`; assert the properties every outcome has; return the ParsedFile or the FileProblem."""
    try:
        parsed = parse(content, filename, rules)
    except FileProblem as problem:
        assert problem.code in WHOLE_FILE | AT_A_LINE, problem.code
        with app.test_request_context():
            for language in ("en", "fr"):
                with force_locale(language):
                    text = file_problem_text(problem)
                if problem.code in AT_A_LINE:
                    assert problem.params["line"] >= 1
                    assert re.search(rf"\b{problem.params['line']}\b", text), text
        return problem
    with app.test_request_context(), force_locale("en"):
        for error in parsed.errors:
            assert error.line >= 2 and row_error_text(error) != "This value is not valid.", error
    for row in parsed.rows:
        for value in vars(row.data).values():
            assert not (isinstance(value, str) and STRIPPED.search(value)), row
    return parsed


# -- Any bytes -------------------------------------------------------------------------------------------------

def damaged(content: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    data = bytearray(content)
    for position, chunk in edits:
        position %= len(data) + 1
        data[position:position] = chunk
    return bytes(data)


@FAST
@given(content=st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=400).map(lambda b: b"\xff\xfe" + b),
    st.text(alphabet=st.sampled_from(list("ab@.;,\t\"'\r\n|éÉ-0123 \x00\x07")), max_size=300).map(
        lambda t: ("email;first_name;last_name;category;days;themes;country\r\n" + t).encode("cp1252")),
    st.tuples(st.sampled_from(["utf-8-sig", "cp1252", "utf-16"]),
              st.lists(st.tuples(st.integers(0, 2_000), st.binary(min_size=1, max_size=3)), min_size=1, max_size=4)
              ).map(lambda spec: damaged(csv_bytes(GOOD_ROWS, encoding=spec[0]), spec[1])),
))
def test_any_bytes_are_parsed_or_refused_with_a_reason(app, rules, content):
    check_outcome(app, content, rules)


# -- Any text in any cell --------------------------------------------------------------------------------------

def written(header: list[str], rows: list[list[str] | None], *, delimiter: str, encoding: str, newline: str,
            quoting: int) -> bytes:
    """A file with `header` and `rows` (None: a blank line), as a spreadsheet or a tool would write it."""
    if encoding == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        for line, row in enumerate([header, *rows], start=1):
            for column, value in enumerate(row or [], start=1):
                cell = sheet.cell(row=line, column=column, value=value)
                cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would store a formula)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    def quoted(cell: str) -> str:
        # csv.writer quotes only the characters of its line terminator: a "\r" in a cell of a file with "\n"
        # line ends would go out bare and split the row, as it would for any reader.
        if quoting == csv.QUOTE_ALL or any(ch in cell for ch in (delimiter, '"', "\r", "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell
    text = "".join(delimiter.join(map(quoted, row or [])) + newline for row in [header, *rows])
    return text.encode(encoding, errors="replace" if encoding == "cp1252" else "strict")


layouts = st.fixed_dictionaries({
    "delimiter": st.sampled_from([",", ";", "\t"]),
    "encoding": st.sampled_from(ENCODINGS),
    "newline": st.sampled_from(["\r\n", "\n"]),
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
})
OPTIONAL_COLUMNS = sorted(set(COLUMN_ALIASES) - set(REQUIRED_COLUMNS))
#: The required columns (now and then one missing), some optional ones, in any order; each as one of its names.
headers = st.tuples(
    st.lists(st.sampled_from(REQUIRED_COLUMNS), min_size=3, max_size=4, unique=True),
    st.lists(st.sampled_from(OPTIONAL_COLUMNS), max_size=len(OPTIONAL_COLUMNS), unique=True),
).flatmap(lambda parts: st.permutations(parts[0] + parts[1])).flatmap(
    lambda columns: st.tuples(st.just(columns), st.lists(st.integers(0, 7), min_size=len(columns),
                                                         max_size=len(columns))))
junk = st.text(max_size=12).filter(lambda t: normalise(t) not in HEADER_LOOKUP and "\x00" not in t)
#: Any text, and text shaped like what the columns expect: numbers and dates in any digits, known words.
any_cell = st.one_of(
    st.text(max_size=30),
    st.text(st.sampled_from("0123456789 .,/-:T|²³¹١٢٣۴\u202f\xa0"), max_size=12),
    st.sampled_from(["oui", "non", "élu", "Maire", "startup", "FR", "Belgique", "2027-06-02", "02/06/2027",
                     "confirmé", "mobilite|sante", "fr", "en", "x@example.org", "X@Example.org"]),
    st.emails(),
)
no_xlsx_controls = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl cannot write these in a workbook


@st.composite
def tables(draw) -> tuple[list[str], list[list[str] | None]]:
    """A header (see `headers`, plus columns of our own) and up to six rows of any cells (None: a blank line)."""
    columns, choices = draw(headers)
    names = [COLUMN_ALIASES[c][i % len(COLUMN_ALIASES[c])] for c, i in zip(columns, choices)]
    names += draw(st.lists(junk, max_size=2))
    row = st.lists(any_cell, min_size=len(names), max_size=len(names))
    return names, draw(st.lists(st.one_of(st.none(), row), max_size=6))


@settings(FAST, max_examples=400)
@given(table=tables(), layout=layouts)
@example(table=(["email", "first_name", "last_name", "category", "population"],
                [["a@b.fr", "A", "B", "visiteur", "²"]]),
         layout={"delimiter": ",", "encoding": "utf-8", "newline": "\r\n", "quoting": csv.QUOTE_MINIMAL})
def test_any_text_in_any_cell_is_parsed_or_refused_with_a_reason(app, rules, table, layout):
    names, rows = table
    if layout["encoding"] == "xlsx":
        names = [no_xlsx_controls.sub("", name) for name in names]
        rows = [row and [no_xlsx_controls.sub("", cell) for cell in row] for row in rows]
    outcome = check_outcome(app, written(names, rows, **layout), rules)
    if isinstance(outcome, FileProblem) or not rows:
        return
    data_lines = {line for line, row in enumerate(rows, start=2) if row is not None}
    assert {error.line for error in outcome.errors} <= data_lines
    assert {row.line for row in outcome.rows} <= data_lines
    assert set(outcome.cleaned_lines) <= data_lines | {1}


# -- A valid row reads back as written -------------------------------------------------------------------------

#: Any text a person may write in a name: no control characters, no surrounding spaces, no leading
#: apostrophe before a formula sign (a safe export's mark, S11, which the import drops).
plain_text = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"),
                     min_size=1, max_size=40).map(str.strip).filter(
    lambda t: t and not re.match(r"'[=+\-@]", t))
emails = st.tuples(st.from_regex(r"[a-z0-9]([a-z0-9_-]{0,15}[a-z0-9])?", fullmatch=True),
                   st.from_regex(r"[a-z]{2,12}", fullmatch=True), st.sampled_from(["fr", "org", "com", "be"])).map(
    lambda p: f"{p[0]}@{p[1]}.{p[2]}")


def yes_no(value: bool) -> set[str]:
    return TRUE_WORDS if value else FALSE_WORDS


def mixed_case(text: str, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(ch.upper() if rng.random() < 0.3 else ch for ch in text)


@st.composite
def valid_rows(draw, days: tuple[date, ...], themes: dict[str, tuple[str, str]]):
    category = draw(st.sampled_from(SIMPLE_CATEGORIES))
    chosen_days = draw(st.lists(st.sampled_from(days), unique=True, max_size=len(days)))
    chosen_themes = draw(st.lists(st.sampled_from(sorted(themes)), unique=True, max_size=3))
    seed = draw(st.integers(0, 1000))
    expected = {
        "email": draw(emails), "first_name": draw(plain_text), "last_name": draw(plain_text), "category": category,
        "organisation_name": draw(st.one_of(st.just(""), plain_text)),
        "job_title": draw(st.one_of(st.just(""), plain_text)),
        "phone": draw(st.one_of(st.just(""), st.from_regex(r"\+?[0-9][0-9 .]{5,20}[0-9]", fullmatch=True))),
        "days": sorted(chosen_days) or list(days), "theme_codes": chosen_themes,
        "consent_directory": draw(st.booleans()), "consent_share_contact": draw(st.booleans()),
    }
    day_format = draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]))
    cells = {
        "email": mixed_case(expected["email"], seed), "first_name": expected["first_name"],
        "last_name": expected["last_name"],
        "category": mixed_case(draw(st.sampled_from(CATEGORY_ALIASES[category])), seed),
        "organisation": expected["organisation_name"], "job_title": expected["job_title"], "phone": expected["phone"],
        "days": draw(st.sampled_from([" ", " | ", ";"])).join(d.strftime(day_format) for d in chosen_days),
        "themes": "|".join(draw(st.sampled_from([code, *themes[code]])) for code in chosen_themes),
        "consent_directory": draw(st.sampled_from(sorted(yes_no(expected["consent_directory"])))),
        "consent_share_contact": draw(st.sampled_from(sorted(yes_no(expected["consent_share_contact"])))),
    }
    return expected, cells


def padded(cells: dict[str, str], width: int) -> dict[str, str]:
    """Surrounding spaces a spreadsheet keeps, which the import ignores."""
    return {column: (" " * (width % 3)) + value + (" " * (width % 2)) for column, value in cells.items()}


@FAST
@given(data=st.data(), layout=layouts, extra=st.lists(plain_text.filter(lambda t: normalise(t) not in HEADER_LOOKUP),
                                                    max_size=2), blank_before=st.lists(st.booleans()))
def test_a_valid_row_reads_back_as_written_in_any_layout(app, rules, data, layout, extra, blank_before):
    specs = data.draw(st.lists(valid_rows(rules.days, rules.themes), min_size=1, max_size=4,
                               unique_by=lambda spec: spec[0]["email"]))
    columns = data.draw(st.permutations(list(specs[0][1])))
    aliases = {c: data.draw(st.sampled_from(COLUMN_ALIASES[c])) for c in columns}
    header = [aliases[c] for c in columns] + extra
    rows: list[list[str] | None] = []
    lines = []
    for index, (_, cells) in enumerate(specs):
        if index < len(blank_before) and blank_before[index]:
            rows.append(None)
        cells = padded(cells, index)
        rows.append([cells[c] for c in columns] + ["x"] * len(extra))
        lines.append(len(rows) + 1)
    content = written(header, rows, **layout)
    if layout["encoding"] == "cp1252":
        text = "\n".join(c for row in [header, *rows] for c in row or [])
        assume(text.encode("cp1252", errors="replace").decode("cp1252") == text)  # only what cp1252 can write
        assume(not ambiguous_with_utf8(content))
    parsed = parse(content, "valid.csv", rules)
    assert parsed.errors == [] and parsed.cleaned_lines == []
    assert [row.line for row in parsed.rows] == lines
    for row, (expected, _) in zip(parsed.rows, specs):
        got = {key: getattr(row.data, key) for key in expected}
        assert got == {**expected, "email": expected["email"].lower()}


def ambiguous_with_utf8(content: bytes) -> bool:
    """Windows-1252 bytes that also read as UTF-8 ("Ã©" is "é" in UTF-8): no reader can tell which the writer
    meant, and the import takes the UTF-8 reading (`decoding._mostly_utf8`)."""
    return bool(UTF8_SEQUENCE.search(content))
