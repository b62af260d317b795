"""Delegations: a city's officials and staff, with a coordinator and a protocol order."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.services import RegistrationError


#: Candidates listed for one search, at most: past that, the organiser is asked to type more.
MAX_CANDIDATES = 30


@dataclass(frozen=True)
class CandidateSearch:
    found: list[Registration]
    #: How many matched in all (more than `found` when the list was cut).
    total: int


def _folded(text: str) -> str:
    """Lower case without accents: "Benoît" and "benoit" read the same."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def find_candidates(event: Event, q: str) -> CandidateSearch:
    """Officials and decision makers of `event` in no delegation yet, not cancelled, whose name, territory or
    organisation holds every word of `q` (any case, any accent); nothing for an empty search."""
    words = _folded(q).split()
    if not words:
        return CandidateSearch([], 0)
    rows = db.session.scalars(
        select(Registration).join(Person, Registration.person_id == Person.id)
        .options(joinedload(Registration.person), joinedload(Registration.organisation))
        .where(Registration.event_id == event.id, Registration.delegation_id.is_(None),
               Registration.status != RegistrationStatus.CANCELLED,
               Registration.category.has(code=CategoryCode.ELU) | Registration.category.has(code=CategoryCode.DECIDEUR))
        .order_by(Person.last_name, Person.first_name, Registration.id)).unique().all()
    found = [r for r in rows if all(word in _folded(" ".join((
        r.person.first_name, r.person.last_name, r.territory or "",
        r.organisation.name if r.organisation else ""))) for word in words)]
    return CandidateSearch(found[:MAX_CANDIDATES], len(found))


@atomic()
def create_delegation(event: Event, name: str, *, actor_id: int | None, organisation_id: int | None = None) -> Delegation:
    name = name.strip()
    if not name:
        raise RegistrationError("required", "name")
    if db.session.scalar(select(Delegation.id).where(Delegation.event_id == event.id, Delegation.name == name)):
        raise RegistrationError("delegation_exists", "name")
    delegation = Delegation(event_id=event.id, name=name, organisation_id=organisation_id)
    db.session.add(delegation)
    db.session.flush()
    audit.record("delegation.create", actor_id=actor_id, event_id=event.id, obj=delegation)
    return delegation


@atomic()
def set_members(event: Event, delegation: Delegation, ordered_ids: list[int], coordinator_id: int | None,
                *, actor_id: int | None) -> None:
    """Make `ordered_ids` (in protocol order) the members; the coordinator must be one of them."""
    if len(set(ordered_ids)) != len(ordered_ids):
        raise RegistrationError("duplicate_member", "members")
    registrations = {
        r.id: r for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, Registration.id.in_(ordered_ids or [0]))
        )
    }
    missing = [i for i in ordered_ids if i not in registrations]
    if missing:
        raise RegistrationError("unknown_member", "members", id=missing[0])
    for registration in registrations.values():
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationError("cancelled_member", "members", name=registration.person.full_name)
        if registration.delegation_id not in (None, delegation.id):
            raise RegistrationError("in_other_delegation", "members", name=registration.person.full_name,
                                    delegation=registration.delegation.name)
    if coordinator_id is not None and coordinator_id not in registrations:
        raise RegistrationError("coordinator_not_member", "coordinator")
    for member in list(delegation.members):
        if member.id not in registrations:
            member.delegation = None
            member.protocol_rank = None
    for rank, registration_id in enumerate(ordered_ids, start=1):
        registrations[registration_id].delegation = delegation
        registrations[registration_id].protocol_rank = rank
    delegation.coordinator_id = coordinator_id
    audit.record("delegation.members", actor_id=actor_id, event_id=event.id, obj=delegation,
                 details={"members": ordered_ids, "coordinator": coordinator_id})


@atomic()
def delete_delegation(event: Event, delegation: Delegation, *, actor_id: int | None) -> None:
    for member in list(delegation.members):
        member.delegation = None
        member.protocol_rank = None
    audit.record("delegation.delete", actor_id=actor_id, event_id=event.id, obj=delegation,
                 details={"name": delegation.name})
    db.session.delete(delegation)
