"""The placement room's labels and refusals, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.sentences import gettext as _
from app.meetings.errors import MeetingError
from app.meetings.placement.models import Unplaced

#: Why a meeting has no place, in plain words.
REASONS = {
    Unplaced.NO_COMMON_SLOT: _l("No common free slot: in no slot of the meeting sessions are all of them free "
                                "(the days they attend, their sessions, their visit routes)."),
    Unplaced.NO_TABLE: _l("No table left: in every slot where all of them are free, every table is taken."),
    Unplaced.PERSON_BUSY: _l("Someone is busy: in every free slot with a table left, one of them already has "
                             "another meeting, or as many meetings as a session allows."),
}

#: The same, in a word or two (the grid's legend, counts).
SHORT_REASONS = {
    Unplaced.NO_COMMON_SLOT: _l("No common free slot"),
    Unplaced.NO_TABLE: _l("No table left"),
    Unplaced.PERSON_BUSY: _l("Someone is busy"),
}


def message(error: MeetingError) -> str:
    """What a refusal of the placement says."""
    p = error.params
    texts = {
        "bad_time_limit": lambda: _("Time limit: give a number of seconds from %(low)s to %(high)s.",
                                    low=p.get("low", ""), high=p.get("high", "")),
        "already_placing": lambda: _("The meetings are being placed just now: wait for the end of that job."),
        "routes_running": lambda: _("The visit routes are being computed just now: place the meetings once that "
                                    "computation is over."),
        "routes_refused": lambda: _("The routes could not be computed with the meetings at the stands: %(detail)s",
                                    detail=p.get("detail", "")),
        "unknown_placement": lambda: _("This meeting does not exist in this edition."),
        "not_accepted": lambda: _("This meeting is no longer accepted: it is not placed any more."),
        "stand_meeting": lambda: _("This meeting is at a startup's stand: it is a visit of the official's route, "
                                   "moved or locked on the visit plan's page."),
        "meeting_locked": lambda: _("This meeting is locked: unlock it before moving it."),
        "not_placed": lambda: _("This meeting has no place yet: move it to a slot and a table, which locks it."),
        "bad_slot": lambda: _("Slot: choose one of the slots of the meeting sessions."),
        "bad_table": lambda: _("Table: choose one of the tables of the meetings area."),
        "bad_lock": lambda: _("Say whether to lock or unlock the meeting."),
        "clash": lambda: _("Refused, nothing was changed: %(reason)s", reason=p.get("reason", "")),
        "draft_clash": lambda: _("Refused, nothing was published: the draft no longer holds since the meetings "
                                 "were placed. %(reason)s Move that meeting or place the meetings again.",
                                 reason=p.get("reason", "")),
        "nothing_placed": lambda: _("The meetings have not been placed yet: place them first."),
        "routes_changed": lambda: _("Other visit routes were published since the meetings were placed: the "
                                    "meetings at the stands would not be at the times of the routes. Place the "
                                    "meetings again, then publish."),
    }
    text = texts.get(error.code)
    return text() if text else error.code
