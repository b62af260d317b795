"""Planned versus realised: which visits of the published plan really happened, by the stands' badge scans.

A scan at a startup's stand of a person who was planned to visit that startup (alone, or as a member of the
visiting delegation), from TOLERANCE before the visit's start to TOLERANCE after its end, marks the visit as
realised. A scan counts for one visit only. Scans that match no planned visit are unplanned meetings: one per
person, startup and day, however often the person was scanned there.

This module is pure: plain values in, the matching and its tallies out. report.py reads the values from
the database and gathers what the organisers' pages and `flask visits realised` show.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.core.timefmt import to_local

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
