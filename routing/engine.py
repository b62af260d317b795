"""The plan under search, and the moves that change it, in integer time.

Per tour ``r`` (tours, stands and visitors are numbered as in :class:`routing.model.IntModel`):

- ``route[r]``: its stands in visiting order, ``starts[r]`` their start times, and
  ``codes[r]`` a :class:`routing.codes.VisitCode` per visit (what binds it);
- caches that :meth:`Engine.refresh` derives from those: ``ends[r]`` the end times,
  ``locations[r]`` the location of each visit, and ``latest_arrival[r]`` the latest
  arrival each visit (and, last entry, the tour's end) tolerates without breaking
  anything after it, so that an insertion is checked in O(1) per position (the "max
  shift" idea).

Per stand ``s``: ``bookings[s]`` its sorted visit starts (only if its capacity can
bind), ``stand_visits[s]``, ``tours_at_stand[s]``, and ``stand_version[s]``, bumped
when its bookings or its value change (the recreate re-evaluates what it rated
before). Per visitor ``v``: ``visitor_visits[v]`` and ``visited[v]``, the set of its
stands. ``objective`` is the plan's objective, kept up to date by every move; ``work``
counts work units (about 0.1 microsecond of CPU each on the reference machine), the
unit of the search's budget.

:class:`Engine` is one object assembled from mixins that share this state, one
module per responsibility: :mod:`routing.bookings` (stand capacity),
:mod:`routing.insertion` (where a visit fits, exactly), :mod:`routing.batch` (all
insertions of a tour at once, in numpy) and :mod:`routing.recreate` (putting visits
back after a ruin). They read and write the same lists in the innermost loops, so
they are methods of one object rather than objects of their own.
"""

from __future__ import annotations

import random

import numpy as np

from .batch import BatchInsertion
from .bookings import StandBookings
from .codes import PINNED_IN_TIME, Ranking, VisitCode
from .insertion import Insertion
from .model import BIG, IntModel
from .recreate import Recreate


class LockedInfeasible(ValueError):
    """Raised with (tour index, stand index) of the locked visit that could not be placed."""


class RequiredInfeasible(ValueError):
    """Raised with the indices (in the document's ``required``) of the required visits that found no room."""


