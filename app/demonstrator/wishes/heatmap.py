"""The score heat map the organiser reads: visitors by stands, both sorted by total value, and why each
pair is worth what it is."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.demonstrator.hall.queries import StandUnit, stand_units, startup_name
from app.demonstrator.wishes.board import number
from app.demonstrator.wishes.scores import Wishes, score_matrix
from app.demonstrator.wishes.visitors import VisitorUnit, visitor_units
from app.events.models import Event, Theme

#: Heat-map geometry, in SVG user units (pixels at 100 %).
LEFT, TOP, LEVELS = 236, 176, 6
#: Cells are as large as fits about 900 units of width, between these sizes.
MIN_CELL, MAX_CELL = 12, 28
#: Visitors (rows) drawn at once: the whole summit is ~10,000 cells, more than anyone reads on one screen.
ROWS_PER_PAGE = 60


class Words:
    """The heat map's words, translated once per page: a cell's title is built thousands of times."""

    def __init__(self, event: Event, locale: str):
        self.themes = {t.id: t.name(locale) for t in event.themes}
        # Without keyword arguments gettext returns the translated pattern, filled in below with %.
        self.cell = _("%(visitor)s × %(startup)s: %(value)s (%(reasons)s)")
        self.cell_plain = _("%(visitor)s × %(startup)s: %(value)s")
        self.theme_list = _("themes: %(themes)s")
        self.refused, self.mutual = _("not interested: never planned"), _("mutual wish")
        self.by_visitor, self.by_startup = _("wished by the visitor"), _("wished by the startup")
        self.separator = _("; ")
        self.stand_value = _("%(stand)s: %(value)s")
        self.stand_mutual = _("%(stand)s: %(value)s (mutual wish)")
        self.stand_refused = _("%(stand)s: not interested")
        self._numbers: dict[float, str] = {}
        self._reasons: dict[tuple, str] = {}

    def number(self, value: float) -> str:
        if value not in self._numbers:
            self._numbers[value] = number(value)
        return self._numbers[value]

    def reasons(self, reasons: dict) -> str:
        """Why a pair is worth what it is, in words: "themes: Mobility; mutual wish"."""
        if reasons.get("refused"):
            return self.refused
        by_member, by_startup = set(reasons.get("member_wishes", [])), set(reasons.get("startup_wishes", []))
        key = (tuple(reasons.get("themes", [])), bool(by_member & by_startup), bool(by_member), bool(by_startup))
        if key not in self._reasons:
            themes, mutual, wished_by_member, wished_by_startup = key
            parts = [self.theme_list % {"themes": ", ".join(self.themes[t] for t in themes)}] if themes else []
            if mutual:
                parts.append(self.mutual)
            else:
                parts += [self.by_visitor] if wished_by_member else []
                parts += [self.by_startup] if wished_by_startup else []
            self._reasons[key] = self.separator.join(parts)
        return self._reasons[key]

    def row_text(self, cells: list[Cell], cols: list[Axis]) -> str:
        """A row of the matrix in words: "B01 · Watt & Co: 12 (mutual wish); A03 · Datapolis: 6", best first."""
        parts = []
        for cell in sorted(cells, key=lambda c: (c.refused, -c.value, c.x)):
            pattern = self.stand_refused if cell.refused else self.stand_mutual if cell.mutual else self.stand_value
            parts.append(pattern % {"stand": cols[cell.x].label, "value": self.number(cell.value)})
        return self.separator.join(parts)

    def cell_title(self, visitor: str, startup: str, value: float, why: str) -> str:
        values = {"visitor": visitor, "startup": startup, "value": self.number(value), "reasons": why}
        return (self.cell if why else self.cell_plain) % values


@dataclass
class Axis:
    key: str
    label: str
    total: float = 0.0
    title: str = ""


@dataclass
class Cell:
    x: int
    y: int
    level: int
    title: str
    refused: bool = False
    mutual: bool = False
    value: float = 0.0


@dataclass
class HeatMap:
    rows: list[Axis]
    cols: list[Axis]
    cells: list[Cell]
    best: list[tuple[str, str, float, str]]
    maximum: float
    empty_rows: list[Axis]
    empty_cols: list[Axis]
    #: Which visitors are drawn: page `page` of `num_pages`, rows `first` to `first + len(rows)` of `num_rows`.
    page: int = 1
    num_pages: int = 1
    first: int = 0
    num_rows: int = 0
    #: The drawn rows in words, for the table that stands for the colours: one line per row.
    row_texts: list[str] = field(default_factory=list)

    @property
    def cell(self) -> int:
        return max(MIN_CELL, min(MAX_CELL, 900 // max(1, len(self.cols))))

    @property
    def left(self) -> int:
        return LEFT

    @property
    def head(self) -> int:
        return TOP

    @property
    def width(self) -> int:
        return LEFT + self.cell * len(self.cols) + 104  # the last column label leans right

    @property
    def height(self) -> int:
        return TOP + self.cell * len(self.rows) + 8

    def level_bounds(self) -> list[tuple[int, str, str]]:
        """(level, from, to) for the legend."""
        step = self.maximum / LEVELS if self.maximum else 0
        return [(k, number(step * (k - 1)), number(step * k)) for k in range(1, LEVELS + 1)]


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def stand_label(unit: StandUnit) -> str:
    return f"{unit.stand.number} · {startup_name(unit.startup)}"


def _has_theme(unit: VisitorUnit, theme: Theme) -> bool:
    return any(theme in member.themes for member in unit.members)


def heat_map(event: Event, theme: Theme | None, locale: str, num_top: int = 20, page: int = 1,
             per_page: int | None = None) -> HeatMap:
    """The score matrix as rows (visitors) x columns (stands), both sorted by total value.

    With `theme`, only visitors with a member interested in it and startups working on it. The rows
    are drawn `per_page` at a time (page `page`, 1 the most valuable); totals, columns and best pairs
    count every visitor.
    """
    units, stands = visitor_units(event), stand_units(event)
    matrix = score_matrix(event, units, stands)
    if theme is not None:
        units = [u for u in units if _has_theme(u, theme)]
        stands = [s for s in stands if theme in s.startup.themes or s.stand.theme_id == theme.id]
    words = Words(event, locale)
    rows = {u.key: Axis(u.key, u.name) for u in units}
    cols = {s.key: Axis(s.key, stand_label(s)) for s in stands}
    pairs = {k: v for k, v in matrix.items() if k[0] in rows and k[1] in cols}
    for (vkey, skey), (value, _reasons) in pairs.items():
        rows[vkey].total += value
        cols[skey].total += value

    # "Not interested" pairs are worth 0, so absent from the matrix: mark them from the wishes.
    wishes = Wishes.load(event)
    unit_of = {m.id: u.key for u in units for m in u.members}
    stands_of: dict[int, list[str]] = defaultdict(list)
    for s in stands:
        stands_of[s.startup.id].append(s.key)
    refused = set()
    for a, b in wishes.no:
        for official, startup in ((a, b), (b, a)):
            if official in unit_of:
                refused |= {(unit_of[official], skey) for skey in stands_of.get(startup, [])}

    ordered_rows = sorted((r for r in rows.values() if r.total > 0), key=lambda r: (-r.total, r.label))
    ordered_cols = sorted((c for c in cols.values() if c.total > 0), key=lambda c: (-c.total, c.label))
    num_rows, per_page = len(ordered_rows), per_page or ROWS_PER_PAGE
    num_pages = max(1, -(-num_rows // per_page))
    page = min(max(1, page), num_pages)
    first = (page - 1) * per_page
    ordered_rows = ordered_rows[first:first + per_page]
    y_of = {r.key: i for i, r in enumerate(ordered_rows)}
    x_of = {c.key: j for j, c in enumerate(ordered_cols)}
    full = {**{r.key: r.label for r in rows.values()}, **{c.key: c.label for c in cols.values()}}
    for axes, size in ((ordered_rows, 34), (ordered_cols, 30)):  # the rows of this page only
        for axis in axes:
            axis.title = _("%(name)s: total %(value)s", name=axis.label, value=number(axis.total))
            axis.label = _short(axis.label, size)
    maximum = max((value for value, _r in pairs.values()), default=0.0)

    def title(vkey: str, skey: str, value: float, why: str) -> str:
        return words.cell_title(full[vkey], full[skey], value, why)

    cells = []
    for (vkey, skey), (value, reasons) in pairs.items():
        if vkey not in y_of or skey not in x_of:
            continue
        by_member, by_startup = set(reasons.get("member_wishes", [])), set(reasons.get("startup_wishes", []))
        level = max(1, min(LEVELS, 1 + int(LEVELS * value / maximum - 1e-9))) if maximum else 1
        cells.append(Cell(x_of[skey], y_of[vkey], level, title(vkey, skey, value, words.reasons(reasons)),
                          mutual=bool(by_member & by_startup), value=value))
    for vkey, skey in sorted(refused):
        if vkey in y_of and skey in x_of:
            cells.append(Cell(x_of[skey], y_of[vkey], 0, title(vkey, skey, 0, words.refused),
                              refused=True))

    in_row: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        in_row[cell.y].append(cell)
    row_texts = [words.row_text(in_row[y], ordered_cols) for y in range(len(ordered_rows))]
    best = [(full[v], full[s], value, words.reasons(reasons))
           for (v, s), (value, reasons) in sorted(pairs.items(), key=lambda kv: (-kv[1][0], kv[0]))[:num_top]]
    return HeatMap(ordered_rows, ordered_cols, cells, best, maximum,
                   sorted((r for r in rows.values() if r.total == 0), key=lambda r: r.label),
                   sorted((c for c in cols.values() if c.total == 0), key=lambda c: c.label),
                   page=page, num_pages=num_pages, first=first, num_rows=num_rows, row_texts=row_texts)
