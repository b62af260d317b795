"""The published program: sessions as attendees see them, rooms, speakers (no e-mail, no phone)."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.program.models import ProgramSession, Room


class SessionSpeakerOut(BaseModel):
    registration_id: int
    name: str
    role: str = Field(examples=["intervenant"])
    organisation: str


class SessionOut(BaseModel):
    """A session as it was last published (an organiser's unpublished changes are not shown). A cancelled
    session stays, with `cancelled` true, so that a client removes it."""

    id: int
    kind: str = Field(examples=["atelier"])
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    room_id: int | None
    room_name: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    seat_limit: int | None
    cancelled: bool
    themes: list[str]
    speakers: list[SessionSpeakerOut]
    updated_at: UtcDateTime

    @classmethod
    def of(cls, session: ProgramSession) -> SessionOut:
        data = session.published
        return cls(id=session.id, kind=data["kind"], title_fr=data["title_fr"], title_en=data["title_en"],
                   description_fr=data["description_fr"], description_en=data["description_en"],
                   room_id=data["room_id"], room_name=data.get("room_name", ""),
                   starts_at=datetime.fromisoformat(data["starts_at"]), ends_at=datetime.fromisoformat(data["ends_at"]),
                   seat_limit=data["seat_limit"], cancelled=bool(data["cancelled"]), themes=list(data["themes"]),
                   speakers=[SessionSpeakerOut(registration_id=s["registration_id"], name=s["name"], role=s["role"],
                                               organisation=s["organisation"] or "") for s in data["speakers"]],
                   updated_at=session.updated_at)


class RoomOut(BaseModel):
    id: int
    name: str
    capacity: int | None
    floor: str
    accessible: bool
    position: int

    @classmethod
    def of(cls, room: Room) -> RoomOut:
        return cls(id=room.id, name=room.name, capacity=room.capacity, floor=room.floor or "",
                   accessible=room.is_accessible, position=room.position)


class SpeakerOut(BaseModel):
    """A speaker of the published program: as the program names them, with their sessions."""

    registration_id: int
    name: str
    organisation: str
    session_ids: list[int] = Field(description="Their published sessions that are not cancelled, by start.")
