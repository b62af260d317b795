"""The report's charts, drawn with the product's charting library (app.core.charts): the same drawings go
inline into the pages as SVG and into the PDF as they are. Each chart has a table with the same figures."""
from __future__ import annotations

from datetime import date

from app.core.charts import Chart, Series, bar_chart, ranking_chart
from app.core.i18n import localized
from app.core.sentences import gettext as _
from app.core.timefmt import format_day
from app.outcomes.models import OutcomeKind, OutcomeStatus
from app.report.figures import EditionReport, Line
from app.report.labels import kind_label, status_label
from app.report.timeline import NetworkLine, Timeline


def day_label(line: Line) -> str:
    return format_day(date.fromisoformat(line.key), "day_short")


def _meeting_series(lines: list[Line]) -> list[Series]:
    return [Series(_("Planned"), [line.planned for line in lines]),
            Series(_("Realised"), [line.realised for line in lines]),
            Series(_("Unplanned"), [line.unplanned for line in lines])]


def _breakdown(title: str, lines: list[Line], key: str) -> Chart | None:
    if not lines:
        return None
    return ranking_chart(title, [line.label for line in lines], _meeting_series(lines), key=key, row=30,
                         summary=_("Planned, realised and unplanned meetings; the table below gives the figures."))


def edition_charts(report: EditionReport) -> dict[str, Chart | None]:
    """Every chart of the edition's report, by the key the page and the PDF place it with."""
    charts: dict[str, Chart | None] = {}
    charts["days"] = bar_chart(
        _("Meetings by day"), [day_label(line) for line in report.by_day], _meeting_series(report.by_day),
        key="days-chart", summary=_("Planned, realised and unplanned meetings of each day.")) \
        if report.by_day else None
    charts["themes"] = _breakdown(_("Meetings by theme"), report.by_theme, "themes-chart")
    charts["countries"] = _breakdown(_("Meetings by country"), report.by_country, "countries-chart")
    charts["categories"] = _breakdown(_("Meetings by category"), report.by_category, "categories-chart")
    kinds = [kind for kind, _per in report.kinds]
    charts["kinds"] = bar_chart(
        _("Outcomes by kind and status"), [kind_label(kind) for kind in kinds],
        [Series(status_label(status), [per[status] for _kind, per in report.kinds]) for status in OutcomeStatus],
        stacked=True, key="kinds-chart", height=300,
        summary=_("Each bar is a kind of outcome, its parts the statuses.")) if report.num_outcomes else None
    statuses = report.status_totals
    charts["statuses"] = bar_chart(
        _("Outcomes by status"), [status_label(s) for s in OutcomeStatus],
        [Series(_("Outcomes"), [statuses[s] for s in OutcomeStatus])], key="statuses-chart", height=220) \
        if report.num_outcomes else None
    charts["cities"] = ranking_chart(
        _("Cities and organisations with the most outcomes"), [r.name for r in report.top_cities],
        [Series(_("Outcomes"), [r.outcomes for r in report.top_cities])], key="cities-chart") \
        if report.top_cities else None
    charts["startups"] = ranking_chart(
        _("Startups with the most outcomes"), [r.name for r in report.top_startups],
        [Series(_("Outcomes"), [r.outcomes for r in report.top_startups])], key="startups-chart") \
        if report.top_startups else None
    histogram = report.histogram()
    charts["officials"] = bar_chart(
        _("Startups by the number of officials they met"), [label for label, _n in histogram],
        [Series(_("Startups"), [n for _label, n in histogram])], key="officials-chart", height=220,
        summary=_("Each bar counts the startups that met that many officials.")) if report.num_startups else None
    return charts


def network_chart(lines: list[NetworkLine]) -> Chart | None:
    if not any(line.total for line in lines):
        return None
    return bar_chart(_("Outcomes per edition"), [localized(line.event, "name") for line in lines],
                     [Series(kind_label(kind), [line.kind(kind) for line in lines]) for kind in OutcomeKind],
                     stacked=True, key="network-chart", height=320,
                     summary=_("Each bar is an edition, its parts the kinds of outcome."))


def timeline_chart(line: Timeline) -> Chart | None:
    steps = line.attended
    if not steps:
        return None
    return bar_chart(_("Meetings and outcomes per edition"), [localized(s.event, "name") for s in steps],
                     [Series(_("Planned meetings"), [s.planned for s in steps]),
                      Series(_("Realised meetings"), [s.realised for s in steps]),
                      Series(_("Outcomes"), [len(s.outcomes) for s in steps])], key="timeline-chart")
