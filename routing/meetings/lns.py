"""Neighbourhoods of the large neighbourhood search: which meetings one CP-SAT sub-model may move.

Each returns meetings that are not fixed and have a common free slot; the rest of the placement stays
as it is while the sub-model re-places them. Two kinds, chosen at random:

- people: from the people of a random unplaced meeting, every meeting of theirs, then of the people
  those meetings bring in, breadth first, until ``size`` meetings (who is free when: moves across slots);
- slots: a run of consecutive slots of one session, with the meetings placed there and unplaced ones
  that could go there (who gets the tables: moves across meetings).
"""

from __future__ import annotations

import random
from collections import deque

from .grid import Grid


def movable(grid: Grid) -> list[int]:
    """Meetings a neighbourhood may release: not fixed, with a common free slot."""
    return [m for m in range(len(grid.members)) if grid.fixed[m] is None and grid.common[m]]


def people_neighbourhood(grid: Grid, slots: list[int], rng: random.Random, size: int) -> list[int]:
    unplaced = [m for m in movable(grid) if slots[m] < 0]
    start = rng.choice(unplaced or movable(grid))
    chosen: dict[int, None] = {}  # ordered set
    seen: set[int] = set()
    queue = deque(grid.members[start])
    while queue and len(chosen) < size:
        p = queue.popleft()
        if p in seen:
            continue
        seen.add(p)
        mine = [m for m in grid.meetings_of[p] if grid.fixed[m] is None and grid.common[m]]
        rng.shuffle(mine)
        for m in mine:
            chosen[m] = None
            queue.extend(q for q in grid.members[m] if q not in seen)
    return list(chosen)


def slots_neighbourhood(grid: Grid, slots: list[int], rng: random.Random, size: int) -> list[int]:
    first = rng.randrange(grid.num_slots)
    session = grid.session_of[first]
    width = max(1, size // max(1, grid.tables))
    window = {s for s in range(first, min(grid.num_slots, first + width)) if grid.session_of[s] == session}
    placed = [m for m, s in enumerate(slots) if s in window and grid.fixed[m] is None]
    waiting = [m for m in movable(grid) if slots[m] < 0 and not window.isdisjoint(grid.common[m])]
    rng.shuffle(waiting)
    return placed + waiting[:max(0, size - len(placed))]


NEIGHBOURHOODS = (people_neighbourhood, slots_neighbourhood)
