"""The frozen values of a meeting-placement document (``meeting-placement/1``).

Times are minutes from any reference (floats allowed). A :class:`Placement` is only built by
:func:`routing.meetings.parse.parse_placement`, which validates it and attaches its ``grid`` (the document
by index, used by the greedy, the solver and the bound; the checker does not read it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grid import Grid

PLACEMENT_FORMAT = "meeting-placement/1"
SOLUTION_FORMAT = "meeting-placement-solution/1"
REASONS = ("no_common_slot", "no_table", "person_busy")
TOL = 1e-6  # two times closer than this are the same time


@dataclass(frozen=True)
class Session:
    id: str
    start: float
    end: float
    max_per_person: int | None = None  # meetings of one person in this session, None: no cap


@dataclass(frozen=True)
class Person:
    id: str
    available: tuple[tuple[float, float], ...] | None  # merged windows, sorted; None: always
    busy: tuple[tuple[float, float], ...] = ()  # non-empty intervals [start, end), sorted


@dataclass(frozen=True)
class Spot:
    start: float
    table: str


@dataclass(frozen=True)
class Meeting:
    id: str
    people: tuple[str, ...]
    value: float = 1.0
    fixed: Spot | None = None  # the organiser's lock: placed exactly there
    previous: Spot | None = None  # the earlier placement, kept when nothing forces a move


@dataclass(frozen=True)
class Placement:
    sessions: tuple[Session, ...]
    slot_length: float
    tables: tuple[str, ...]
    buffer: float
    people: tuple[Person, ...]
    meetings: tuple[Meeting, ...]
    person_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    meeting_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    grid: Grid | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Placed:
    meeting: str
    start: float
    table: str


@dataclass(frozen=True)
class Unplaced:
    meeting: str
    reason: str  # one of REASONS


def number(x: float) -> int | float:
    """A time or value as JSON shows it: 560 rather than 560.0."""
    return int(x) if float(x).is_integer() else x
