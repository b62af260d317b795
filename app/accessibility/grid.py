"""The RGAA 4.1 grid the accessibility statement is computed from (docs/accessibility.md).

The grid is a markdown table, one row per criterion: number, French title, English title, status (C, NC or NA)
and a note in each language. Its key lines (`evaluated: 2026-12-07`) give the date of the evaluation. It is read
when a page needs it, and read again only when the file changes. A grid that is not exactly the 106 criteria of
RGAA 4.1, each once with a valid status, is refused (GridError) rather than shown with wrong figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

#: The number of criteria of each of RGAA 4.1's 13 themes (images, frames, colours... consultation): 106 in all.
CRITERIA_PER_THEME = (9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12)
RGAA_CRITERIA = tuple(f"{theme}.{n}" for theme, count in enumerate(CRITERIA_PER_THEME, start=1)
                      for n in range(1, count + 1))
STATUSES = ("C", "NC", "NA")
_ROW = re.compile(r"^\|\s*(\d+\.\d+)\s*\|")
_CODE = re.compile(r"`([^`]+)`")
_KEY = re.compile(r"^(evaluated|reference):\s*(.+?)\s*$")


class GridError(ValueError):
    """The grid file is not a complete, valid RGAA 4.1 grid; the message says where."""


@dataclass(frozen=True)
class Criterion:
    number: str
    title_fr: str
    title_en: str
    status: str
    note_fr: str
    note_en: str

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def note(self, language: str) -> str:
        return self.note_en if language == "en" else self.note_fr

    def note_html(self, language: str) -> Markup:
        """The note, its `code` spans as <code> elements, everything else escaped."""
        return Markup(_CODE.sub(r"<code>\1</code>", str(escape(self.note(language)))))


@dataclass(frozen=True)
class Grid:
    criteria: tuple[Criterion, ...]
    evaluated: date
    reference: str

    def _with(self, status: str) -> list[Criterion]:
        return [c for c in self.criteria if c.status == status]

    @property
    def num_conforming(self) -> int:
        return len(self._with("C"))

    @property
    def num_not_conforming(self) -> int:
        return len(self._with("NC"))

    @property
    def num_not_applicable(self) -> int:
        return len(self._with("NA"))

    @property
    def num_applicable(self) -> int:
        return self.num_conforming + self.num_not_conforming

    @property
    def not_conforming(self) -> list[Criterion]:
        return self._with("NC")

    @property
    def rate(self) -> Decimal:
        """Criteria met over applicable criteria, in per cent with one decimal (RGAA's "taux de conformité")."""
        if not self.num_applicable:
            return Decimal(100)
        return (Decimal(100 * self.num_conforming) / self.num_applicable).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def level(self) -> str:
        """RGAA's rule: "total" when every applicable criterion is met, "partial" from 50 %, "none" below."""
        if self.num_not_conforming == 0:
            return "total"
        return "partial" if self.rate >= 50 else "none"


def parse(text: str) -> Grid:
    """The grid in `text`; GridError naming the first problem found."""
    criteria: list[Criterion] = []
    keys: dict[str, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if key := _KEY.match(line):
            keys[key.group(1)] = key.group(2)
            continue
        if not _ROW.match(line):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6:
            raise GridError(f"line {line_number}: 6 columns expected, {len(cells)} found")
        number, title_fr, title_en, status, note_fr, note_en = cells
        if status not in STATUSES:
            raise GridError(f"line {line_number}: criterion {number} has status {status!r}, not C, NC or NA")
        if not (title_fr and title_en and note_fr and note_en):
            raise GridError(f"line {line_number}: criterion {number} needs its titles and notes in both languages")
        criteria.append(Criterion(number, title_fr, title_en, status, note_fr, note_en))
    numbers = [c.number for c in criteria]
    if tuple(numbers) != RGAA_CRITERIA:
        missing = sorted(set(RGAA_CRITERIA) - set(numbers), key=RGAA_CRITERIA.index)
        extra = sorted({n for n in numbers if n not in RGAA_CRITERIA or numbers.count(n) > 1})
        raise GridError(f"the grid must list RGAA 4.1's 106 criteria 1.1 to 13.12 in order, once each "
                        f"(missing: {', '.join(missing) or 'none'}; unknown or repeated: {', '.join(extra) or 'none'})")
    try:
        evaluated = date.fromisoformat(keys.get("evaluated", ""))
    except ValueError:
        raise GridError("the grid needs its date of evaluation: a line 'evaluated: YYYY-MM-DD'") from None
    return Grid(tuple(criteria), evaluated, keys.get("reference", "RGAA 4.1"))


@lru_cache(maxsize=4)
def _parse_file(path: str, mtime_ns: int) -> Grid:  # noqa: ARG001  (the modification time is the cache's key)
    return parse(Path(path).read_text(encoding="utf-8"))


def load(path: str | Path) -> Grid:
    """The grid in the file at `path`, parsed once per version of the file."""
    path = Path(path)
    return _parse_file(str(path), path.stat().st_mtime_ns)
