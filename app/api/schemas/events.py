"""An edition."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.events.models import Event


class EventOut(BaseModel):
    """An edition of the summit. Times elsewhere are UTC; `timezone` says how the edition shows them."""

    slug: str
    name: str
    name_en: str
    city: str
    country: str = Field(description="ISO 3166 code.")
    venue: str
    timezone: str = Field(examples=["Europe/Paris"])
    starts_on: date
    ends_on: date
    status: str
    created_at: UtcDateTime

    @classmethod
    def of(cls, event: Event) -> EventOut:
        return cls(slug=event.slug, name=event.name, name_en=event.name_en or "", city=event.city,
                   country=event.country, venue=event.venue or "", timezone=event.timezone,
                   starts_on=event.starts_on, ends_on=event.ends_on, status=str(event.status),
                   created_at=event.created_at)
