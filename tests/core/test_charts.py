"""The charts' SVG as the pages embed it: named, no inline style (the CSP), labels escaped, ids per chart."""
from __future__ import annotations

import re

from app.core.charts import Series, bar_chart, line_chart, ranking_chart


def test_svg_is_named_has_no_style_attribute_and_escapes_labels():
    chart = ranking_chart("Startups <les plus vues>", ["A & B <script>", "Ç"], [Series("Prévues", [3, 1])],
                          key="rank")
    svg = str(chart.svg())
    assert svg.startswith('<svg class="chart" role="img" aria-label="Startups &lt;les plus vues&gt;"')
    assert " style=" not in svg and "<script>" not in svg
    assert "A &amp; B &lt;script&gt;" in svg and "Ç" in svg
    assert 'id="rank-clip"' in svg and "url(#rank-clip)" in svg and 'id="clip"' not in svg


def test_two_charts_on_a_page_do_not_share_ids():
    one = str(bar_chart("Un", ["a"], [Series("x", [1])], key="one").svg())
    two = str(line_chart("Deux", ["a", "b"], [Series("x", [1, 2])], key="two").svg())
    ids = re.findall(r'id="([^"]+)"', one + two)
    assert len(ids) == len(set(ids))


def test_axis_reaches_the_largest_value_and_legend_names_each_series():
    chart = bar_chart("Rencontres", ["lun.", "mar."], [Series("Prévues", [137, 20]), Series("Réalisées", [90, 5])])
    svg = str(chart.svg())
    labels = [int(v) for v in re.findall(r">(\d+)</text>", svg)]
    assert max(labels) >= 137
    assert "Prévues" in svg and "Réalisées" in svg
