"""Her account, her registrations, what the edition's staff did, and what names her without a foreign key: the
audit rows about her, the mails to her, failed logins with her address, her accessibility reports."""
from __future__ import annotations

import secrets

from sqlalchemy import Table, and_, func, or_

from app.privacy.subject.tables.rules import Erase, Her, Rule, revoke


def _erased_email(her: Her) -> str:
    """A unique address of no one (the column is unique): nothing of hers in it."""
    return f"erased-{her.person_id}-{secrets.token_hex(4)}@erased.invalid"


def _person_is_her(table: Table, her: Her):
    return table.c.id == her.person_id


def _audit_about_her(table: Table, her: Her):
    about = [and_(table.c.object_type == "person", table.c.object_id == str(her.person_id))]
    if her.registration_ids:
        about.append(and_(table.c.object_type == "registration",
                          table.c.object_id.in_([str(i) for i in her.registration_ids])))
    return or_(*about)


def _to_her_address(column: str):
    def match(table: Table, her: Her):
        return func.lower(table.c[column]) == her.email.lower()
    return match


ACTOR = "an act of her role on the edition's rows (the audit rows she made are exported)"

RULES = (
    Rule("person", ("id",), Erase.ANONYMISE, True, "account", match=_person_is_her, blank={
        "email": _erased_email, "first_name": "", "last_name": "[effacé]", "phone": "", "job_title": "",
        "organisation_id": None, "password_hash": None, "is_enabled": False, "is_staff": False,
        "session_token": lambda her: secrets.token_hex(16), "last_login_at": None, "search_key": ""},
        hidden=("password_hash", "session_token"),
        why="the account stays as the anonymous holder of her registrations (the edition's counts); it can no "
            "longer log in and every session ends"),
    Rule("registration", ("person_id",), Erase.ANONYMISE, True, "registrations", blank={
        "organisation_id": None, "job_title": "", "mandate_title": "", "territory": "", "consent_directory": False,
        "consent_share_contact": False, "delegation_id": None, "protocol_rank": None, "search_key": ""},
        why="category, status, days and themes stay for the figures; her organisation, titles and delegation go"),
    Rule("registration", ("team_lead_id",), Erase.KEEP, False, "team members kept",
         why="her colleagues' registrations, pointing at her anonymised one"),
    Rule("registration_theme", ("registration_id",), Erase.KEEP, True, "themes kept"),
    Rule("event_role", ("person_id",), Erase.DELETE, True, "roles"),
    Rule("audit_entry", ("actor_id",), Erase.UNLINK, True, "audit rows she made"),
    Rule("audit_entry", ("object_type", "object_id"), Erase.ANONYMISE, True, "audit rows about her",
         match=_audit_about_her, blank={"details": {"erased": True}},
         why="what was done and when stays; the details (old and new values) go"),
    Rule("outbox_message", ("recipient",), Erase.DELETE, True, "mails", match=_to_her_address("recipient")),
    Rule("login_failure", ("email",), Erase.DELETE, True, "failed logins", match=_to_her_address("email")),
    Rule("accessibility_report", ("email",), Erase.ANONYMISE, True, "accessibility reports",
         match=_to_her_address("email"), blank={"name": "", "email": ""}),
    Rule("delegation", ("coordinator_id",), Erase.UNLINK, True, "delegations coordinated"),
    Rule("job", ("created_by_id",), Erase.UNLINK, False, "jobs started", why=ACTOR),
    Rule("import_batch", ("created_by_id",), Erase.UNLINK, False, "imports", hidden=("content",), why=ACTOR),
    Rule("print_run", ("created_by_id",), Erase.UNLINK, False, "badge prints", hidden=("pdf",), why=ACTOR),
    Rule("program_publication", ("published_by_id",), Erase.UNLINK, False, "program publications", why=ACTOR),
    Rule("api_token", ("created_by_id",), Erase.UNLINK, False, "API tokens created", why=ACTOR),
    Rule("api_token", ("stand_id",), Erase.KEEP, False, "stand API tokens", why="the stand's, not hers"),
    Rule("webhook_endpoint", ("created_by_id",), Erase.UNLINK, False, "webhooks created", why=ACTOR),
)

__all__ = ["RULES", "revoke"]
