"""The agenda room's refusals and labels, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.sentences import gettext as _
from app.meetings.agenda.schedule import HELD, NO_SHOW, UNMARKED
from app.meetings.errors import MeetingError
from app.meetings.placement.models import MarkSource

STATES = {HELD: _l("Held"), NO_SHOW: _l("No-show"), UNMARKED: _l("Not marked yet")}
STATE_CLASSES = {HELD: "status-confirmed", NO_SHOW: "status-cancelled", UNMARKED: "status-waitlisted"}
SOURCES = {MarkSource.WEB: _l("on the web"), MarkSource.SCAN: _l("by a badge scan")}


def message(error: MeetingError) -> str:
    texts = {
        "unknown_meeting": lambda: _("This meeting does not exist, or is not one of yours."),
        "bad_mark": lambda: _("Say whether the meeting was held or the other side did not come."),
        "bad_side": lambda: _("Whose word it is: choose one of the two sides of the meeting."),
        "side_needed": lambda: _("You speak for both sides of this meeting: choose whose word it is."),
        "not_your_side": lambda: _("You cannot speak for that side of the meeting."),
        "not_started": lambda: _("This meeting has not started yet: say how it went once it has."),
    }
    text = texts.get(error.code)
    return text() if text else error.code
