"""Build the optimiser's `visit-routing/1` problem document from the database.

Visitors are officials and decision makers with a confirmed registration: a delegation walks
together (its score at a stand is the sum over its members), anyone else walks alone. Their tours
are the demonstrator's tour slots on the days they attend, minus the sessions they speak at or
kept in their agenda, minus manual blocks, plus manual openings. Stands are the (stand, startup)
pairs of the bookings, open while booked and not closed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.demonstrator.models import (
    AvailabilityChange, Entrance, Hall, RoutingOptOut, Stand, TourSlot, Wish, WishKind,
)
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.program.models import AgendaEntry, ProgramSession, SeatStatus, SessionKind, SessionSpeaker
from app.registrations.models import Category, Delegation, Registration, RegistrationStatus

VISITOR_CATEGORIES = (CategoryCode.ELU, CategoryCode.DECIDEUR)
#: A free stretch shorter than this within a tour slot is not worth a tour.
MIN_TOUR_MINUTES = 20
#: Time to reach or leave a session room from the hall.
SESSION_MARGIN = timedelta(minutes=10)

Interval = tuple[datetime, datetime]


# -- intervals (naive UTC datetimes) -------------------------------------------------------------

def union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: Iterable[Interval], blocks: Iterable[Interval]) -> list[Interval]:
    result = union(intervals)
    for b_start, b_end in union(blocks):
        kept = []
        for start, end in result:
            if b_end <= start or b_start >= end:
                kept.append((start, end))
                continue
            if start < b_start:
                kept.append((start, b_start))
            if b_end < end:
                kept.append((b_end, end))
        result = kept
    return result


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    a, b = union(a), union(b)
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


# -- what the document is made of ----------------------------------------------------------------

@dataclass
class VisitorUnit:
    """An official walking alone ("r<id>") or a delegation walking together ("d<id>")."""

    key: str
    members: list[Registration]
    delegation: Delegation | None = None

    @property
    def name(self) -> str:
        if self.delegation is not None:
            return self.delegation.name
        return self.members[0].person.full_name


@dataclass
class StandUnit:
    key: str
    stand: Stand
    startup: Registration
    open: list[Interval]


@dataclass
class Built:
    """A problem document and what its ids stand for."""

    document: dict
    reference: datetime
    visitors: dict[str, VisitorUnit] = field(default_factory=dict)
    stands: dict[str, StandUnit] = field(default_factory=dict)
    #: Why each scored pair was chosen: (visitor key, stand key) -> reasons (see pair_value).
    reasons: dict[tuple[str, str], dict] = field(default_factory=dict)

    def minutes(self, moment: datetime) -> float:
        return (moment - self.reference).total_seconds() / 60

    def moment(self, minutes: float) -> datetime:
        return self.reference + timedelta(minutes=minutes)


def reference_of(event: Event) -> datetime:
    """Minute 0 of an edition's documents: midnight of its first day, local time, in UTC (naive)."""
    local = datetime.combine(event.starts_on, time(0, 0), tzinfo=ZoneInfo(event.timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def get_hall(event: Event) -> Hall:
    """The edition's hall and planning settings, created with defaults on first use."""
    hall = db.session.scalar(select(Hall).where(Hall.event_id == event.id))
    if hall is None:
        hall = Hall(event_id=event.id)
        db.session.add(hall)
        db.session.flush()
    return hall


def entrances(event: Event) -> list[Entrance]:
    return list(db.session.scalars(select(Entrance).where(Entrance.event_id == event.id)
                                   .order_by(Entrance.position, Entrance.id)))


def main_entrance(event: Event) -> tuple[str, float, float]:
    """Where tours start and end: the first entrance, or the middle of the left wall when none is set."""
    doors = entrances(event)
    if doors:
        return doors[0].name, doors[0].x, doors[0].y
    return "", 0.0, round(get_hall(event).depth / 2, 3)


def visitor_units(event: Event, keys: Iterable[str] | None = None) -> list[VisitorUnit]:
    """Who is routed: confirmed officials and decision makers who did not opt out (only `keys`, if given)."""
    opted_out = set(db.session.scalars(select(RoutingOptOut.registration_id)
                                       .join(Registration).where(Registration.event_id == event.id)))
    only = []
    if keys is not None:
        keys = set(keys)
        only = [or_(Registration.id.in_([int(k[1:]) for k in keys if k.startswith("r")] or [0]),
                    Registration.delegation_id.in_([int(k[1:]) for k in keys if k.startswith("d")] or [0]))]
    regs = db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
               Category.code.in_(VISITOR_CATEGORIES), *only)
        .options(selectinload(Registration.themes), selectinload(Registration.person),
                 selectinload(Registration.delegation))
        .order_by(Registration.id)).all()
    by_delegation: dict[int, list[Registration]] = defaultdict(list)
    units = []
    for reg in regs:
        if reg.id in opted_out:
            continue
        if reg.delegation_id is not None:
            by_delegation[reg.delegation_id].append(reg)
        else:
            units.append(VisitorUnit(f"r{reg.id}", [reg]))
    for delegation_id, members in sorted(by_delegation.items()):
        members.sort(key=lambda r: (r.protocol_rank if r.protocol_rank is not None else 999, r.id))
        units.append(VisitorUnit(f"d{delegation_id}", members, members[0].delegation))
    return units


