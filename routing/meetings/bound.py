"""The static upper bound on the value a placement can reach, known before solving.

The least of three bounds, each valid alone (values in the grid's integers):

- every meeting with a common free slot placed;
- the slots' tables: a slot holds at most min(tables, meetings that may use it) meetings, so at most
  ``k`` = the sum of those over slots are placed, worth at most the ``k`` highest values;
- the per-person limits: a person takes part in at most ``limit(p)`` meetings (per session, the least
  of the session's cap and the slots some of her meetings may use), so at least ``deg(p) - limit(p)``
  of her meetings stay unplaced, losing at least their lowest values. Over people no two of whom
  share a meeting, those losses are disjoint and add up; such people are taken greedily, largest
  loss first.
"""

from __future__ import annotations

from .grid import Grid


def person_limit(grid: Grid, p: int) -> int:
    """At most this many meetings of person ``p`` can be placed."""
    per_session: dict[int, set[int]] = {}
    for m in grid.meetings_of[p]:
        for s in grid.common[m]:
            per_session.setdefault(grid.session_of[s], set()).add(s)
    return sum(len(slots) if grid.caps[i] is None else min(grid.caps[i], len(slots))
               for i, slots in per_session.items())


def static_bound(grid: Grid) -> int:
    candidates = [m for m in range(len(grid.members)) if grid.common[m]]
    everything = sum(grid.values[m] for m in candidates)

    users = [0] * grid.num_slots
    for m in candidates:
        for s in grid.common[m]:
            users[s] += 1
    k = sum(min(grid.tables, n) for n in users)
    tables = sum(sorted((grid.values[m] for m in candidates), reverse=True)[:k])

    losses = []
    for p, mine in enumerate(grid.meetings_of):
        values = sorted(grid.values[m] for m in mine if grid.common[m])
        excess = len(values) - person_limit(grid, p)
        if excess > 0:
            losses.append((sum(values[:excess]), p))
    losses.sort(reverse=True)
    lost, blocked = 0, set()  # people who share a meeting with one already counted
    for loss, p in losses:
        if p in blocked:
            continue
        lost += loss
        for m in grid.meetings_of[p]:
            blocked.update(grid.members[m])
    return min(everything, tables, everything - lost)
