"""Planned versus realised: which visits of the published plan really happened, by the stands' badge scans.

A scan at a startup's stand of a person who was planned to visit that startup (alone, or as a member of the
visiting delegation), from TOLERANCE before the visit's start to TOLERANCE after its end, marks the visit as
realised. A scan counts for one visit only. Scans that match no planned visit are unplanned meetings: one per
person, startup and day, however often the person was scanned there.

`match` is a pure function over plain values; `load` reads them from the database and `report` turns a
matching into the figures the organisers' pages and `flask visits realised` show.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.core.timefmt import to_local
from app.demonstrator.document import VISITOR_CATEGORIES
from app.demonstrator.models import PlannedVisit, PlanStatus, Stand, StandBooking, TourSlot, VisitPlan
from app.events.models import Category, Event
from app.extensions import db
from app.leads.models import Scan
from app.people.models import Organisation, Person
from app.registrations.models import Delegation, Registration, RegistrationStatus

#: How long before a planned visit's start and after its end a scan still counts for it.
TOLERANCE = timedelta(minutes=15)


# -- plain values and the matching ---------------------------------------------------------------

@dataclass(frozen=True)
class VisitRow:
    """A planned visit: `members` are the registrations that make up the visitor (one, or a delegation)."""

    id: int
    visitor_key: str
    startup_id: int | None
    members: frozenset[int]
    starts_at: datetime
    ends_at: datetime
    stand_key: str = ""


@dataclass(frozen=True)
class ScanRow:
    """A scan: at `startup_id`'s stand, of `person_id`, at `scanned_at` (naive UTC, the device's clock)."""

    id: int
    startup_id: int
    person_id: int
    scanned_at: datetime


@dataclass
class Matching:
    """Which scans realised which visit; the scans that match no visit."""

    visits: list[VisitRow]
    scans_of: dict[int, list[ScanRow]] = field(default_factory=dict)
    unplanned: list[ScanRow] = field(default_factory=list)

    def is_realised(self, visit_id: int) -> bool:
        return bool(self.scans_of.get(visit_id))

    def people_scanned(self, visit_id: int) -> set[int]:
        return {s.person_id for s in self.scans_of.get(visit_id, ())}


def _distance(visit: VisitRow, moment: datetime) -> timedelta:
    """How far `moment` falls outside the visit's own time (zero inside it)."""
    if moment < visit.starts_at:
        return visit.starts_at - moment
    if moment > visit.ends_at:
        return moment - visit.ends_at
    return timedelta(0)


def match(visits: Iterable[VisitRow], scans: Iterable[ScanRow], tolerance: timedelta = TOLERANCE) -> Matching:
    """Match scans to planned visits.

    A scan may count for a visit of the same startup whose visitor is the scanned person or includes them,
    from `tolerance` before its start to `tolerance` after its end. Each scan counts for one visit only: the
    scans of one person at one startup are first spread so that as many of their visits as possible are
    realised (when two planned visits are close, one scan realises one of them), then every other scan goes
    to its nearest visit. Linear in the number of visits and scans: both are indexed by (startup, person).
    """
    visits = list(visits)
    candidates: dict[tuple[int, int], list[VisitRow]] = defaultdict(list)
    for visit in visits:
        if visit.startup_id is None:
            continue
        for person in visit.members:
            candidates[(visit.startup_id, person)].append(visit)
    groups: dict[tuple[int, int], list[ScanRow]] = defaultdict(list)
    for scan in scans:
        groups[(scan.startup_id, scan.person_id)].append(scan)
    result = Matching(visits)
    for key, group in groups.items():
        group.sort(key=lambda s: (s.scanned_at, s.id))
        options = {s.id: sorted((v for v in candidates.get(key, ())
                                 if v.starts_at - tolerance <= s.scanned_at <= v.ends_at + tolerance),
                                key=lambda v: (_distance(v, s.scanned_at), v.starts_at, v.id))
                   for s in group}
        chosen = _cover(group, options)
        for scan in group:
            visit = chosen.get(scan.id) or (options[scan.id][0] if options[scan.id] else None)
            if visit is None:
                result.unplanned.append(scan)
            else:
                result.scans_of.setdefault(visit.id, []).append(scan)
    result.unplanned.sort(key=lambda s: (s.scanned_at, s.id))
    return result


def _cover(scans: list[ScanRow], options: dict[int, list[VisitRow]]) -> dict[int, VisitRow]:
    """One scan per visit for as many visits as possible (augmenting paths; groups are a handful of rows)."""
    holder: dict[int, ScanRow] = {}          # visit id -> the scan that realises it
    assigned: dict[int, VisitRow] = {}       # scan id -> visit

    def place(scan: ScanRow, seen: set[int]) -> bool:
        for visit in options[scan.id]:
            if visit.id in seen:
                continue
            seen.add(visit.id)
            if visit.id not in holder or place(holder[visit.id], seen):
                holder[visit.id] = scan
                assigned[scan.id] = visit
                return True
        return False

    for scan in scans:
        if options[scan.id]:
            place(scan, set())
    return assigned


# -- figures ---------------------------------------------------------------------------------------

@dataclass
class Tally:
    planned: int = 0
    realised: int = 0
    unplanned: int = 0

    @property
    def rate(self) -> float | None:
        """Realised / planned, or None when nothing was planned."""
        return self.realised / self.planned if self.planned else None

    def add(self, other: Tally) -> None:
        self.planned += other.planned
        self.realised += other.realised
        self.unplanned += other.unplanned


@dataclass
class VisitOutcome:
    visit: VisitRow
    day: date
    scans: list[ScanRow]

    @property
    def realised(self) -> bool:
        return bool(self.scans)

    @property
    def people_scanned(self) -> set[int]:
        return {s.person_id for s in self.scans}


@dataclass
class UnplannedMeeting:
    """A person scanned at a startup's stand on a day, outside any of their planned visits there."""

    startup_id: int
    person_id: int
    day: date
    scans: list[ScanRow]

    @property
    def first(self) -> datetime:
        return self.scans[0].scanned_at


def outcomes(matching: Matching, tz_name: str) -> tuple[list[VisitOutcome], list[UnplannedMeeting]]:
    """Every planned visit with its scans, and the unplanned meetings, with their local day."""
    def day_of(moment: datetime) -> date:
        return to_local(moment, tz_name).date()

    visits = [VisitOutcome(v, day_of(v.starts_at), sorted(matching.scans_of.get(v.id, []),
                                                          key=lambda s: (s.scanned_at, s.id)))
              for v in sorted(matching.visits, key=lambda v: (v.starts_at, v.visitor_key, v.id))]
    meetings: dict[tuple[int, int, date], UnplannedMeeting] = {}
    for scan in matching.unplanned:  # already in time order
        key = (scan.startup_id, scan.person_id, day_of(scan.scanned_at))
        meetings.setdefault(key, UnplannedMeeting(*key, [])).scans.append(scan)
    return visits, list(meetings.values())


def tally(visits: Iterable[VisitOutcome], unplanned: Iterable[UnplannedMeeting] = ()) -> Tally:
    visits = list(visits)
    return Tally(len(visits), sum(1 for v in visits if v.realised), sum(1 for _ in unplanned))


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


def published_plan_of(event: Event) -> VisitPlan | None:
    return db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                     VisitPlan.status == PlanStatus.PUBLISHED))


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
        full = f"{first} {last}".strip()
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
    plan = published_plan_of(event)
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
