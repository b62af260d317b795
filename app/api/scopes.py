"""What an API token may do. An organiser's token holds any of ORGANISER_SCOPES; a startup's token only reads
its own stand's contacts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Scope: what it allows (English, for the OpenAPI document).
SCOPES = {
    "registrations:read": "read registrations (name, organisation, category, status, delegation, consents) "
                          "and delegations",
    "registrations:contact": "with registrations:read, also the e-mail address and phone number",
    "registrations:write": "create and update registrations, change their status",
    "program:read": "read the published program: sessions, rooms, speakers",
    "stands:read": "read the demonstrator's stands and their startups",
    "plan:read": "read the published visit plan, per visitor and per stand",
    "checkins:read": "read check-ins at the door",
    "checkins:write": "check people in (a door system of the venue)",
    "outcomes:read": "read the outcomes of meetings",
    "outcomes:write": "record and update outcomes of meetings",
    "network:read": "read the network between summits: member cities, the library's projects (public and members-only, "
                    "never drafts) and consortia; the contacts' e-mail addresses need registrations:contact too",
    "leads:read": "a startup's own contacts, only what each person agreed to share (a startup's token only)",
}

ORGANISER_SCOPES = tuple(s for s in SCOPES if s != "leads:read")
STAND_SCOPES = ("leads:read",)

#: The same, for people, in the interface's language.
SCOPE_LABELS = {
    "registrations:read": _l("Read registrations and delegations"),
    "registrations:contact": _l("With them, e-mail addresses and phone numbers"),
    "registrations:write": _l("Create and update registrations, change their status"),
    "program:read": _l("Read the published program"),
    "stands:read": _l("Read the stands and their startups"),
    "plan:read": _l("Read the published visit plan"),
    "checkins:read": _l("Read check-ins"),
    "checkins:write": _l("Check people in"),
    "outcomes:read": _l("Read the outcomes of meetings"),
    "outcomes:write": _l("Record outcomes of meetings"),
    "network:read": _l("Read the network's member cities, projects and consortia"),
    "leads:read": _l("Read the stand's contacts (what each person agreed to share)"),
}
