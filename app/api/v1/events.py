"""The token's edition."""
from __future__ import annotations

from pydantic import BaseModel

from app.api.contract.framework import ApiBlueprint, Call
from app.api.schemas.events import EventOut
from app.events.models import Event
from app.extensions import db

api = ApiBlueprint("api_events", __name__)


class EventList(BaseModel):
    """The editions the token opens: its own."""

    data: list[EventOut]


@api.operation("GET", "/events", summary="The token's edition", tag="Editions", scope=None, response=EventList)
def list_events(call: Call):
    """A token opens one edition: the list holds it, so that a client can find its slug."""
    return EventList(data=[EventOut.of(db.session.get(Event, call.caller.event_id))])


@api.operation("GET", "/events/{slug}", summary="One edition", tag="Editions", scope=None, response=EventOut)
def get_event(call: Call):
    return EventOut.of(call.event)
