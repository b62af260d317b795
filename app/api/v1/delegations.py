"""Delegations of the edition (scope registrations:read)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.delegations import DelegationOut
from app.extensions import db
from app.registrations.models import Delegation

api = ApiBlueprint("api_delegations", __name__)

DelegationPage = page_model(DelegationOut)


def _with_details(query):
    return query.options(selectinload(Delegation.members), selectinload(Delegation.organisation))


@api.operation("GET", "/events/{slug}/delegations", summary="List delegations", tag="Delegations",
               scope="registrations:read", query=PageQuery, response=DelegationPage)
def list_delegations(call: Call):
    """Every delegation of the edition, in the order of their last change (a delegation changes when its
    members, their order or its coordinator do). A deleted delegation is no longer listed; its former members
    then have `delegation_id` null."""
    query = _with_details(select(Delegation).where(Delegation.event_id == call.event.id))
    rows, cursor = page_of(query, changed=Delegation.updated_at, row_id=Delegation.id, params=call.query)
    return DelegationPage(data=[DelegationOut.of(d) for d in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/delegations/{delegation_id}", summary="One delegation", tag="Delegations",
               scope="registrations:read", response=DelegationOut)
def get_delegation(call: Call, delegation_id: int):
    delegation = db.session.scalar(_with_details(select(Delegation).where(Delegation.id == delegation_id)))
    if delegation is None or delegation.event_id != call.event.id:
        raise ApiError(404, "not_found")
    return DelegationOut.of(delegation)
