"""What people get from the published plan: an official's route, a startup's visitors, guides' tours.

Everything here reads the published plan only (a draft is the organisers' business). The
reasons shown for a visit are `wishes.scores.pair_value` over the visitor's members, so they say
the same thing the optimiser scored. Positions come from the hall as it is now: the tour's
departure and return are the first and last visits with the walk from and to the main entrance.
Calendar entries for the personal feed are in calendar.py.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core.i18n import localized
from app.core.timefmt import to_local
from app.demonstrator.hall.models import TourSlot
from app.demonstrator.hall.queries import get_hall, startup_name
from app.demonstrator.plans.free import FreeSlot, free_slots
from app.demonstrator.plans.hall_map import HallMap, hall_map
from app.demonstrator.plans.meeting_notes import (TableMeeting, VisitMeeting, stand_meetings, table_meetings,
                                                  unit_table_meetings)
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.wishes.scores import Wishes, pair_value
from app.demonstrator.wishes.visitors import VisitorUnit, visitor_units
from app.events.models import CategoryCode, Event, Theme
from app.extensions import db
from app.registrations.labels import mandate_title
from app.registrations.models import Registration


@dataclass(frozen=True)
class Published:
    id: int
    version: int


def published(event_id: int) -> Published | None:
    """The published plan's id and version (its problem document is not loaded: it can be large)."""
    row = db.session.execute(select(VisitPlan.id, VisitPlan.version).where(
        VisitPlan.event_id == event_id, VisitPlan.status == PlanStatus.PUBLISHED)).first()
    return Published(*row) if row else None


def _published_id(event_id: int) -> int | None:
    plan = published(event_id)
    return plan.id if plan else None


def planned_for(registration: Registration):
    """The condition on PlannedVisit rows for the person's visits (alone, or with their delegation)."""
    mine = PlannedVisit.registration_id == registration.id
    if registration.delegation_id is not None:
        mine = or_(mine, PlannedVisit.delegation_id == registration.delegation_id)
    return mine


def route_of(registration: Registration) -> list[PlannedVisit]:
    """The official's visits in the published plan (with their delegation, if they walk with one)."""
    plan_id = _published_id(registration.event_id)
    if plan_id is None:
        return []
    return list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan_id, planned_for(registration))
                                   .options(selectinload(PlannedVisit.stand), selectinload(PlannedVisit.startup))
                                   .order_by(PlannedVisit.starts_at)))


def visitors_of(startup: Registration) -> list[PlannedVisit]:
    """The visits the startup receives in the published plan."""
    plan_id = _published_id(startup.event_id)
    if plan_id is None:
        return []
    return list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan_id,
                                                              PlannedVisit.startup_id == startup.id)
                                   .options(selectinload(PlannedVisit.delegation),
                                            selectinload(PlannedVisit.registration))
                                   .order_by(PlannedVisit.starts_at)))


def startup_of(registration: Registration) -> Registration | None:
    """The startup a person stands for: their own registration, or their team lead's."""
    if registration.category.code == CategoryCode.STARTUP:
        return registration.team_lead or registration
    return None


# -- who walks: the members of visitor keys, as wishes.visitors counts them -------------------

def units_for(event: Event, keys: Iterable[str], visits: Iterable[PlannedVisit] = ()) -> dict[str, VisitorUnit]:
    """Visitor key -> unit (members in protocol order), for the keys of a plan.

    Members are the confirmed officials and decision makers who did not opt out, as when the
    plan was built. A key whose members are all gone keeps its name from the visit's row.
    """
    keys = set(keys)
    found = {u.key: u for u in visitor_units(event, keys)}
    rows = {v.visitor_key: v for v in visits}
    units = {}
    for key in keys:
        group = found[key].members if key in found else []
        row = rows.get(key)
        if key.startswith("d"):
            delegation = group[0].delegation if group else (row.delegation if row else None)
            units[key] = VisitorUnit(key, group, delegation)
        else:
            units[key] = VisitorUnit(key, group or ([row.registration] if row and row.registration else []))
    return units


def unit_name(unit: VisitorUnit) -> str:
    if unit.delegation is not None:
        return unit.delegation.name
    return unit.members[0].person.full_name if unit.members else "?"


# -- tours and why each stop was chosen --------------------------------------------------------------