def group_sizes(event_id: int) -> dict[str, int]:
    """Routed members per delegation key ("d<id>"): a delegation's visit is that many meetings."""
    rows = db.session.execute(
        select(Registration.delegation_id, func.count()).join(Category)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED,
               Registration.delegation_id.is_not(None), Category.code.in_(VISITOR_CATEGORIES))
        .group_by(Registration.delegation_id))
    return {f"d{delegation_id}": n for delegation_id, n in rows}


def startups_by_id(event: Event) -> dict[int, Registration]:
    return {r.id: r for r in db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Category.code == CategoryCode.STARTUP,
               Registration.status == RegistrationStatus.CONFIRMED)
        .options(selectinload(Registration.themes), selectinload(Registration.organisation)))}


def stand_units(event: Event) -> list[StandUnit]:
    """Bookable (stand, startup) pairs with the windows the stand is open for visits."""
    startups = startups_by_id(event)
    stands = db.session.scalars(select(Stand).where(Stand.event_id == event.id)
                                .options(selectinload(Stand.bookings), selectinload(Stand.closures))
                                .order_by(Stand.number)).all()
    units = []
    for stand in stands:
        holders: dict[int, list[Interval]] = defaultdict(list)
        for booking in stand.bookings:
            if booking.registration_id in startups:
                holders[booking.registration_id].append((booking.starts_at, booking.ends_at))
        closed = [(c.starts_at, c.ends_at) for c in stand.closures]
        for startup_id, windows in sorted(holders.items()):
            key = stand.number if len(holders) == 1 else f"{stand.number}/{startup_id}"
            open_ = subtract(windows, closed)
            if open_:
                units.append(StandUnit(key, stand, startups[startup_id], open_))
    return units


def busy_times(event: Event, registration_ids: list[int]) -> dict[int, list[Interval]]:
    """Sessions each person speaks at or kept in their agenda (not a waiting-list place), with margins."""
    busy: dict[int, list[Interval]] = defaultdict(list)
    if not registration_ids:
        return busy
    # The demonstrator's own guided tours and the breaks do not keep anyone from a visit.
    live = (ProgramSession.event_id == event.id, ProgramSession.is_cancelled.is_(False),
            ProgramSession.kind.not_in([SessionKind.VISITE, SessionKind.PAUSE]))
    rows = db.session.execute(
        select(SessionSpeaker.registration_id, ProgramSession.starts_at, ProgramSession.ends_at)
        .join(ProgramSession).where(*live, SessionSpeaker.registration_id.in_(registration_ids)))
    rows = list(rows) + list(db.session.execute(
        select(AgendaEntry.registration_id, ProgramSession.starts_at, ProgramSession.ends_at)
        .join(ProgramSession).where(*live, AgendaEntry.registration_id.in_(registration_ids),
                                    (AgendaEntry.seat.is_(None)) | (AgendaEntry.seat != SeatStatus.WAITING))))
    for reg_id, starts_at, ends_at in rows:
        busy[reg_id].append((starts_at - SESSION_MARGIN, ends_at + SESSION_MARGIN))
    return busy


