"""The frozen values of the contract's two documents: a problem and a solution.

Plain Python (no OR-Tools). They are built, and validated, by :mod:`routing.problem`;
a :class:`Solution` writes its own document.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

PROBLEM_FORMAT = "visit-routing/1"
SOLUTION_FORMAT = "visit-routing-solution/1"


@dataclass(frozen=True)
class Stand:
    id: str
    location: str
    visit_duration: float
    open: tuple[tuple[float, float], ...]
    capacity: int = 1
    max_visits: int | None = None
    min_visits: int = 0


@dataclass(frozen=True)
class Tour:
    start: str
    end: str
    from_: float
    to: float


@dataclass(frozen=True)
class Visitor:
    id: str
    tours: tuple[Tour, ...]
    max_visits: int | None = None


@dataclass(frozen=True)
class Locked:
    visitor: str
    tour: int
    stand: str
    start: float | None = None


@dataclass(frozen=True)
class Required:
    """A visit every solution must contain: ``visitor`` at ``stand`` on any of its tours, starting no earlier
    than ``from_`` and ending no later than ``to`` (None: the tours' own limits)."""
    visitor: str
    stand: str
    from_: float | None = None
    to: float | None = None


@dataclass(frozen=True)
class Visit:
    stand: str
    start: float


@dataclass(frozen=True)
class TourPlan:
    visitor: str
    tour: int
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class Solution:
    tours: tuple[TourPlan, ...]
    objective: float | None = None
    stats: Mapping[str, Any] = field(default_factory=dict)

    def to_document(self) -> dict:
        return {
            "format": SOLUTION_FORMAT,
            "objective": self.objective,
            "tours": [
                {
                    "visitor": t.visitor,
                    "tour": t.tour,
                    "visits": [{"stand": v.stand, "start": v.start} for v in t.visits],
                }
                for t in self.tours
            ],
            "stats": dict(self.stats),
        }

    def num_visits(self) -> int:
        return sum(len(t.visits) for t in self.tours)


@dataclass(frozen=True)
class Problem:
    name: str
    locations: Mapping[str, tuple[float, float]]
    speed: float
    matrix_order: tuple[str, ...] | None
    matrix_times: tuple[tuple[float, ...], ...] | None
    stands: tuple[Stand, ...]
    visitors: tuple[Visitor, ...]
    scores: Mapping[tuple[str, str], float]
    shortfall_penalty: float = 0.0
    locked: tuple[Locked, ...] = ()
    previous: Solution | None = None
    change_penalty: float = 0.0
    required: tuple[Required, ...] = ()
    # derived lookups, filled in __post_init__
    stand_index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    visitor_index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    _matrix_index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stand_index", {s.id: i for i, s in enumerate(self.stands)})
        object.__setattr__(self, "visitor_index", {v.id: i for i, v in enumerate(self.visitors)})
        if self.matrix_order is not None:
            object.__setattr__(self, "_matrix_index", {n: i for i, n in enumerate(self.matrix_order)})

    def travel_time(self, a: str, b: str) -> float:
        """Travel time from location ``a`` to location ``b``."""
        if self.matrix_times is not None:
            return self.matrix_times[self._matrix_index[a]][self._matrix_index[b]]
        if a == b:
            return 0.0
        (xa, ya), (xb, yb) = self.locations[a], self.locations[b]
        return math.hypot(xa - xb, ya - yb) / self.speed

    def score(self, visitor: str, stand: str) -> float:
        return self.scores.get((visitor, stand), 0.0)

    def used_locations(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.stands:
            seen[s.location] = None
        for v in self.visitors:
            for t in v.tours:
                seen[t.start] = None
                seen[t.end] = None
        return list(seen)
