"""Geometry of the planned-versus-realised bar charts, drawn as SVG by the templates (no script, no inline style).

Plain values in, plain values out: the templates only place what is computed here.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.demonstrator.realised.matching import Tally

#: Vertical rate charts: the plot's height, margins and one band per bar.
PLOT_HEIGHT = 150
TOP = 22          # room for the value above a full bar
BOTTOM = 56       # three lines under the bars: label, sublabel, realised/planned
LEFT = 44         # the percentage axis
BAND = 60         # one bar's share of the width (wider for long labels)
BAR = 36

#: Horizontal ranking chart.
NAME_WIDTH = 230
TRACK = 420
ROW = 24
COUNT_WIDTH = 90


@dataclass
class RateBar:
    x: float
    y: float
    width: float
    height: float
    label: str       # under the bar (an hour, a slot, a day)
    sublabel: str    # second line (the day, or nothing)
    tally: Tally
    title: str       # shown on hover
    first_of_group: bool = False


@dataclass
class RateChart:
    width: float
    height: float
    plot_top: float
    plot_bottom: float
    bars: list[RateBar]
    grid: list[tuple[float, int]]   # (y, percent)
    separators: list[float]         # x of lines between groups (days)


def rate_chart(buckets: list[tuple[str, str, Tally, str, bool]], band: float = BAND) -> RateChart:
    """One bar per bucket: (label, sublabel, tally, title, starts a new group); its height is the rate."""
    width = LEFT + band * max(len(buckets), 1) + 8
    bottom = TOP + PLOT_HEIGHT
    bars, separators = [], []
    for i, (label, sublabel, t, title, first) in enumerate(buckets):
        x = LEFT + band * i + (band - BAR) / 2
        height = PLOT_HEIGHT * (t.rate or 0)
        bars.append(RateBar(x, bottom - height, BAR, height, label, sublabel, t, title, first))
        if first and i:
            separators.append(LEFT + band * i)
    grid = [(bottom - PLOT_HEIGHT * p / 100, p) for p in (0, 25, 50, 75, 100)]
    return RateChart(width, bottom + BOTTOM, TOP, bottom, bars, grid, separators)


@dataclass
class RankRow:
    y: float
    name: str
    planned_width: float
    realised_width: float
    tally: Tally
    startup_id: int


@dataclass
class RankChart:
    width: float
    height: float
    name_width: float
    track: float
    rows: list[RankRow]
    scale: list[tuple[float, int]]   # (x, number of meetings)


def rank_chart(rows: list[tuple[int, str, Tally]]) -> RankChart:
    """One row per startup: a light bar for its planned meetings, a dark one for the realised, same scale."""
    top = max((max(t.planned, t.realised) for _, _, t in rows), default=0) or 1
    unit = TRACK / top
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if top / s <= 6)
    scale = [(NAME_WIDTH + n * unit, n) for n in range(0, top + 1, step)]
    chart_rows = [RankRow(20 + i * ROW, name, t.planned * unit, t.realised * unit, t, startup_id)
                  for i, (startup_id, name, t) in enumerate(rows)]
    return RankChart(NAME_WIDTH + TRACK + COUNT_WIDTH, 20 + ROW * len(rows) + 6, NAME_WIDTH, TRACK, chart_rows, scale)