def tour_windows(event: Event, units: list[VisitorUnit]) -> dict[str, list[Interval]]:
    """Each visitor's free time inside the tour slots (see the module's docstring)."""
    tz = ZoneInfo(event.timezone)
    slots = [(s.starts_at, s.ends_at) for s in db.session.scalars(
        select(TourSlot).where(TourSlot.event_id == event.id).order_by(TourSlot.starts_at))]
    member_ids = [m.id for u in units for m in u.members]
    busy = busy_times(event, member_ids)
    changes = db.session.scalars(select(AvailabilityChange).where(AvailabilityChange.event_id == event.id)).all()
    person_changes: dict[int, list[AvailabilityChange]] = defaultdict(list)
    group_changes: dict[int, list[AvailabilityChange]] = defaultdict(list)
    for change in changes:
        if change.registration_id is not None:
            person_changes[change.registration_id].append(change)
        elif change.delegation_id is not None:
            group_changes[change.delegation_id].append(change)

    def local_day(moment: datetime) -> str:
        return moment.replace(tzinfo=UTC).astimezone(tz).date().isoformat()

    def free(reg: Registration) -> list[Interval]:
        days = set(reg.days or [d.isoformat() for d in event.days])
        windows = [s for s in slots if local_day(s[0]) in days]
        windows = subtract(windows, busy.get(reg.id, []))
        return _apply(windows, person_changes.get(reg.id, []), slots)

    result = {}
    for unit in units:
        windows = free(unit.members[0])
        for member in unit.members[1:]:
            windows = intersect(windows, free(member))
        if unit.delegation is not None:
            windows = _apply(windows, group_changes.get(unit.delegation.id, []), slots)
        result[unit.key] = [w for w in windows if (w[1] - w[0]) >= timedelta(minutes=MIN_TOUR_MINUTES)]
    return result


def _apply(windows: list[Interval], changes: list[AvailabilityChange], slots: list[Interval]) -> list[Interval]:
    opened = [(c.starts_at, c.ends_at) for c in changes if c.available]
    blocked = [(c.starts_at, c.ends_at) for c in changes if not c.available]
    # An opening applies within the tour slots: tours only run while guides do.
    return subtract(union(windows + intersect(opened, slots)), blocked)


# -- scores ------------------------------------------------------------------------------------

@dataclass
class Wishes:
    """Who wants (or refuses) to meet whom, as sets of (from registration id, to registration id)."""

    want: set[tuple[int, int]]
    no: set[tuple[int, int]]

    @classmethod
    def load(cls, event: Event) -> Wishes:
        want, no = set(), set()
        for src, dst, kind in db.session.execute(
                select(Wish.from_registration_id, Wish.to_registration_id, Wish.kind).where(Wish.event_id == event.id)):
            (want if kind == WishKind.WANT else no).add((src, dst))
        return cls(want, no)


Member = tuple[int, frozenset[int]]  # a registration id and its theme ids


def _themes(registration: Registration) -> frozenset[int]:
    return frozenset(t.id for t in registration.themes)