@dataclass
class Stop:
    """One visit, with why it was chosen (see wishes.scores.pair_value)."""

    order: int
    visit: PlannedVisit
    unit: VisitorUnit
    #: Shared themes, each with the members who share it.
    themes: list[tuple[Theme, list[Registration]]] = field(default_factory=list)
    #: Members who wished to meet the startup, and members the startup wished to meet.
    wished_by: list[Registration] = field(default_factory=list)
    wished_for: list[Registration] = field(default_factory=list)
    #: The visit is a meeting on request (published), with whom.
    meeting: VisitMeeting | None = None

    @property
    def startup(self) -> Registration | None:
        return self.visit.startup

    @property
    def stand_number(self) -> str:
        return self.visit.stand.number if self.visit.stand else self.visit.stand_key.partition("/")[0]

    @property
    def startup_name(self) -> str:
        return startup_name(self.visit.startup)

    @property
    def pitch(self) -> str:
        startup = self.visit.startup
        return localized(startup.organisation, "pitch").strip() if startup and startup.organisation else ""

    @property
    def pitch_first_line(self) -> str:
        return self.pitch.splitlines()[0] if self.pitch else ""


@dataclass
class Tour:
    """One tour of one visitor: leave the entrance, visit the stops in order, come back."""

    visitor_key: str
    index: int
    unit: VisitorUnit
    day: date
    stops: list[Stop]
    depart: datetime
    back: datetime
    slot_label: str = ""
    #: The group's published meetings at the tables of the meetings area that day.
    table_meetings: list[TableMeeting] = field(default_factory=list)

    @property
    def name(self) -> str:
        return unit_name(self.unit)

    def path(self, hall: HallMap) -> list[tuple[float, float]]:
        """Entrance, the stands in walking order, entrance."""
        door = (hall.door.x, hall.door.y)
        centres = [_centre(s, hall) for s in self.stops]
        return [door] + [c for c in centres if c is not None] + [door]

    def legs(self, hall: HallMap) -> list[tuple[tuple[float, float], tuple[float, float], tuple[float, float]]]:
        """The path's legs as (from, middle, to): maps draw the direction arrow at the middle."""
        points = self.path(hall)
        return [(a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), b) for a, b in zip(points, points[1:]) if a != b]

    @property
    def stand_numbers(self) -> list[str]:
        """The stands in walking order."""
        return [s.stand_number for s in self.stops]

    @property
    def orders(self) -> dict[str, int]:
        """Stand number -> its place in the walking order."""
        return {s.stand_number: s.order for s in self.stops}


def _centre(stop: Stop, hall: HallMap) -> tuple[float, float] | None:
    stand = stop.visit.stand
    if stand is not None:
        return stand.centre
    found = next((s for s in hall.stands if s.number == stop.stand_number), None)
    return found.centre if found else None


class Reasons:
    """pair_value's reasons, turned into members and themes, for many visits of one edition."""

    def __init__(self, event: Event):
        self.hall = get_hall(event)
        self.wishes = Wishes.load(event)

    def stop(self, order: int, visit: PlannedVisit, unit: VisitorUnit) -> Stop:
        stop = Stop(order, visit, unit)
        startup = visit.startup
        if startup is None or not unit.members:
            return stop
        _, reasons = pair_value(self.hall, unit.members, startup, self.wishes)
        if reasons.get("refused"):
            return stop  # a "no thanks" given after publishing: nothing to explain
        by_id = {m.id: m for m in unit.members}
        startup_themes = {t.id: t for t in startup.themes}
        for theme_id in reasons["themes"]:
            sharing = [m for m in unit.members if any(t.id == theme_id for t in m.themes)]
            stop.themes.append((startup_themes[theme_id], sharing))
        stop.themes.sort(key=lambda item: item[0].position)
        stop.wished_by = [by_id[i] for i in reasons["member_wishes"]]
        stop.wished_for = [by_id[i] for i in reasons["startup_wishes"]]
        return stop


def _slots(event: Event) -> list[TourSlot]:
    return list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)
                                   .order_by(TourSlot.starts_at)))


def build_tours(event: Event, visits: list[PlannedVisit], hall: HallMap | None = None, *,
                explain: bool = True) -> list[Tour]:
    """Group visits by (visitor, tour) in walking order, with departure and return at the entrance.

    `explain`: each stop says why it is worth a visit (themes, wishes); a list of tours needs none of it."""
    hall = hall or hall_map(event)
    units = units_for(event, {v.visitor_key for v in visits}, visits)
    reasons = Reasons(event) if explain else None
    slots = _slots(event)
    grouped: dict[tuple[str, int], list[PlannedVisit]] = defaultdict(list)
    for visit in visits:
        grouped[(visit.visitor_key, visit.tour)].append(visit)
    door = (hall.door.x, hall.door.y)
    tours = []
    for (key, index), group in grouped.items():
        group.sort(key=lambda v: v.starts_at)
        unit = units[key]
        stops = [reasons.stop(n, v, unit) if reasons else Stop(n, v, unit) for n, v in enumerate(group, start=1)]
        first, last = _centre(stops[0], hall), _centre(stops[-1], hall)
        depart = group[0].starts_at - timedelta(minutes=hall.walk_minutes(door, first) if first else 0)
        back = group[-1].ends_at + timedelta(minutes=hall.walk_minutes(last, door) if last else 0)
        slot = next((s for s in slots if s.starts_at <= group[0].starts_at < s.ends_at), None)
        tours.append(Tour(key, index, unit, to_local(group[0].starts_at, event.timezone).date(), stops,
                          _to_minute(depart, down=True), _to_minute(back, down=False),
                          localized(slot, "label") if slot else ""))
    tours.sort(key=lambda t: (t.depart, t.name, t.visitor_key))
    _add_meetings(event, tours, visits)
    return tours


