"""The figures of an edition's dashboard, read from the features below: registrations week by week (and the
previous edition's), arrivals at the door by local hour, leads per stand, the published plan's coverage and the
realised meetings per day.

Plain values out (no chart, no request): charts.py draws them, the template lists them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from app.auth.models import EventRole, RoleName
from app.badging.models import CheckIn
from app.core.timefmt import to_local, utcnow
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.plans import views as plan_views
from app.demonstrator.plans.models import VisitPlan
from app.demonstrator.plans.planning import published_plan
from app.demonstrator.realised import report as realised
from app.events.models import Event
from app.events.services import manageable_events
from app.extensions import db
from app.leads.models import Lead, Scan
from app.leads.services import stand_name
from app.registrations.models import Registration, RegistrationStatus

#: Stands drawn in the leads chart (the most leads first).
TOP_STANDS = 20
#: The registration curves go back this many weeks at most (older registrations count in the first point).
MAX_WEEKS = 52


# -- registrations, week by week ------------------------------------------------------------------------------

def weeks_before(day: date, first_day: date) -> int:
    """How many weeks before `first_day` a registration made on the local `day` was: 1 for the seven days
    before the first day, 2 for the seven before those...; 0 on the first day or later."""
    return max(0, -(-(first_day - day).days // 7))


def registration_weeks(event: Event) -> dict[int, Counter]:
    """Category id -> {weeks before the first day: number of registrations made then}, for the registrations
    that count (every one but the cancelled and declined, as the edition's count), by their local day."""
    weeks: dict[int, Counter] = defaultdict(Counter)
    for category_id, created_at in db.session.execute(
            select(Registration.category_id, Registration.created_at)
            .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED)):
        weeks[category_id][weeks_before(to_local(created_at, event.timezone).date(), event.starts_on)] += 1
    return weeks


def cumulative(counts: Counter, points: list[int]) -> list[int]:
    """The number of registrations made before each point: `k` weeks before the first day (k >= 1), or all of
    them at the point 0 (the edition, registrations at the door included)."""
    return [sum(n for week, n in counts.items() if week > k) if k else sum(counts.values()) for k in points]


@dataclass
class RegistrationCurves:
    """Cumulative registrations at each point (weeks before the first day, then 0: the edition)."""

    points: list[int]
    #: category id -> cumulative counts; None where the point is still to come.
    by_category: dict[int, list[int | None]]
    total: list[int | None]
    previous: Event | None = None
    previous_total: list[int] = field(default_factory=list)
    #: The point not reached yet that holds the registrations made so far (the week under way), if any.
    to_date: int | None = None

    @property
    def known(self) -> list[int]:
        """Indexes of the points already reached."""
        return [i for i, value in enumerate(self.total) if value is not None]

    @property
    def is_empty(self) -> bool:
        return not any(self.total[i] for i in self.known) and not any(self.previous_total)


def _reached(event: Event, points: list[int], today: date) -> list[bool]:
    """Whether each point's figure is final: its day has come (the edition's, for the point 0)."""
    return [today >= event.starts_on - timedelta(days=7 * k) for k in points]


def registration_curves(event: Event, previous: Event | None, now: datetime | None = None) -> RegistrationCurves:
    """This edition's registrations by category and in all, and the previous edition's in all, aligned on the
    weeks before each one's first day."""
    mine = registration_weeks(event)
    total = sum(mine.values(), Counter())
    before = sum(registration_weeks(previous).values(), Counter()) if previous is not None else Counter()
    deepest = max([week for week in total | before if week] or [1])
    points = list(range(min(deepest, MAX_WEEKS), 0, -1)) + [0]
    reached = _reached(event, points, to_local(now or utcnow(), event.timezone).date())
    # The first point still to come holds what is made so far: the week under way shows before it ends.
    to_date = reached.index(False) if not all(reached) else None

    def known(counts: Counter) -> list[int | None]:
        values = cumulative(counts, points)
        return [value if ok else sum(counts.values()) if i == to_date else None
                for i, (value, ok) in enumerate(zip(values, reached))]
    return RegistrationCurves(points, {category: known(counts) for category, counts in mine.items()}, known(total),
                              previous, cumulative(before, points) if previous is not None else [], to_date)


def previous_edition(event: Event, viewer) -> Event | None:
    """The edition before this one to compare with: of the editions the viewer organises (every one for staff)
    that share an organiser with this one, the latest to start before it. None when there is none (an edition
    nobody organises yet has no previous one)."""
    organisers = select(EventRole.person_id).where(EventRole.event_id == event.id,
                                                   EventRole.role == RoleName.ORGANISER)
    other = aliased(EventRole)
    shared = set(db.session.scalars(select(other.event_id).where(other.role == RoleName.ORGANISER,
                                                                 other.person_id.in_(organisers))))
    earlier = [e for e in manageable_events(viewer) if e.id in shared and e.starts_on < event.starts_on]
    return max(earlier, key=lambda e: (e.starts_on, e.id), default=None)


