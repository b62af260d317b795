"""Placing requested meetings at the numbered tables of the meetings area (issue 29).

A plain library, like the rest of ``routing``. Typical use::

    from routing.meetings import parse_placement, place, violations
    placement = parse_placement(document)        # raises InvalidDocument naming the entry at fault
    result = place(placement, time_limit=30, seed=0, threads=1, stop=event)
    result.to_document()                         # the meeting-placement-solution/1 document
    violations(placement, result.to_document())  # [] : the independent checker
"""

from ..fields import InvalidDocument
from .bound import static_bound
from .check import Violation, violations
from .greedy import greedy
from .parse import load_placement, parse_placement
from .result import PlacementResult
from .solver import place
from .values import (
    PLACEMENT_FORMAT,
    REASONS,
    SOLUTION_FORMAT,
    Meeting,
    Person,
    Placed,
    Placement,
    Session,
    Spot,
    Unplaced,
)


def upper_bound(placement: Placement) -> float:
    """The static bound on the value placed (before solving): see ``routing.meetings.bound``."""
    grid = placement.grid
    return static_bound(grid) / grid.scale + grid.rounding


__all__ = [
    "InvalidDocument", "Meeting", "PLACEMENT_FORMAT", "Person", "Placed", "Placement", "PlacementResult", "REASONS",
    "SOLUTION_FORMAT", "Session", "Spot", "Unplaced", "Violation", "greedy", "load_placement", "parse_placement",
    "place", "upper_bound", "violations",
]
