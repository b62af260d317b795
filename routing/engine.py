"""Ruin-and-recreate search over timed tours, in integer time.

Plain lists and integer times for the tours; the insertions of a whole tour are scored
at once with numpy in :mod:`routing.batch`. OR-Tools (GLOP) is used by
:mod:`routing.solver` for the upper bound.

Representation, per tour ``r``: ``route[r]`` stands in visiting order, ``starts[r]``
start times, ``codes[r]`` a :class:`routing.codes.VisitCode` per visit (free, as in
``previous``, locked at a time, locked on the tour). Derived caches:
``ends[r]`` end times, ``locations[r]`` locations, ``latest_arrival[r]`` the latest arrival each visit
(and the tour end, last entry) tolerates without breaking anything downstream,
so checking an insertion is O(1) per position (the "max shift" idea).
Stand capacity is checked against per-stand sorted booking lists.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort

import numpy as np

from .batch import BatchInsertion
from .codes import PINNED_IN_TIME, Ranking, VisitCode
from .model import BIG, IntModel
from .recreate import Recreate


class LockedInfeasible(ValueError):
    """Raised with (tour index, stand index) of the locked visit that could not be placed."""


class Engine(BatchInsertion, Recreate):
    def __init__(self, m: IntModel, seed: int = 0):
        self.model = m
        self.rng = random.Random(seed)
        nt, ns, nv = m.num_tours, m.num_stands, m.num_visitors
        self.route = [[] for _ in range(nt)]
        self.starts = [[] for _ in range(nt)]
        self.codes = [[] for _ in range(nt)]
        self.ends = [[] for _ in range(nt)]
        self.locations = [[] for _ in range(nt)]
        self.latest_arrival = [[m.tour_to[r]] for r in range(nt)]
        self.bookings = [[] for _ in range(ns)]
        self.stand_visits = [0] * ns
        self.visitor_visits = [0] * nv
        self.visited = [set() for _ in range(nv)]
        self.tours_at_stand = [set() for _ in range(ns)]  # stand -> tours visiting it
        self.stand_version = [0] * ns  # bumped when a stand's bookings or value change
        self.objective = -m.shortfall_penalty * sum(m.stand_min) - m.change_penalty * m.num_previous
        self.work = 0
        self.noise = 0.0
        self.ranking = Ranking.VALUE_SQUARED_PER_TIME
        # numpy mirrors of cnt and visited, for the batch evaluation of a tour
        self.stand_visits_np = np.zeros(ns, dtype=np.int64)
        self.visited_np = np.zeros((nv, ns), dtype=bool)
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

    # ------------------------------------------------------------ capacity

    def fits_capacity(self, s: int, t: int) -> bool:
        """True if a visit [t, t+d) fits the current bookings of stand s."""
        self.work += 4
        bk = self.bookings[s]
        d = self.model.duration[s]
        i = bisect_right(bk, t - d)
        j = bisect_left(bk, t + d)
        c = self.model.capacity[s]
        if j - i < c:
            return True
        win = bk[i:j]
        # instants to test: t and every booking start inside (t, t + d)
        for x in [t] + [b for b in win if b > t]:
            n = 0
            for b in win:
                if b <= x < b + d:
                    n += 1
            if n >= c:
                return False
        return True

    def earliest_start(self, s: int, a: int) -> int:
        """Earliest feasible start >= a at stand s (windows and capacity), -1 if none."""
        self.work += 4
        m = self.model
        rel = m.capacity_binds[s]
        for o, c in m.windows[s]:
            if a > c:
                continue
            t = a if a > o else o
            if not rel:
                return t
            d = m.duration[s]
            bk = self.bookings[s]
            if m.capacity[s] == 1:
                # walk the bookings from the first one that may overlap [t, t + d)
                i = bisect_right(bk, t - d)
                nb = len(bk)
                while i < nb and bk[i] < t + d:
                    t = bk[i] + d
                    i += 1
                self.work += 4 + 2 * i
                if t <= c:
                    return t
                continue
            while t <= c:
                if self.fits_capacity(s, t):
                    return t
                # feasibility can only change where a booking ends
                i = bisect_right(bk, t - d)
                j = bisect_left(bk, t + d)
                t = min(b + d for b in bk[i:j] if b + d > t)
        return -1

    def earliest_window_start(self, s: int, a: int) -> int:
        for o, c in self.model.windows[s]:
            if a <= c:
                return a if a > o else o
        return -1

    def _unbook(self, s: int, t: int) -> None:
        if self.model.capacity_binds[s]:
            bk = self.bookings[s]
            del bk[bisect_left(bk, t)]

    def _book(self, s: int, t: int) -> None:
        if self.model.capacity_binds[s]:
            insort(self.bookings[s], t)

    # ------------------------------------------------------------ caches

    def refresh(self, r: int) -> None:
        m = self.model
        st, ss, cc = self.route[r], self.starts[r], self.codes[r]
        n = len(st)
        self.work += 270 + n // 2
        dur, loc, T, wins = m.duration, m.location, m.travel, m.windows
        E = [0] * n
        L = [0] * n
        LA = [0] * (n + 1)
        lim_next = m.tour_to[r]
        LA[n] = lim_next
        nloc = m.tour_end_loc[r]
        for i in range(n - 1, -1, -1):
            s = st[i]
            t = ss[i]
            ls = loc[s]
            d = dur[s]
            E[i] = t + d
            L[i] = ls
            if cc[i] in PINNED_IN_TIME:
                lim = t
            else:
                lim = t
                for o, c in wins[s]:
                    if c >= t:
                        lim = c  # last window: pushes may jump to a later window (checked on insert)
            x = lim_next - d - T[ls][nloc]
            if x < lim:
                lim = x
            LA[i] = lim
            lim_next = lim
            nloc = ls
        self.ends[r], self.locations[r], self.latest_arrival[r] = E, L, LA

    def reschedule(self, r: int) -> None:
        """Move every free visit of tour r as early as possible (never later)."""
        m = self.model
        st, ss, cc = self.route[r], self.starts[r], self.codes[r]
        prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        T, loc, dur = m.travel, m.location, m.duration
        for i in range(len(st)):
            s = st[i]
            arr = prev_end + T[prev_loc][loc[s]]
            if cc[i] not in PINNED_IN_TIME and arr < ss[i]:
                self._unbook(s, ss[i])
                t = self.earliest_start(s, arr)
                if t < 0 or t > ss[i]:  # cannot happen; keep the old time
                    t = ss[i]
                self._book(s, t)
                ss[i] = t
            prev_end = ss[i] + dur[s]
            prev_loc = loc[s]
        self.refresh(r)

    # ------------------------------------------------------------ values

    def gain(self, v: int, s: int, matched: bool) -> float:
        m = self.model
        g = m.score[v].get(s, 0.0)
        if self.stand_visits[s] < m.stand_min[s]:
            g += m.shortfall_penalty
        if matched:
            g += m.change_penalty
        return g

    # ------------------------------------------------------------ insertion

    def evaluate(self, r: int, s: int):
        """Best insertion of stand s into tour r: (ratio, pos, start, code, gain) or None."""
        m = self.model
        v = m.tour_visitor[r]
        st = self.route[r]
        n = len(st)
        E, L, LA = self.ends[r], self.locations[r], self.latest_arrival[r]
        T = m.travel
        ls = m.location[s]
        Ts = T[ls]
        d = m.duration[s]
        wins = m.windows[s]
        single = len(wins) == 1
        rel = m.capacity_binds[s]
        o0, c0 = wins[0] if wins else (0, -1)
        lastc = m.latest_start[s]
        eloc = m.tour_end_loc[r]
        # LA is non-decreasing: skip positions whose successor cannot wait for the opening
        p0 = bisect_left(LA, o0 + d + 0) if wins else n + 1
        if p0:
            prev_end, prev_loc = E[p0 - 1], L[p0 - 1]
        else:
            prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        self.work += (n - p0) // 2 + 6
        best_shift = None
        best_p = best_t = -1
        for p in range(p0, n + 1):
            nloc = L[p] if p < n else eloc
            Tp = T[prev_loc]
            arr = prev_end + Tp[ls]
            if arr > lastc:
                break
            if single:
                t = arr if arr > o0 else o0
                if t > c0:
                    t = -1
            else:
                t = self.earliest_window_start(s, arr)
            if t >= 0:
                # optimistic check first (capacity can only delay the start)
                na = t + d + Ts[nloc]
                if na <= LA[p]:
                    shift = na - prev_end - Tp[nloc]
                    if best_shift is None or shift < best_shift:
                        if rel:
                            t = self.earliest_start(s, arr)
                            if t >= 0:
                                na = t + d + Ts[nloc]
                                shift = na - prev_end - Tp[nloc]
                                if na <= LA[p] and (best_shift is None or shift < best_shift):
                                    best_shift, best_p, best_t = shift, p, t
                        else:
                            best_shift, best_p, best_t = shift, p, t
            if p < n:
                prev_end, prev_loc = E[p], nloc
        code = VisitCode.FREE
        tp = m.previous_start.get((v, s)) if m.change_penalty else None
        if tp is not None:
            alt = self.evaluate_at(r, s, tp)
            if alt is not None:
                g = self.gain(v, s, True)
                ps, pp = alt
                if best_shift is None or g * g / max(ps, 1) > self.gain(v, s, False) ** 2 / max(best_shift, 1):
                    best_shift, best_p, best_t, code = ps, pp, tp, VisitCode.AS_PREVIOUS
        if best_shift is None:
            return None
        if best_t == tp:
            code = VisitCode.AS_PREVIOUS
        g = self.gain(v, s, code == VisitCode.AS_PREVIOUS)
        if g <= 0:
            return None
        ranking = self.ranking
        if ranking == Ranking.VALUE:
            ratio = g
        else:
            ratio = (g * g if ranking == Ranking.VALUE_SQUARED_PER_TIME else g) / (best_shift if best_shift > 1 else 1)
        if self.noise:
            ratio *= 1.0 + self.noise * (self.rng.random() - 0.5)
        return (ratio, best_p, best_t, code, g)

    def evaluate_at(self, r: int, s: int, t: int):
        """Insertion of s into r starting exactly at t: (shift, pos) or None."""
        m = self.model
        if not any(o <= t <= c for o, c in m.windows[s]):
            return None
        if m.capacity_binds[s] and not self.fits_capacity(s, t):
            return None
        st = self.route[r]
        n = len(st)
        E, L, LA = self.ends[r], self.locations[r], self.latest_arrival[r]
        T = m.travel
        ls, d = m.location[s], m.duration[s]
        prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        for p in range(n + 1):
            nloc = L[p] if p < n else m.tour_end_loc[r]
            if prev_end + T[prev_loc][ls] <= t:
                na = t + d + T[ls][nloc]
                if na <= LA[p]:
                    return (na - prev_end - T[prev_loc][nloc], p)
            if p < n:
                if E[p] > t:
                    return None
                prev_end, prev_loc = E[p], nloc
        return None

    def insert(self, r: int, p: int, s: int, t: int, code: VisitCode) -> list[int] | None:
        """Insert s at position p of tour r starting at t, pushing later visits.

        Returns None (and changes nothing) if capacity forbids it, else the
        capacity-relevant stands whose visits were pushed later."""
        m = self.model
        st, ss = self.route[r], self.starts[r]
        n = len(st)
        T, loc, dur = m.travel, m.location, m.duration
        if m.capacity_binds[s] and not self.fits_capacity(s, t):
            return None
        arr = t + dur[s] + T[loc[s]][loc[st[p]] if p < n else m.tour_end_loc[r]]
        pushes = []
        j = p
        cc = self.codes[r]
        while j < n and arr > ss[j]:
            sj = st[j]
            if cc[j] in PINNED_IN_TIME:
                return None
            multi = len(m.windows[sj]) > 1
            if m.capacity_binds[sj] or multi:
                # may have to wait for a free slot or the next window (LA is optimistic there)
                self._unbook(sj, ss[j])
                nt = self.earliest_start(sj, arr)
                self._book(sj, ss[j])
                if nt < 0:
                    return None
                if nt > arr and not multi:
                    return None
                arr = nt
            pushes.append((j, arr))
            arr = arr + dur[sj] + T[loc[sj]][loc[st[j + 1]] if j + 1 < n else m.tour_end_loc[r]]
            j += 1
        if j == n and arr > m.tour_to[r]:
            return None
        for j, nt in pushes:
            sj = st[j]
            self._unbook(sj, ss[j])
            self._book(sj, nt)
            ss[j] = nt
        v = m.tour_visitor[r]
        self.objective += self.gain(v, s, self._as_previous(v, s, t, code))
        st.insert(p, s)
        ss.insert(p, t)
        self.codes[r].insert(p, code)
        self._book(s, t)
        self.stand_visits[s] += 1
        self.visitor_visits[v] += 1
        self.visited[v].add(s)
        self.stand_visits_np[s] += 1
        self.visited_np[v, s] = True
        self.tours_at_stand[s].add(r)
        self.refresh(r)
        return [st[j + 1] for j, _ in pushes if m.capacity_binds[st[j + 1]]]

    def remove_positions(self, r: int, positions) -> None:
        """Remove the visits at the given positions of r, then pull the rest earlier."""
        m = self.model
        v = m.tour_visitor[r]
        st, ss, cc = self.route[r], self.starts[r], self.codes[r]
        for p in sorted(positions, reverse=True):
            s, t, c = st[p], ss[p], cc[p]
            matched = self._as_previous(v, s, t, c)
            self.stand_visits[s] -= 1
            self.objective -= self.gain(v, s, matched)
            self.visitor_visits[v] -= 1
            self.visited[v].discard(s)
            self.stand_visits_np[s] -= 1
            self.visited_np[v, s] = False
            self.tours_at_stand[s].discard(r)
            self._unbook(s, t)
            del st[p], ss[p], cc[p]
        self.reschedule(r)

    def _as_previous(self, v: int, s: int, t: int, code: VisitCode) -> bool:
        """True if the visit of stand s at t by v is the one of ``previous`` (no change penalty)."""
        return code == VisitCode.AS_PREVIOUS or (code == VisitCode.LOCKED_AT_TIME
                                                 and self.model.previous_start.get((v, s)) == t)

    # ------------------------------------------------------------ snapshots

    def snapshot(self, tours):
        return {r: (self.route[r][:], self.starts[r][:], self.codes[r][:]) for r in tours}

    def restore(self, snap, obj: float) -> None:
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
        for r, (st, ss, cc) in snap.items():
            v = m.tour_visitor[r]
            self.route[r], self.starts[r], self.codes[r] = st[:], ss[:], cc[:]
            for s, t in zip(st, ss):
                self.stand_visits[s] += 1
                self.visitor_visits[v] += 1
                self.visited[v].add(s)
                self.stand_visits_np[s] += 1
                self.visited_np[v, s] = True
                self.tours_at_stand[s].add(r)
                self._book(s, t)
            self.refresh(r)
        self.objective = obj

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
            loose = [s for s, t in items if t is None]
            # hardest first: tightest window
            loose.sort(key=lambda s: m.latest_start[s])
            for s in loose:
                if not self.insert_locked_on_tour(r, s):
                    raise LockedInfeasible(r, s)

    def insert_locked_on_tour(self, r: int, s: int) -> bool:
        """Insert locked-without-time stand s into tour r where it costs least time."""
        best = None
        for p in range(len(self.route[r]) + 1):
            res = self._evaluate_position(r, s, p)
            if res is not None and (best is None or res[0] < best[0]):
                best = (res[0], p, res[1])
        return best is not None and self.insert(r, best[1], s, best[2], VisitCode.LOCKED_ON_TOUR) is not None

    def _evaluate_position(self, r: int, s: int, p: int):
        m = self.model
        st = self.route[r]
        n = len(st)
        prev_end = self.ends[r][p - 1] if p else m.tour_from[r]
        prev_loc = self.locations[r][p - 1] if p else m.tour_start_loc[r]
        nloc = self.locations[r][p] if p < n else m.tour_end_loc[r]
        t = self.earliest_start(s, prev_end + m.travel[prev_loc][m.location[s]])
        if t < 0:
            return None
        na = t + m.duration[s] + m.travel[m.location[s]][nloc]
        if na > self.latest_arrival[r][p]:
            return None
        return (na - prev_end - m.travel[prev_loc][nloc], t)