def _add_meetings(event: Event, tours: list[Tour], visits: list[PlannedVisit]) -> None:
    """The meetings on request: the visits that are one, and each group's meetings at the tables on its tour's day."""
    notes = stand_meetings(event, visits)
    at_tables = table_meetings(event, {m.id for tour in tours for m in tour.unit.members})
    for tour in tours:
        for stop in tour.stops:
            stop.meeting = notes.get(stop.visit.id)
        tour.table_meetings = [m for m in unit_table_meetings(at_tables, [m.id for m in tour.unit.members])
                               if to_local(m.starts_at, event.timezone).date() == tour.day]


def _to_minute(moment: datetime, *, down: bool) -> datetime:
    """A departure rounded down to the minute, a return rounded up: times people read on a sheet."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if down or whole == moment else whole + timedelta(minutes=1)


def by_day(tours: list[Tour]) -> list[tuple[date, list[Tour]]]:
    days: dict[date, list[Tour]] = defaultdict(list)
    for tour in tours:
        days[tour.day].append(tour)
    return sorted(days.items())


@dataclass
class Route:
    """An official's route in the published plan (`plan` None: nothing published yet)."""

    plan: Published | None
    tours: list[Tour]
    hall: HallMap | None = None
    free: list[FreeSlot] = field(default_factory=list)
    #: Her published meetings at the tables of the meetings area (her stand meetings are stops of the tours).
    table_meetings: list[TableMeeting] = field(default_factory=list)

    @property
    def days(self) -> list[tuple[date, list[Tour]]]:
        return by_day(self.tours)


def route(registration: Registration) -> Route:
    event = registration.event
    plan = published(event.id)
    mine = table_meetings(event, [registration.id]).get(registration.id, [])
    if plan is None:
        return Route(None, [], table_meetings=mine)
    hall = hall_map(event)
    return Route(plan, build_tours(event, route_of(registration), hall), hall,
                 free_slots(registration, plan.id), mine)


def briefing(startup: Registration) -> tuple[Published | None, list[Stop]]:
    """The visits a startup receives, each with its visitor's members and why they come."""
    event = startup.event
    plan = published(event.id)
    if plan is None:
        return None, []
    visits = visitors_of(startup)
    units = units_for(event, {v.visitor_key for v in visits}, visits)
    reasons = Reasons(event)
    stops = [reasons.stop(n, v, units[v.visitor_key]) for n, v in enumerate(visits, start=1)]
    notes = stand_meetings(event, visits)
    for stop in stops:
        stop.meeting = notes.get(stop.visit.id)
    return plan, stops


def stops_by_day(event: Event, stops: list[Stop]) -> list[tuple[date, list[Stop]]]:
    days: dict[date, list[Stop]] = defaultdict(list)
    for stop in stops:
        days[to_local(stop.visit.starts_at, event.timezone).date()].append(stop)
    return sorted(days.items())


def plan_tours(event: Event, day: date | None = None, hall: HallMap | None = None, *,
               visitor_key: str | None = None, tour: int | None = None, explain: bool = True) -> list[Tour]:
    """The tours of the published plan, for guides' sheets: all, of one local day, or one visitor's tour
    (`explain`: see build_tours)."""
    plan = published(event.id)
    if plan is None:
        return []
    query = select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)
    if visitor_key is not None:
        query = query.where(PlannedVisit.visitor_key == visitor_key)
    if tour is not None:
        query = query.where(PlannedVisit.tour == tour)
    # The sheets name the themes each startup shares with its visitors: loaded at once, not per stop.
    # A list of tours (no `explain`) shows no startup, and reads a visit's delegation or official only for a
    # visitor whose members are all gone (units_for): none is loaded for thousands of visits.
    more = [selectinload(PlannedVisit.startup).selectinload(Registration.themes),
            selectinload(PlannedVisit.delegation), selectinload(PlannedVisit.registration)] if explain else []
    visits = list(db.session.scalars(query.options(selectinload(PlannedVisit.stand), *more)))
    tours = build_tours(event, visits, hall, explain=explain)
    return [t for t in tours if day is None or t.day == day]


def member_line(member: Registration) -> str:
    """A visiting official as briefings, calendars and route sheets list them: name · mandate · territory."""
    parts = [member.person.full_name]
    if member.mandate:
        parts.append(mandate_title(member))
    if member.territory:
        parts.append(member.territory)
    return " · ".join(parts)
