"""The refusals of meeting outcomes, and how people read them."""
from __future__ import annotations

from flask_babel import format_date

from app.core.sentences import gettext as _
from app.outcomes.services import OutcomeError

def status_of(error: OutcomeError) -> int:
    """Every refusal is a request that cannot be carried out as sent, shown on its page with the message."""
    return 422


def _day(value) -> str:
    return format_date(value, "long") if value is not None else ""


def message(error: OutcomeError) -> str:
    """The refusal in the reader's language, naming what is wrong."""
    p = error.params
    texts = {
        "kind_invalid": lambda: _("Kind of outcome: choose one of the kinds listed."),
        "status_invalid": lambda: _("Status: choose one of the statuses listed."),
        "date_out_of_range": lambda: _("Date of the status: give a date from %(earliest)s to %(latest)s.",
                                       earliest=_day(p.get("earliest")), latest=_day(p.get("latest"))),
        "amount_without_outcome": lambda: _("Amount: an outcome of the kind “nothing for now” has no amount; "
                                            "leave it empty or choose another kind."),
        "amount_out_of_range": lambda: _("Amount: give a whole number from 0 to %(max)d.", max=p.get("max", 0)),
        "currency_invalid": lambda: _("Currency: choose one of %(currencies)s.", currencies=p.get("currencies", "")),
        "notes_too_long": lambda: _("Notes: too long (%(length)d characters; at most %(max)d).",
                                    length=p.get("length", 0), max=p.get("max", 0)),
        "not_a_stand": lambda: _("Startup: this registration is not a startup's stand of this edition."),
        "stand_without_organisation": lambda: _("Startup: this stand has no organisation to record the outcome "
                                                "for; an organiser can add it to its registration."),
        "not_a_participant": lambda: _("Person met: this person is not (or no longer) registered to this "
                                       "edition."),
        "not_a_city_side": lambda: _("Person met: an outcome is recorded with an official, a decision maker, "
                                     "a company or a speaker, not with this category."),
        "organisation_required": lambda: _("City or organisation: the person met represents no city or "
                                           "organisation; an organiser can add one to her registration."),
        "same_organisation": lambda: _("City or organisation: it is the startup itself; an outcome joins two "
                                       "different organisations."),
        "own_outcome": lambda: _("Confirmation: you recorded this outcome yourself; only the other side can "
                                 "confirm it."),
        "already_recorded": lambda: _("What came of the meeting: an outcome of this kind is already recorded for "
                                      "this meeting; confirm it or change it rather than recording it twice."),
        # Refused by the pages before the service is called.
        "no_meeting": lambda: _("Meeting: this startup and this person did not meet at this edition (no "
                                "realised visit, no scanned contact)."),
        "not_recorded_by_you": lambda: _("Deletion: only the side that recorded this outcome can delete it; "
                                         "change it instead, or ask an organiser."),
        "not_a_city_official": lambda: _("Your registration is not one of an official or a decision maker, nor "
                                         "of a delegation's coordinator: you have no meetings to follow up here."),
    }
    text = texts.get(error.code)
    return text() if text else error.code
