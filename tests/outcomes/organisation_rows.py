"""Rows for the organisation tests: organisations, and outcomes created directly."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide
from app.people.models import Organisation, OrganisationKind


def organisation(name: str, kind: OrganisationKind = OrganisationKind.COLLECTIVITE, country: str = "FR",
                 **fields) -> Organisation:
    row = Organisation(name=name, kind=kind, country=country, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def outcome(event_id: int, startup_id: int, organisation_id: int, kind: OutcomeKind = OutcomeKind.PILOT) -> Outcome:
    row = Outcome(event_id=event_id, startup_id=startup_id, organisation_id=organisation_id, kind=kind,
                  status_on=date(2027, 9, 1), recorded_side=OutcomeSide.STARTUP)
    db.session.add(row)
    db.session.flush()
    return row
