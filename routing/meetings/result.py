"""From meetings in slots to the solution: fill what still fits, number the tables, give each reason.

Tables are interchangeable except for fixed meetings, so the solver only chooses slots; here each
slot's tables are handed out: fixed tables first, then a meeting's previous table when it is free
(those kept in their previous slot first), then the lowest free table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .check import violations
from .grid import Board, Grid
from .values import SOLUTION_FORMAT, Placed, Placement, Unplaced, number


@dataclass(frozen=True)
class PlacementResult:
    placement: Placement
    placed: tuple[Placed, ...]  # in time order, then table order
    unplaced: tuple[Unplaced, ...]  # in document order
    value: float  # total value placed
    bound: float  # an upper bound on the value of any placement
    status: str  # "optimal" (the value reached the bound) or "feasible"
    seconds: float
    method: str  # "cp-sat", or "greedy" (the greedy's placement: asked for, or CP-SAT found none better)
    kept: int = 0  # meetings with a previous placement kept in their previous slot
    solves: int = 0  # CP-SAT solves (one for a whole model, one per step of the neighbourhood search)

    def to_document(self) -> dict:
        return {
            "format": SOLUTION_FORMAT,
            "placed": [{"meeting": p.meeting, "start": number(p.start), "table": p.table} for p in self.placed],
            "unplaced": [{"meeting": u.meeting, "reason": u.reason} for u in self.unplaced],
            "stats": {"seconds": round(self.seconds, 3), "bound": number(self.bound), "method": self.method,
                      "status": self.status, "kept": self.kept, "solves": self.solves},
        }

    def is_feasible(self) -> bool:
        return not violations(self.placement, self.to_document())


def fill(grid: Grid, slots: list[int]) -> Board:
    """The board of ``slots`` (per meeting, a slot or -1), with every unplaced meeting that still fits added
    at its earliest slot: afterwards no unplaced meeting has a common free slot with a free table where all its
    people are free, which is what makes ``person_busy`` true."""
    board = Board(grid)
    for m, s in enumerate(slots):
        if s >= 0:
            board.add(m, s)
    for m, s in enumerate(slots):
        if s < 0:
            for t in grid.common[m]:
                if board.fits(m, t):
                    board.add(m, t)
                    break
    return board


def number_tables(grid: Grid, slots: list[int]) -> list[int]:
    """Per meeting, its table's index (-1 if unplaced); at most ``grid.tables`` meetings per slot."""
    table = [-1] * len(slots)
    by_slot: dict[int, list[int]] = {}
    for m, s in enumerate(slots):
        if s >= 0:
            by_slot.setdefault(s, []).append(m)
    for s, group in by_slot.items():
        taken = set()
        for m in group:
            if grid.fixed[m] is not None:
                table[m] = grid.fixed_table[m]
                taken.add(table[m])
        for same_slot in (True, False):
            for m in group:
                t = grid.previous_table[m]
                if table[m] < 0 and t is not None and t not in taken and (grid.previous[m] == s) == same_slot:
                    table[m] = t
                    taken.add(t)
        free = (t for t in range(grid.tables) if t not in taken)
        for m in group:
            if table[m] < 0:
                table[m] = next(free)
    return table


def reason(grid: Grid, board: Board, m: int) -> str:
    """Why an unplaced meeting is not placed, on a board where nothing more fits."""
    if not grid.common[m]:
        return "no_common_slot"
    if all(board.load[s] >= grid.tables for s in grid.common[m]):
        return "no_table"
    return "person_busy"


def build_result(placement: Placement, slots: list[int], *, bound: int, seconds: float, method: str,
                 solves: int = 0) -> PlacementResult:
    """The result of ``slots`` (filled first); ``bound`` in the grid's integer values."""
    grid = placement.grid
    board = fill(grid, slots)
    slots = board.slot
    tables = number_tables(grid, slots)
    order = sorted((m for m, s in enumerate(slots) if s >= 0), key=lambda m: (slots[m], tables[m]))
    placed = tuple(Placed(placement.meetings[m].id, grid.starts[slots[m]], placement.tables[tables[m]])
                   for m in order)
    unplaced = tuple(Unplaced(meeting.id, reason(grid, board, m))
                     for m, meeting in enumerate(placement.meetings) if slots[m] < 0)
    value = board.value()
    exact = sum(placement.meetings[m].value for m, s in enumerate(slots) if s >= 0)
    kept = sum(1 for m, s in enumerate(slots) if s >= 0 and s == grid.previous[m])
    # values with more than 6 decimals are rounded for the solver: its bound, plus what that rounding could
    # have taken off, bounds the document's values
    return PlacementResult(placement, placed, unplaced, exact, bound / grid.scale + grid.rounding,
                           "optimal" if value >= bound else "feasible", seconds, method, kept, solves)
