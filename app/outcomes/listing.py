"""What the outcome pages read: a stand's outcomes, an official's meetings and outcomes, the edition's list.

Each query is scoped to the caller: a stand reads its own stand's outcomes (and its organisation's earlier
editions), an official hers, her city's and, for a delegation's coordinator, her delegation's (S8).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.core.search import every_word_in, fold, search_words
from app.events.models import Event
from app.extensions import db
from app.outcomes.meetings import Meeting, meetings
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.outcomes.services import CITY_SIDE_CATEGORIES, city_organisation, startup_organisation
from app.people.models import Organisation
from app.registrations.models import Delegation, Registration, RegistrationStatus

_LOADED = (joinedload(Outcome.startup), joinedload(Outcome.organisation), joinedload(Outcome.event),
           joinedload(Outcome.registration).joinedload(Registration.person),
           joinedload(Outcome.stand).joinedload(Registration.organisation))


def _newest_first(query):
    return list(db.session.scalars(query.options(*_LOADED).order_by(Outcome.status_on.desc(), Outcome.id.desc()))
                .unique())


# -- the stand -------------------------------------------------------------------------------------

def stand_outcomes(event: Event, stand: Registration) -> list[Outcome]:
    """The stand's outcomes of this edition."""
    return _newest_first(select(Outcome).where(Outcome.event_id == event.id, Outcome.stand_id == stand.id))


def earlier_outcomes_of_startup(event: Event, stand: Registration) -> list[Outcome]:
    """The outcomes of the same startup (its organisation) at the other editions, read only."""
    startup = startup_organisation(stand)
    if startup is None:
        return []
    return _newest_first(select(Outcome).where(Outcome.startup_id == startup.id, Outcome.event_id != event.id))


def stand_outcome(event: Event, stand: Registration, outcome_id: int) -> Outcome | None:
    """One of the stand's outcomes of this edition; another stand's is as good as unknown."""
    return db.session.scalar(select(Outcome).where(Outcome.id == outcome_id, Outcome.event_id == event.id,
                                                   Outcome.stand_id == stand.id))


# -- the official, decision maker or delegation's coordinator ---------------------------------------

@dataclass
class CitySide:
    """Whom an official answers for: herself and, as a coordinator, her delegation's members; their cities."""

    me: Registration
    people: list[Registration]
    organisation_ids: set[int]

    @property
    def person_ids(self) -> set[int]:
        return {p.id for p in self.people}


def city_side_of(registration: Registration | None) -> CitySide | None:
    """None when the registration is neither on the city side nor a delegation's coordinator, or is not confirmed:
    a city's outcomes are read by the people an organiser approved, not by whoever typed the city's name."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    coordinated = list(db.session.scalars(select(Delegation).where(Delegation.coordinator_id == registration.id)))
    people = [registration] if registration.category.code in CITY_SIDE_CATEGORIES else []
    for delegation in coordinated:
        people += [m for m in delegation.members if m.id != registration.id
                   and m.status == RegistrationStatus.CONFIRMED]
    if not people:
        return None
    organisations = {o.id for o in (city_organisation(p) for p in people) if o is not None}
    organisations |= {d.organisation_id for d in coordinated if d.organisation_id is not None}
    return CitySide(registration, people, organisations)


def _of_city_side(side: CitySide):
    return or_(Outcome.registration_id.in_(side.person_ids),
               Outcome.organisation_id.in_(side.organisation_ids) if side.organisation_ids else false())


def city_outcomes(event: Event, side: CitySide) -> list[Outcome]:
    """This edition's outcomes with one of her people or her cities."""
    return _newest_first(select(Outcome).where(Outcome.event_id == event.id, _of_city_side(side)))


def earlier_outcomes_of_city(event: Event, side: CitySide) -> list[Outcome]:
    if not side.organisation_ids:
        return []
    return _newest_first(select(Outcome).where(Outcome.event_id != event.id,
                                               Outcome.organisation_id.in_(side.organisation_ids)))


def city_outcome(event: Event, side: CitySide, outcome_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.id == outcome_id, Outcome.event_id == event.id,
                                                   _of_city_side(side)))


