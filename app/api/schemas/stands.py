"""A stand of the demonstrator hall and the startups that hold it."""
from __future__ import annotations

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.demonstrator.hall.models import Stand, StandBooking


class Position(BaseModel):
    """In metres from the hall's top-left corner."""

    x: float
    y: float
    width: float
    depth: float


class StartupOut(BaseModel):
    """A confirmed startup booked on the stand, and when."""

    registration_id: int = Field(description="The startup's registration (its team lead's).")
    name: str
    pitch: str
    pitch_en: str
    website: str
    organisation_id: int | None
    starts_at: UtcDateTime
    ends_at: UtcDateTime

    @classmethod
    def of(cls, booking: StandBooking) -> StartupOut:
        startup = booking.registration
        organisation = startup.organisation
        return cls(registration_id=startup.id, name=startup.startup_name,
                   pitch=organisation.pitch if organisation else "", pitch_en=organisation.pitch_en if organisation else "",
                   website=organisation.website if organisation else "", organisation_id=startup.organisation_id,
                   starts_at=booking.starts_at, ends_at=booking.ends_at)


class StandOut(BaseModel):
    id: int
    number: str = Field(examples=["A12"])
    zone: str
    zone_en: str
    theme: str | None = Field(description="The code of the stand's theme.")
    capacity: int = Field(description="How many groups may visit at the same time.")
    position: Position
    startups: list[StartupOut] = Field(description="By the start of their booking.")
    updated_at: UtcDateTime | None

    @classmethod
    def of(cls, stand: Stand, bookings: list[StandBooking]) -> StandOut:
        return cls(id=stand.id, number=stand.number, zone=stand.zone or "", zone_en=stand.zone_en or "",
                   theme=stand.theme.code if stand.theme else None, capacity=stand.capacity,
                   position=Position(x=stand.x, y=stand.y, width=stand.width, depth=stand.depth),
                   startups=[StartupOut.of(b) for b in bookings], updated_at=stand.updated_at)
