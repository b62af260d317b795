"""Delegations: a city's officials and staff, with a coordinator and a protocol order."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.core.search import every_word_in, search_words
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.people.models import Organisation, Person
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.services import RegistrationError


#: Candidates listed for one search, at most: past that, the organiser is asked to type more.
MAX_CANDIDATES = 30


@dataclass(frozen=True)
class CandidateSearch:
    found: list[Registration]
    #: How many matched in all (more than `found` when the list was cut).
    total: int


def find_candidates(event: Event, q: str) -> CandidateSearch:
    """Officials and decision makers of `event` in no delegation yet, not cancelled, whose name, territory,
    position or organisation holds every word of `q` (any case, any accent: the registrations' search keys);
    nothing for an empty search."""
    if not search_words(q):
        return CandidateSearch([], 0)
    query = (select(Registration).join(Person, Registration.person_id == Person.id)
             .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
             .where(Registration.event_id == event.id, Registration.delegation_id.is_(None),
                    Registration.status != RegistrationStatus.CANCELLED,
                    Registration.category.has(code=CategoryCode.ELU) | Registration.category.has(code=CategoryCode.DECIDEUR),
                    every_word_in(q, Person.search_key, Organisation.search_key, Registration.search_key)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(query.options(joinedload(Registration.person), joinedload(Registration.organisation))
                               .order_by(Person.last_name, Person.first_name, Registration.id)
                               .limit(MAX_CANDIDATES)).unique().all()
    return CandidateSearch(list(found), total)


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
    delegation.updated_at = utcnow()  # its members or their order changed: a client's sync reads it again
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
