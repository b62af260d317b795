"""Read a spreadsheet (CSV or XLSX) into its non-blank rows of text cells, or refuse the whole file.

Everything about bytes and formats lives here and in `decoding`: encodings, delimiters, workbooks, size
limits, invisible characters and the apostrophe a safe export puts before formula-like cells. What the
cells mean is `parsing`'s job.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook

from app.registrations.imports.decoding import FileProblem, clean_cell, decode
from app.registrations.imports.vocabulary import HEADER_LOOKUP, normalise

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "FileProblem", "Table", "read_table"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
#: What a workbook may take once unpacked: a few megabytes of XLSX can unpack to gigabytes (a zip bomb).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
FORMULA_TRIGGERS = ("=", "+", "-", "@")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Table:
    #: The non-blank rows as (spreadsheet line, cells), the header first.
    rows: list[tuple[int, list[str]]]
    #: Lines whose cells held invisible control characters, removed (`decoding.clean_cell`).
    cleaned_lines: list[int] = field(default_factory=list)


def read_table(content: bytes, filename: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """The file's non-blank rows, or FileProblem. The content decides, not `filename`: a ZIP file is read as a
    workbook, anything else as CSV text (a CSV named .xls is common)."""
    if len(content) > max_bytes:
        raise FileProblem("too_large", size_kb=len(content) // 1024, max_kb=max_bytes // 1024)
    if not content.strip():
        raise FileProblem("empty")
    table = Table(rows=[])
    if content.startswith(XLSX_MAGIC):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            _xlsx_rows(table, content, max_rows)
    else:
        _csv_rows(table, decode(content), max_rows)
    if not table.rows:
        raise FileProblem("empty")
    if len(table.rows) == 1:
        raise FileProblem("no_rows")
    return table


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most known columns (then the most cells)."""
    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return 0, 0
        return sum(1 for c in cells if normalise(c) in HEADER_LOOKUP), len(cells)
    return max(DELIMITERS, key=score)


def _csv_rows(table: Table, text: str, max_rows: int) -> None:
    # The CSV reader's own line breaks: str.splitlines() would also break at characters a cell may hold.
    first_line = next((line for line in LINE_BREAK.split(text) if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    line = 0
    try:
        for line, cells in enumerate(reader, start=1):
            _keep(table, line, cells, max_rows)
    except csv.Error as exc:  # a cell over the CSV reader's limit: a quote opened and never closed
        raise FileProblem("bad_csv", line=line + 1, detail=str(exc)) from None


def _keep(table: Table, line: int, values: list, max_rows: int) -> None:
    """Add a row if it is not blank; the header and at most `max_rows` attendees."""
    cells = []
    for value in values:
        cell, cleaned = clean_cell(_cell_text(value))
        cells.append(_unquote(cell.strip()))
        if cleaned and table.cleaned_lines[-1:] != [line]:
            table.cleaned_lines.append(line)
    if not any(cells):  # formatted but empty rows are common at the end of a sheet
        return
    if len(table.rows) > max_rows:
        raise FileProblem("too_many_rows", max_rows=max_rows)
    table.rows.append((line, cells))


def _xlsx_rows(table: Table, content: bytes, max_rows: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            kind = None if "xl/workbook.xml" in names else _zip_kind(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileProblem("broken_xlsx") from None
    if kind:
        raise FileProblem("binary_file", kind=kind)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem("too_large_unpacked", size_mb=unpacked // 1_048_576, max_mb=MAX_UNPACKED_BYTES // 1_048_576)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl lets zipfile, XML and its own errors through
        raise FileProblem("broken_xlsx") from exc
    try:
        if not workbook.worksheets:
            raise FileProblem("empty")
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            _keep(table, line, list(values), max_rows)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet damaged past its first rows
        raise FileProblem("broken_xlsx") from exc
    finally:
        workbook.close()


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    """What a ZIP file that is no Excel workbook is: an OpenDocument spreadsheet, a document, or an archive."""
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument" in mimetype:
            return "document"
    if any(name.startswith(("word/", "ppt/")) for name in names):
        return "document"
    return "archive"


def _unquote(cell: str) -> str:
    """Drop the apostrophe a safe export puts before a cell that would read as a formula (S11), e.g. '+33..."""
    if cell.startswith("'") and cell[1:2] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


def _cell_text(value: object) -> str:
    """A cell as text: CSV cells are text already; a workbook's numbers, dates and booleans are written out."""
    if isinstance(value, str):
        return value
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
    return str(value)
