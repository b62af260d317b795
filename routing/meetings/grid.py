"""The placement document by index: slots, who may meet when, common free slots, values in integers.

Shared by the greedy, the CP-SAT model, the bound and the numbering of tables (the checker,
``check.py``, reads the document itself and none of this). A slot ``s`` runs from ``starts[s]`` to
``starts[s] + slot_length``; slots are numbered in time order across sessions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..fields import InvalidDocument
from .values import TOL, Placement

MAX_DECIMALS = 6  # values are compared to 1e-6: a value with more decimals is rounded there


@dataclass(frozen=True)
class Grid:
    starts: tuple[float, ...]  # per slot
    session_of: tuple[int, ...]  # per slot, the session's index in the document
    caps: tuple[int | None, ...]  # per session, max_per_person
    tables: int
    members: tuple[tuple[int, ...], ...]  # per meeting, its people's indices
    meetings_of: tuple[tuple[int, ...], ...]  # per person, her meetings
    free: tuple[frozenset[int], ...]  # per person, the slots where she may meet
    common: tuple[tuple[int, ...], ...]  # per meeting, its common free slots, in time order
    values: tuple[int, ...]  # per meeting, value * scale, rounded (>= 1)
    scale: int
    rounding: float  # what rounding the values may have taken off a placement's value, at most
    fixed: tuple[int | None, ...]  # per meeting, the slot it is locked to
    fixed_table: tuple[int | None, ...]  # per meeting, the table (index) it is locked to
    previous: tuple[int | None, ...]  # per meeting, its previous slot if still a common free slot
    previous_table: tuple[int | None, ...]  # per meeting, its previous table if it still exists

    @property
    def num_slots(self) -> int:
        return len(self.starts)


def may_meet(person, start: float, end: float, buffer: float) -> bool:
    """The person may meet in [start, end): inside one available window, no busy interval within ``buffer``."""
    if person.available is not None and not any(a - TOL <= start and end <= b + TOL for a, b in person.available):
        return False
    return not any(start - buffer < b - TOL and a < end + buffer - TOL for a, b in person.busy)


def slot_starts(placement: Placement) -> list[tuple[float, int]]:
    """(start, session index) of every slot, in time order."""
    out = []
    length = placement.slot_length
    for i, session in enumerate(placement.sessions):
        k = 0
        while session.start + (k + 1) * length <= session.end + TOL:
            out.append((round(session.start + k * length, 9), i))  # 37.4, not 37.400000000000006
            k += 1
    out.sort()
    return out


def slot_at(starts: tuple[float, ...], time: float) -> int | None:
    """The slot that starts at ``time`` (to TOL), or None."""
    k = bisect.bisect_left(starts, time - TOL)
    return k if k < len(starts) and abs(starts[k] - time) <= TOL else None


def scale_values(values: list[float]) -> tuple[list[int], int]:
    """Integer values: the document's times the smallest power of ten that makes them whole (at most 10^6)."""
    for decimals in range(MAX_DECIMALS + 1):
        scale = 10 ** decimals
        if all(abs(v * scale - round(v * scale)) <= 1e-9 * max(1.0, v * scale) for v in values):
            break
    return [max(1, round(v * scale)) for v in values], scale


def build_grid(placement: Placement) -> Grid:
    slots = slot_starts(placement)
    starts = tuple(s for s, _ in slots)
    length, buffer = placement.slot_length, placement.buffer
    free = tuple(frozenset(k for k, s in enumerate(starts) if may_meet(p, s, s + length, buffer))
                 for p in placement.people)
    pindex, tindex = placement.person_index, {t: i for i, t in enumerate(placement.tables)}
    members = tuple(tuple(pindex[p] for p in m.people) for m in placement.meetings)
    meetings_of: list[list[int]] = [[] for _ in placement.people]
    for m, ps in enumerate(members):
        for p in ps:
            meetings_of[p].append(m)
    common = tuple(tuple(sorted(frozenset.intersection(*(free[p] for p in ps)))) for ps in members)
    values, scale = scale_values([m.value for m in placement.meetings])
    rounding = sum(max(0.0, m.value - v / scale) for m, v in zip(placement.meetings, values))
    fixed, fixed_table, previous, previous_table = [], [], [], []
    for m, meeting in enumerate(placement.meetings):
        f = None if meeting.fixed is None else slot_at(starts, meeting.fixed.start)
        if meeting.fixed is not None and f is None:
            raise InvalidDocument(f"meetings[{m}].fixed.start: {meeting.fixed.start:g} is not the start of a slot "
                                  f"(meeting {meeting.id!r})")
        fixed.append(f)
        fixed_table.append(None if meeting.fixed is None else tindex[meeting.fixed.table])
        prev = None if meeting.previous is None else slot_at(starts, meeting.previous.start)
        previous.append(prev if prev is not None and prev in common[m] else None)
        previous_table.append(None if meeting.previous is None else tindex.get(meeting.previous.table))
    grid = Grid(starts, tuple(i for _, i in slots), tuple(s.max_per_person for s in placement.sessions),
                len(placement.tables), members, tuple(tuple(x) for x in meetings_of), free, common,
                tuple(values), scale, rounding, tuple(fixed), tuple(fixed_table), tuple(previous),
                tuple(previous_table))
    _check_fixed(placement, grid)
    return grid


