"""The demonstrator's stands and the startups booked on them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.stands import StandOut
from app.demonstrator.hall.models import Stand, StandBooking
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

api = ApiBlueprint("api_stands", __name__)

StandPage = page_model(StandOut)


def _with_bookings(query):
    return query.options(selectinload(Stand.theme), selectinload(Stand.bookings).selectinload(StandBooking.registration)
                         .selectinload(Registration.organisation))


def out(stand: Stand) -> StandOut:
    """The stand with its confirmed startups (a cancelled or pending one holds no stand for visitors)."""
    bookings = [b for b in stand.bookings if b.registration.status == RegistrationStatus.CONFIRMED]
    return StandOut.of(stand, bookings)


def stand_of(call: Call, stand_id: int) -> Stand:
    """One stand of the token's edition, or 404."""
    stand = db.session.get(Stand, stand_id)
    if stand is None or stand.event_id != call.event.id:
        raise ApiError(404, "not_found")
    return stand


@api.operation("GET", "/events/{slug}/stands", summary="List stands", tag="Stands", scope="stands:read",
               query=PageQuery, response=StandPage)
def list_stands(call: Call):
    """Every stand of the hall with its startups, in the order of the stands' last change."""
    query = _with_bookings(select(Stand).where(Stand.event_id == call.event.id))
    rows, cursor = page_of(query, changed=Stand.updated_at, row_id=Stand.id, params=call.query)
    return StandPage(data=[out(s) for s in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/stands/{stand_id}", summary="One stand", tag="Stands", scope="stands:read",
               response=StandOut)
def get_stand(call: Call, stand_id: int):
    return out(stand_of(call, stand_id))