def _value(hall: Hall, members: list[Member], startup_id: int, startup_themes: frozenset[int],
           wishes: Wishes) -> tuple[float, dict]:
    total, shared, wanted_by, wanted_them = 0.0, set(), [], []
    for member_id, member_themes in members:
        if (member_id, startup_id) in wishes.no or (startup_id, member_id) in wishes.no:
            return 0.0, {"refused": True}
        common = member_themes & startup_themes
        shared |= common
        by_member = (member_id, startup_id) in wishes.want
        by_startup = (startup_id, member_id) in wishes.want
        if by_member:
            wanted_by.append(member_id)
        if by_startup:
            wanted_them.append(member_id)
        wish = hall.weight_mutual if by_member and by_startup else hall.weight_wish if by_member or by_startup else 0
        total += hall.weight_base + hall.weight_theme * len(common) + wish
    return round(total, 6), {"themes": sorted(shared), "member_wishes": wanted_by, "startup_wishes": wanted_them}


def pair_value(hall: Hall, members: list[Registration], startup: Registration, wishes: Wishes) -> tuple[float, dict]:
    """The value of a visitor's visit to a startup, and why: the sum over members.

    Per member: weight_base, plus weight_theme per shared theme, plus weight_wish for a wish from one
    side or weight_mutual for a wish from both. A "no thanks" from either side, for any member, means
    never (value 0).
    """
    return _value(hall, [(m.id, _themes(m)) for m in members], startup.id, _themes(startup), wishes)


def score_matrix(event: Event, units: list[VisitorUnit] | None = None,
                 stands: list[StandUnit] | None = None) -> dict[tuple[str, str], tuple[float, dict]]:
    """(visitor key, stand key) -> (value, reasons) for every pair worth a visit."""
    hall = get_hall(event)
    units = visitor_units(event) if units is None else units
    stands = stand_units(event) if stands is None else stands
    wishes = Wishes.load(event)
    counterparts: dict[int, set[int]] = defaultdict(set)  # who each person has a wish with, either way
    for a, b in wishes.want | wishes.no:
        counterparts[a].add(b)
        counterparts[b].add(a)
    stand_values = [(st.key, st.startup.id, _themes(st.startup)) for st in stands]
    matrix = {}
    for unit in units:
        members = [(m.id, _themes(m)) for m in unit.members]
        all_themes = frozenset().union(*(themes for _, themes in members))
        with_wish = set().union(*(counterparts.get(member_id, set()) for member_id, _ in members))
        for key, startup_id, startup_themes in stand_values:
            if hall.weight_base <= 0 and startup_id not in with_wish and all_themes.isdisjoint(startup_themes):
                continue  # nothing in common: worth 0 (the common case, skipped fast)
            value, reasons = _value(hall, members, startup_id, startup_themes, wishes)
            if value > 0:
                matrix[(unit.key, key)] = (value, reasons)
    return matrix


# -- the document ------------------------------------------------------------------------------

@dataclass
class LockedVisit:
    visitor: str
    stand: str
    start: float | None


