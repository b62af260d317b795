"""Registration exports as CSV or XLSX, safe to open in a spreadsheet (S11)."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.labels import CATEGORY_LABELS
from app.events.models import Event
from app.registrations.labels import STATUS_NAMES, mandate_title
from app.registrations.models import Registration
from app.registrations.queries import RegistrationFilters, all_of

#: Cells starting with these would be read as formulas by spreadsheet software.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = ["last_name", "first_name", "email", "phone", "category", "status", "organisation", "job_title",
           "mandate", "territory", "country", "delegation", "days", "themes", "consent_directory",
           "consent_share_contact", "registered_at_utc"]


def neutralise(value: object) -> object:
    """Prefix a quote to text a spreadsheet would take for a formula; leave numbers alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows(registrations: list[Registration]) -> list[list[object]]:
    table = []
    for r in registrations:
        table.append([neutralise(v) for v in (
            r.person.last_name, r.person.first_name, r.person.email, r.person.phone,
            str(CATEGORY_LABELS[r.category.code]), str(STATUS_NAMES[r.status.value]),
            r.organisation.name if r.organisation else "", r.job_title,
            mandate_title(r), r.territory, r.person.country,
            r.delegation.name if r.delegation else "", " ".join(r.days or []),
            "|".join(t.code for t in r.themes), "yes" if r.consent_directory else "no",
            "yes" if r.consent_share_contact else "no", r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        )])
    return table


def table_to_csv(columns: list[str], table: list[list[object]]) -> bytes:
    """Any export's rows (already neutralised) as UTF-8 CSV that Excel opens with accents intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(table)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 accents


def table_to_xlsx(sheet_name: str, columns: list[str], table: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(columns)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(registrations: list[Registration]) -> bytes:
    return table_to_csv(COLUMNS, rows(registrations))


def to_xlsx(registrations: list[Registration]) -> bytes:
    return table_to_xlsx("registrations", COLUMNS, rows(registrations))


def _audited(filters: dict) -> dict:
    """The filters as the audit keeps them: a searched name is personal data, so only that a search was made."""
    return {k: (True if k == "q" else v) for k, v in filters.items()}


@atomic()
def export_registrations(event: Event, filters: RegistrationFilters, fmt: str, *, actor_id: int) -> bytes:
    """The filtered registrations as a "csv" or "xlsx" file; the export is audited (who, how many, which filters)."""
    registrations = all_of(event, filters)
    # Built before the commit, which expires every loaded row.
    body = to_csv(registrations) if fmt == "csv" else to_xlsx(registrations)
    audit.record("registration.export", actor_id=actor_id, event_id=event.id,
                 details={"format": fmt, "rows": len(registrations), "filters": _audited(filters.as_args())})
    return body
