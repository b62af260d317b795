"""Scoring every insertion of a tour at once, with numpy: the search's fast path.

A mixin of :class:`routing.engine.Engine`, which holds the tours, their caches, the
counters (and their numpy mirrors) it reads. The arrays of :meth:`batch` have one row
per insertion position of the tour (0 to its number of visits) and one column per
candidate stand.
"""

from __future__ import annotations

import numpy as np

from .codes import Ranking
from .model import BIG

NO_TIME = 1 << 30  # "no feasible start" in the int32 batch arrays


class BatchInsertion:
    def tour_arrays(self, r: int):
        """Per tour, numpy arrays over its candidate stands (built on first use).

        (stands, durations, locations, scores, window opens, window latest
        starts, needs an exact check, column of each stand in the arrays).
        Only the open windows a visit of this tour could use are kept (for a
        required visit, clipped to its window), padded to the same count with
        empty windows.
        """
        arrays = self._tour_arrays.get(r)
        if arrays is not None:
            return arrays
        m = self.model
        stands = m.candidates[r]
        v = m.tour_visitor[r]
        lo, hi = m.tour_from[r], m.tour_to[r]
        clipped = self.pair_windows[v]  # a required visit keeps its window
        usable = [[(o, c) for o, c in clipped.get(s, m.windows[s]) if c >= lo and o <= hi] for s in stands]
        k = max((len(w) for w in usable), default=0)
        dtype = np.int32 if self.int32 else np.int64
        no_time = NO_TIME if self.int32 else BIG
        opens = np.full((max(k, 1), len(stands)), no_time, dtype=dtype)
        latest = np.full((max(k, 1), len(stands)), -1, dtype=dtype)
        for j, w in enumerate(usable):
            for i, (o, c) in enumerate(w):
                opens[i, j], latest[i, j] = max(o, lo), min(c, hi)  # starts lie within the tour anyway
        score = m.score[v]
        exact = [m.capacity_binds[s] or (v, s) in m.previous_start for s in stands]
        arrays = (np.array(stands, dtype=np.int64), np.array([m.duration[s] for s in stands], dtype=dtype),
                  np.array([m.location[s] for s in stands], dtype=np.int64),
                  np.array([score.get(s, 0.0) for s in stands], dtype=float), opens, latest,
                  np.array(exact, dtype=bool), {s: j for j, s in enumerate(stands)})
        self._tour_arrays[r] = arrays
        return arrays

    def batch(self, r: int, subset=None):
        """Optimistic best insertion of every candidate stand of tour r, best ratio first.

        Returns lists (neg ratios, stands, positions, starts, gains, needs exact)
        sorted by decreasing ratio, or None if there is none. Windows are exact;
        capacity and the previous plan are not looked at, which can only make a
        ratio too high, so an entry flagged "needs exact" is re-evaluated by
        :meth:`evaluate` before use. ``subset``: only these stands.
        """
        m = self.model
        v = m.tour_visitor[r]
        if self.visitor_visits[v] >= m.visitor_max[v]:
            return None
        stands, dur, locs, scores, opens, latest, exact, column_of = self.tour_arrays(r)
        if subset is not None:
            idx = np.array([column_of[s] for s in subset if s in column_of], dtype=np.int64)
            if not len(idx):
                return None
            stands, dur, locs, scores, opens, latest, exact = (stands[idx], dur[idx], locs[idx], scores[idx],
                                                               opens[:, idx], latest[:, idx], exact[idx])
        allowed = ~self.visited_np[v, stands] & (self.stand_visits_np[stands] < self.stand_max_np[stands])
        if not allowed.all():
            stands, dur, locs, scores, opens, latest, exact = (
                stands[allowed], dur[allowed], locs[allowed], scores[allowed], opens[:, allowed],
                latest[:, allowed], exact[allowed])
        k = len(stands)
        if not k:
            return None
        n = len(self.route[r])
        self.work += 240 + (n + 1) * k // 8
        travel = self.travel_np
        dtype = travel.dtype
        no_time = NO_TIME if self.int32 else BIG
        prev_end = np.array([m.tour_from[r]] + self.ends[r], dtype=dtype)
        prev_loc = np.array([m.tour_start_loc[r]] + self.locations[r], dtype=np.int64)
        next_loc = np.array(self.locations[r] + [m.tour_end_loc[r]], dtype=np.int64)
        latest_arrival = np.array(self.latest_arrival[r], dtype=dtype)
        arrival = travel[prev_loc][:, locs]
        arrival += prev_end[:, None]
        t = np.maximum(arrival, opens[0])
        t[t > latest[0]] = no_time
        for w in range(1, len(opens)):
            t_w = np.maximum(arrival, opens[w])
            use_w = (t == no_time) & (t_w <= latest[w])
            t[use_w] = t_w[use_w]
        next_arrival = travel[locs][:, next_loc].T + dur
        next_arrival += t
        shift = next_arrival - (prev_end + travel[prev_loc, next_loc])[:, None]
        shift[(t == no_time) | (next_arrival > latest_arrival[:, None])] = no_time
        positions = shift.argmin(axis=0)
        cols = np.arange(k)
        best_shift = shift[positions, cols]
        feasible = best_shift < no_time
        if not feasible.any():
            return None
        if not feasible.all():
            stands, positions, best_shift, scores, exact = (stands[feasible], positions[feasible],
                                                            best_shift[feasible], scores[feasible], exact[feasible])
            best_start = t[positions, cols[feasible]]
        else:
            best_start = t[positions, cols]
        gain = scores
        if m.shortfall_penalty:
            gain = scores + m.shortfall_penalty * (self.stand_visits_np[stands] < self.stand_min_np[stands])
        ranking = self.ranking
        if ranking == Ranking.VALUE:
            ratio = gain
        else:
            ratio = (gain * gain if ranking == Ranking.VALUE_SQUARED_PER_TIME else gain) / np.maximum(best_shift, 1)
        if self.noise:
            ratio = ratio * (1.0 + self.noise * (self.np_rng.random(len(ratio)) - 0.5))
        valued = gain > 0
        if not valued.all():
            stands, positions, best_start, gain, exact, ratio = (stands[valued], positions[valued],
                                                                 best_start[valued], gain[valued], exact[valued],
                                                                 ratio[valued])
            if not len(stands):
                return None
        order = np.argsort(-ratio, kind="stable")
        return ((-ratio[order]).tolist(), stands[order].tolist(), positions[order].tolist(),
                best_start[order].tolist(), gain[order].tolist(), exact[order].tolist())