def build_problem(event: Event, *, locked: Iterable[LockedVisit] = (), previous: dict | None = None,
                  after: datetime | None = None, name: str | None = None) -> Built:
    """The edition's problem document.

    `after` (UTC) plans only what is still to come: stands are open from then on, except for
    the locked visits already made, which keep their exact times. `previous` is a solution
    document of an earlier plan; entries whose visitor or stand no longer exist are left out.
    """
    hall = get_hall(event)
    name, x, y = main_entrance(event)
    door_name, door_xy = f"entrance:{name}" if name else "entrance", [x, y]
    built = Built({}, reference_of(event))
    units = visitor_units(event)
    stands = stand_units(event)
    windows = tour_windows(event, units)
    locked = list(locked)

    locations = {door_name: door_xy}
    stand_docs = []
    for st in stands:
        built.stands[st.key] = st
        locations[f"stand:{st.key}"] = [round(c, 3) for c in st.stand.centre]
        open_ = st.open
        if after is not None:
            open_ = _open_after(st, open_, after, locked, built, hall)
        if not open_:
            continue
        stand_docs.append({
            "id": st.key, "location": f"stand:{st.key}",
            "visit_duration": st.stand.visit_minutes or hall.visit_minutes,
            "open": [[round(built.minutes(a), 4), round(built.minutes(b), 4)] for a, b in open_],
            "capacity": max(1, st.stand.capacity),
            "max_visits": st.stand.max_visits,
            "min_visits": hall.min_visits if st.stand.min_visits is None else st.stand.min_visits,
        })
    stand_keys = {s["id"] for s in stand_docs}

    visitor_docs = []
    for unit in units:
        tours = windows.get(unit.key, [])
        if not tours:
            continue
        built.visitors[unit.key] = unit
        visitor_docs.append({"id": unit.key, "tours": [
            {"start": door_name, "end": door_name,
             "from": round(built.minutes(a), 4), "to": round(built.minutes(b), 4)} for a, b in tours]})

    scores = []
    for (vkey, skey), (value, reasons) in score_matrix(event, [u for u in units if u.key in built.visitors],
                                                        [s for s in stands if s.key in stand_keys]).items():
        scores.append([vkey, skey, value])
        built.reasons[(vkey, skey)] = reasons

    built.document = {
        "format": "visit-routing/1",
        "name": name or event.name,
        "locations": locations,
        "speed": hall.walking_speed,
        "travel_matrix": None,
        "stands": stand_docs,
        "visitors": visitor_docs,
        "scores": scores,
        "shortfall_penalty": hall.shortfall_penalty,
        "locked": [],
        "previous": None,
        "change_penalty": hall.change_penalty if previous else 0,
    }
    built.document["locked"] = _locked_entries(built.document, locked)
    if previous:
        built.document["previous"] = _previous_entries(built.document, previous)
    return built


def _open_after(st: StandUnit, open_: list[Interval], after: datetime, locked: list[LockedVisit],
                built: Built, hall: Hall) -> list[Interval]:
    duration = timedelta(minutes=st.stand.visit_minutes or hall.visit_minutes)
    kept = [(built.moment(lk.start), built.moment(lk.start) + duration) for lk in locked
            if lk.stand == st.key and lk.start is not None and built.moment(lk.start) < after]
    return union(subtract(open_, [(datetime.min, after)]) + kept)


def _tour_of(visitor: dict, start: float | None, duration: float) -> int | None:
    """The tour a visit at `start` belongs to (the first tour when no start is given)."""
    for k, tour in enumerate(visitor["tours"]):
        if start is None or (tour["from"] - 1e-6 <= start and start + duration <= tour["to"] + 1e-6):
            return k
    return None


def _locked_entries(document: dict, locked: list[LockedVisit]) -> list[dict]:
    """Locks as document entries. A lock whose visitor, stand or tour is gone is dropped (the new plan shows it)."""
    visitors = {v["id"]: v for v in document["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in document["stands"]}
    entries = []
    for lk in locked:
        if lk.visitor not in visitors or lk.stand not in durations:
            continue
        k = _tour_of(visitors[lk.visitor], lk.start, durations[lk.stand])
        if k is not None:
            entries.append({"visitor": lk.visitor, "tour": k, "stand": lk.stand, "start": lk.start})
    return entries


def _previous_entries(document: dict, previous: dict) -> dict:
    """An earlier solution, restated on this document's tours; visits of vanished ids are left out."""
    visitors = {v["id"]: v for v in document["visitors"]}
    durations = {s["id"]: s["visit_duration"] for s in document["stands"]}
    tours: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for tour in previous.get("tours", []):
        vid = tour.get("visitor")
        if vid not in visitors:
            continue
        for visit in tour.get("visits", []):
            if visit.get("stand") not in durations:
                continue
            k = _tour_of(visitors[vid], visit["start"], durations[visit["stand"]])
            tours[(vid, 0 if k is None else k)].append({"stand": visit["stand"], "start": visit["start"]})
    return {"format": "visit-routing-solution/1",
            "tours": [{"visitor": vid, "tour": k, "visits": sorted(v, key=lambda x: x["start"])}
                      for (vid, k), v in sorted(tours.items())]}


