"""Charts, drawn once with reportlab's graphics for both the pages (inline SVG) and the PDF reports.

One charting library for the whole product, and no new dependency: reportlab already prints the badges and the
route sheets, its charts (reportlab.graphics.charts) are drawings that go into a PDF as they are, and its SVG
renderer turns the same drawing into markup served from our own origin. The pages get plain SVG: no script,
and no style attribute (the CSP forbids inline styles), since every `style` the renderer writes is turned into
the equivalent presentation attributes. Each chart is an image with a name (role="img", aria-label) and the
pages show the same figures in a table next to it.

Plain values in: labels and numbers. No Flask, no database.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from badges.render import FONT, FONT_BOLD

#: Series colours: each at least 3:1 against white (WCAG 1.4.11) and told apart by more than hue (the legend
#: and the table name them).
PALETTE = ("#1a5fb4", "#b54708", "#2e7d32", "#7b1fa2", "#ad1457", "#00695c", "#5d4037", "#37474f")
AXIS = colors.HexColor("#5c6370")
GRID = colors.HexColor("#d0d4da")
TEXT = colors.HexColor("#1f2328")
#: The font the browser uses for the SVG's text (the PDF embeds DejaVu, as the badges do).
WEB_FONTS = "'DejaVu Sans', Verdana, Arial, sans-serif"
LABEL_CHARS = 28


@dataclass
class Series:
    label: str
    values: Sequence[float]


@dataclass
class Chart:
    """A drawing (a reportlab Flowable: it goes into a PDF story as it is) and its accessible name."""

    title: str
    drawing: Drawing
    summary: str = ""
    key: str = field(default="chart")

    def svg(self) -> Markup:
        return svg_markup(self.drawing, self.title, self.summary, self.key)


def short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _axis(value: float) -> tuple[float, float]:
    """A round axis: its maximum at or above `value` and a step of 1, 2 or 5 times a power of ten, 3 to 6 steps."""
    if value <= 0:
        return 1, 1
    rough = value / 5
    power = 1.0
    while power * 10 <= rough:
        power *= 10
    while power > rough:
        power /= 10
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= rough)
    if value >= 1 and step < 1:
        step = 1
    top = step * -(-value // step)
    return top, step


def _style_axes(chart, value: float) -> None:
    top, step = _axis(value)
    value_axis = chart.valueAxis
    value_axis.valueMin, value_axis.valueMax, value_axis.valueStep = 0, top, step
    value_axis.labels.fontName, value_axis.labels.fontSize, value_axis.labels.fillColor = FONT, 8, TEXT
    value_axis.strokeColor = AXIS
    value_axis.visibleGrid, value_axis.gridStrokeColor, value_axis.gridStrokeWidth = True, GRID, 0.5
    value_axis.labelTextFormat = (lambda v: f"{v:.0f}") if step >= 1 else (lambda v: f"{v:.1f}")
    category_axis = chart.categoryAxis
    category_axis.labels.fontName, category_axis.labels.fontSize, category_axis.labels.fillColor = FONT, 8, TEXT
    category_axis.strokeColor = AXIS


def _legend_rows(series: Sequence[Series], width: float) -> int:
    """How many rows the legend needs to fit the drawing's width (0: one series, no legend)."""
    if len(series) < 2:
        return 0
    names = [short(s.label, 40) for s in series]
    for rows in range(1, len(names) + 1):
        columns = [names[i:i + rows] for i in range(0, len(names), rows)]
        if sum(max(stringWidth(n, FONT, 8) for n in column) + 23 for column in columns) <= width - 24:
            return rows
    return len(names)


def _legend_room(rows: int) -> float:
    return 16 + 12 * (rows - 1) if rows else 0


def _legend(drawing: Drawing, series: Sequence[Series], x: float, y: float, rows: int = 1) -> None:
    """The swatches and their names, in `rows` rows (read down each column, then across)."""
    if len(series) < 2:
        return
    legend = Legend()
    legend.x, legend.y, legend.alignment = x, y, "right"  # the swatch, then its name
    legend.fontName, legend.fontSize, legend.fillColor = FONT, 8, TEXT
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax = max(rows, 1), 8, 8, 10
    legend.deltay, legend.variColumn = 12, 1  # each column as wide as its own names
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), short(s.label, 40))
                             for i, s in enumerate(series)]
    drawing.add(legend)


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(String(4, height - 14, short(title, 90), fontName=FONT_BOLD, fontSize=10, fillColor=TEXT))


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, width: float = 640,
              height: float = 260, stacked: bool = False, summary: str = "", key: str = "chart") -> Chart:
    """Vertical bars: one group per category, one bar per series (or stacked)."""
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = VerticalBarChart()
    rows = _legend_rows(series, width)
    legend_room = _legend_room(rows)
    chart.x, chart.y = 42, 48
    chart.width, chart.height = width - 56, height - 78 - legend_room
    chart.data = [list(s.values) or [0] for s in series] or [[0]]
    totals = [sum(col) for col in zip(*chart.data)] if stacked else [max(col) for col in zip(*chart.data)]
    _style_axes(chart, max(totals, default=0))
    chart.categoryAxis.categoryNames = [short(c, 14 if len(categories) > 8 else LABEL_CHARS) for c in categories]
    # Labels wider than their bars (about 5 units a character at size 8) are turned, as many labels are.
    longest = max((len(c) for c in chart.categoryAxis.categoryNames), default=0)
    too_wide = longest * 5 > chart.width / max(len(categories), 1)
    if len(categories) > 8 or too_wide:
        chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 35, "ne"
        chart.categoryAxis.labels.dy = -2
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing, chart.groupSpacing = 1, 6
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(drawing, series, 12, height - 26, rows)
    return Chart(title, drawing, summary, key)


