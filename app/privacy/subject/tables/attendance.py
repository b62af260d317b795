"""What she did at an edition: program, badges and the door, the stands that scanned her, the demonstrator."""
from __future__ import annotations

from sqlalchemy import Table

from app.privacy.subject.tables.rules import Erase, Rule, revoke

STAND = "the stand's data (a startup's registration holds its stand), not hers"
ACTOR = "an act of her role on the edition's rows"


def _not_revoked(table: Table):
    return table.c.revoked_at.is_(None)


RULES = (
    Rule("agenda_entry", ("registration_id",), Erase.KEEP, True, "agenda entries kept",
         why="a seat taken counts; nothing in it names her"),
    Rule("session_speaker", ("registration_id",), Erase.DELETE, True, "talks",
         why="the public program no longer names her"),
    Rule("feed_token", ("registration_id",), Erase.ANONYMISE, True, "calendar feeds revoked",
         blank={"revoked_at": revoke}, only=_not_revoked, hidden=("token",), hashed=("token",)),
    Rule("badge_token", ("registration_id",), Erase.ANONYMISE, True, "badges revoked",
         blank={"revoked_at": revoke}, only=_not_revoked, hidden=("token",), hashed=("token",)),
    Rule("check_in", ("registration_id",), Erase.KEEP, True, "check-ins kept", why="a check-in counts"),
    Rule("check_in", ("by_id",), Erase.UNLINK, False, "check-ins made", why=ACTOR),
    Rule("lead", ("registration_id",), Erase.ANONYMISE, True, "leads anonymised",
         blank={"notes": "", "tags": [], "rating": None, "search_key": ""},
         why="a lead counts; what the stand wrote about her goes"),
    Rule("lead", ("stand_id",), Erase.KEEP, False, "stand leads", why=STAND),
    Rule("lead_scan", ("registration_id",), Erase.ANONYMISE, True, "scans anonymised",
         blank={"notes": "", "tags": [], "rating": None}),
    Rule("lead_scan", ("stand_id",), Erase.KEEP, False, "stand scans", why=STAND),
    Rule("lead_device", ("stand_id",), Erase.KEEP, False, "stand devices", why=STAND, hidden=("token_hash",)),
    Rule("lead_device", ("paired_by_id",), Erase.UNLINK, False, "devices paired", why=ACTOR),
    Rule("lead_pairing_code", ("stand_id",), Erase.KEEP, False, "stand pairing codes", why=STAND),
    Rule("lead_pairing_code", ("created_by_id",), Erase.UNLINK, False, "pairing codes made", why=ACTOR),
    Rule("lead_stand_tag", ("stand_id",), Erase.KEEP, False, "stand tags", why=STAND),
    Rule("availability_change", ("registration_id",), Erase.ANONYMISE, True, "availability changes",
         blank={"reason": ""}),
    Rule("availability_change", ("created_by_id",), Erase.UNLINK, False, "availability changes made", why=ACTOR),
    Rule("routing_opt_out", ("registration_id",), Erase.KEEP, True, "route opt-outs kept",
         why="an anonymous official stays out of the routes she left"),
    Rule("meeting_wish", ("from_registration_id",), Erase.DELETE, True, "wishes",
         why="her own choices; the plans already computed keep their visits"),
    Rule("meeting_wish", ("to_registration_id",), Erase.KEEP, True, "wishes about her kept",
         why="the other side's choices, towards an anonymised registration"),
    Rule("planned_visit", ("registration_id",), Erase.KEEP, True, "planned visits kept",
         why="a planned visit counts"),
    Rule("planned_visit", ("startup_id",), Erase.KEEP, True, "visits to her stand kept"),
    Rule("visit_plan", ("created_by_id",), Erase.UNLINK, False, "plans computed", why=ACTOR),
    Rule("stand_booking", ("registration_id",), Erase.KEEP, True, "stand bookings kept"),
    Rule("stand_closure", ("created_by_id",), Erase.UNLINK, False, "stand closures", why=ACTOR),
)
