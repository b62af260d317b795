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


def test_a_line_stops_where_its_values_are_not_known_yet():
    chart = line_chart("Inscriptions", ["−3", "−2", "−1", "0"], [Series("Cette édition", [1, 5, None, None]),
                                                                  Series("2026", [0, 2, 4, 9])])
    svg = str(chart.svg())
    assert "Cette édition" in svg and max(int(v) for v in re.findall(r">(\d+)</text>", svg)) >= 9


def test_a_legend_too_wide_for_one_row_wraps_and_keeps_every_name():
    names = ["Élu", "Décideur", "Startup / exposant", "Entreprise", "Intervenant", "Presse", "Visiteur"]
    narrow = bar_chart("Catégories", ["−2", "−1"], [Series(n, [i, i]) for i, n in enumerate(names)], width=420)
    wide = bar_chart("Catégories", ["−2", "−1"], [Series(n, [i, i]) for i, n in enumerate(names)], width=1200)
    for chart in (narrow, wide):
        svg = str(chart.svg())
        assert all(f">{n}</text>" in svg for n in names)
    legend_y = lambda chart: {float(y) for y, name in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>([^<]+)</text>',  # noqa: E731
                                                                   str(chart.svg())) if name in names}
    assert len(legend_y(wide)) == 1 and len(legend_y(narrow)) > 1
