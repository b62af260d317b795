"""What came of a meeting between a startup's stand and an official, decision maker or company."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.api.contract.types import UtcDateTime
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.outcomes.services import CURRENCIES, MAX_NOTES


class OutcomeOut(BaseModel):
    id: int
    stand_id: int | None = Field(description="The startup's registration (its stand).")
    startup_organisation_id: int
    startup_name: str
    registration_id: int | None = Field(description="The person met.")
    organisation_id: int = Field(description="The city or organisation the person met came for.")
    organisation_name: str
    source: str = Field(examples=["scan"], description="visit, scan or manual.")
    planned_visit_id: int | None
    lead_id: int | None
    kind: OutcomeKind
    status: OutcomeStatus
    status_on: date
    amount: int | None
    currency: str
    notes: str
    recorded_side: str = Field(examples=["organiser"], description="startup, city or organiser.")
    confirmed_at: UtcDateTime | None
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, o: Outcome) -> OutcomeOut:
        return cls(id=o.id, stand_id=o.stand_id, startup_organisation_id=o.startup_id, startup_name=o.startup.name,
                   registration_id=o.registration_id, organisation_id=o.organisation_id,
                   organisation_name=o.organisation.name, source=str(o.source), planned_visit_id=o.planned_visit_id,
                   lead_id=o.lead_id, kind=o.kind, status=o.status, status_on=o.status_on, amount=o.amount,
                   currency=o.currency, notes=o.notes or "", recorded_side=str(o.recorded_side),
                   confirmed_at=o.confirmed_at, created_at=o.created_at, updated_at=o.updated_at)


def _left_out_keeps(schema: dict) -> None:
    """A field left out keeps its value: the document gives no default for those that cannot be null."""
    for name, prop in schema.get("properties", {}).items():
        if name != "amount" and prop.get("default", 0) is None:
            del prop["default"]


class OutcomeChange(BaseModel):
    """What an outcome says; a field left out keeps its value (`amount: null` clears the amount)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_left_out_keeps)

    kind: OutcomeKind = None
    status: OutcomeStatus = None
    status_on: date = Field(None, description="The date of the status.")
    amount: int | None = Field(None, description="A whole amount, without cents; null clears it.")
    currency: str = Field(None, description=f"One of {', '.join(CURRENCIES)}.")
    notes: str = Field(None, description=f"At most {MAX_NOTES} characters.")


class OutcomeIn(BaseModel):
    """An outcome of a meeting that took place at the edition (a realised visit or a scanned contact)."""

    model_config = ConfigDict(extra="forbid")

    stand_id: int = Field(ge=1, le=2147483647, description="The startup's registration (its stand).")
    registration_id: int = Field(ge=1, le=2147483647, description="The person the startup met.")
    kind: OutcomeKind
    status: OutcomeStatus = OutcomeStatus.PLANNED
    status_on: date = Field(description="The date of the status.")
    amount: int | None = Field(None, description="A whole amount, without cents.")
    currency: str = Field("EUR", description=f"One of {', '.join(CURRENCIES)}.")
    notes: str = Field("", description=f"At most {MAX_NOTES} characters.")
