"""Registrations of the edition: read, and (with registrations:write) created, updated and moved through their
statuses with the same checks as the forms."""
from __future__ import annotations

from pydantic import ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.registrations import RegistrationOut
from app.events.models import Category, CategoryCode
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

api = ApiBlueprint("api_registrations", __name__)

RegistrationPage = page_model(RegistrationOut)


class RegistrationQuery(PageQuery):
    model_config = ConfigDict(extra="forbid")

    category: CategoryCode | None = Field(None, description="Only this category.")
    status: RegistrationStatus | None = Field(None, description="Only this status.")


def _with_details(query):
    return query.options(selectinload(Registration.person), selectinload(Registration.category),
                         selectinload(Registration.organisation), selectinload(Registration.themes))


def registration_of(call: Call, registration_id: int) -> Registration:
    """One registration of the token's edition, or 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != call.event.id:
        raise ApiError(404, "not_found")
    return registration


def out(call: Call, registration: Registration) -> RegistrationOut:
    return RegistrationOut.of(registration, contact="registrations:contact" in call.caller.scopes)


@api.operation("GET", "/events/{slug}/registrations", summary="List registrations", tag="Registrations",
               scope="registrations:read", query=RegistrationQuery, response=RegistrationPage)
def list_registrations(call: Call):
    """Every registration of the edition, cancelled ones included, in the order of their last change."""
    query = _with_details(select(Registration).where(Registration.event_id == call.event.id))
    if call.query.category is not None:
        query = query.join(Category, Registration.category_id == Category.id).where(Category.code == call.query.category)
    if call.query.status is not None:
        query = query.where(Registration.status == call.query.status)
    rows, cursor = page_of(query, changed=Registration.updated_at, row_id=Registration.id, params=call.query)
    return RegistrationPage(data=[out(call, r) for r in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/registrations/{registration_id}", summary="One registration",
               tag="Registrations", scope="registrations:read", response=RegistrationOut)
def get_registration(call: Call, registration_id: int):
    return out(call, registration_of(call, registration_id))
