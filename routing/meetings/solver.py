"""``place()``: the placement by CP-SAT, warm-started with the greedy's; the only module here that imports OR-Tools.

The model chooses slots only: x[m, s] for each released meeting m and common free slot s where the
meetings kept in place leave a table and leave all of m's people free and under the session's cap.
Per meeting at most one slot; per slot at most the tables left; per person and slot at most one
meeting; per person and session at most the cap left. Tables are numbered afterwards
(``result.number_tables``): they are interchangeable except for fixed ones, which stay in place.

Small documents (at most ``WHOLE_MEETINGS`` movable meetings) are solved whole, every movable meeting
released, so CP-SAT's bound is a bound of the document. Larger ones by a large neighbourhood search:
each step releases a neighbourhood (``lns.py``), solves its sub-model with the rest in place, hinted
with the current placement, for at most ``STEP_SECONDS``, and keeps the result if it is no worse. On
the 3,000-meeting benchmark the whole model gets nowhere in 30 s (presolve and the root LP of 69,000
variables take the time; see docs/routing-experiments.md), while the steps improve the greedy's by 3 %.

``threads``: CP-SAT workers for a whole model; for the neighbourhood search, that many searches at
once in threads (CP-SAT releases the GIL), each step with one worker, a step whose result no longer
fits the placement the others changed meanwhile being dropped.

Objective, lexicographic by construction: ``K * value + kept``, where value is the integer value
placed, kept the number of meetings in their previous slot and ``K`` one more than the number of
movable meetings with a previous slot. Any gain of value (at least 1) outweighs every possible bonus
(at most K - 1), so keeping a previous placement never costs value: a solution with more value always
scores higher, and the value placed is what it would be without ``previous``.
"""

from __future__ import annotations

import random
import threading
import time

from ortools.sat.python import cp_model

from .bound import static_bound
from .greedy import greedy_slots
from .grid import Board, Grid
from .lns import NEIGHBOURHOODS, movable
from .result import PlacementResult, build_result
from .values import Placement

WHOLE_MEETINGS = 400  # at most this many movable meetings: one model of them all
STEP_SECONDS = 0.3  # the longest sub-model solve of the neighbourhood search (measured: 0.2-1 s, 0.3 best)
FIRST_SIZE, MIN_SIZE, MAX_SIZE = 60, 20, 1500  # meetings per neighbourhood, adapted as it goes
RESERVE = 0.1  # share of the time limit (at most 1 s) kept for numbering tables and the result


def weight_of(grid: Grid) -> int:
    """K: one unit of value is worth more than every previous placement kept."""
    return 1 + sum(1 for m, s in enumerate(grid.previous) if s is not None and grid.fixed[m] is None)


def score(grid: Grid, slots: list[int], meetings, weight: int) -> int:
    """The objective's share of ``meetings``."""
    return sum(weight * grid.values[m] + (grid.previous[m] == slots[m]) for m in meetings if slots[m] >= 0)


