"""The published visit plan: who visits which stand when (times in UTC)."""
from __future__ import annotations

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.demonstrator.hall.queries import startup_name
from app.demonstrator.plans.models import PlannedVisit


class PlanOut(BaseModel):
    """The plan of record of the edition (one is published at a time)."""

    id: int
    version: int
    published_at: UtcDateTime | None
    visits: int = Field(description="How many visits it holds.")
    delegation_ids: list[int] = Field(description="The delegations that walk together.")
    registration_ids: list[int] = Field(description="The officials who walk alone (not with a delegation).")
    stand_ids: list[int] = Field(description="The stands visited.")


class VisitOut(BaseModel):
    id: int
    visitor_key: str = Field(description="\"d<delegation id>\" or \"r<registration id>\".", examples=["d12"])
    delegation_id: int | None
    registration_id: int | None = Field(description="An official walking alone.")
    tour: int = Field(description="The visitor's tour (0, 1...).")
    stand_id: int | None
    stand_number: str
    startup_registration_id: int | None
    startup_name: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime

    @classmethod
    def of(cls, visit: PlannedVisit) -> VisitOut:
        return cls(id=visit.id, visitor_key=visit.visitor_key, delegation_id=visit.delegation_id,
                   registration_id=visit.registration_id, tour=visit.tour, stand_id=visit.stand_id,
                   stand_number=visit.stand.number if visit.stand else visit.stand_key.partition("/")[0],
                   startup_registration_id=visit.startup_id, startup_name=startup_name(visit.startup),
                   starts_at=visit.starts_at, ends_at=visit.ends_at)


class VisitList(BaseModel):
    """Visits of the published plan, by start."""

    plan_id: int
    version: int
    data: list[VisitOut]
