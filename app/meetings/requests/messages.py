"""The requests room's labels and refusals, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.meetings.errors import MeetingError
from app.meetings.requests.models import AcceptanceMode, MeetingReason, RequestStatus

REASONS = {
    MeetingReason.DISCOVER: _l("Discover a solution"),
    MeetingReason.FOLLOW_UP: _l("Follow-up of a project"),
    MeetingReason.PARTNERSHIP: _l("Partnership"),
    MeetingReason.PURCHASE: _l("Purchase"),
    MeetingReason.OTHER: _l("Other"),
}

STATUSES = {
    RequestStatus.PENDING: _l("Waiting for an answer"),
    RequestStatus.ACCEPTED: _l("Accepted"),
    RequestStatus.DECLINED: _l("Declined"),
    RequestStatus.CANCELLED: _l("Cancelled"),
    RequestStatus.EXPIRED: _l("Expired"),
}

#: The badge colour of each status (classes of mediane.css).
STATUS_CLASSES = {
    RequestStatus.PENDING: "status-pending",
    RequestStatus.ACCEPTED: "status-confirmed",
    RequestStatus.DECLINED: "status-cancelled",
    RequestStatus.CANCELLED: "status-waitlisted",
    RequestStatus.EXPIRED: "status-waitlisted",
}

MODES = {
    AcceptanceMode.NEEDS_ACCEPTANCE: _l("The person asked accepts or declines"),
    AcceptanceMode.AT_ONCE: _l("Requests are accepted at once"),
}

FIELDS = {"message": _l("Message"), "reason": _l("Reason"), "answer_reason": _l("Reason"),
          "participants": _l("Who comes along"), "decision": _l("Decision"), "tables": _l("Tables"),
          "pairs": _l("Who may request whom"),
          "slot_minutes": _l("Slot length (minutes)"), "max_per_session": _l("Most meetings per person per session"),
          "expiry_days": _l("Days before a request expires"), "acceptance": _l("Acceptance"), "day": _l("Day"), "start": _l("From"), "end": _l("To")}


def field_name(error: MeetingError) -> str:
    return str(FIELDS.get(error.field or "", error.field or ""))


def message(error: MeetingError) -> str:
    """What a refusal says, naming the field at fault."""
    p = error.params
    texts = {
        "unknown_person": lambda: _("This person is not open to meeting requests at this edition."),
        "unknown_request": lambda: _("This meeting request does not exist or is not yours to see."),
        "unknown_link": lambda: _("This link is not valid: copy the whole link from the e-mail, or answer from your "
                                  "meetings page."),
        "link_expired": lambda: _("This link has expired: answer from your meetings page."),
        "requests_closed": lambda: _("Meeting requests are not open at this edition."),
        "edition_over": lambda: _("This edition is over: meetings are no longer requested or answered."),
        "not_confirmed": lambda: _("Your registration is not confirmed yet: you can request meetings once it is."),
        "self": lambda: _("You cannot request a meeting with yourself."),
        "category_not_allowed": lambda: _("The organisers do not open meeting requests from your category to this "
                                          "person's category."),
        "already_requested": lambda: _("You already have a request with this person that is waiting or accepted: "
                                       "see it in your meetings."),
        "they_asked_you": lambda: _("This person already asked to meet you: answer the request in your meetings."),
        "too_many_pending": lambda: ngettext(
            "You have %(num)d request waiting for an answer, the most allowed: wait for an answer or cancel it.",
            "You have %(num)d requests waiting for an answer, the most allowed: wait for answers or cancel one.",
            p.get("limit", 0)),
        "too_many_per_hour": lambda: ngettext(
            "You sent too many requests in the last hour. Try again in %(num)d minute.",
            "You sent too many requests in the last hour. Try again in %(num)d minutes.",
            p.get("minutes", 1)),
        "too_long": lambda: _("%(field)s: too long (%(length)d characters; at most %(max)d).",
                              field=field_name(error), length=p.get("length", 0), max=p.get("max", 0)),
        "bad_reason": lambda: _("Reason: choose one of the reasons listed."),
        "bad_decision": lambda: _("Decision: choose to accept, to decline or to cancel."),
        "bad_choice": lambda: _("Say whether you receive meeting requests or not."),
        "bad_participant": lambda: _("Who comes along: choose members of your own delegation."),
        "not_your_side": lambda: _("Only the person asked, or her delegation's coordinator, answers this request; "
                                   "only the two sides and their coordinators change it."),
        "already_answered": lambda: _("This request was already answered: the answer stands."),
        "not_pending": lambda: _("This request is no longer waiting for an answer (%(status)s).",
                                 status=STATUSES[RequestStatus(p["status"])] if p.get("status") else ""),
        "expired": lambda: _("This request expired before it was answered."),
        "not_live": lambda: _("This meeting is declined, cancelled or expired: it no longer changes."),
        "decline_pending": lambda: _("This request waits for your answer: decline it instead, saying why if you "
                                     "wish."),
        # The organiser's settings.
        "bad_acceptance": lambda: _("Acceptance: choose one of the two modes."),
        "out_of_bounds": lambda: _("%(field)s: give a whole number from %(low)d to %(high)d.", field=field_name(error),
                                   low=p.get("low", 0), high=p.get("high", 0)),
        "bad_pair": lambda: _("Who may request whom: choose among the edition's categories."),
        "bad_tables": lambda: _("Tables: give a number of tables (1 to %(max)d) or one name per line.",
                                max=p.get("max", 0)),
        "duplicate_table": lambda: _("Tables: “%(name)s” is named twice.", name=p.get("name", "")),
        "table_too_long": lambda: _("Tables: “%(name)s…” is too long (at most %(max)d characters).",
                                    name=p.get("name", ""), max=p.get("max", 0)),
        "day_outside": lambda: _("Day: choose a day of the edition."),
        "ends_before_start": lambda: _("To: the session must end after it starts."),
        "shorter_than_slot": lambda: _("To: the session is shorter than one meeting slot (%(minutes)d minutes).",
                                       minutes=p.get("minutes", 0)),
        "session_overlap": lambda: _("From: this session overlaps the session of %(other)s.", other=p.get("other", "")),
        "unknown_session": lambda: _("This meeting session does not exist."),
    }
    text = texts.get(error.code)
    return text() if text else error.code