def build_model(grid: Grid, board: Board, released: list[int], weight: int):
    """The model of ``released`` (absent from ``board``) around what ``board`` holds, and its variables."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_slot: dict[int, list] = {}
    per_person_slot: dict[tuple[int, int], list] = {}
    per_person_session: dict[tuple[int, int], list] = {}
    for m in released:
        mine = []
        for s in grid.common[m]:
            if not board.fits(m, s):
                continue
            var = model.new_bool_var(f"x{m}_{s}")
            x[m, s] = var
            mine.append(var)
            per_slot.setdefault(s, []).append(var)
            for p in grid.members[m]:
                per_person_slot.setdefault((p, s), []).append(var)
                per_person_session.setdefault((p, grid.session_of[s]), []).append(var)
        if len(mine) > 1:
            model.add_at_most_one(mine)
    for s, vars_ in per_slot.items():
        room = grid.tables - board.load[s]
        if len(vars_) > room:
            model.add(sum(vars_) <= room)
    for vars_ in per_person_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for (p, session), vars_ in per_person_session.items():
        cap = grid.caps[session]
        if cap is not None and len(vars_) > cap - board.count.get((p, session), 0):
            model.add(sum(vars_) <= cap - board.count.get((p, session), 0))
    model.maximize(sum((weight * grid.values[m] + (grid.previous[m] == s)) * var for (m, s), var in x.items()))
    return model, x


class _Solves:
    """Runs CP-SAT solves, from one thread or several; a set ``stop`` interrupts those running."""

    def __init__(self, stop: threading.Event | None, seed: int):
        self.stop, self.seed, self.count = stop, seed, 0
        self.running: set[cp_model.CpSolver] = set()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.watcher = None
        if stop is not None:
            self.watcher = threading.Thread(target=self._watch, name="meetings-stop", daemon=True)
            self.watcher.start()

    def _watch(self) -> None:
        while not self.done.is_set():
            if self.stop.wait(0.05):
                with self.lock:
                    for solver in self.running:
                        solver.stop_search()
                self.done.wait(0.05)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def solve(self, model: cp_model.CpModel, seconds: float, workers: int) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = workers
        with self.lock:
            solver.parameters.random_seed = self.seed + self.count
            self.count += 1
            self.running.add(solver)
        try:
            return solver, cp_model.UNKNOWN if self.stopped() else solver.solve(model)
        finally:
            with self.lock:
                self.running.discard(solver)

    def close(self) -> None:
        self.done.set()
        if self.watcher is not None:
            self.watcher.join()


def _step(grid: Grid, board: Board, lock: threading.Lock, released: list[int], weight: int, solves: _Solves,
          seconds: float, workers: int = 1):
    """Re-place ``released`` by CP-SAT around the rest of ``board``, and keep the result if it is no worse and
    still fits (other steps may have changed the board meanwhile: then it is dropped). Returns the solver and
    its status (both None if the model had no variable: then none of ``released`` was placed, nor can be)."""
    with lock:
        before = {m: board.slot[m] for m in released}
        view = board.copy()
    for m, s in before.items():
        if s >= 0:
            view.remove(m)
    model, x = build_model(grid, view, released, weight)
    if not x:
        return None, None
    for (m, s), var in x.items():
        model.add_hint(var, before[m] == s)
    solver, status = solves.solve(model, seconds, workers)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        after = {m: -1 for m in released}
        for (m, s), var in x.items():
            if solver.boolean_value(var):
                after[m] = s
        if _gain(grid, before, after, weight) >= 0:
            with lock:
                _replace(board, before, after)
    return solver, status


def _replace(board: Board, before: dict[int, int], after: dict[int, int]) -> bool:
    """Put ``after`` in the place of ``before`` if the board still holds ``before`` and ``after`` fits."""
    if any(board.slot[m] != s for m, s in before.items()):
        return False
    for m, s in before.items():
        if s >= 0:
            board.remove(m)
    added = []
    for m, s in after.items():
        if s >= 0 and not board.fits(m, s):
            for a in added:
                board.remove(a)
            for b, t in before.items():
                if t >= 0:
                    board.add(b, t)
            return False
        if s >= 0:
            board.add(m, s)
            added.append(m)
    return True


def _kept(grid: Grid, board: Board) -> int:
    return sum(1 for m, s in enumerate(board.slot) if s >= 0 and s == grid.previous[m] and grid.fixed[m] is None)


def _gain(grid: Grid, before: dict[int, int], after: dict[int, int], weight: int) -> int:
    def part(slots: dict[int, int]) -> int:
        return sum(weight * grid.values[m] + (grid.previous[m] == s) for m, s in slots.items() if s >= 0)
    return part(after) - part(before)


def _search(grid: Grid, board: Board, lock: threading.Lock, weight: int, bound: int, solves: _Solves,
            deadline: float, seed: int, found: list[bool], k: int) -> None:
    """One search of steps until the deadline, a stop, or nothing left to gain; with ``threads`` > 1, as many
    run at once in threads (CP-SAT releases the GIL while it solves), each with one CP-SAT worker."""
    rng = random.Random(seed)
    size = FIRST_SIZE
    wishes = weight - 1  # previous slots that could be kept
    while not solves.stopped() and (board.value() < bound or _kept(grid, board) < wishes):
        left = deadline - time.monotonic()
        if left < 0.05:
            break
        with lock:
            released = rng.choice(NEIGHBOURHOODS)(grid, board.slot, rng, size)
        _, status = _step(grid, board, lock, released, weight, solves, min(STEP_SECONDS, left))
        found[k] = found[k] or status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if status == cp_model.OPTIMAL:  # solved in time: try larger neighbourhoods
            size = min(MAX_SIZE, int(size * 1.1) + 1)
        elif status is not None:
            size = max(MIN_SIZE, int(size * 0.9))


def place(placement: Placement, time_limit: float = 30, seed: int = 0, threads: int = 1,
          stop: threading.Event | None = None) -> PlacementResult:
    """Place the meetings within ``time_limit`` seconds (or until ``stop`` is set); always a feasible
    placement, the greedy's when CP-SAT finds nothing better in time."""
    began = time.monotonic()
    deadline = began + time_limit - min(1.0, RESERVE * time_limit)
    grid = placement.grid
    board = Board(grid)
    for m, s in enumerate(greedy_slots(grid)):
        if s >= 0:
            board.add(m, s)
    bound = static_bound(grid)
    weight = weight_of(grid)
    free = movable(grid)
    solves = _Solves(stop, seed)
    lock = threading.Lock()
    try:
        if len(free) <= WHOLE_MEETINGS:
            solver, status = _step(grid, board, lock, free, weight, solves, deadline - time.monotonic(), threads)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                fixed = sum(grid.values[m] for m, s in enumerate(grid.fixed) if s is not None)
                bound = min(bound, fixed + int(solver.best_objective_bound + 1e-6) // weight)
            elif status is None:  # nothing to choose: every movable meeting is blocked
                bound = min(bound, board.value())
            found = [status in (cp_model.OPTIMAL, cp_model.FEASIBLE)]
        else:
            found = [False] * threads
            searches = [threading.Thread(target=_search, name=f"meetings-lns-{k}",
                                         args=(grid, board, lock, weight, bound, solves, deadline, seed + k, found, k))
                        for k in range(1, threads)]
            for t in searches:
                t.start()
            _search(grid, board, lock, weight, bound, solves, deadline, seed, found, 0)
            for t in searches:
                t.join()
    finally:
        solves.close()
    return build_result(placement, board.slot, bound=bound, seconds=time.monotonic() - began,
                        method="cp-sat" if any(found) else "greedy", solves=solves.count)
