"""The edition's report as a spreadsheet: its figures (CSV, and the XLSX's first sheet) and its outcomes one per
row (the XLSX's second sheet). Written and neutralised as every export of the app (app.registrations.exporting:
a cell a spreadsheet would take for a formula is prefixed with a quote, S11). Downloads are audited."""
from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.audit import services as audit
from app.core.i18n import country_name
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.outcomes.models import Outcome, OutcomeStatus
from app.people.models import Organisation
from app.registrations.exporting import neutralise, table_to_csv
from app.report.figures import EditionReport
from app.report.labels import kind_label, status_label
from app.report.pdf import report_pdf

#: Meetings are counted in planned..unplanned; outcomes, organisations' outcomes and startups in "count". Meetings
#: on request (section "requested_meetings"): planned, held in "realised", planned but not held in "gap", their
#: no-shows in "count".
FIGURE_COLUMNS = ["section", "item", "planned", "realised", "gap", "unplanned", "count"]
OUTCOME_COLUMNS = ["startup", "startup_country", "organisation", "organisation_country", "kind", "status",
                   "status_on", "amount", "currency", "source", "recorded_side", "confirmed"]
MIMETYPES = {"csv": "text/csv", "pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def figure_rows(report: EditionReport) -> list[list[object]]:
    """One row per figure of the report: its section, what it counts, the meetings or the outcomes."""
    rows: list[list[object]] = []

    def meetings(section: str, lines, label=lambda line: line.label) -> None:
        for line in lines:
            rows.append([section, label(line), line.planned, line.realised, line.gap, line.unplanned, None])

    meetings("total", [report.totals])
    meetings("day", report.by_day, lambda line: line.key)
    meetings("theme", report.by_theme)
    meetings("country", report.by_country)
    meetings("category", report.by_category)
    for tally in [report.requested.total, *report.requested.days]:
        rows.append(["requested_meetings", tally.day.isoformat() if tally.day else "total", tally.planned,
                     tally.held, tally.planned - tally.held, None, tally.no_show])
    for kind, per in report.kinds:
        rows.append(["outcome_kind", kind_label(kind), None, None, None, None, sum(per.values())])
    for status, number in report.status_totals.items():
        rows.append(["outcome_status", status_label(status), None, None, None, None, number])
    for kind, per in report.kinds:
        for status in OutcomeStatus:
            rows.append(["outcome_kind_status", f"{kind_label(kind)} / {status_label(status)}", None, None, None,
                         None, per[status]])
    for ranked in report.top_cities:
        rows.append(["top_city", ranked.name, None, None, None, None, ranked.outcomes])
    for ranked in report.top_startups:
        rows.append(["top_startup", ranked.name, None, None, None, None, ranked.outcomes])
    for label, number in report.histogram():
        rows.append(["startups_by_officials_met", label, None, None, None, None, number])
    rows.append(["startups", "all", None, None, None, None, report.num_startups])
    rows.append(["startups_met_at_least_n_officials", str(report.min_officials), None, None, None, None,
                 report.startups_at_least])
    return [[neutralise(value) for value in row] for row in rows]


def outcome_rows(event: Event) -> list[list[object]]:
    startup, city = aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        select(startup.name, startup.country, city.name, city.country, Outcome.kind, Outcome.status,
               Outcome.status_on, Outcome.amount, Outcome.currency, Outcome.source, Outcome.recorded_side,
               Outcome.confirmed_at)
        .join(startup, startup.id == Outcome.startup_id).join(city, city.id == Outcome.organisation_id)
        .where(Outcome.event_id == event.id).order_by(Outcome.status_on, Outcome.id))
    return [[neutralise(value) for value in (
        s_name, country_name(s_country), c_name, country_name(c_country), kind_label(kind), status_label(status),
        status_on.isoformat(), amount, currency, str(source), str(side), "yes" if confirmed else "no")]
        for s_name, s_country, c_name, c_country, kind, status, status_on, amount, currency, source, side, confirmed
        in rows]


def to_xlsx(report: EditionReport) -> bytes:
    workbook = Workbook(write_only=True)
    for name, columns, rows in (("figures", FIGURE_COLUMNS, figure_rows(report)),
                                ("outcomes", OUTCOME_COLUMNS, outcome_rows(report.event))):
        sheet = workbook.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@atomic()
def download(report: EditionReport, fmt: str, *, actor_id: int | None) -> bytes:
    """The report as "pdf", "csv" (its figures) or "xlsx" (its figures and outcomes); audited."""
    if fmt == "pdf":
        body = report_pdf(report)
    elif fmt == "csv":
        body = table_to_csv(FIGURE_COLUMNS, figure_rows(report))
    else:
        body = to_xlsx(report)
    audit.record("report.download", actor_id=actor_id, event_id=report.event.id,
                 details={"format": fmt, "outcomes": report.num_outcomes})
    return body