# -- meetings --------------------------------------------------------------------------------------

@dataclass
class MeetingRow:
    meeting: Meeting
    stand: Registration
    person: Registration
    num_outcomes: int


def meeting_rows(event: Event, found: list[Meeting]) -> list[MeetingRow]:
    """The meetings with someone an outcome can be recorded with (an official, a decision maker...: not a
    visitor), with the registrations they join and how many outcomes each already has."""
    ids = {m.stand_id for m in found} | {m.registration_id for m in found}
    registrations = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_(ids))
        .options(joinedload(Registration.person), joinedload(Registration.organisation)))} if ids else {}
    counts: dict[tuple[int, int], int] = {}
    if found:
        for stand_id, person_id in db.session.execute(select(Outcome.stand_id, Outcome.registration_id).where(
                Outcome.event_id == event.id, Outcome.stand_id.in_({m.stand_id for m in found}))):
            counts[(stand_id, person_id)] = counts.get((stand_id, person_id), 0) + 1
    return [MeetingRow(m, registrations[m.stand_id], registrations[m.registration_id],
                       counts.get((m.stand_id, m.registration_id), 0))
            for m in found if m.stand_id in registrations and m.registration_id in registrations
            and is_city_side(registrations[m.registration_id])]


#: Meetings a page of the organisers' list shows.
MEETINGS_PAGE = 100


def matching_meetings(rows: list[MeetingRow], q: str) -> list[MeetingRow]:
    """The rows whose startup, person met or her organisation holds every word of `q` (accents and case aside)."""
    words = search_words(q)
    if not words:
        return rows
    return [row for row in rows if all(word in _meeting_text(row) for word in words)]


def _meeting_text(row: MeetingRow) -> str:
    person = row.person
    return fold(" ".join([row.stand.startup_name or "", person.person.full_name,
                          person.organisation.name if person.organisation else ""]))


def is_city_side(registration: Registration) -> bool:
    """Whether an outcome can be recorded with this person (the stands' contacts link to it only then)."""
    return registration.category.code in CITY_SIDE_CATEGORIES


def meeting_between(event: Event, stand_id: int, registration_id: int) -> Meeting | None:
    found = meetings(event, stand_ids=[stand_id], registration_ids=[registration_id])
    return found[0] if found else None


# -- the organisers' list --------------------------------------------------------------------------

@dataclass(frozen=True)
class OutcomeFilters:
    kind: OutcomeKind | None = None
    status: OutcomeStatus | None = None
    confirmed: bool | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args) -> OutcomeFilters:
        """Nonsense in the query string is ignored, as in the other lists' filters."""
        kind, status = args.get("kind", ""), args.get("status", "")
        return cls(kind=OutcomeKind(kind) if kind in OutcomeKind._value2member_map_ else None,
                   status=OutcomeStatus(status) if status in OutcomeStatus._value2member_map_ else None,
                   confirmed={"yes": True, "no": False}.get(args.get("confirmed", "")),
                   q=args.get("q", "").strip()[:100])


def edition_outcomes(event: Event, filters: OutcomeFilters = OutcomeFilters()) -> list[Outcome]:
    """Every outcome of the edition, filtered; the search looks into the startup's and the city's names
    (accents and case aside)."""
    query = select(Outcome).where(Outcome.event_id == event.id)
    if filters.kind is not None:
        query = query.where(Outcome.kind == filters.kind)
    if filters.status is not None:
        query = query.where(Outcome.status == filters.status)
    if filters.confirmed is not None:
        query = query.where(Outcome.confirmed_at.is_not(None) if filters.confirmed else Outcome.confirmed_at.is_(None))
    if filters.q:
        startup, city = aliased(Organisation), aliased(Organisation)
        query = (query.join(startup, Outcome.startup_id == startup.id).join(city, Outcome.organisation_id == city.id)
                 .where(every_word_in(filters.q, startup.search_key, city.search_key)))
    return _newest_first(query)


def edition_outcome(event: Event, outcome_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.id == outcome_id, Outcome.event_id == event.id))
