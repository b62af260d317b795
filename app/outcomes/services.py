"""Record, change, confirm and delete meeting outcomes: the one place that writes them (one commit each).

An outcome joins a startup's stand (its registration, and through it its organisation) and the person it met
(an official or decision maker, and through her the city or organisation she came for). The pages (the stand's
contacts, the official's pages, the organisers' list, the survey's one-time link) all go through here, so the
checks and the audit are the same whoever records it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus
from app.people.models import Organisation
from app.registrations.models import Registration, RegistrationStatus

#: Currencies of the summit's countries (France, Québec, West and Central Africa, Maghreb, Switzerland...).
CURRENCIES = ("EUR", "CAD", "XOF", "XAF", "MAD", "TND", "DZD", "CHF", "USD")
MAX_AMOUNT = 2**31 - 1  # the column is an INTEGER: 32 bits on PostgreSQL
MAX_NOTES = 4000
#: An outcome's date is at most this long before the edition (a meeting prepared the year before) ...
EARLIEST_BEFORE = timedelta(days=366)
#: ... and at most this far in the future (a contract signed for a later start).
LATEST_AFTER = timedelta(days=3 * 366)
#: Who may be on the city side of an outcome.
CITY_SIDE_CATEGORIES = (CategoryCode.ELU, CategoryCode.DECIDEUR, CategoryCode.ENTREPRISE, CategoryCode.INTERVENANT)


class OutcomeError(DomainError):
    """A refused outcome: `field` names the input at fault."""


@dataclass
class OutcomeInput:
    kind: OutcomeKind
    status: OutcomeStatus
    status_on: date
    amount: int | None = None
    currency: str = "EUR"
    notes: str = ""


def startup_organisation(stand: Registration) -> Organisation | None:
    """The startup a stand is: the organisation of its registration (or of its team lead's)."""
    if stand.organisation is not None:
        return stand.organisation
    return stand.team_lead.organisation if stand.team_lead is not None else None


def city_organisation(registration: Registration) -> Organisation | None:
    """The city or organisation an official or decision maker came for (her delegation's when she has none)."""
    if registration.organisation is not None:
        return registration.organisation
    if registration.delegation is not None:
        return registration.delegation.organisation
    return None


def _check(event: Event, data: OutcomeInput) -> None:
    if not isinstance(data.kind, OutcomeKind):
        raise OutcomeError("kind_invalid", "kind")
    if not isinstance(data.status, OutcomeStatus):
        raise OutcomeError("status_invalid", "status")
    if data.status_on < event.starts_on - EARLIEST_BEFORE or data.status_on > utcnow().date() + LATEST_AFTER:
        raise OutcomeError("date_out_of_range", "status_on", earliest=event.starts_on - EARLIEST_BEFORE,
                           latest=utcnow().date() + LATEST_AFTER)
    if data.amount is not None:
        if data.kind == OutcomeKind.NONE:
            raise OutcomeError("amount_without_outcome", "amount")
        if not 0 <= data.amount <= MAX_AMOUNT:
            raise OutcomeError("amount_out_of_range", "amount", max=MAX_AMOUNT)
    if data.currency not in CURRENCIES:
        raise OutcomeError("currency_invalid", "currency", currencies=", ".join(CURRENCIES))
    if len(data.notes) > MAX_NOTES:
        raise OutcomeError("notes_too_long", "notes", length=len(data.notes), max=MAX_NOTES)


def _check_parties(event: Event, stand: Registration, registration: Registration | None,
                   organisation: Organisation | None) -> tuple[Organisation, Organisation]:
    if stand.event_id != event.id or stand.category.code != CategoryCode.STARTUP:
        raise OutcomeError("not_a_stand", "stand")
    startup = startup_organisation(stand)
    if startup is None:
        raise OutcomeError("stand_without_organisation", "stand")
    if registration is not None:
        if registration.event_id != event.id or registration.status == RegistrationStatus.CANCELLED:
            raise OutcomeError("not_a_participant", "registration")
        if registration.category.code not in CITY_SIDE_CATEGORIES:
            raise OutcomeError("not_a_city_side", "registration")
        organisation = organisation or city_organisation(registration)
    if organisation is None:
        raise OutcomeError("organisation_required", "organisation")
    if organisation.id == startup.id:
        raise OutcomeError("same_organisation", "organisation")
    return startup, organisation


def record_outcome(event: Event, data: OutcomeInput, *, stand: Registration, registration: Registration | None,
                   organisation: Organisation | None = None, source: OutcomeSource = OutcomeSource.MANUAL,
                   planned_visit_id: int | None = None, lead_id: int | None = None, actor_id: int | None,
                   side: OutcomeSide) -> Outcome:
    """Store what came of a meeting between `stand` and `registration` (or `organisation`). Commits."""
    with atomic():
        _check(event, data)
        startup, organisation = _check_parties(event, stand, registration, organisation)
        if registration is not None and data.kind != OutcomeKind.NONE and db.session.scalar(
                select(Outcome.id).where(Outcome.event_id == event.id, Outcome.stand_id == stand.id,
                                         Outcome.registration_id == registration.id, Outcome.kind == data.kind)
                .limit(1)) is not None:
            raise OutcomeError("already_recorded", "kind")  # one pilot of a meeting, whoever says it first
        outcome = Outcome(event_id=event.id, startup_id=startup.id, organisation_id=organisation.id,
                          stand_id=stand.id, registration_id=registration.id if registration else None,
                          source=source, planned_visit_id=planned_visit_id, lead_id=lead_id,
                          recorded_by_id=actor_id, recorded_side=side)
        _apply(outcome, data)
        db.session.add(outcome)
        db.session.flush()
        audit.record("outcome.record", actor_id=actor_id, event_id=event.id, obj=outcome,
                     details={"kind": data.kind.value, "status": data.status.value, "side": side.value,
                              "source": source.value})
    return outcome


def _apply(outcome: Outcome, data: OutcomeInput) -> None:
    outcome.kind, outcome.status, outcome.status_on = data.kind, data.status, data.status_on
    outcome.amount = data.amount
    outcome.currency = data.currency
    outcome.notes = data.notes.strip()


def update_outcome(outcome: Outcome, data: OutcomeInput, *, actor_id: int | None, side: OutcomeSide) -> Outcome:
    """Change an outcome's kind, status, date, amount or notes. A change by the other side than the one who
    recorded it confirms it too; a change of what it says (kind, status, amount) by the side that recorded it
    asks for a new confirmation: the other side vouched for the old one. Commits."""
    with atomic():
        _check(outcome.event, data)
        before = {"kind": outcome.kind.value, "status": outcome.status.value}
        changed = (outcome.kind, outcome.status, outcome.amount, outcome.currency) != \
            (data.kind, data.status, data.amount, data.currency)
        _apply(outcome, data)
        if side != outcome.recorded_side and side != OutcomeSide.ORGANISER:
            if outcome.confirmed_at is None:
                outcome.confirmed_at, outcome.confirmed_by_id = utcnow(), actor_id
        elif side == outcome.recorded_side and changed and outcome.confirmed_at is not None:
            outcome.confirmed_at, outcome.confirmed_by_id = None, None
        audit.record("outcome.update", actor_id=actor_id, event_id=outcome.event_id, obj=outcome,
                     details={"before": before, "kind": data.kind.value, "status": data.status.value,
                              "side": side.value})
    return outcome


def confirm_outcome(outcome: Outcome, *, actor_id: int | None, side: OutcomeSide) -> Outcome:
    """The other side (or an organiser) says the outcome is true. Idempotent. Commits."""
    if side == outcome.recorded_side and side != OutcomeSide.ORGANISER:
        raise OutcomeError("own_outcome", "outcome")
    with atomic():
        if outcome.confirmed_at is None:
            outcome.confirmed_at, outcome.confirmed_by_id = utcnow(), actor_id
            audit.record("outcome.confirm", actor_id=actor_id, event_id=outcome.event_id, obj=outcome,
                         details={"side": side.value})
    return outcome


def delete_outcome(outcome: Outcome, *, actor_id: int | None) -> None:
    """Remove an outcome recorded by mistake; the audit keeps what it was. Commits."""
    with atomic():
        audit.record("outcome.delete", actor_id=actor_id, event_id=outcome.event_id, obj=outcome,
                     details={"kind": outcome.kind.value, "status": outcome.status.value,
                              "startup_id": outcome.startup_id, "organisation_id": outcome.organisation_id})
        db.session.delete(outcome)
