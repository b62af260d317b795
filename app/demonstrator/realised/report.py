"""Planned versus realised, from the database: the published plan's visits and the edition's badge scans,
matched (matching.py) and gathered with the names the pages show."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.core.timefmt import to_local
from app.demonstrator.hall.models import Stand, StandBooking, TourSlot
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.planning import published_plan
from app.demonstrator.realised.matching import (
    TOLERANCE, ScanRow, Tally, UnplannedMeeting, VisitOutcome, VisitRow, match, outcomes, tally,
)
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import Category, Event
from app.extensions import db
from app.leads.models import Scan
from app.people.models import Organisation, Person, display_name
from app.registrations.models import Delegation, Registration, RegistrationStatus


# -- from the database -----------------------------------------------------------------------------

@dataclass
class Names:
    """Display names of the people, startups and delegations a report mentions."""

    people: dict[int, str] = field(default_factory=dict)
    organisations: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)
    startups: dict[int, str] = field(default_factory=dict)
    delegations: dict[int, str] = field(default_factory=dict)
    stands: dict[int, list[str]] = field(default_factory=dict)

    def visitor(self, key: str) -> str:
        number = int(key[1:])
        return self.delegations.get(number, key) if key.startswith("d") else self.people.get(number, key)

    def startup(self, startup_id: int | None) -> str:
        return self.startups.get(startup_id, "?") if startup_id is not None else "?"


@dataclass
class Report:
    """Everything the pages need: the plan, the outcomes, unplanned meetings and names."""

    event: Event
    plan: VisitPlan | None
    num_scans: int
    visits: list[VisitOutcome]
    unplanned: list[UnplannedMeeting]
    names: Names
    slots: list[TourSlot]
    #: registration id -> delegation id, for every member of a delegation
    delegation_of: dict[int, int]
    #: registration ids of the officials and decision makers (who may be planned)
    officials: set[int]

    @property
    def days(self) -> list[date]:
        return sorted({v.day for v in self.visits} | {u.day for u in self.unplanned})

    def on(self, day: date | None) -> Report:
        """The same report restricted to one local day (None: every day)."""
        if day is None:
            return self
        return Report(self.event, self.plan, self.num_scans, [v for v in self.visits if v.day == day],
                      [u for u in self.unplanned if u.day == day], self.names, self.slots, self.delegation_of,
                      self.officials)

    @property
    def totals(self) -> Tally:
        return tally(self.visits, self.unplanned)

    @property
    def unplanned_with_officials(self) -> int:
        return sum(1 for u in self.unplanned if u.person_id in self.officials)

    def by_day(self) -> list[tuple[date, Tally]]:
        days: dict[date, Tally] = defaultdict(Tally)
        for v in self.visits:
            days[v.day].add(Tally(1, int(v.realised)))
        for u in self.unplanned:
            days[u.day].unplanned += 1
        return sorted(days.items())

    def by_hour(self) -> list[tuple[date, int, Tally]]:
        """Planned and realised visits by the local hour they start in."""
        hours: dict[tuple[date, int], Tally] = defaultdict(Tally)
        for v in self.visits:
            hour = to_local(v.visit.starts_at, self.event.timezone).hour
            hours[(v.day, hour)].add(Tally(1, int(v.realised)))
        return [(day, hour, t) for (day, hour), t in sorted(hours.items())]

    def by_slot(self) -> list[tuple[TourSlot | None, Tally]]:
        """Planned and realised visits by the tour slot they start in (None: outside every slot)."""
        slots: dict[int | None, Tally] = defaultdict(Tally)
        for v in self.visits:
            slot = next((s for s in self.slots if s.starts_at <= v.visit.starts_at < s.ends_at), None)
            slots[slot.id if slot else None].add(Tally(1, int(v.realised)))
        known = {s.id: s for s in self.slots}
        rows = [(known[i], t) for i, t in slots.items() if i is not None]
        rows.sort(key=lambda row: row[0].starts_at)
        if None in slots:
            rows.append((None, slots[None]))
        return rows

    def by_startup(self) -> list[tuple[int, Tally]]:
        """Startups with a planned visit or an unplanned meeting, most realised meetings first."""
        startups: dict[int, Tally] = defaultdict(Tally)
        for v in self.visits:
            if v.visit.startup_id is not None:
                startups[v.visit.startup_id].add(Tally(1, int(v.realised)))
        for u in self.unplanned:
            startups[u.startup_id].unplanned += 1
        return sorted(startups.items(), key=lambda row: (-row[1].realised, -(row[1].rate or 0), -row[1].planned,
                                                         self.names.startup(row[0]).lower()))

    def visitor_key_of(self, person_id: int) -> str:
        delegation = self.delegation_of.get(person_id)
        return f"d{delegation}" if delegation is not None else f"r{person_id}"

    def by_visitor(self) -> list[tuple[str, Tally]]:
        """Officials walking alone and delegations: planned, realised, and their members' unplanned meetings."""
        visitors: dict[str, Tally] = defaultdict(Tally)
        for v in self.visits:
            visitors[v.visit.visitor_key].add(Tally(1, int(v.realised)))
        for u in self.unplanned:
            if u.person_id in self.officials:
                visitors[self.visitor_key_of(u.person_id)].unplanned += 1
        return sorted(visitors.items(), key=lambda row: (-row[1].planned, -row[1].realised,
                                                         self.names.visitor(row[0]).lower()))

    def visits_of_startup(self, startup_id: int) -> list[VisitOutcome]:
        return [v for v in self.visits if v.visit.startup_id == startup_id]

    def unplanned_of_startup(self, startup_id: int) -> list[UnplannedMeeting]:
        return [u for u in self.unplanned if u.startup_id == startup_id]

    def visits_of_person(self, person_id: int) -> list[VisitOutcome]:
        return [v for v in self.visits if person_id in v.visit.members]

    def visits_of_delegation(self, delegation_id: int) -> list[VisitOutcome]:
        return [v for v in self.visits if v.visit.visitor_key == f"d{delegation_id}"]

    def unplanned_of_people(self, people: Iterable[int]) -> list[UnplannedMeeting]:
        people = set(people)
        return [u for u in self.unplanned if u.person_id in people]