def _check_fixed(placement: Placement, grid: Grid) -> None:
    """A fixed meeting that breaks a rule (alone or with the other fixed ones) makes the document invalid."""
    tables: dict[tuple[int, int], int] = {}
    people: dict[tuple[int, int], int] = {}
    counts: dict[tuple[int, int], int] = {}
    for m, s in enumerate(grid.fixed):
        if s is None:
            continue
        meeting = placement.meetings[m]
        where = f"meetings[{m}].fixed"
        at = f"{grid.starts[s]:g}-{grid.starts[s] + placement.slot_length:g}"
        for p in grid.members[m]:
            if s not in grid.free[p]:
                raise InvalidDocument(f"{where}: person {placement.people[p].id!r} may not meet at {at} (not "
                                      f"available, or busy within the buffer) (meeting {meeting.id!r})")
            other = people.setdefault((p, s), m)
            if other != m:
                raise InvalidDocument(f"{where}: person {placement.people[p].id!r} is already in meeting "
                                      f"{placement.meetings[other].id!r} at {at} (meeting {meeting.id!r})")
            session = grid.session_of[s]
            counts[p, session] = counts.get((p, session), 0) + 1
            cap = grid.caps[session]
            if cap is not None and counts[p, session] > cap:
                raise InvalidDocument(f"{where}: person {placement.people[p].id!r} would have {counts[p, session]} "
                                      f"fixed meetings in session {placement.sessions[session].id!r}, "
                                      f"max_per_person is {cap} (meeting {meeting.id!r})")
        other = tables.setdefault((grid.fixed_table[m], s), m)
        if other != m:
            raise InvalidDocument(f"{where}: table {meeting.fixed.table!r} at {at} is already taken by meeting "
                                  f"{placement.meetings[other].id!r} (meeting {meeting.id!r})")


class Board:
    """Meetings placed so far, slot by slot: what a new one may still use."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.load = [0] * grid.num_slots  # meetings per slot
        self.taken: set[tuple[int, int]] = set()  # (person, slot)
        self.count: dict[tuple[int, int], int] = {}  # (person, session) -> meetings
        self.slot = [-1] * len(grid.members)  # per meeting, its slot or -1

    def copy(self) -> Board:
        other = Board.__new__(Board)
        other.grid, other.load, other.taken = self.grid, list(self.load), set(self.taken)
        other.count, other.slot = dict(self.count), list(self.slot)
        return other

    def person_free(self, m: int, s: int) -> bool:
        """No person of ``m`` is in another meeting at ``s`` or at the session's cap."""
        g = self.grid
        session = g.session_of[s]
        cap = g.caps[session]
        return not any((p, s) in self.taken or (cap is not None and self.count.get((p, session), 0) >= cap)
                       for p in g.members[m])

    def fits(self, m: int, s: int) -> bool:
        return self.load[s] < self.grid.tables and self.person_free(m, s)

    def add(self, m: int, s: int) -> None:
        g = self.grid
        self.slot[m] = s
        self.load[s] += 1
        session = g.session_of[s]
        for p in g.members[m]:
            self.taken.add((p, s))
            self.count[p, session] = self.count.get((p, session), 0) + 1

    def remove(self, m: int) -> None:
        g = self.grid
        s = self.slot[m]
        self.slot[m] = -1
        self.load[s] -= 1
        session = g.session_of[s]
        for p in g.members[m]:
            self.taken.discard((p, s))
            self.count[p, session] -= 1

    def value(self) -> int:
        return sum(self.grid.values[m] for m, s in enumerate(self.slot) if s >= 0)
