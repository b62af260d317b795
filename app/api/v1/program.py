"""The published program: what attendees see on the program page, nothing of the organisers' draft."""
from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.program import RoomOut, SessionOut, SpeakerOut
from app.events.models import Event, EventStatus
from app.extensions import db
from app.program.feeds import published_sessions
from app.program.models import ProgramSession, Room

api = ApiBlueprint("api_program", __name__)

SessionPage = page_model(SessionOut)


class RoomList(BaseModel):
    data: list[RoomOut]


class SpeakerList(BaseModel):
    data: list[SpeakerOut]


def _visible(event: Event) -> Event:
    """The program is shown as the public program page shows it: not while the edition is a draft or archived."""
    if event.status in (EventStatus.DRAFT, EventStatus.ARCHIVED):
        raise ApiError(404, "program_not_published")
    return event


@api.operation("GET", "/events/{slug}/sessions", summary="List published sessions", tag="Program",
               scope="program:read", query=PageQuery, response=SessionPage, errors=(404,))
def list_sessions(call: Call):
    """Every session published at least once, cancelled ones included (`cancelled`), in the order of their last
    change. A session never published is not listed."""
    event = _visible(call.event)
    query = select(ProgramSession).where(ProgramSession.event_id == event.id, ProgramSession.published.is_not(None))
    rows, cursor = page_of(query, changed=ProgramSession.updated_at, row_id=ProgramSession.id, params=call.query)
    return SessionPage(data=[SessionOut.of(s) for s in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/sessions/{session_id}", summary="One published session", tag="Program",
               scope="program:read", response=SessionOut, errors=(404,))
def get_session(call: Call, session_id: int):
    event = _visible(call.event)
    session = db.session.get(ProgramSession, session_id)
    if session is None or session.event_id != event.id or session.published is None:
        raise ApiError(404, "not_found")
    return SessionOut.of(session)


@api.operation("GET", "/events/{slug}/rooms", summary="The rooms", tag="Program", scope="program:read",
               response=RoomList, errors=(404,))
def list_rooms(call: Call):
    """The edition's rooms, in the order the program lists them."""
    event = _visible(call.event)
    rooms = db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id))
    return RoomList(data=[RoomOut.of(r) for r in rooms])


@api.operation("GET", "/events/{slug}/speakers", summary="The speakers", tag="Program", scope="program:read",
               response=SpeakerList, errors=(404,))
def list_speakers(call: Call):
    """The speakers of the published sessions that are not cancelled, by name: their name and organisation as
    the program shows them, never an e-mail address or a phone number."""
    speakers: dict[int, SpeakerOut] = {}
    for session in published_sessions(_visible(call.event)):
        for speaker in session.published["speakers"]:
            found = speakers.setdefault(speaker["registration_id"], SpeakerOut(
                registration_id=speaker["registration_id"], name=speaker["name"],
                organisation=speaker["organisation"] or "", session_ids=[]))
            if session.id not in found.session_ids:
                found.session_ids.append(session.id)
    return SpeakerList(data=sorted(speakers.values(), key=lambda s: (s.name.casefold(), s.registration_id)))
