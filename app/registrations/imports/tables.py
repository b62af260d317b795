"""Read a spreadsheet (CSV or XLSX) into its non-blank rows of text cells, or refuse the whole file.

Everything about bytes and formats lives here: encodings, delimiters, workbooks, size limits and
the apostrophe a safe export puts before formula-like cells. What the cells mean is `parsing`'s job.
"""
from __future__ import annotations

import csv
import io
import unicodedata
import warnings
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from app.registrations.imports.vocabulary import HEADER_LOOKUP, normalise

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
FORMULA_TRIGGERS = ("=", "+", "-", "@")


class FileProblem(Exception):
    """The whole file is refused (not a spreadsheet, empty, wrong columns...): nothing is read from it."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def read_table(content: bytes, filename: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_rows: int = DEFAULT_MAX_ROWS) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows as (spreadsheet line, cells), the header first."""
    if len(content) > max_bytes:
        raise FileProblem("too_large", size_kb=len(content) // 1024, max_kb=max_bytes // 1024)
    if not content.strip():
        raise FileProblem("empty")
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            rows = _xlsx_rows(content, max_rows)
    else:
        rows = _csv_rows(_decode(content), max_rows)
    if not rows:
        raise FileProblem("empty")
    if len(rows) == 1:
        raise FileProblem("no_rows")
    return rows


def _decode(content: bytes) -> str:
    """UTF-16 or UTF-8 when the bytes say so (BOM or valid UTF-8), else Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem("not_spreadsheet") from None
    if b"\x00" in content:
        raise FileProblem("not_spreadsheet")
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("not_spreadsheet") from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls > max(2, len(text) // 1000):
        raise FileProblem("not_spreadsheet")
    return text


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most known columns (then the most cells)."""
    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return 0, 0
        return sum(1 for c in cells if normalise(c) in HEADER_LOOKUP), len(cells)
    return max(DELIMITERS, key=score)


def _csv_rows(text: str, max_rows: int) -> list[tuple[int, list[str]]]:
    first_line = next(iter(text.lstrip("\r\n").splitlines()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    rows = []
    try:
        for line, cells in enumerate(reader, start=1):
            cells = [_unquote(c.strip()) for c in cells]
            if any(cells):
                _keep(rows, line, cells, max_rows)
    except csv.Error as exc:
        raise FileProblem("bad_csv", line=reader.line_num, detail=str(exc)) from None
    return rows


def _keep(rows: list[tuple[int, list[str]]], line: int, cells: list[str], max_rows: int) -> None:
    """Add a non-blank row; the header and at most `max_rows` attendees."""
    if len(rows) > max_rows:
        raise FileProblem("too_many_rows", max_rows=max_rows)
    rows.append((line, cells))


def _xlsx_rows(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError):
        raise FileProblem("not_spreadsheet") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("empty")
        rows = []
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(cells):  # formatted but empty rows are common at the end of a sheet
                _keep(rows, line, cells, max_rows)
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise FileProblem("not_spreadsheet") from exc
    finally:
        workbook.close()


def _unquote(cell: str) -> str:
    """Drop the apostrophe a safe export puts before a cell that would read as a formula (S11), e.g. '+33..."""
    if cell.startswith("'") and cell[1:2] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _unquote(str(value).strip())
