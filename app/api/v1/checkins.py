"""Check-ins at the door: read (scope checkins:read), and made by a venue's door system (scope checkins:write)
through the same service as the door page, with its answers to a second scan (R2) and to a wrong code (S2)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.api.contract.errors import ApiError, error_body
from app.api.contract.framework import ApiBlueprint, Call, Refusal
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.checkins import CheckInAnswer, CheckInIn, CheckInOut
from app.badging import services as badging
from app.badging.models import CheckIn
from app.core.sentences import gettext as _
from app.core.timefmt import utcnow
from app.extensions import db
from app.registrations.models import Registration

api = ApiBlueprint("api_checkins", __name__)

CheckInPage = page_model(CheckInOut)
TAG = "Check-ins"
#: How far ahead of the server's clock a door's time may be.
CLOCK_SKEW_MINUTES = 10


def _with_details(query):
    return query.options(selectinload(CheckIn.registration).selectinload(Registration.person),
                         selectinload(CheckIn.registration).selectinload(Registration.organisation),
                         selectinload(CheckIn.registration).selectinload(Registration.category))


@api.operation("GET", "/events/{slug}/checkins", summary="List check-ins", tag=TAG, scope="checkins:read",
               query=PageQuery, response=CheckInPage)
def list_checkins(call: Call):
    """Every check-in of the edition, in the order they were stored (`updated_since` reads those stored at or
    after a time). A door that sends a check-in late keeps its own time in `checked_in_at`, and an incremental
    sync still finds it, stored after the sync before."""
    query = _with_details(select(CheckIn).where(CheckIn.event_id == call.event.id))
    rows, cursor = page_of(query, changed=CheckIn.created_at, row_id=CheckIn.id, params=call.query)
    return CheckInPage(data=[CheckInOut.of(c) for c in rows], next_cursor=cursor)


def refusal_text(reason: str) -> str:
    """The door page's words for a refused badge."""
    return {"unknown": _("This code is not a badge of Médiane."), "malformed": _("This is not a badge code."),
            "other_event": _("This badge belongs to another edition."),
            "revoked": _("This badge was replaced by a reprint: ask for the new one."),
            "not_confirmed": _("This registration is not confirmed.")}[reason]


def _arrive(call: Call, body: CheckInIn) -> badging.CheckInResult:
    staff = call.caller.created_by_id
    if body.badge_code is not None:
        return badging.check_in(call.event, body.badge_code, staff_id=staff, place=body.gate, at=body.checked_in_at)
    registration = db.session.get(Registration, body.registration_id)
    if registration is None or registration.event_id != call.event.id:
        raise ApiError(404, "not_found")
    return badging.arrive(call.event, registration, staff_id=staff, place=body.gate, at=body.checked_in_at)


def _first_of(registration_id: int) -> badging.CheckInResult:
    first = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration_id))
    return badging.CheckInResult("already", registration=first.registration, first=first)


@api.operation("POST", "/events/{slug}/checkins", summary="Check a person in", tag=TAG, scope="checkins:write",
               body=CheckInIn, response=CheckInAnswer, status=201, errors=(404, 422),
               also={200: "Already checked in: the first check-in, with `already` true"},
               example={"badge_code": "K7M4-9QXR", "gate": "Entrée nord"})
def create_checkin(call: Call):
    """Give `badge_code` (what the QR code holds, or the short code printed under it) or `registration_id`.
    A first arrival answers 201; a person already checked in answers 200 with `already` true and the time and
    door of the first check-in, and nothing is stored. A code that is not a live badge of this edition is
    refused (422, code `badge_unknown`, `badge_malformed`, `badge_other_event`, `badge_revoked` or
    `badge_not_confirmed`) without anyone's data, and the attempt is logged with a hash of the code."""
    body = call.body
    if (body.badge_code is None) == (body.registration_id is None):
        raise Refusal(422, "badge_or_registration", _("Give badge_code or registration_id (one of the two)."),
                      "badge_code")
    if body.checked_in_at is not None and body.checked_in_at > utcnow() + timedelta(minutes=CLOCK_SKEW_MINUTES):
        raise Refusal(422, "checked_in_at_future",
                      _("checked_in_at is in the future by more than %(minutes)d minutes: check the door's clock.",
                        minutes=CLOCK_SKEW_MINUTES), "checked_in_at")
    try:
        result = _arrive(call, body)
    except IntegrityError:
        # Another door checked the same person in at this very moment, and its check-in was stored first: this
        # one's is dropped (nothing else was written yet) and the answer points to the other (R2).
        db.session.rollback()
        registration_id = body.registration_id or badging.resolve_badge(call.event, body.badge_code)[0].registration_id
        result = _first_of(registration_id)
    if result.outcome == "refused":
        # Answered, not raised: the refusal's audit row (S2) is kept.
        field = "badge_code" if body.badge_code is not None else "registration_id"
        return error_body(f"badge_{result.reason}", refusal_text(result.reason), field), 422
    answer = CheckInAnswer(**CheckInOut.of(result.first).model_dump(), already=result.outcome == "already")
    return answer, 200 if answer.already else 201
