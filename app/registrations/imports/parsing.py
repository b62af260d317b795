"""Read an attendee spreadsheet (CSV or XLSX) into registration inputs and row errors.

`tables` reads the file into rows of cells; this module checks what the cells say. No database and no Flask here: the edition's rules come in as plain values
(`EditionRules`), problems go out as codes with parameters (`FileProblem`,
`RowError`) that the web page and the command turn into text in the reader's
language. Line numbers are the spreadsheet's: the header is line 1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from app.events.models import CategoryCode
from app.registrations.imports.tables import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, FileProblem, read_table
from app.registrations.imports.vocabulary import (
    CATEGORY_LOOKUP,
    COUNTRY_EXTRA_NAMES,
    EXPECTED_COLUMNS,
    FALSE_WORDS,
    HEADER_LOOKUP,
    MANDATE_LOOKUP,
    MAX_LENGTHS,
    REQUIRED_COLUMNS,
    STATUS_LOOKUP,
    TRUE_WORDS,
    normalise,
)
from app.registrations.labels import title_suggestions
from app.registrations.models import Mandate, RegistrationStatus
from app.registrations.services import RegistrationInput

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "EditionRules", "FileProblem", "ImportRow", "ParsedFile",
           "RowError", "map_header", "parse", "read_table"]

#: Titles as people write them, by their compared form: "mairesse" → "Mairesse".
WRITTEN_TITLES = {normalise(title): title for title in title_suggestions()}
MANDATE_CODES = frozenset(m.value for m in Mandate)


# --- Results ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class ImportRow:
    """One good row: what to pass to `register`, and what the import adds around it."""

    line: int
    data: RegistrationInput
    status: RegistrationStatus
    delegation: str = ""


@dataclass(frozen=True)
class EditionRules:
    """The edition's values a row is checked against."""

    days: tuple[date, ...]
    open_categories: frozenset[CategoryCode]
    #: theme code -> (name in French, name in English)
    themes: dict[str, tuple[str, str]]
    #: ISO code -> names the country may be written as
    countries: dict[str, tuple[str, ...]]
    default_country: str = "FR"


@dataclass
class ParsedFile:
    columns: dict[str, str]  # canonical column -> header as written in the file
    ignored_columns: list[str]
    rows: list[ImportRow]
    errors: list[RowError]
    num_lines: int  # data lines read, blank ones excluded
    #: Lines where invisible control characters were removed from cells (`decoding.clean_cell`).
    cleaned_lines: list[int] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.errors


# --- From cells to registrations ----------------------------------------------------------------------------

def map_header(cells: list[str], *, line: int = 1) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column positions and header texts by canonical name, and the headers that are not ours.

    FileProblem names the header's `line` when a column is missing or given twice."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored = []
    for index, cell in enumerate(cells):
        column = HEADER_LOOKUP.get(normalise(cell))
        if column is None:
            if cell:
                ignored.append(cell)
            continue
        if column in positions:
            raise FileProblem("duplicate_column", column=cell, other=written[column], line=line)
        positions[column] = index
        written[column] = cell
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise FileProblem("missing_columns", missing=missing, found=[c for c in cells if c],
                          expected=list(EXPECTED_COLUMNS), line=line)
    return positions, written, ignored


def parse(content: bytes, filename: str, rules: EditionRules, *, max_bytes: int = DEFAULT_MAX_BYTES,
          max_rows: int = DEFAULT_MAX_ROWS) -> ParsedFile:
    """Read and check every row; raise FileProblem when the file as a whole cannot be read."""
    table = read_table(content, filename, max_bytes=max_bytes, max_rows=max_rows)
    (header_line, header), body = table.rows[0], table.rows[1:]
    positions, written, ignored = map_header(header, line=header_line)
    checker = _RowChecker(rules, written)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    for line, cells in body:
        values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in positions.items()}
        row, row_errors = checker.check(line, values)
        email = row.data.email if row is not None else _comparable_email(values["email"])
        if email and email in first_line_of:
            row_errors.append(RowError(line, written["email"], "email_twice",
                                       {"first_line": first_line_of[email], "email": values["email"]}))
        elif email:
            first_line_of[email] = line
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(row)
    return ParsedFile(columns=written, ignored_columns=ignored, rows=rows, errors=errors, num_lines=len(body),
                      cleaned_lines=table.cleaned_lines)


