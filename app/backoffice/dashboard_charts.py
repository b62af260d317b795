"""The dashboard's charts (app.core.charts), drawn from its figures, with the words the page names them by.

A chart is drawn only when there is something to draw: the template says plainly what is missing otherwise.
Drawing the SVG is most of the page's time, and the same figures draw the same chart: the last charts drawn are
kept, by everything that draws them (title, labels in the reader's language, values, options).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import format_percent
from markupsafe import Markup

from app.backoffice.figures import Dashboard
from app.core.charts import Series, bar_chart, line_chart, ranking_chart
from app.core.i18n import localized
from app.core.numbers import format_number
from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.core.timefmt import format_day
from app.events.labels import CATEGORY_LABELS
from app.events.models import Event

#: The charts are drawn this wide (the page scales them to their column: half the page on a desk).
WIDTH = 420
_BUILDERS = {"bar": bar_chart, "line": line_chart, "ranking": ranking_chart}


@dataclass(frozen=True)
class Drawn:
    """A chart of app.core.charts, drawn: its title and its SVG."""

    title: str
    markup: Markup

    def svg(self) -> Markup:
        return self.markup


@lru_cache(maxsize=128)
def _svg(kind: str, title: str, labels: tuple, series: tuple, options: tuple) -> Markup:
    return _BUILDERS[kind](title, list(labels), [Series(label, list(values)) for label, values in series],
                           **dict(options)).svg()


def _draw(kind: str, title: str, labels, series: list[Series], **options) -> Drawn:
    return Drawn(title, _svg(kind, title, tuple(labels), tuple((s.label, tuple(s.values)) for s in series),
                             tuple(sorted(options.items()))))


def point_label(weeks: int) -> str:
    """A point of the registration curves: "−12" weeks before the first day, or the edition itself."""
    return f"−{weeks}" if weeks else _("summit")


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def registration_charts(event: Event, figures: Dashboard) -> dict[str, Drawn]:
    curves = figures.registrations
    if curves.is_empty:
        return {}
    every = max(1, -(-len(curves.points) // 14))
    # One label in `every`, counted back from the summit's so that it is always there.
    labels = [point_label(k) if (len(curves.points) - 1 - i) % every == 0 else ""
              for i, k in enumerate(curves.points)]
    series = [Series(_("This edition"), curves.total)]
    if curves.previous is not None:
        series.append(Series(localized(curves.previous, "name"), curves.previous_total))
    known = curves.known
    last = curves.total[known[-1]] if known else 0
    summary = _("%(count)s registrations so far.", count=format_number(last or 0))
    if curves.previous is not None:
        summary += " " + _("%(name)s: %(count)s in all.", name=localized(curves.previous, "name"),
                           count=format_number(curves.previous_total[-1]))
    charts = {"curve": _draw("line", _("Registrations, cumulative, by week before the first day"), labels, series,
                             summary=summary, key="registrations-curve", width=WIDTH)}
    categories = [c for c in event.categories if c.id in curves.by_category
                  and any(curves.by_category[c.id][i] for i in known)]
    every_bar = max(1, -(-len(known) // 14))   # one label in so many, counted back from the last bar
    if known and categories:
        charts["categories"] = _draw(
            "bar", _("Registrations by category, cumulative, by week before the first day"),
            [point_label(curves.points[i]) if (known[-1] - i) % every_bar == 0 else "" for i in known],
            [Series(str(CATEGORY_LABELS[c.code]), [curves.by_category[c.id][i] for i in known]) for c in categories],
            stacked=True, key="registrations-categories", width=WIDTH,
            summary=_("The table below gives the same figures."))
    return charts


def arrivals_chart(figures: Dashboard, timezone: str) -> Drawn | None:
    arrivals = figures.arrivals
    if not arrivals.total:
        return None
    return _draw("bar", _("Arrivals at the door by hour (%(tz)s)", tz=timezone),
                     [hour_label(h) for h in arrivals.hours],
                     [Series(format_day(day, "day_short"), arrivals.of_day(day)) for day in arrivals.days],
                     key="arrivals", width=WIDTH,
                     summary=ngettext("%(num)d arrival in all.", "%(num)d arrivals in all.", arrivals.total))


def leads_chart(figures: Dashboard) -> Drawn | None:
    leads = figures.leads
    if not leads.top:
        return None
    return _draw(
        "ranking", ngettext("The stand with the most leads", "The %(num)d stands with the most leads", len(leads.top)),
        [f"{', '.join(s.stands)} · {s.name}" if s.stands else s.name for s in leads.top],
        [Series(_("Leads"), [s.leads for s in leads.top])], key="leads", width=WIDTH,
        summary=ngettext("%(num)d lead in all.", "%(num)d leads in all.", leads.total))


def coverage_charts(figures: Dashboard) -> dict[str, Drawn]:
    coverage = figures.coverage
    if coverage.plan is None:
        return {}
    charts = {"routed": _draw(
        "bar", _("Officials and delegations routed by the published plan"), [_("Officials"), _("Delegations")],
        [Series(_("Routed"), [coverage.officials_routed, coverage.delegations_routed]),
         Series(_("Not routed"), [coverage.officials_idle, coverage.delegations_idle])],
        stacked=True, height=220, key="routed", width=WIDTH,
        summary=_("%(officials)d of %(all_officials)d officials and %(delegations)d of %(all_delegations)d "
                  "delegations routed.", officials=coverage.officials_routed,
                  all_officials=coverage.officials_routed + coverage.officials_idle,
                  delegations=coverage.delegations_routed,
                  all_delegations=coverage.delegations_routed + coverage.delegations_idle))}
    shown = coverage.shortfall[:20]
    if shown:
        charts["shortfall"] = _draw(
            "ranking", _("Stands under their minimum of visits"),
            [f"{s['number']} · {s['startup']}" if s["startup"] else s["number"] for s in shown],
            [Series(_("Planned visits"), [s["visits"] for s in shown]),
             Series(_("Minimum"), [s["min"] for s in shown])], key="shortfall", width=WIDTH,
            summary=ngettext("%(num)d stand under its minimum.", "%(num)d stands under their minimum.",
                             len(coverage.shortfall)))
    return charts


def realised_chart(figures: Dashboard) -> Drawn | None:
    days = figures.realised_days
    if not days or not figures.num_scans:
        return None
    planned = sum(t.planned for _d, t in days)
    done = sum(t.realised for _d, t in days)
    return _draw("bar", _("Meetings planned and realised, by day"), [format_day(d, "day_short") for d, _t in days],
                     [Series(_("Planned"), [t.planned for _d, t in days]),
                      Series(_("Realised"), [t.realised for _d, t in days])], key="realised", width=WIDTH,
                     summary=_("%(realised)d of %(planned)d planned meetings realised (%(rate)s).",
                               realised=done, planned=planned,
                               rate=format_percent(done / planned) if planned else "—"))


def charts(event: Event, figures: Dashboard) -> dict[str, Drawn | None]:
    return {**registration_charts(event, figures), "arrivals": arrivals_chart(figures, event.timezone),
            "leads": leads_chart(figures), **coverage_charts(figures), "realised": realised_chart(figures)}
