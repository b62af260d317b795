"""The filtered audit rows as a CSV file, safe to open in a spreadsheet (S11); the export is itself audited (who,
how many rows, which filters: whether a name was searched, never the name)."""
from __future__ import annotations

import json

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.models import Event
from app.privacy.auditlog.queries import AuditFilters, AuditRow, all_rows, zone_of
from app.registrations.exporting import neutralise, table_to_csv

COLUMNS = ["at", "time_zone", "at_utc", "actor", "actor_id", "action", "action_label", "object_type", "object_id",
           "object", "source", "details"]


def csv_rows(rows: list[AuditRow], zone: str) -> list[list[object]]:
    return [[neutralise(value) for value in (
        row.at.strftime("%Y-%m-%d %H:%M:%S"), zone, row.at_utc.strftime("%Y-%m-%d %H:%M:%S"), row.actor,
        row.actor_id if row.actor_id is not None else "", row.action, row.label, row.object_type, row.object_id,
        row.object, row.source, json.dumps(row.details, ensure_ascii=False, sort_keys=True) if row.details else "",
    )] for row in rows]


@atomic()
def export_csv(event: Event | None, filters: AuditFilters, *, actor_id: int) -> tuple[bytes, int]:
    """The rows the filters find (the edition's, or the platform's when `event` is None), newest first, as CSV;
    and how many. The export's own audit row comes after them (it is not in the file)."""
    rows = all_rows(event, filters)
    body = table_to_csv(COLUMNS, csv_rows(rows, zone_of(event)))
    audit.record("audit.export", actor_id=actor_id, event_id=event.id if event is not None else None,
                 details={"format": "csv", "rows": len(rows), "filters": filters.audited()})
    return body, len(rows)
