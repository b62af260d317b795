"""Across editions: an organisation's timeline (a city or a startup) and the network's outcomes per edition.

Who sees which editions: platform staff see them all; an organiser sees the editions she organises (the roles
granted to her), never another team's. The pages live under the edition she opens them from, whose organisers
they are for (@requires(Access.ORGANISER)); the figures of the other editions are read across the ones she sees.

An organisation attended an edition when one of its people registered for it (not cancelled), for it or in its
delegation. Its meetings in an edition are the planned visits where it is the startup or the visitor (a member
of the visiting delegation), realised or not, matched with the scans as the edition's report does.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from app.auth.models import EventRole, RoleName
from app.demonstrator.realised.matching import match
from app.demonstrator.realised.report import load_rows
from app.events.models import Event
from app.extensions import db
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.people.models import Organisation
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.report.figures import outcome_counts, published_ref


def visible_editions(person) -> list[Event]:
    """The editions whose report `person` may read, the latest first."""
    query = select(Event).order_by(Event.starts_on.desc(), Event.id.desc())
    if not getattr(person, "is_staff", False):
        query = query.where(Event.id.in_(select(EventRole.event_id).where(
            EventRole.person_id == person.id, EventRole.role == RoleName.ORGANISER)))
    return list(db.session.scalars(query))


@dataclass
class OutcomeLine:
    kind: OutcomeKind
    status: OutcomeStatus
    status_on: object
    other: str                 # the organisation on the other side
    other_id: int
    confirmed: bool
    amount: int | None
    currency: str


@dataclass
class EditionStep:
    event: Event
    registrations: int = 0
    planned: int = 0
    realised: int = 0
    outcomes: list[OutcomeLine] = field(default_factory=list)

    @property
    def attended(self) -> bool:
        return self.registrations > 0


@dataclass
class Timeline:
    organisation: Organisation
    steps: list[EditionStep]

    @property
    def attended(self) -> list[EditionStep]:
        return [step for step in self.steps if step.attended or step.outcomes]


def _meetings(event: Event, ours: set[int], delegations: set[int]) -> tuple[int, int]:
    """Planned and realised visits of `event` where one of `ours` (registrations) is the startup or a visitor."""
    plan = published_ref(event)
    if plan is None:
        return 0, 0
    visits, scans, _delegation_of = load_rows(event, plan)
    mine = [v for v in visits if v.startup_id in ours or v.members & ours
            or (v.visitor_key.startswith("d") and int(v.visitor_key[1:]) in delegations)]
    if not mine:
        return 0, 0
    # A visit is realised by the scans of its (startup, member) pairs, each pair's scans shared among that pair's
    # visits: matching those visits and scans only gives the edition's own matching for ours.
    startups = {v.startup_id for v in mine}
    people = {p for v in mine for p in v.members}
    related = [v for v in visits if v.startup_id in startups and v.members & people]
    matching = match(related, [s for s in scans if s.startup_id in startups and s.person_id in people])
    return len(mine), sum(1 for v in mine if matching.is_realised(v.id))


def timeline(organisation: Organisation, editions: list[Event]) -> Timeline:
    """The organisation across `editions` (the visible ones), oldest first."""
    ids = [e.id for e in editions]
    delegation_ids = set(db.session.scalars(select(Delegation.id).where(
        Delegation.organisation_id == organisation.id, Delegation.event_id.in_(ids))))
    ours: dict[int, set[int]] = defaultdict(set)
    for registration_id, event_id in db.session.execute(
            select(Registration.id, Registration.event_id)
            .where(Registration.event_id.in_(ids), Registration.status != RegistrationStatus.CANCELLED,
                   or_(Registration.organisation_id == organisation.id,
                       Registration.delegation_id.in_(delegation_ids)))):
        ours[event_id].add(registration_id)
    lines: dict[int, list[OutcomeLine]] = defaultdict(list)
    names = {}
    rows = db.session.execute(
        select(Outcome).where(Outcome.event_id.in_(ids), or_(Outcome.organisation_id == organisation.id,
                                                             Outcome.startup_id == organisation.id))
        .order_by(Outcome.status_on, Outcome.id)).scalars()
    for outcome in rows:
        other_id = outcome.startup_id if outcome.organisation_id == organisation.id else outcome.organisation_id
        names.setdefault(other_id, None)
        lines[outcome.event_id].append(OutcomeLine(outcome.kind, outcome.status, outcome.status_on, "", other_id,
                                                   outcome.confirmed_at is not None, outcome.amount,
                                                   outcome.currency))
    if names:
        names.update(db.session.execute(select(Organisation.id, Organisation.name)
                                        .where(Organisation.id.in_(names))).all())
    steps = []
    for event in sorted(editions, key=lambda e: (e.starts_on, e.id)):
        if not ours.get(event.id) and not lines.get(event.id):
            continue
        step = EditionStep(event, registrations=len(ours.get(event.id, ())))
        if ours.get(event.id):
            step.planned, step.realised = _meetings(event, ours[event.id], delegation_ids)
        for line in lines.get(event.id, []):
            line.other = names.get(line.other_id) or "?"
            step.outcomes.append(line)
        steps.append(step)
    return Timeline(organisation, steps)


@dataclass
class NetworkLine:
    event: Event
    per_kind: dict[OutcomeKind, dict[OutcomeStatus, int]]

    def kind(self, kind: OutcomeKind) -> int:
        return sum(self.per_kind[kind].values())

    def status(self, status: OutcomeStatus) -> int:
        return sum(per[status] for per in self.per_kind.values())

    @property
    def total(self) -> int:
        return sum(self.kind(kind) for kind in OutcomeKind)


def network(editions: list[Event]) -> list[NetworkLine]:
    """Outcomes per edition, by kind and status, the oldest edition first (one aggregate query)."""
    counts = outcome_counts([e.id for e in editions])
    return [NetworkLine(e, counts[e.id]) for e in sorted(editions, key=lambda e: (e.starts_on, e.id))]


def organisations_seen(editions: list[Event], limit: int = 200) -> list[tuple[int, str, int]]:
    """Organisations with outcomes in `editions`, the most first: id, name, outcomes (startup or city side)."""
    ids = [e.id for e in editions]
    counts: dict[int, int] = defaultdict(int)
    for startup_id, organisation_id in db.session.execute(
            select(Outcome.startup_id, Outcome.organisation_id).where(Outcome.event_id.in_(ids))):
        counts[startup_id] += 1
        counts[organisation_id] += 1
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_(counts))).all()) if counts else {}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], (names.get(item[0]) or "").lower()))
    return [(oid, names.get(oid, "?"), n) for oid, n in ranked[:limit]]
