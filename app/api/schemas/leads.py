"""A stand's contact, as much of it as the person agreed to share (S9)."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.leads.models import Lead
from app.leads.services import contact_view


class LeadOut(BaseModel):
    """A person the stand scanned. `email` and `phone` are given only while the person agrees to share them
    with the stands (`shares_contact`); a withdrawn consent hides them at the next read."""

    id: int
    name: str
    organisation: str
    job_title: str
    shares_contact: bool
    email: str | None
    phone: str | None
    notes: str
    rating: int | None
    tags: list[str]
    num_scans: int
    first_scanned_at: UtcDateTime
    last_scanned_at: UtcDateTime
    updated_at: UtcDateTime = Field(description="The last change of the contact or of the person's consent.")

    @classmethod
    def of(cls, lead: Lead, changed: datetime) -> LeadOut:
        view = contact_view(lead)  # the stand's own contact list: consent applied there (S9)
        return cls(id=lead.id, name=view["name"], organisation=view["organisation"], job_title=view["job_title"],
                   shares_contact=view["shares_contact"], email=view["email"], phone=view["phone"],
                   notes=view["notes"], rating=view["rating"], tags=view["tags"], num_scans=view["num_scans"],
                   first_scanned_at=lead.first_scanned_at, last_scanned_at=lead.last_scanned_at, updated_at=changed)