def ranking_chart(title: str, names: Sequence[str], series: Sequence[Series], *, width: float = 640,
                  row: float = 18, summary: str = "", key: str = "chart") -> Chart:
    """Horizontal bars, one row per name (the first at the top): rankings of startups, cities, stands."""
    rows = _legend_rows(series, width)
    legend_room = _legend_room(rows)
    height = 56 + legend_room + row * max(len(names), 1)
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 190, 24
    chart.width, chart.height = width - 210, height - 56 - legend_room
    # reportlab draws the first category at the bottom: reverse so that the first name is on top.
    chart.data = [list(reversed(list(s.values))) or [0] for s in series] or [[0]]
    _style_axes(chart, max((max(col) for col in zip(*chart.data)), default=0))
    chart.categoryAxis.categoryNames = [short(n) for n in reversed(list(names))]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.barSpacing, chart.groupSpacing = 1, 4
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(drawing, series, 12, height - 26, rows)
    return Chart(title, drawing, summary, key)


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, width: float = 640,
               height: float = 260, summary: str = "", key: str = "chart", label_every: int = 1) -> Chart:
    """Lines over ordered categories (days, weeks, hours): one line per series."""
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = HorizontalLineChart()
    rows = _legend_rows(series, width)
    legend_room = _legend_room(rows)
    chart.x, chart.y = 42, 40
    chart.width, chart.height = width - 56, height - 70 - legend_room
    chart.data = [list(s.values) or [0] for s in series] or [[0]]
    # None: no value there (a week still to come): the line stops.
    _style_axes(chart, max((x for v in chart.data for x in v if x is not None), default=0))
    chart.categoryAxis.categoryNames = [c if i % label_every == 0 else "" for i, c in enumerate(categories)]
    for i in range(len(chart.data)):
        chart.lines[i].strokeColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.lines[i].strokeWidth = 2
        if i:  # the second line dashed: told apart without colour
            chart.lines[i].strokeDashArray = (4, 3)
    drawing.add(chart)
    _legend(drawing, series, 12, height - 26, rows)
    return Chart(title, drawing, summary, key)


# -- SVG for the pages --------------------------------------------------------------------------------

_STYLE = re.compile(r'\sstyle="([^"]*)"')
_HEADER = re.compile(r"^.*?(?=<svg\b)", re.S)
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_TITLE_DESC = re.compile(r"\s*<title>.*?</title>\s*<desc>.*?</desc>", re.S)


def _attributes(match: re.Match) -> str:
    """`style="fill: red; stroke-width: 1"` -> ` fill="red" stroke-width="1"` (presentation attributes)."""
    out = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name or not value:
            continue
        if name == "font-family":
            value = WEB_FONTS
        out.append(f' {name}="{value}"')
    return "".join(out)


def svg_markup(drawing: Drawing, title: str, summary: str = "", key: str = "chart") -> Markup:
    """The drawing as inline SVG for a page: named for assistive technologies, no style attribute, ids unique
    by `key` (several charts share a page)."""
    raw = renderSVG.drawToString(drawing)
    raw = _HEADER.sub("", raw, count=1)
    raw = _TITLE_DESC.sub("", raw, count=1)
    raw = _STYLE.sub(_attributes, raw)
    raw = raw.replace('id="clip"', f'id="{key}-clip"').replace("url(#clip)", f"url(#{key}-clip)")
    raw = raw.replace('id="group"', f'id="{key}-group"')
    label = Markup.escape(title + (f". {summary}" if summary else ""))
    opening = (f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {drawing.width:g} '
               f'{drawing.height:g}" width="{drawing.width:g}" height="{drawing.height:g}" '
               f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" focusable="false">')
    return Markup(_SVG_TAG.sub(lambda _m: opening, raw, count=1))
