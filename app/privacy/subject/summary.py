"""The readable side of her export: one section per kind of data, titled in her language."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.privacy.subject.collect import Collected

TITLES = {
    "person": _l("Your account"),
    "registration": _l("Your registrations"),
    "registration_theme": _l("Themes of your registrations"),
    "event_role": _l("Your roles"),
    "audit_entry": _l("Audit rows about you (consents and their history among them)"),
    "outbox_message": _l("Mails sent to you"),
    "login_failure": _l("Failed logins with your address"),
    "accessibility_report": _l("Your accessibility reports"),
    "delegation": _l("Delegations you coordinate"),
    "agenda_entry": _l("Your agenda and seats"),
    "session_speaker": _l("Your talks"),
    "feed_token": _l("Your calendar feeds (SHA-256 of the address)"),
    "badge_token": _l("Your badges (SHA-256 of the code, never the code)"),
    "check_in": _l("Your check-ins"),
    "lead": _l("Stands that scanned you and what each recorded"),
    "lead_scan": _l("Each scan of your badge"),
    "availability_change": _l("Changes to your availability"),
    "routing_opt_out": _l("Your choice to stay out of the visit routes"),
    "meeting_wish": _l("Wishes (yours, and others' about you)"),
    "planned_visit": _l("Your visit routes"),
    "stand_booking": _l("Your stand bookings"),
    "meeting_request": _l("Meetings on request"),
    "meeting_participant": _l("Meetings you took part in"),
    "meeting_profile": _l("Your meeting preferences"),
    "meeting_reminder": _l("Meeting reminders sent to you"),
    "outcome": _l("Outcomes of your meetings"),
    "outcome_survey": _l("Follow-up surveys sent to you"),
    "outcome_survey_opt_out": _l("Your refusal of follow-up surveys"),
    "network_city": _l("Member cities you are a contact of"),
    "network_digest_opt_out": _l("Your refusal of the network digest"),
    "network_organiser": _l("Your role in the network"),
    "network_project": _l("Projects you are the contact of"),
    "network_wish_suggestion": _l("Suggested wishes"),
    "privacy_export": _l("Your data exports"),
}


@dataclass(frozen=True)
class Section:
    table: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


def summary_sections(found: Collected) -> list[Section]:
    sections = []
    for table in sorted(found.tables, key=lambda t: (list(TITLES).index(t) if t in TITLES else len(TITLES), t)):
        rows = found.tables[table]
        columns = list(rows[0]) if rows else []
        sections.append(Section(table, str(TITLES.get(table, table)), columns,
                                [[row.get(c) for c in columns] for row in rows]))
    return sections
