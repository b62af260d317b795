"""The edition's report as a PDF for the funders: the page's figures and charts, in the reader's language.

Platypus on the badges' canvas (badges.documents.new_canvas: the document says its title and language, no time
stamps) and fonts (DejaVu, embedded); the charts are the pages' drawings, as they are.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.charts import Chart
from app.core.i18n import country_name, current_language, localized
from app.core.numbers import format_number
from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.core.timefmt import format_day
from app.outcomes.models import OutcomeStatus
from app.report.charts import day_label, edition_charts
from app.report.figures import EditionReport, Line
from app.report.labels import kind_label, status_label
from badges.documents import new_canvas
from badges.render import FONT, FONT_BOLD

TEXT = colors.HexColor("#1f2328")
RULE = colors.HexColor("#d0d4da")
HEAD = colors.HexColor("#eef1f5")
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=TEXT, spaceAfter=4)
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=6)
HEAD_LEFT = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=TEXT)
HEAD_RIGHT = ParagraphStyle("head_right", parent=HEAD_LEFT, alignment=TA_RIGHT)
H2 = ParagraphStyle("h2", parent=BODY, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10, spaceAfter=4)


def _table(header: list[str], rows: list[list[object]], widths: list[float] | None = None) -> Table:
    """A table whose numbers are written the reader's way, its first column text, a header row repeated."""
    head = [Paragraph(escape(text), HEAD_LEFT if i == 0 else HEAD_RIGHT) for i, text in enumerate(header)]
    cells = [head] + [[format_number(c) if isinstance(c, int) else ("" if c is None else str(c)) for c in row]
                      for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), TEXT), ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _meetings_table(first: str, lines: list[Line], label=lambda line: line.label) -> Table:
    return _table([first, _("Planned"), _("Realised"), _("Gap"), _("Unplanned")],
                  [[label(line), line.planned, line.realised, line.gap, line.unplanned] for line in lines],
                  [66 * mm, 26 * mm, 26 * mm, 22 * mm, 34 * mm])


def _chart(chart: Chart | None) -> list:
    if chart is None:
        return []
    drawing = chart.drawing
    scale = min(1.0, (A4[0] - 36 * mm) / drawing.width)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return [drawing, Spacer(1, 4)]


def _section(title: str, *flowables) -> list:
    return [KeepTogether([Paragraph(escape(title), H2), *flowables[:1]]), *flowables[1:]]


def report_pdf(report: EditionReport) -> bytes:
    """The report as PDF bytes (the same content gives the same bytes)."""
    event = report.event
    charts = edition_charts(report)
    title = _("Report · %(event)s", event=localized(event, "name"))
    language = current_language()
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title=title, author="Médiane", lang=language)

    def canvasmaker(filename, **kwargs):
        return new_canvas(filename, pagesize=A4, title=title, language=language,
                          subject=_("Meetings and outcomes of the edition"))

    totals = report.totals
    story: list = [Paragraph(escape(title), TITLE), Paragraph(escape(_(
        "%(city)s, %(start)s to %(end)s.", city=event.city, start=format_day(event.starts_on, "date"),
        end=format_day(event.ends_on, "date"))), BODY)]
    story.append(Paragraph(escape(_(
        "%(planned)s, %(realised)s (gap: %(gap)s); %(unplanned)s; %(outcomes)s, %(confirmed)s.",
        planned=ngettext("%(num)d meeting planned", "%(num)d meetings planned", totals.planned, num=totals.planned),
        realised=ngettext("%(num)d realised", "%(num)d realised", totals.realised, num=totals.realised),
        gap=format_number(totals.gap),
        unplanned=ngettext("%(num)d unplanned meeting", "%(num)d unplanned meetings", totals.unplanned,
                           num=totals.unplanned),
        outcomes=ngettext("%(num)d outcome recorded", "%(num)d outcomes recorded", report.num_results,
                          num=report.num_results),
        confirmed=ngettext("%(num)d confirmed by the other side", "%(num)d confirmed by the other side",
                           report.num_confirmed, num=report.num_confirmed))), BODY))
    if report.num_nothing:
        story.append(Paragraph(escape(ngettext(
            "Besides, %(num)d meeting was answered “nothing for now”.",
            "Besides, %(num)d meetings were answered “nothing for now”.", report.num_nothing, num=report.num_nothing)),
            BODY))
    if report.plan_version is None:
        story.append(Paragraph(escape(_("No visit plan is published: every meeting counted is unplanned.")), BODY))
    if report.by_day:
        story += _section(_("Meetings by day"), *_chart(charts["days"]),
                          _meetings_table(_("Day"), report.by_day, day_label))
    requested = report.requested
    if requested.total.planned:
        story += _section(_("Meetings on request"), Paragraph(escape(_(
            "Published: %(planned)s; held: %(held)s; no-show: %(no_show)s; not marked: %(unmarked)s.",
            planned=format_number(requested.total.planned), held=format_number(requested.total.held),
            no_show=format_number(requested.total.no_show), unmarked=format_number(requested.total.unmarked))), BODY),
            _table([_("Day"), _("Planned"), _("Held meetings"), _("No-shows"), _("Not marked")],
                   [[format_day(t.day, "day"), t.planned, t.held, t.no_show, t.unmarked] for t in requested.days],
                   [66 * mm, 26 * mm, 26 * mm, 26 * mm, 30 * mm]))
    for key, title_, first, lines in (("themes", _("Meetings by theme"), _("Theme"), report.by_theme),
                                      ("countries", _("Meetings by country"), _("Country"), report.by_country),
                                      ("categories", _("Meetings by category"), _("Category"), report.by_category)):
        if lines:
            story += _section(title_, *_chart(charts[key]), _meetings_table(first, lines))
    statuses = list(OutcomeStatus)
    story += _section(_("Outcomes by kind and status"), *_chart(charts["kinds"]), _table(
        [_("Kind")] + [status_label(s) for s in statuses] + [_("Total")],
        [[kind_label(kind)] + [per[s] for s in statuses] + [sum(per.values())] for kind, per in report.kinds]
        + [[_("Total")] + [report.status_totals[s] for s in statuses] + [report.num_outcomes]]))
    for key, title_, first, ranked in (
            ("cities", _("Cities and organisations with the most outcomes"), _("City or organisation"),
             report.top_cities),
            ("startups", _("Startups with the most outcomes"), _("Startup"), report.top_startups)):
        if ranked:
            story += _section(title_, *_chart(charts[key]), _table(
                [first, _("Country"), _("Outcomes")], [[r.name, country_name(r.country), r.outcomes] for r in ranked],
                [100 * mm, 30 * mm, 30 * mm]))
    story += _section(_("Startups and the officials they met"), Paragraph(escape(ngettext(
        "Startups that met at least %(n)d official: %(count)d of %(total)d.",
        "Startups that met at least %(n)d officials: %(count)d of %(total)d.", report.min_officials,
        n=report.min_officials, count=report.startups_at_least, total=report.num_startups)), BODY), *_chart(charts["officials"]), _table(
        [_("Officials met"), _("Startups")], [[label, n] for label, n in report.histogram()], [50 * mm, 30 * mm]))
    document.build(story, canvasmaker=canvasmaker)
    return out.getvalue()
