"""Where a visit fits in a tour, and what it is worth there: read-only, exact checks.

A mixin of :class:`routing.engine.Engine`; it reads the tours and their caches
(``ends``, ``locations``, ``latest_arrival``), asks :mod:`routing.bookings` for the
earliest start a stand allows, and adds to ``work``. :mod:`routing.batch` does the
same for all candidate stands of a tour at once, optimistically (capacity aside).
"""

from __future__ import annotations

from bisect import bisect_left

from .codes import Ranking, VisitCode


class Insertion:
    def gain(self, v: int, s: int, as_previous: bool) -> float:
        """What a visit of stand s by visitor v adds to the objective now (``as_previous``:
        it is the visit of the previous plan, so its change penalty goes)."""
        m = self.model
        g = m.score[v].get(s, 0.0)
        if self.stand_visits[s] < m.stand_min[s]:
            g += m.shortfall_penalty
        if as_previous:
            g += m.change_penalty
        return g

    def evaluate(self, r: int, s: int):
        """Best insertion of stand s into tour r: (ratio, position, start, code, gain) or None.

        The position is the one that adds least time to the tour; the ratio ranks it
        against other insertions (see ``ranking`` and ``noise``).
        """
        m = self.model
        v = m.tour_visitor[r]
        n = len(self.route[r])
        ends, locs, latest = self.ends[r], self.locations[r], self.latest_arrival[r]
        travel = m.travel
        loc_s = m.location[s]
        from_s = travel[loc_s]
        d = m.duration[s]
        clipped = self.pair_windows[v].get(s)  # a required visit keeps its window
        if clipped is None:
            windows, last_start = m.windows[s], m.latest_start[s]
        else:
            windows, last_start = clipped, clipped[-1][1] if clipped else -1
        single = len(windows) == 1
        binds = m.capacity_binds[s]
        open0, latest0 = windows[0] if windows else (0, -1)
        end_loc = m.tour_end_loc[r]
        # latest is non-decreasing: skip positions whose successor cannot wait for the opening
        p0 = bisect_left(latest, open0 + d + 0) if windows else n + 1
        if p0 > n:
            return None  # the (clipped) windows open too late for this tour
        if p0:
            prev_end, prev_loc = ends[p0 - 1], locs[p0 - 1]
        else:
            prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        self.work += (n - p0) // 2 + 6
        best_shift = None
        best_p = best_t = -1
        for p in range(p0, n + 1):
            next_loc = locs[p] if p < n else end_loc
            from_prev = travel[prev_loc]
            arrival = prev_end + from_prev[loc_s]
            if arrival > last_start:
                break
            if single:
                t = arrival if arrival > open0 else open0
                if t > latest0:
                    t = -1
            else:
                t = self.earliest_window_start(s, arrival, clipped)
            if t >= 0:
                # optimistic check first (capacity can only delay the start)
                next_arrival = t + d + from_s[next_loc]
                if next_arrival <= latest[p]:
                    shift = next_arrival - prev_end - from_prev[next_loc]
                    if best_shift is None or shift < best_shift:
                        if binds:
                            t = self.earliest_start(s, arrival, clipped)
                            if t >= 0:
                                next_arrival = t + d + from_s[next_loc]
                                shift = next_arrival - prev_end - from_prev[next_loc]
                                if next_arrival <= latest[p] and (best_shift is None or shift < best_shift):
                                    best_shift, best_p, best_t = shift, p, t
                        else:
                            best_shift, best_p, best_t = shift, p, t
            if p < n:
                prev_end, prev_loc = ends[p], next_loc
        code = VisitCode.FREE
        t_prev = m.previous_start.get((v, s)) if m.change_penalty else None
        if t_prev is not None:
            alt = self.evaluate_at(r, s, t_prev)
            if alt is not None:
                g = self.gain(v, s, True)
                shift_prev, p_prev = alt
                if best_shift is None or g * g / max(shift_prev, 1) > self.gain(v, s, False) ** 2 / max(best_shift, 1):
                    best_shift, best_p, best_t, code = shift_prev, p_prev, t_prev, VisitCode.AS_PREVIOUS
        if best_shift is None:
            return None
        if best_t == t_prev:
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
        """Insertion of stand s into tour r starting exactly at t: (shift, position) or None."""
        m = self.model
        clipped = self.pair_windows[m.tour_visitor[r]].get(s)
        if not any(opens <= t <= latest for opens, latest in (m.windows[s] if clipped is None else clipped)):
            return None
        if m.capacity_binds[s] and not self.fits_capacity(s, t):
            return None
        n = len(self.route[r])
        ends, locs, latest = self.ends[r], self.locations[r], self.latest_arrival[r]
        travel = m.travel
        loc_s, d = m.location[s], m.duration[s]
        prev_end, prev_loc = m.tour_from[r], m.tour_start_loc[r]
        for p in range(n + 1):
            next_loc = locs[p] if p < n else m.tour_end_loc[r]
            if prev_end + travel[prev_loc][loc_s] <= t:
                next_arrival = t + d + travel[loc_s][next_loc]
                if next_arrival <= latest[p]:
                    return (next_arrival - prev_end - travel[prev_loc][next_loc], p)
            if p < n:
                if ends[p] > t:
                    return None
                prev_end, prev_loc = ends[p], next_loc
        return None

    def _evaluate_position(self, r: int, s: int, p: int):
        """Insertion of stand s at position p of tour r, as early as it can start: (shift, start) or None."""
        m = self.model
        n = len(self.route[r])
        prev_end = self.ends[r][p - 1] if p else m.tour_from[r]
        prev_loc = self.locations[r][p - 1] if p else m.tour_start_loc[r]
        next_loc = self.locations[r][p] if p < n else m.tour_end_loc[r]
        t = self.earliest_start(s, prev_end + m.travel[prev_loc][m.location[s]],
                                self.pair_windows[m.tour_visitor[r]].get(s))
        if t < 0:
            return None
        next_arrival = t + m.duration[s] + m.travel[m.location[s]][next_loc]
        if next_arrival > self.latest_arrival[r][p]:
            return None
        return (next_arrival - prev_end - m.travel[prev_loc][next_loc], t)
