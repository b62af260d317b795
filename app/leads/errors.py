"""The refusals of lead scanning, and how people read them."""
from __future__ import annotations

from flask import Response, jsonify

from app.core.domain import DomainError
from app.core.sentences import gettext as _


class LeadError(DomainError):
    """A refused pairing, device request or scan."""


#: HTTP status of a refusal that ends a whole request (entry-level refusals are reported in the batch).
STATUS = {
    "device_token_missing": 401, "device_token_invalid": 401, "device_revoked": 401, "stand_closed": 401,
    "rate_limited": 429, "pairing_code_required": 400, "pairing_code_invalid": 400, "pairing_code_expired": 400,
    "scans_not_a_list": 400, "too_many_scans": 413, "device_name_required": 422,
    "too_many_tags": 422, "tag_too_long": 422, "not_on_a_stand": 403,
    "client_ids_invalid": 400, "scan_unknown": 404,
}


def message(error: LeadError) -> str:
    """The refusal in the reader's language, naming what is wrong."""
    p = error.params
    texts = {
        "device_token_missing": lambda: _("This device is not paired: give it a pairing code from the stand's page."),
        "device_token_invalid": lambda: _("This device's key is not valid: pair it again from the stand's page."),
        "device_revoked": lambda: _("This device was unpaired by the stand's team: pair it again to scan."),
        "stand_closed": lambda: _("This startup's registration is no longer active: scanning is closed."),
        "rate_limited": lambda: _("Too many requests from this device (limit %(limit)d per minute): "
                                  "retry in %(seconds)d seconds; the scans are kept.",
                                  limit=p.get("limit", 0), seconds=p.get("retry_after", 60)),
        "pairing_code_required": lambda: _("Type the pairing code shown on the stand's page."),
        "pairing_code_invalid": lambda: _("This pairing code is not valid or was already used: "
                                          "ask for a new one on the stand's page."),
        "pairing_code_expired": lambda: _("This pairing code has expired (it lasts %(minutes)d minutes): "
                                          "ask for a new one.", minutes=p.get("minutes", 10)),
        "scans_not_a_list": lambda: _("The body must be a JSON object with a list of scans under \"scans\"."),
        "too_many_scans": lambda: _("At most %(max)d scans per request: send the rest in another request.",
                                    max=p.get("max", 0)),
        "device_name_required": lambda: _("Give the device a name, such as \"Camille's phone\"."),
        "client_ids_invalid": lambda: _("client_ids must be a list of at most %(max)d scan ids (the client_id "
                                        "of each scan this phone keeps).", max=p.get("max", 0)),
        "scan_unknown": lambda: _("This device has no scan with this id."),
        "not_on_a_stand": lambda: _("You are not on the team of a confirmed startup in this edition."),
        # Entry-level refusals of a scan batch.
        "not_an_object": lambda: _("This entry is not a JSON object."),
        "client_id_invalid": lambda: _("client_id is missing or not 1 to 64 letters, digits, '-', '_', '.' or ':'."),
        "code_missing": lambda: _("code (the badge's code) is missing."),
        "scanned_at_invalid": lambda: _("scanned_at must be a date and time with its time zone, "
                                        "such as 2027-06-02T09:15:00Z."),
        "scanned_at_future": lambda: _("scanned_at is in the future by more than %(minutes)d minutes: "
                                       "check the device's clock.", minutes=p.get("minutes", 10)),
        "notes_too_long": lambda: _("The notes are too long (%(length)d characters; at most %(max)d).",
                                    length=p.get("length", 0), max=p.get("max", 0)),
        "notes_invalid": lambda: _("notes must be text."),
        "rating_invalid": lambda: _("rating must be a whole number from 0 to 5, or null."),
        "tags_invalid": lambda: _("tags must be a list of texts."),
        "too_many_tags": lambda: _("At most %(max)d tags.", max=p.get("max", 0)),
        "tag_too_long": lambda: _("A tag has at most %(max)d characters.", max=p.get("max", 0)),
        "unknown": lambda: _("Unknown badge: this code is not one of our badges."),
        "malformed": lambda: _("This is not a badge code."),
        "revoked": lambda: _("This badge was replaced by a reprint: scan the new one."),
        "other_event": lambda: _("This badge belongs to another edition."),
        "not_confirmed": lambda: _("This person's registration is not confirmed."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


def refusal_response(error: LeadError) -> Response:
    """A refusal of the scanning API as JSON: the message, its code, and the headers a client needs."""
    status = STATUS.get(error.code, 422)
    response = jsonify({"error": message(error), "code": error.code, "field": error.field, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="mediane-scanner"'
    if error.code == "rate_limited":
        response.headers["Retry-After"] = str(error.params.get("retry_after", 60))
    return response