def _comparable_email(value: str) -> str:
    """An address as registrations compare them, also for rows with other problems."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return value.strip().lower()


class _RowChecker:
    """Turns one row's cells into an ImportRow, collecting every problem of the row."""

    def __init__(self, rules: EditionRules, written: dict[str, str]):
        self.rules = rules
        self.written = written
        self.days = set(rules.days)
        self.themes: dict[str, str] = {}
        for code, names in rules.themes.items():
            for name in (code, *names):
                self.themes.setdefault(normalise(name), code)
        self.countries: dict[str, str] = dict(COUNTRY_EXTRA_NAMES)
        for code, names in rules.countries.items():
            for name in (code, *names):
                self.countries[normalise(name)] = code

    def check(self, line: int, values: dict[str, str]) -> tuple[ImportRow | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, code: str, **params) -> None:
            errors.append(RowError(line, self.written.get(column, column), code, params))

        for column, limit in MAX_LENGTHS.items():
            if len(values.get(column, "")) > limit:
                fail(column, "too_long", max=limit)
        for column in ("first_name", "last_name"):
            if not values[column]:
                fail(column, "required")
        email = self._email(values["email"], fail)
        category = self._category(values["category"], fail)
        country = self._country(values.get("country", ""), fail)
        mandate = self._mandate(values.get("mandate", ""), fail) if category == CategoryCode.ELU else None
        if category == CategoryCode.ELU:
            if not values.get("mandate") and mandate is None:
                fail("mandate", "mandate_required")
            if not values.get("territory"):
                fail("territory", "territory_required")
        if category == CategoryCode.STARTUP:
            if not values.get("organisation"):
                fail("organisation", "organisation_required")
            if not values.get("pitch"):
                fail("pitch", "pitch_required")
        themes = self._themes(values.get("themes", ""), fail)
        days = self._days(values.get("days", ""), fail)
        status = self._status(values.get("status", ""), fail)
        population = self._population(values.get("population", ""), fail)
        consents = {c: self._yes_no(values.get(c, ""), c, fail) for c in ("consent_directory", "consent_share_contact")}
        locale = values.get("locale", "").lower()[:2]
        if errors:
            return None, errors
        data = RegistrationInput(
            category=category, email=email, first_name=values["first_name"], last_name=values["last_name"],
            phone=values.get("phone", ""), country=country, locale=locale if locale in ("fr", "en") else "fr",
            organisation_name=values.get("organisation", ""), job_title=values.get("job_title", ""),
            mandate=mandate, mandate_title=self._mandate_title(values) if mandate is not None else "",
            territory=values.get("territory", ""), population=population,
            pitch=values.get("pitch", ""), website=values.get("website", ""), theme_codes=themes, days=days,
            consent_directory=consents["consent_directory"], consent_share_contact=consents["consent_share_contact"],
        )
        return ImportRow(line=line, data=data, status=status, delegation=values.get("delegation", "")), errors

    def _email(self, value: str, fail) -> str:
        if not value:
            fail("email", "required")
            return ""
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            fail("email", "bad_email", value=value)
            return ""

    def _category(self, value: str, fail) -> CategoryCode | None:
        if not value:
            fail("category", "required")
            return None
        code = CATEGORY_LOOKUP.get(normalise(value))
        if code is None:
            fail("category", "unknown_category", value=value)
        elif code not in self.rules.open_categories:
            fail("category", "category_closed", value=value)
        return code

    def _country(self, value: str, fail) -> str:
        if not value:
            return self.rules.default_country
        code = self.countries.get(normalise(value))
        if code is None:
            fail("country", "unknown_country", value=value, known=sorted(self.rules.countries))
            return ""
        return code

    def _mandate(self, value: str, fail) -> Mandate | None:
        if not value:
            return None
        mandate = MANDATE_LOOKUP.get(normalise(value))
        if mandate is None:
            fail("mandate", "unknown_mandate", value=value)
        return mandate

    @staticmethod
    def _mandate_title(values: dict) -> str:
        """The title column, else the mandate cell when it is a title as people write it ("Mairesse")."""
        written = values.get("mandate", "")
        if written.strip().lower() in MANDATE_CODES:  # a machine's code ("conseiller_municipal"), not a title
            return values.get("mandate_title", "")
        return values.get("mandate_title", "") or WRITTEN_TITLES.get(normalise(written), "")

    def _themes(self, value: str, fail) -> list[str]:
        codes = []
        for part in re.split(r"[|,;]", value):
            if not part.strip():
                continue
            code = self.themes.get(normalise(part))
            if code is None:
                fail("themes", "unknown_theme", value=part.strip())
            elif code not in codes:
                codes.append(code)
        return codes

    def _days(self, value: str, fail) -> list[date]:
        if not value.strip():
            return list(self.rules.days)
        days = []
        for part in re.split(r"[\s|,;]+", value.strip()):
            day = _parse_day(part)
            if day is None:
                fail("days", "bad_day", value=part)
            elif day not in self.days:
                fail("days", "day_outside", value=day.isoformat(), first=self.rules.days[0].isoformat(),
                     last=self.rules.days[-1].isoformat())
            elif day not in days:
                days.append(day)
        return sorted(days)

    def _status(self, value: str, fail) -> RegistrationStatus:
        if not value:
            return RegistrationStatus.CONFIRMED
        status = STATUS_LOOKUP.get(normalise(value))
        if status is None:
            fail("status", "unknown_status", value=value)
            return RegistrationStatus.CONFIRMED
        return status

    def _population(self, value: str, fail) -> int | None:
        digits = re.sub(r"[\s\u202f\u00a0.]", "", value)
        if not digits:
            return None
        # isdecimal, not isdigit: "²" is a digit that int() refuses; Arabic-Indic digits (١٢) are decimals it reads.
        if not digits.isdecimal() or int(digits) > 100_000_000:
            fail("population", "bad_number", value=value)
            return None
        return int(digits)

    def _yes_no(self, value: str, column: str, fail) -> bool:
        word = normalise(value)
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            fail(column, "bad_yes_no", value=value)
        return False


def _parse_day(text: str) -> date | None:
    """An ISO date (2027-06-02), a French one (02/06/2027) or a spreadsheet date-time."""
    text = text.strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", r"(\d{1,2})/(\d{1,2})/(\d{4})"):
        match = re.fullmatch(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if len(match.group(1)) == 4 else (parts[2], parts[1], parts[0])
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None
