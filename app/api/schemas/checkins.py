"""Check-ins at the door: who arrived, when, and through which door."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.contract.types import AwareDateTime, UtcDateTime
from app.badging.models import CheckIn


class CheckInOut(BaseModel):
    """The first arrival of a registration at the door (a person is checked in once; later scans point back to
    it). The name, organisation and category are what the door shows to greet the person."""

    id: int
    registration_id: int
    first_name: str
    last_name: str
    organisation: str | None
    category: str = Field(examples=["elu"])
    checked_in_at: UtcDateTime
    gate: str = Field(description="The door or device that checked the person in (may be empty).")

    @classmethod
    def of(cls, entry: CheckIn) -> CheckInOut:
        registration = entry.registration
        return cls(id=entry.id, registration_id=entry.registration_id, first_name=registration.person.first_name,
                   last_name=registration.person.last_name,
                   organisation=registration.organisation.name if registration.organisation else None,
                   category=str(registration.category.code), checked_in_at=entry.at, gate=entry.place or "")


class CheckInAnswer(CheckInOut):
    """A check-in at the door: 201 and `already` false for a first arrival; 200 and `already` true when the
    person was checked in before, with that first check-in's time and door."""

    already: bool


class CheckInIn(BaseModel):
    """A door system's check-in: the badge's code (its QR code's content, or the short code printed under it),
    or a registration's id; with the time of the scan when the door sends it later (offline)."""

    model_config = ConfigDict(extra="forbid")

    badge_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = \
        Field(None, description="What the badge's QR code holds, or its short code (K7M4-9QXR).")
    registration_id: int | None = Field(None, ge=1, le=2147483647, description="Instead of a badge code.")
    checked_in_at: AwareDateTime | None = Field(None, description="When the person came in (default: now).")
    gate: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = Field(
        "", description="The door or device, such as \"Entrée nord\".")
