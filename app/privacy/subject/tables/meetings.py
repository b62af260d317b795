"""Meetings on request, what came of them, and the network between summits."""
from __future__ import annotations

from app.privacy.subject.tables.rules import Erase, Rule

ACTOR = "an act of hers on another's row"
MESSAGES = {"message": "", "answer_reason": "", "cancel_reason": ""}

RULES = (
    Rule("meeting_request", ("from_registration_id", "to_registration_id"), Erase.ANONYMISE, True,
         "meeting requests", blank=MESSAGES, why="a meeting counts; its messages go"),
    Rule("meeting_request", ("answered_by_id", "cancelled_by_id"), Erase.UNLINK, False, "meeting answers",
         why=ACTOR),
    Rule("meeting_participant", ("registration_id",), Erase.KEEP, True, "meeting participants kept",
         why="a meeting held counts"),
    Rule("meeting_participant", ("added_by_id",), Erase.UNLINK, False, "participants added", why=ACTOR),
    Rule("meeting_mark", ("marked_by_id",), Erase.UNLINK, False, "meeting marks", why=ACTOR),
    Rule("meeting_profile", ("registration_id",), Erase.DELETE, True, "meeting profiles"),
    Rule("meeting_reminder", ("person_id",), Erase.DELETE, True, "meeting reminders"),
    Rule("meeting_throttle", ("id",), Erase.DELETE, False, "meeting throttles", why="a rate counter"),
    Rule("outcome", ("registration_id",), Erase.ANONYMISE, True, "outcomes", blank={"notes": ""},
         why="an outcome counts in the report; its notes go"),
    Rule("outcome", ("stand_id",), Erase.KEEP, False, "stand outcomes", why="the stand's"),
    Rule("outcome", ("recorded_by_id", "confirmed_by_id"), Erase.UNLINK, False, "outcomes recorded", why=ACTOR),
    Rule("outcome_survey", ("person_id", "registration_id"), Erase.DELETE, True, "surveys",
         hidden=("token_hash",)),
    Rule("outcome_survey_opt_out", ("person_id",), Erase.DELETE, True, "survey opt-outs"),
    Rule("network_city", ("official_contact_id", "staff_contact_id"), Erase.UNLINK, True, "city contacts"),
    Rule("network_digest_opt_out", ("person_id",), Erase.DELETE, True, "digest opt-outs"),
    Rule("network_membership", ("changed_by_id",), Erase.UNLINK, False, "memberships changed", why=ACTOR),
    Rule("network_organiser", ("person_id",), Erase.DELETE, True, "network roles"),
    Rule("network_organiser", ("granted_by_id",), Erase.UNLINK, False, "network roles granted", why=ACTOR),
    Rule("network_project", ("contact_id",), Erase.UNLINK, True, "project contacts"),
    Rule("network_project", ("created_by_id",), Erase.UNLINK, False, "projects created", why=ACTOR),
    Rule("network_project_document", ("uploaded_by_id",), Erase.UNLINK, False, "documents uploaded",
         hidden=("content",), why=ACTOR),
    Rule("network_project_partner", ("answered_by_id",), Erase.UNLINK, False, "partner answers", why=ACTOR),
    Rule("network_replication", ("asked_by_id",), Erase.UNLINK, False, "replications asked", why=ACTOR),
    Rule("network_replication_step", ("by_id",), Erase.UNLINK, False, "replication steps", why=ACTOR),
    Rule("network_wish_suggestion", ("from_registration_id",), Erase.DELETE, True, "suggested wishes"),
    Rule("network_wish_suggestion", ("to_registration_id",), Erase.KEEP, True, "suggestions about her kept"),
    Rule("network_wish_suggestion", ("by_id",), Erase.UNLINK, False, "suggestions confirmed", why=ACTOR),
)
