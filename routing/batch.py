"""Scoring every insertion of a tour at once, with numpy: the search's fast path.

A mixin of :class:`routing.engine.Engine`, which holds the tours and the counters it reads.
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
        starts, needs an exact check, position of each stand in the arrays).
        Only the open windows a visit of this tour could use are kept, padded
        to the same count with empty windows.
        """
        ta = self._tour_arrays.get(r)
        if ta is not None:
            return ta
        m = self.model
        cs = m.candidates[r]
        v = m.tour_visitor[r]
        lo, hi = m.tour_from[r], m.tour_to[r]
        ws = [[(o, c) for o, c in m.windows[s] if c >= lo and o <= hi] for s in cs]
        k = max((len(w) for w in ws), default=0)
        dt = np.int32 if self.int32 else np.int64
        NO = NO_TIME if self.int32 else BIG
        O = np.full((max(k, 1), len(cs)), NO, dtype=dt)
        C = np.full((max(k, 1), len(cs)), -1, dtype=dt)
        for j, w in enumerate(ws):
            for i, (o, c) in enumerate(w):
                O[i, j], C[i, j] = max(o, lo), min(c, hi)  # starts lie within the tour anyway
        sc = m.score[v]
        exact = [m.capacity_binds[s] or (v, s) in m.previous_start for s in cs]
        ta = (np.array(cs, dtype=np.int64), np.array([m.duration[s] for s in cs], dtype=dt),
              np.array([m.location[s] for s in cs], dtype=np.int64),
              np.array([sc.get(s, 0.0) for s in cs], dtype=float), O, C,
              np.array(exact, dtype=bool), {s: j for j, s in enumerate(cs)})
        self._tour_arrays[r] = ta
        return ta

    def batch(self, r: int, subset=None):
        """Optimistic best insertion of every candidate stand of tour r, best ratio first.

        Returns lists (neg ratios, stands, positions, starts, gains, needs exact)
        sorted by decreasing ratio. Windows are exact; capacity and the previous
        plan are not looked at, which can only make a ratio too high, so an
        entry flagged "needs exact" is re-evaluated by :meth:`evaluate` before use.
        """
        m = self.model
        v = m.tour_visitor[r]
        if self.visitor_visits[v] >= m.visitor_max[v]:
            return None
        cs, D, Lc, G0, O, C, EX, where = self.tour_arrays(r)
        if subset is not None:
            idx = np.array([where[s] for s in subset if s in where], dtype=np.int64)
            if not len(idx):
                return None
            cs, D, Lc, G0, O, C, EX = cs[idx], D[idx], Lc[idx], G0[idx], O[:, idx], C[:, idx], EX[idx]
        ok = ~self.visited_np[v, cs] & (self.stand_visits_np[cs] < self.stand_max_np[cs])
        if not ok.all():
            cs, D, Lc, G0, O, C, EX = cs[ok], D[ok], Lc[ok], G0[ok], O[:, ok], C[:, ok], EX[ok]
        k = len(cs)
        if not k:
            return None
        n = len(self.route[r])
        self.work += 240 + (n + 1) * k // 8
        Tn = self.travel_np
        dt = Tn.dtype
        NO = NO_TIME if self.int32 else BIG
        prevE = np.array([m.tour_from[r]] + self.ends[r], dtype=dt)
        prevL = np.array([m.tour_start_loc[r]] + self.locations[r], dtype=np.int64)
        nextL = np.array(self.locations[r] + [m.tour_end_loc[r]], dtype=np.int64)
        LA = np.array(self.latest_arrival[r], dtype=dt)
        arr = Tn[prevL][:, Lc]
        arr += prevE[:, None]
        t = np.maximum(arr, O[0])
        t[t > C[0]] = NO
        for w in range(1, len(O)):
            tw = np.maximum(arr, O[w])
            upd = (t == NO) & (tw <= C[w])
            t[upd] = tw[upd]
        na = Tn[Lc][:, nextL].T + D
        na += t
        shift = na - (prevE + Tn[prevL, nextL])[:, None]
        shift[(t == NO) | (na > LA[:, None])] = NO
        p = shift.argmin(axis=0)
        cols = np.arange(k)
        bs = shift[p, cols]
        feas = bs < NO
        if not feas.any():
            return None
        if not feas.all():
            cs, p, bs, G0, EX = cs[feas], p[feas], bs[feas], G0[feas], EX[feas]
            bt = t[p, cols[feas]]
        else:
            bt = t[p, cols]
        g = G0
        if m.shortfall_penalty:
            g = G0 + m.shortfall_penalty * (self.stand_visits_np[cs] < self.stand_min_np[cs])
        ranking = self.ranking
        if ranking == Ranking.VALUE:
            ratio = g
        else:
            ratio = (g * g if ranking == Ranking.VALUE_SQUARED_PER_TIME else g) / np.maximum(bs, 1)
        if self.noise:
            ratio = ratio * (1.0 + self.noise * (self.np_rng.random(len(ratio)) - 0.5))
        pos = g > 0
        if not pos.all():
            cs, p, bt, g, EX, ratio = cs[pos], p[pos], bt[pos], g[pos], EX[pos], ratio[pos]
            if not len(cs):
                return None
        order = np.argsort(-ratio, kind="stable")
        return ((-ratio[order]).tolist(), cs[order].tolist(), p[order].tolist(), bt[order].tolist(),
                g[order].tolist(), EX[order].tolist())