class Engine(StandBookings, Insertion, BatchInsertion, Recreate):
    def __init__(self, m: IntModel, seed: int = 0):
        self.model = m
        self.rng = random.Random(seed)
        num_tours, num_stands, num_visitors = m.num_tours, m.num_stands, m.num_visitors
        self.route: list[list[int]] = [[] for _ in range(num_tours)]
        self.starts: list[list[int]] = [[] for _ in range(num_tours)]
        self.codes: list[list[VisitCode]] = [[] for _ in range(num_tours)]
        self.ends: list[list[int]] = [[] for _ in range(num_tours)]
        self.locations: list[list[int]] = [[] for _ in range(num_tours)]
        self.latest_arrival: list[list[int]] = [[m.tour_to[r]] for r in range(num_tours)]
        self.bookings: list[list[int]] = [[] for _ in range(num_stands)]
        self.stand_visits = [0] * num_stands
        self.visitor_visits = [0] * num_visitors
        self.visited: list[set[int]] = [set() for _ in range(num_visitors)]
        self.tours_at_stand: list[set[int]] = [set() for _ in range(num_stands)]
        self.stand_version = [0] * num_stands
        self.objective = -m.shortfall_penalty * sum(m.stand_min) - m.change_penalty * m.num_previous
        self.work = 0
        # how the next recreate ranks insertions, and the noise on that ranking (set by the search)
        self.noise = 0.0
        self.ranking = Ranking.VALUE_SQUARED_PER_TIME
        # numpy mirrors of stand_visits and visited, for the batch evaluation of a tour
        self.stand_visits_np = np.zeros(num_stands, dtype=np.int64)
        self.visited_np = np.zeros((num_visitors, num_stands), dtype=bool)
        self.stand_max_np = np.array([min(x, BIG) for x in m.stand_max], dtype=np.int64)
        self.stand_min_np = np.array(m.stand_min, dtype=np.int64)
        # int32 halves the memory traffic of the batch; scaled times stay far below batch.NO_TIME
        self.travel_np = np.array(m.travel, dtype=np.int32) if m.travel else np.zeros((0, 0), dtype=np.int32)
        self.int32 = (max(max(m.tour_to, default=0), max((max(r) for r in m.travel), default=0)) < (1 << 28)
                      and min(m.tour_from, default=0) > -(1 << 28))
        if not self.int32:
            self.travel_np = self.travel_np.astype(np.int64)
        self.np_rng = np.random.default_rng(seed)
        self._tour_arrays: dict[int, tuple] = {}
        # per visitor: stand -> its windows clipped to a required visit's window; the required pairs no lock holds
        self.pair_windows: list[dict[int, list[tuple[int, int]]]] = [{} for _ in range(num_visitors)]
        for (v, s), windows in m.pair_windows.items():
            self.pair_windows[v][s] = windows
        self.required_pairs = {(v, s) for v, s, _ in m.required}

    # ------------------------------------------------------------ caches

    def refresh(self, r: int) -> None:
        """Rebuild the caches of tour r (ends, locations, latest arrivals) from its visits."""
        m = self.model
        route, starts, codes = self.route[r], self.starts[r], self.codes[r]
        n = len(route)
        self.work += 270 + n // 2
        duration, location, travel, windows = m.duration, m.location, m.travel, m.windows
        ends = [0] * n
        locs = [0] * n
        latest = [0] * (n + 1)
        latest_next = m.tour_to[r]
        latest[n] = latest_next
        next_loc = m.tour_end_loc[r]
        clipped = self.pair_windows[m.tour_visitor[r]]
        for i in range(n - 1, -1, -1):
            s = route[i]
            t = starts[i]
            loc_s = location[s]
            d = duration[s]
            ends[i] = t + d
            locs[i] = loc_s
            if codes[i] in PINNED_IN_TIME:
                limit = t
            else:
                limit = t
                for _, last in windows[s] if not clipped or s not in clipped else clipped[s]:
                    if last >= t:
                        limit = last  # last window: pushes may jump to a later window (checked on insert)
            x = latest_next - d - travel[loc_s][next_loc]
            if x < limit:
                limit = x
            latest[i] = limit
            latest_next = limit
            next_loc = loc_s
        self.ends[r], self.locations[r], self.latest_arrival[r] = ends, locs, latest

    def reschedule(self, r: int) -> None:
        """Move every visit of tour r not pinned in time as early as possible (never later)."""
        m = self.model
        route, starts, codes = self.route[r], self.starts[r], self.codes[r]
        prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        travel, location, duration = m.travel, m.location, m.duration
        clipped = self.pair_windows[m.tour_visitor[r]]
        for i in range(len(route)):
            s = route[i]
            arrival = prev_end + travel[prev_loc][location[s]]
            if codes[i] not in PINNED_IN_TIME and arrival < starts[i]:
                self._unbook(s, starts[i])
                t = self.earliest_start(s, arrival, clipped.get(s))
                if t < 0 or t > starts[i]:  # cannot happen; keep the old time
                    t = starts[i]
                self._book(s, t)
                starts[i] = t
            prev_end = starts[i] + duration[s]
            prev_loc = location[s]
        self.refresh(r)

    # ------------------------------------------------------------ moves

    def insert(self, r: int, p: int, s: int, t: int, code: VisitCode) -> list[int] | None:
        """Insert stand s at position p of tour r starting at t, pushing later visits.

        Returns None (and changes nothing) if capacity or a pinned visit forbids it,
        else the stands (whose capacity binds) of the visits pushed later."""
        m = self.model
        route, starts = self.route[r], self.starts[r]
        n = len(route)
        travel, location, duration = m.travel, m.location, m.duration
        if m.capacity_binds[s] and not self.fits_capacity(s, t):
            return None
        arrival = t + duration[s] + travel[location[s]][location[route[p]] if p < n else m.tour_end_loc[r]]
        pushes = []
        j = p
        codes, latest = self.codes[r], self.latest_arrival[r]
        clipped = self.pair_windows[m.tour_visitor[r]]
        while j < n and arrival > starts[j]:
            s_j = route[j]
            if codes[j] in PINNED_IN_TIME:
                return None
            windows_j = clipped.get(s_j) if clipped else None
            multi = len(m.windows[s_j] if windows_j is None else windows_j) > 1
            if m.capacity_binds[s_j] or multi:
                # may have to wait for a free slot or the next window (latest_arrival is optimistic there)
                self._unbook(s_j, starts[j])
                new_t = self.earliest_start(s_j, arrival, windows_j)
                self._book(s_j, starts[j])
                if new_t < 0:
                    return None
                if new_t > arrival and not multi:
                    return None
                arrival = new_t
            elif arrival > latest[j]:
                return None  # behind a visit that moved to a later window: the caller's check no longer covers it
            pushes.append((j, arrival))
            next_loc = location[route[j + 1]] if j + 1 < n else m.tour_end_loc[r]
            arrival = arrival + duration[s_j] + travel[location[s_j]][next_loc]
            j += 1
        if j == n and arrival > m.tour_to[r]:
            return None
        for j, new_t in pushes:
            s_j = route[j]
            self._unbook(s_j, starts[j])
            self._book(s_j, new_t)
            starts[j] = new_t
        v = m.tour_visitor[r]
        self.objective += self.gain(v, s, self._as_previous(v, s, t, code))
        route.insert(p, s)
        starts.insert(p, t)
        self.codes[r].insert(p, code)
        self._book(s, t)
        self.stand_visits[s] += 1
        self.visitor_visits[v] += 1
        self.visited[v].add(s)
        self.stand_visits_np[s] += 1
        self.visited_np[v, s] = True
        self.tours_at_stand[s].add(r)
        self.refresh(r)
        return [route[j + 1] for j, _ in pushes if m.capacity_binds[route[j + 1]]]

    def remove_positions(self, r: int, positions) -> None:
        """Remove the visits at the given positions of tour r, then pull the rest earlier."""
        m = self.model
        v = m.tour_visitor[r]
        route, starts, codes = self.route[r], self.starts[r], self.codes[r]
        for p in sorted(positions, reverse=True):
            s, t, code = route[p], starts[p], codes[p]
            as_previous = self._as_previous(v, s, t, code)
            self.stand_visits[s] -= 1
            self.objective -= self.gain(v, s, as_previous)
            self.visitor_visits[v] -= 1
            self.visited[v].discard(s)
            self.stand_visits_np[s] -= 1
            self.visited_np[v, s] = False
            self.tours_at_stand[s].discard(r)
            self._unbook(s, t)
            del route[p], starts[p], codes[p]
        self.reschedule(r)

    def _as_previous(self, v: int, s: int, t: int, code: VisitCode) -> bool:
        """True if the visit of stand s at t by v is the one of ``previous`` (no change penalty)."""
        return code == VisitCode.AS_PREVIOUS or (code == VisitCode.LOCKED_AT_TIME
                                                 and self.model.previous_start.get((v, s)) == t)

    # ------------------------------------------------------------ snapshots

    def snapshot(self, tours):
        """Copies of the visits of ``tours`` (route, starts, codes), for :meth:`restore`."""
        return {r: (self.route[r][:], self.starts[r][:], self.codes[r][:]) for r in tours}

    def restore(self, snap, objective: float) -> None:
        """Put back the tours of a :meth:`snapshot`, whose plan had this objective."""
        m = self.model
        for r in snap:
            v = m.tour_visitor[r]
            for s, t in zip(self.route[r], self.starts[r]):
                self.stand_visits[s] -= 1
                self.visitor_visits[v] -= 1
                self.visited[v].discard(s)
                self.stand_visits_np[s] -= 1
                self.visited_np[v, s] = False
                self.tours_at_stand[s].discard(r)
                self._unbook(s, t)
        for r, (route, starts, codes) in snap.items():
            v = m.tour_visitor[r]
            self.route[r], self.starts[r], self.codes[r] = route[:], starts[:], codes[:]
            for s, t in zip(route, starts):
                self.stand_visits[s] += 1
                self.visitor_visits[v] += 1
                self.visited[v].add(s)
                self.stand_visits_np[s] += 1
                self.visited_np[v, s] = True
                self.tours_at_stand[s].add(r)
                self._book(s, t)
            self.refresh(r)
        self.objective = objective

    # ------------------------------------------------------------ locked

    def place_locked(self) -> None:
        """Put every locked visit in its tour; raise LockedInfeasible if impossible."""
        m = self.model
        by_tour: dict[int, list[tuple[int, int | None]]] = {}
        for r, s, t in m.locked:
            by_tour.setdefault(r, []).append((s, t))
        # timed ones first, in time order, then the others by best insertion
        for r, items in by_tour.items():
            for s, t in sorted((x for x in items if x[1] is not None), key=lambda x: x[1]):
                alt = self.evaluate_at(r, s, t)
                if alt is None or self.insert(r, alt[1], s, t, VisitCode.LOCKED_AT_TIME) is None:
                    raise LockedInfeasible(r, s)
        for r, items in by_tour.items():
            on_tour = [s for s, t in items if t is None]
            # hardest first: tightest window
            on_tour.sort(key=lambda s: m.latest_start[s])
            for s in on_tour:
                if not self.insert_locked_on_tour(r, s):
                    raise LockedInfeasible(r, s)

    def insert_locked_on_tour(self, r: int, s: int) -> bool:
        """Insert stand s, locked on tour r without a time, where it costs the tour least time."""
        best = None
        for p in range(len(self.route[r]) + 1):
            res = self._evaluate_position(r, s, p)
            if res is not None and (best is None or res[0] < best[0]):
                best = (res[0], p, res[1])
        return best is not None and self.insert(r, best[1], s, best[2], VisitCode.LOCKED_ON_TOUR) is not None

    # ------------------------------------------------------------ required

    def place_required(self, attempts: int = 3) -> list[int]:
        """Put every required visit that no lock holds on one of its visitor's tours (:meth:`insert_required`),
        tightest window first. If some find no room, start again with those first, up to ``attempts`` times.
        Returns the indices (in the document's ``required``) of the visits the best attempt left out ([] when
        all are placed: the plan then holds them all). A heuristic: a document refused may have a plan."""
        m = self.model
        if not m.required:
            return []
        order = sorted(m.required, key=lambda x: (sum(c - o for o, c in self.pair_windows[x[0]][x[1]]), x[2]))
        start, objective = self.snapshot(range(m.num_tours)), self.objective
        fewest = None
        for _ in range(attempts):
            failed = [x for x in order if not self.insert_required(x[0], x[1])]
            if not failed:
                return []
            if fewest is None or len(failed) < len(fewest):
                fewest = failed
            self.restore(start, objective)
            order = failed + [x for x in order if x not in failed]
        return sorted(i for _, _, i in fewest)

    def insert_required(self, v: int, s: int) -> bool:
        """Make the required visit of visitor v to stand s part of the plan if it is not: at its time in
        ``previous`` if it fits there, else where it adds least time to any tour of v, within its window."""
        m = self.model
        if s in self.visited[v]:
            return True
        if self.visitor_visits[v] >= m.visitor_max[v] or self.stand_visits[s] >= m.stand_max[s]:
            return False
        t_prev = m.previous_start.get((v, s))
        if t_prev is not None:
            for r in m.tours_of[v]:
                alt = self.evaluate_at(r, s, t_prev)
                if alt is not None and self.insert(r, alt[1], s, t_prev, VisitCode.AS_PREVIOUS) is not None:
                    return True
        options = []
        for r in m.tours_of[v]:
            for p in range(len(self.route[r]) + 1):
                res = self._evaluate_position(r, s, p)
                if res is not None:
                    options.append((res[0], r, p, res[1]))
        self.work += 10 + 4 * len(options)
        return any(self.insert(r, p, s, t, VisitCode.FREE) is not None for _, r, p, t in sorted(options))
