"""Meeting outcomes: read, recorded and changed on the organisers' side, through the outcomes service (the same
checks, refusals and audit as the organisers' pages)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call, Refusal
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.outcomes import OutcomeChange, OutcomeIn, OutcomeOut
from app.events.models import CategoryCode
from app.extensions import db
from app.outcomes import listing, services
from app.outcomes.errors import message
from app.outcomes.models import Outcome, OutcomeSide
from app.outcomes.services import OutcomeError, OutcomeInput
from app.registrations.models import Registration

api = ApiBlueprint("api_outcomes", __name__)

OutcomePage = page_model(OutcomeOut)
SIDE = OutcomeSide.ORGANISER

#: The service's fields, as the request body names them.
FIELDS = {"stand": "stand_id", "registration": "registration_id", "organisation": "registration_id"}


def refused(error: OutcomeError) -> Refusal:
    """The service's refusal as a 422 naming the field of the body, in the words of the organisers' pages."""
    return Refusal(422, error.code, message(error), FIELDS.get(error.field or "", error.field))


def outcome_of(call: Call, outcome_id: int) -> Outcome:
    outcome = listing.edition_outcome(call.event, outcome_id)
    if outcome is None:
        raise ApiError(404, "not_found")
    return outcome


@api.operation("GET", "/events/{slug}/outcomes", summary="List outcomes", tag="Outcomes", scope="outcomes:read",
               query=PageQuery, response=OutcomePage)
def list_outcomes(call: Call):
    """Every outcome of the edition, whoever recorded it, in the order of their last change."""
    query = select(Outcome).where(Outcome.event_id == call.event.id).options(
        joinedload(Outcome.startup), joinedload(Outcome.organisation))
    rows, cursor = page_of(query, changed=Outcome.updated_at, row_id=Outcome.id, params=call.query)
    return OutcomePage(data=[OutcomeOut.of(o) for o in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/outcomes/{outcome_id}", summary="One outcome", tag="Outcomes",
               scope="outcomes:read", response=OutcomeOut)
def get_outcome(call: Call, outcome_id: int):
    return OutcomeOut.of(outcome_of(call, outcome_id))


@api.operation("POST", "/events/{slug}/outcomes", summary="Record an outcome", tag="Outcomes",
               scope="outcomes:write", body=OutcomeIn, response=OutcomeOut, status=201, errors=(422,),
               example={"stand_id": 2, "registration_id": 1, "kind": "demo", "status": "planned",
                        "status_on": "2027-06-03", "amount": 15000, "currency": "EUR",
                        "notes": "Démonstration des capteurs devant le conseil municipal"})
def record_outcome(call: Call):
    """What came of a meeting that took place (a realised visit or a contact scanned at the stand), recorded
    on the organisers' side; a meeting that did not take place is refused (`no_meeting`)."""
    body = call.body
    stand, person = db.session.get(Registration, body.stand_id), db.session.get(Registration, body.registration_id)
    if stand is None or stand.event_id != call.event.id or stand.category.code != CategoryCode.STARTUP:
        raise refused(OutcomeError("not_a_stand", "stand"))
    if person is None or person.event_id != call.event.id:
        raise refused(OutcomeError("not_a_participant", "registration"))
    meeting = listing.meeting_between(call.event, stand.id, person.id)
    if meeting is None:
        raise refused(OutcomeError("no_meeting", "registration"))
    data = OutcomeInput(body.kind, body.status, body.status_on, body.amount, body.currency, body.notes)
    try:
        outcome = services.record_outcome(
            call.event, data, stand=stand, registration=person, source=meeting.source,
            planned_visit_id=meeting.planned_visit_id, lead_id=meeting.lead_id, actor_id=call.caller.created_by_id,
            side=SIDE)
    except OutcomeError as error:
        raise refused(error) from error
    return OutcomeOut.of(outcome), 201


@api.operation("PATCH", "/events/{slug}/outcomes/{outcome_id}", summary="Change an outcome", tag="Outcomes",
               scope="outcomes:write", body=OutcomeChange, response=OutcomeOut, errors=(422,),
               example={"status": "in_progress", "notes": "Convention signée, pilote lancé en septembre"})
def update_outcome(call: Call, outcome_id: int):
    """Change what an outcome says; the fields left out keep their value."""
    outcome = outcome_of(call, outcome_id)
    sent = call.body.model_dump(exclude_unset=True)
    current = {"kind": outcome.kind, "status": outcome.status, "status_on": outcome.status_on,
               "amount": outcome.amount, "currency": outcome.currency, "notes": outcome.notes}
    for name, value in sent.items():
        if value is None and name != "amount":
            raise ApiError(422, "invalid_body", name, name=name, reason="give a value or leave the field out")
        current[name] = value
    try:
        services.update_outcome(outcome, OutcomeInput(**current), actor_id=call.caller.created_by_id, side=SIDE)
    except OutcomeError as error:
        raise refused(error) from error
    return OutcomeOut.of(outcome)