# -- arrivals at the door -------------------------------------------------------------------------------------

@dataclass
class Arrivals:
    days: list[date]
    hours: list[int]
    #: (local day, local hour) -> first arrivals at the door
    counts: dict[tuple[date, int], int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of_day(self, day: date) -> list[int]:
        return [self.counts.get((day, hour), 0) for hour in self.hours]


def arrivals(event: Event) -> Arrivals:
    """First arrivals at the door (check-ins) by the local day and hour they happened in."""
    counts: Counter = Counter()
    for (at,) in db.session.execute(select(CheckIn.at).where(CheckIn.event_id == event.id)):
        local = to_local(at, event.timezone)
        counts[(local.date(), local.hour)] += 1
    if not counts:
        return Arrivals([], [], {})
    hours = [hour for _day, hour in counts]
    return Arrivals(sorted({day for day, _hour in counts}), list(range(min(hours), max(hours) + 1)), dict(counts))


# -- leads per stand ------------------------------------------------------------------------------------------

@dataclass
class StandLeads:
    name: str
    stands: list[str]
    leads: int


@dataclass
class Leads:
    top: list[StandLeads]
    total: int
    num_stands: int


def leads_per_stand(event: Event, limit: int = TOP_STANDS) -> Leads:
    """The stands with the most leads (one per person a stand scanned), and the edition's totals."""
    counted = func.count(Lead.id)
    rows = db.session.execute(select(Lead.stand_id, counted).where(Lead.event_id == event.id)
                              .group_by(Lead.stand_id).order_by(counted.desc(), Lead.stand_id)).all()
    shown = rows[:limit]
    startups = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_([stand for stand, _n in shown]))
        .options(selectinload(Registration.organisation), selectinload(Registration.person)))}
    numbers: dict[int, list[str]] = defaultdict(list)
    for startup_id, number in db.session.execute(
            select(StandBooking.registration_id, Stand.number).join(Stand, Stand.id == StandBooking.stand_id)
            .where(Stand.event_id == event.id, StandBooking.registration_id.in_(list(startups)))
            .distinct().order_by(Stand.number)):
        numbers[startup_id].append(number)
    top = [StandLeads(stand_name(startups[stand]), numbers.get(stand, []), n) for stand, n in shown]
    return Leads(top, sum(n for _stand, n in rows), len(rows))


# -- the published plan's coverage ----------------------------------------------------------------------------

@dataclass
class Coverage:
    """Who the published plan routes, as its page counts them (views.visitor_groups), and the stands under their
    minimum of visits (views.summary)."""

    plan: VisitPlan | None
    officials_routed: int = 0
    officials_idle: int = 0
    delegations_routed: int = 0
    delegations_idle: int = 0
    shortfall: list[dict] = field(default_factory=list)


def coverage(plan: VisitPlan | None) -> Coverage:
    if plan is None:
        return Coverage(None)
    groups, idle = plan_views.visitor_groups(plan, plan_views.visitor_infos(plan))
    summary = plan_views.summary(plan, plan_views.stand_infos(plan))
    return Coverage(plan, sum(1 for g in groups if not g.info.is_delegation),
                    sum(1 for v in idle if not v.is_delegation), sum(1 for g in groups if g.info.is_delegation),
                    sum(1 for v in idle if v.is_delegation), summary.shortfall)


# -- everything on the page -----------------------------------------------------------------------------------

@dataclass
class Dashboard:
    registrations: RegistrationCurves
    arrivals: Arrivals
    leads: Leads
    coverage: Coverage
    #: (local day, its planned, realised and unplanned meetings) from the realised meetings' report; empty
    #: without a published plan
    realised_days: list[tuple[date, realised.Tally]]
    num_scans: int


def dashboard(event: Event, viewer, now: datetime | None = None) -> Dashboard:
    plan = published_plan(event)
    num_scans = db.session.scalar(select(func.count(Scan.id)).where(Scan.event_id == event.id))
    # Before the summit no stand has scanned: nothing realised, and no matching to do.
    days = realised.report(event).by_day() if plan is not None and num_scans else []
    return Dashboard(registration_curves(event, previous_edition(event, viewer), now), arrivals(event),
                     leads_per_stand(event), coverage(plan), days, num_scans)
