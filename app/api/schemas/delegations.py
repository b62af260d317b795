"""A delegation of officials: who leads it and who belongs to it, in protocol order."""
from __future__ import annotations

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.registrations.models import Delegation


class DelegationOut(BaseModel):
    """Officials of one territory who attend and visit together. Registrations are named by their ids (read
    them at /events/{slug}/registrations/{id})."""

    id: int
    name: str = Field(examples=["Délégation de Nevers"])
    organisation: str | None
    organisation_id: int | None
    coordinator_registration_id: int | None = Field(description="The member who coordinates the delegation.")
    member_registration_ids: list[int] = Field(description="Every member, in protocol order (first: the "
                                                           "highest rank).")
    created_at: UtcDateTime
    updated_at: UtcDateTime = Field(description="Changed when its name, coordinator or members change.")

    @classmethod
    def of(cls, delegation: Delegation) -> DelegationOut:
        return cls(id=delegation.id, name=delegation.name,
                   organisation=delegation.organisation.name if delegation.organisation else None,
                   organisation_id=delegation.organisation_id, coordinator_registration_id=delegation.coordinator_id,
                   member_registration_ids=[m.id for m in delegation.members], created_at=delegation.created_at,
                   updated_at=delegation.updated_at or delegation.created_at)