def load_rows(event: Event, plan: VisitPlan | None) -> tuple[list[VisitRow], list[ScanRow], dict[int, int]]:
    """The published plan's visits (with the delegations' current members), the edition's scans, and the
    delegation of every member."""
    delegation_of = dict(db.session.execute(
        select(Registration.id, Registration.delegation_id)
        .where(Registration.event_id == event.id, Registration.delegation_id.is_not(None),
               Registration.status != RegistrationStatus.CANCELLED)).all())
    members: dict[int, set[int]] = defaultdict(set)
    for person, delegation in delegation_of.items():
        members[delegation].add(person)
    visits: list[VisitRow] = []
    if plan is not None:
        rows = db.session.execute(select(
            PlannedVisit.id, PlannedVisit.visitor_key, PlannedVisit.startup_id, PlannedVisit.delegation_id,
            PlannedVisit.registration_id, PlannedVisit.starts_at, PlannedVisit.ends_at, PlannedVisit.stand_key)
            .where(PlannedVisit.plan_id == plan.id))
        for id_, key, startup, delegation, registration, starts_at, ends_at, stand_key in rows:
            people = frozenset(members.get(delegation, ())) if delegation is not None else \
                frozenset({registration} if registration is not None else ())
            visits.append(VisitRow(id_, key, startup, people, starts_at, ends_at, stand_key))
    scans = [ScanRow(*row) for row in db.session.execute(
        select(Scan.id, Scan.stand_id, Scan.registration_id, Scan.scanned_at).where(Scan.event_id == event.id))]
    return visits, scans, delegation_of


def _names(event: Event, visits: list[VisitOutcome], unplanned: list[UnplannedMeeting]) -> Names:
    names = Names()
    startups = {v.visit.startup_id for v in visits if v.visit.startup_id is not None} | \
        {u.startup_id for u in unplanned}
    wanted = startups | {u.person_id for u in unplanned} | {p for v in visits for p in v.visit.members} | \
        {int(v.visit.visitor_key[1:]) for v in visits if v.visit.visitor_key.startswith("r")}
    for id_, first, last, organisation, code in db.session.execute(
            select(Registration.id, Person.first_name, Person.last_name, Organisation.name, Category.code)
            .join(Person, Person.id == Registration.person_id)
            .join(Category, Category.id == Registration.category_id)
            .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
            .where(Registration.event_id == event.id)):
        if id_ not in wanted:
            continue
        full = display_name(first, last)
        names.people[id_] = full
        names.organisations[id_] = organisation or ""
        names.categories[id_] = str(code)
        if id_ in startups:
            names.startups[id_] = organisation or full
    names.delegations = dict(db.session.execute(select(Delegation.id, Delegation.name)
                                                .where(Delegation.event_id == event.id)).all())
    for startup_id, number in db.session.execute(
            select(StandBooking.registration_id, Stand.number).join(Stand, Stand.id == StandBooking.stand_id)
            .where(Stand.event_id == event.id).distinct().order_by(Stand.number)):
        if startup_id in startups:
            names.stands.setdefault(startup_id, []).append(number)
    return names


def report(event: Event, tolerance: timedelta = TOLERANCE) -> Report:
    """Match the edition's scans to its published plan and gather what the pages show."""
    plan = published_plan(event)
    visits, scans, delegation_of = load_rows(event, plan)
    matching = match(visits, scans, tolerance)
    outcome, unplanned = outcomes(matching, event.timezone)
    officials = set(db.session.scalars(
        select(Registration.id).join(Category, Category.id == Registration.category_id)
        .where(Registration.event_id == event.id, Category.code.in_(VISITOR_CATEGORIES))))
    slots = list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)
                                    .order_by(TourSlot.starts_at)))
    return Report(event, plan, len(scans), outcome, unplanned, _names(event, outcome, unplanned), slots,
                  delegation_of, officials)
