"""Contacts as CSV or XLSX: what the consent allows (S9), safe to open in a spreadsheet (S11)."""
from __future__ import annotations

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.models import Event
from app.leads.models import Lead
from app.leads.services import contact_view, stand_name
from app.registrations.exporting import neutralise, table_to_csv, table_to_xlsx
from app.registrations.models import Registration

COLUMNS = ["startup", "last_name", "first_name", "organisation", "job_title", "shares_contact", "email", "phone",
           "rating", "tags", "notes", "num_scans", "first_scanned_at_utc", "last_scanned_at_utc"]


def rows(leads: list[Lead]) -> list[list[object]]:
    table = []
    for lead in leads:
        view = contact_view(lead)
        person = lead.registration.person
        table.append([neutralise(v) for v in (
            stand_name(lead.stand), person.last_name, person.first_name, view["organisation"], view["job_title"],
            "yes" if view["shares_contact"] else "no", view["email"] or "", view["phone"] or "",
            "" if lead.rating is None else lead.rating, "|".join(view["tags"]), view["notes"], lead.num_scans,
            lead.first_scanned_at.strftime("%Y-%m-%d %H:%M:%S"), lead.last_scanned_at.strftime("%Y-%m-%d %H:%M:%S"),
        )])
    return table


def export(leads: list[Lead], fmt: str) -> bytes:
    """`fmt` is csv or xlsx."""
    if fmt == "csv":
        return table_to_csv(COLUMNS, rows(leads))
    return table_to_xlsx("contacts", COLUMNS, rows(leads))


@atomic()
def export_contacts(event: Event, leads: list[Lead], fmt: str, *, stand: Registration | None, actor_id: int | None,
                    source: str = "") -> bytes:
    """The contacts as a csv or xlsx file; the export is audited (who, which stand, how many)."""
    body = export(leads, fmt)  # before the commit, which expires the loaded rows
    details = {"format": fmt, "count": len(leads)}
    if source:
        details["source"] = source
    audit.record("lead.export", actor_id=actor_id, event_id=event.id, obj=stand, details=details)
    return body
