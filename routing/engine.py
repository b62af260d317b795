"""Ruin-and-recreate search over timed tours, in integer time.

Pure Python on purpose (plain lists, integer times);
OR-Tools (GLOP) is used by :mod:`routing.solver` for the upper bound.

Representation, per tour ``r``: ``R[r]`` stands in visiting order, ``S[r]``
start times, ``C[r]`` a code per visit (0 free, 1 matches ``previous`` and is
kept at that time, 2 locked at a time, 3 locked without time). Derived caches:
``E[r]`` end times, ``L[r]`` locations, ``LA[r]`` the latest arrival each visit
(and the tour end, last entry) tolerates without breaking anything downstream,
so checking an insertion is O(1) per position (the "max shift" idea).
Stand capacity is checked against per-stand sorted booking lists.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from heapq import heapify, heappop, heappush

import numpy as np

from .model import BIG, IntModel

NO_TIME = 1 << 30  # "no feasible start" in the int32 batch arrays


class LockedInfeasible(ValueError):
    """Raised with (tour index, stand index) of the locked visit that could not be placed."""


class Engine:
    def __init__(self, m: IntModel, seed: int = 0):
        self.m = m
        self.rng = random.Random(seed)
        nt, ns, nv = m.num_tours, m.num_stands, m.num_visitors
        self.R = [[] for _ in range(nt)]
        self.S = [[] for _ in range(nt)]
        self.C = [[] for _ in range(nt)]
        self.E = [[] for _ in range(nt)]
        self.L = [[] for _ in range(nt)]
        self.LA = [[m.tour_to[r]] for r in range(nt)]
        self.book = [[] for _ in range(ns)]
        self.cnt = [0] * ns
        self.vcnt = [0] * nv
        self.visited = [set() for _ in range(nv)]
        self.at_stand = [set() for _ in range(ns)]  # stand -> tours visiting it
        self._sver = [0] * ns  # bumped when a stand's bookings or value change
        self.obj = -m.pen_short * sum(m.minv) - m.pen_change * m.num_previous
        self.work = 0
        self.noise = 0.0
        self.alpha = 2
        # numpy mirrors of cnt and visited, for the batch evaluation of a tour
        self.cnt_np = np.zeros(ns, dtype=np.int64)
        self.vis_np = np.zeros((nv, ns), dtype=bool)
        self.smax_np = np.array([min(x, BIG) for x in m.smax], dtype=np.int64)
        self.minv_np = np.array(m.minv, dtype=np.int64)
        # int32 halves the memory traffic of the batch; scaled times stay far below NO_TIME
        self.Tn = np.array(m.T, dtype=np.int32) if m.T else np.zeros((0, 0), dtype=np.int32)
        self.i32 = (max(max(m.tour_to, default=0), max((max(r) for r in m.T), default=0)) < (1 << 28)
                    and min(m.tour_from, default=0) > -(1 << 28))
        if not self.i32:
            self.Tn = self.Tn.astype(np.int64)
        self.nrng = np.random.default_rng(seed)
        self._ta: dict[int, tuple] = {}

    # ------------------------------------------------------------ capacity

    def cap_ok(self, s: int, t: int) -> bool:
        """True if a visit [t, t+d) fits the current bookings of stand s."""
        self.work += 15
        bk = self.book[s]
        d = self.m.dur[s]
        i = bisect_right(bk, t - d)
        j = bisect_left(bk, t + d)
        c = self.m.cap[s]
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

    def earliest(self, s: int, a: int) -> int:
        """Earliest feasible start >= a at stand s (windows and capacity), -1 if none."""
        self.work += 30
        m = self.m
        rel = m.cap_relevant[s]
        for o, c in m.wins[s]:
            if a > c:
                continue
            t = a if a > o else o
            if not rel:
                return t
            d = m.dur[s]
            bk = self.book[s]
            if m.cap[s] == 1:
                # walk the bookings from the first one that may overlap [t, t + d)
                i = bisect_right(bk, t - d)
                nb = len(bk)
                while i < nb and bk[i] < t + d:
                    t = bk[i] + d
                    i += 1
                self.work += 4 + i
                if t <= c:
                    return t
                continue
            while t <= c:
                if self.cap_ok(s, t):
                    return t
                # feasibility can only change where a booking ends
                i = bisect_right(bk, t - d)
                j = bisect_left(bk, t + d)
                t = min(b + d for b in bk[i:j] if b + d > t)
        return -1

    def earliest_window(self, s: int, a: int) -> int:
        for o, c in self.m.wins[s]:
            if a <= c:
                return a if a > o else o
        return -1

    def _unbook(self, s: int, t: int) -> None:
        if self.m.cap_relevant[s]:
            bk = self.book[s]
            del bk[bisect_left(bk, t)]

    def _book(self, s: int, t: int) -> None:
        if self.m.cap_relevant[s]:
            insort(self.book[s], t)

    # ------------------------------------------------------------ caches

    def refresh(self, r: int) -> None:
        m = self.m
        st, ss, cc = self.R[r], self.S[r], self.C[r]
        n = len(st)
        self.work += 2 * n + 10
        dur, loc, T, wins = m.dur, m.loc, m.T, m.wins
        E = [0] * n
        L = [0] * n
        LA = [0] * (n + 1)
        lim_next = m.tour_to[r]
        LA[n] = lim_next
        nloc = m.tour_eloc[r]
        for i in range(n - 1, -1, -1):
            s = st[i]
            t = ss[i]
            ls = loc[s]
            d = dur[s]
            E[i] = t + d
            L[i] = ls
            if cc[i] == 1 or cc[i] == 2:
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
        self.E[r], self.L[r], self.LA[r] = E, L, LA

    def reschedule(self, r: int) -> None:
        """Move every free visit of tour r as early as possible (never later)."""
        m = self.m
        st, ss, cc = self.R[r], self.S[r], self.C[r]
        prev_end, prev_loc = m.tour_from[r], m.tour_sloc[r]
        T, loc, dur = m.T, m.loc, m.dur
        for i in range(len(st)):
            s = st[i]
            arr = prev_end + T[prev_loc][loc[s]]
            if (cc[i] == 0 or cc[i] == 3) and arr < ss[i]:
                self._unbook(s, ss[i])
                t = self.earliest(s, arr)
                if t < 0 or t > ss[i]:  # cannot happen; keep the old time
                    t = ss[i]
                self._book(s, t)
                ss[i] = t
            prev_end = ss[i] + dur[s]
            prev_loc = loc[s]
        self.refresh(r)

    # ------------------------------------------------------------ values

    def gain(self, v: int, s: int, matched: bool) -> float:
        m = self.m
        g = m.score[v].get(s, 0.0)
        if self.cnt[s] < m.minv[s]:
            g += m.pen_short
        if matched:
            g += m.pen_change
        return g

    # ------------------------------------------------------------ insertion

    def evaluate(self, r: int, s: int):
        """Best insertion of stand s into tour r: (ratio, pos, start, code, gain) or None."""
        m = self.m
        v = m.tour_visitor[r]
        st = self.R[r]
        n = len(st)
        E, L, LA = self.E[r], self.L[r], self.LA[r]
        T = m.T
        ls = m.loc[s]
        Ts = T[ls]
        d = m.dur[s]
        wins = m.wins[s]
        single = len(wins) == 1
        rel = m.cap_relevant[s]
        o0, c0 = wins[0] if wins else (0, -1)
        lastc = m.last_close[s]
        eloc = m.tour_eloc[r]
        # LA is non-decreasing: skip positions whose successor cannot wait for the opening
        p0 = bisect_left(LA, o0 + d + 0) if wins else n + 1
        if p0:
            prev_end, prev_loc = E[p0 - 1], L[p0 - 1]
        else:
            prev_end, prev_loc = m.tour_from[r], m.tour_sloc[r]
        self.work += n + 12 - p0
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
                t = self.earliest_window(s, arr)
            if t >= 0:
                # optimistic check first (capacity can only delay the start)
                na = t + d + Ts[nloc]
                if na <= LA[p]:
                    shift = na - prev_end - Tp[nloc]
                    if best_shift is None or shift < best_shift:
                        if rel:
                            t = self.earliest(s, arr)
                            if t >= 0:
                                na = t + d + Ts[nloc]
                                shift = na - prev_end - Tp[nloc]
                                if na <= LA[p] and (best_shift is None or shift < best_shift):
                                    best_shift, best_p, best_t = shift, p, t
                        else:
                            best_shift, best_p, best_t = shift, p, t
            if p < n:
                prev_end, prev_loc = E[p], nloc
        code = 0
        tp = m.prev_time.get((v, s)) if m.pen_change else None
        if tp is not None:
            alt = self.eval_at(r, s, tp)
            if alt is not None:
                g = self.gain(v, s, True)
                ps, pp = alt
                if best_shift is None or g * g / max(ps, 1) > self.gain(v, s, False) ** 2 / max(best_shift, 1):
                    best_shift, best_p, best_t, code = ps, pp, tp, 1
        if best_shift is None:
            return None
        if best_t == tp:
            code = 1
        g = self.gain(v, s, code == 1)
        if g <= 0:
            return None
        if self.alpha == 0:
            ratio = g
        else:
            ratio = (g * g if self.alpha == 2 else g) / (best_shift if best_shift > 1 else 1)
        if self.noise:
            ratio *= 1.0 + self.noise * (self.rng.random() - 0.5)
        return (ratio, best_p, best_t, code, g)

    def eval_at(self, r: int, s: int, t: int):
        """Insertion of s into r starting exactly at t: (shift, pos) or None."""
        m = self.m
        if not any(o <= t <= c for o, c in m.wins[s]):
            return None
        if m.cap_relevant[s] and not self.cap_ok(s, t):
            return None
        st = self.R[r]
        n = len(st)
        E, L, LA = self.E[r], self.L[r], self.LA[r]
        T = m.T
        ls, d = m.loc[s], m.dur[s]
        prev_end, prev_loc = m.tour_from[r], m.tour_sloc[r]
        for p in range(n + 1):
            nloc = L[p] if p < n else m.tour_eloc[r]
            if prev_end + T[prev_loc][ls] <= t:
                na = t + d + T[ls][nloc]
                if na <= LA[p]:
                    return (na - prev_end - T[prev_loc][nloc], p)
            if p < n:
                if E[p] > t:
                    return None
                prev_end, prev_loc = E[p], nloc
        return None

    def insert(self, r: int, p: int, s: int, t: int, code: int) -> bool:
        """Insert s at position p of tour r starting at t, pushing later visits.

        Returns None (and changes nothing) if capacity forbids it, else the
        capacity-relevant stands whose visits were pushed later."""
        m = self.m
        st, ss = self.R[r], self.S[r]
        n = len(st)
        T, loc, dur = m.T, m.loc, m.dur
        if m.cap_relevant[s] and not self.cap_ok(s, t):
            return None
        arr = t + dur[s] + T[loc[s]][loc[st[p]] if p < n else m.tour_eloc[r]]
        pushes = []
        j = p
        cc = self.C[r]
        while j < n and arr > ss[j]:
            sj = st[j]
            if cc[j] == 1 or cc[j] == 2:
                return None  # pinned in time
            multi = len(m.wins[sj]) > 1
            if m.cap_relevant[sj] or multi:
                # may have to wait for a free slot or the next window (LA is optimistic there)
                self._unbook(sj, ss[j])
                nt = self.earliest(sj, arr)
                self._book(sj, ss[j])
                if nt < 0:
                    return None
                if nt > arr and not multi:
                    return None
                arr = nt
            pushes.append((j, arr))
            arr = arr + dur[sj] + T[loc[sj]][loc[st[j + 1]] if j + 1 < n else m.tour_eloc[r]]
            j += 1
        if j == n and arr > m.tour_to[r]:
            return None
        for j, nt in pushes:
            sj = st[j]
            self._unbook(sj, ss[j])
            self._book(sj, nt)
            ss[j] = nt
        v = m.tour_visitor[r]
        self.obj += self.gain(v, s, code == 1 or (code == 2 and m.prev_time.get((v, s)) == t))
        st.insert(p, s)
        ss.insert(p, t)
        self.C[r].insert(p, code)
        self._book(s, t)
        self.cnt[s] += 1
        self.vcnt[v] += 1
        self.visited[v].add(s)
        self.cnt_np[s] += 1
        self.vis_np[v, s] = True
        self.at_stand[s].add(r)
        self.refresh(r)
        return [st[j + 1] for j, _ in pushes if m.cap_relevant[st[j + 1]]]

    def remove_positions(self, r: int, positions) -> None:
        """Remove the visits at the given positions of r, then pull the rest earlier."""
        m = self.m
        v = m.tour_visitor[r]
        st, ss, cc = self.R[r], self.S[r], self.C[r]
        for p in sorted(positions, reverse=True):
            s, t, c = st[p], ss[p], cc[p]
            matched = c == 1 or (c == 2 and m.prev_time.get((v, s)) == t)
            self.cnt[s] -= 1
            self.obj -= self.gain(v, s, matched)
            self.vcnt[v] -= 1
            self.visited[v].discard(s)
            self.cnt_np[s] -= 1
            self.vis_np[v, s] = False
            self.at_stand[s].discard(r)
            self._unbook(s, t)
            del st[p], ss[p], cc[p]
        self.reschedule(r)

    # ------------------------------------------------------------ batch evaluation

    def tour_arrays(self, r: int):
        """Per tour, numpy arrays over its candidate stands (built on first use).

        (stands, durations, locations, scores, window opens, window latest
        starts, needs an exact check, position of each stand in the arrays).
        Only the open windows a visit of this tour could use are kept, padded
        to the same count with empty windows.
        """
        ta = self._ta.get(r)
        if ta is not None:
            return ta
        m = self.m
        cs = m.cands[r]
        v = m.tour_visitor[r]
        lo, hi = m.tour_from[r], m.tour_to[r]
        ws = [[(o, c) for o, c in m.wins[s] if c >= lo and o <= hi] for s in cs]
        k = max((len(w) for w in ws), default=0)
        dt = np.int32 if self.i32 else np.int64
        NO = NO_TIME if self.i32 else BIG
        O = np.full((max(k, 1), len(cs)), NO, dtype=dt)
        C = np.full((max(k, 1), len(cs)), -1, dtype=dt)
        for j, w in enumerate(ws):
            for i, (o, c) in enumerate(w):
                O[i, j], C[i, j] = max(o, lo), min(c, hi)  # starts lie within the tour anyway
        sc = m.score[v]
        exact = [m.cap_relevant[s] or (v, s) in m.prev_time for s in cs]
        ta = (np.array(cs, dtype=np.int64), np.array([m.dur[s] for s in cs], dtype=dt),
              np.array([m.loc[s] for s in cs], dtype=np.int64),
              np.array([sc.get(s, 0.0) for s in cs], dtype=float), O, C,
              np.array(exact, dtype=bool), {s: j for j, s in enumerate(cs)})
        self._ta[r] = ta
        return ta

    def batch(self, r: int, subset=None):
        """Optimistic best insertion of every candidate stand of tour r, best ratio first.

        Returns lists (neg ratios, stands, positions, starts, gains, needs exact)
        sorted by decreasing ratio. Windows are exact; capacity and the previous
        plan are not looked at, which can only make a ratio too high, so an
        entry flagged "needs exact" is re-evaluated by :meth:`evaluate` before use.
        """
        m = self.m
        v = m.tour_visitor[r]
        if self.vcnt[v] >= m.vmax[v]:
            return None
        cs, D, Lc, G0, O, C, EX, where = self.tour_arrays(r)
        if subset is not None:
            idx = np.array([where[s] for s in subset if s in where], dtype=np.int64)
            if not len(idx):
                return None
            cs, D, Lc, G0, O, C, EX = cs[idx], D[idx], Lc[idx], G0[idx], O[:, idx], C[:, idx], EX[idx]
        ok = ~self.vis_np[v, cs] & (self.cnt_np[cs] < self.smax_np[cs])
        if not ok.all():
            cs, D, Lc, G0, O, C, EX = cs[ok], D[ok], Lc[ok], G0[ok], O[:, ok], C[:, ok], EX[ok]
        k = len(cs)
        if not k:
            return None
        n = len(self.R[r])
        self.work += 20 + (n + 1) * k // 8
        Tn = self.Tn
        dt = Tn.dtype
        NO = NO_TIME if self.i32 else BIG
        prevE = np.array([m.tour_from[r]] + self.E[r], dtype=dt)
        prevL = np.array([m.tour_sloc[r]] + self.L[r], dtype=np.int64)
        nextL = np.array(self.L[r] + [m.tour_eloc[r]], dtype=np.int64)
        LA = np.array(self.LA[r], dtype=dt)
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
        if m.pen_short:
            g = G0 + m.pen_short * (self.cnt_np[cs] < self.minv_np[cs])
        alpha = self.alpha
        if alpha == 0:
            ratio = g
        else:
            ratio = (g * g if alpha == 2 else g) / np.maximum(bs, 1)
        if self.noise:
            ratio = ratio * (1.0 + self.noise * (self.nrng.random(len(ratio)) - 0.5))
        pos = g > 0
        if not pos.all():
            cs, p, bt, g, EX, ratio = cs[pos], p[pos], bt[pos], g[pos], EX[pos], ratio[pos]
            if not len(cs):
                return None
        order = np.argsort(-ratio, kind="stable")
        return ((-ratio[order]).tolist(), cs[order].tolist(), p[order].tolist(), bt[order].tolist(),
                g[order].tolist(), EX[order].tolist())

    # ------------------------------------------------------------ recreate

    def candidates(self, r: int):
        m = self.m
        v = m.tour_visitor[r]
        if self.vcnt[v] >= m.vmax[v]:
            return []
        vis, cnt, smax = self.visited[v], self.cnt, m.smax
        self.work += len(m.cands[r])
        return [s for s in m.cands[r] if s not in vis and cnt[s] < smax[s]]

    def recreate(self, tours, ruined=None, freed=None, stop=None) -> bool:
        """Greedy best-ratio insertion restricted to ``tours``.

        Each tour keeps its candidates sorted by the optimistic ratio of
        :meth:`batch`; a heap holds each tour's current best. An entry is
        checked exactly (capacity, previous plan) only when it reaches the
        top, and an entry whose stand changed since (capacity or shortfall)
        is re-evaluated. If ``ruined`` and ``freed`` are given, the tours
        outside ``ruined`` are known to have had no feasible insertion before
        the ruin, so only the ``freed`` stands are evaluated for them.
        ``stop()``, if given, is asked every 64 insertions; returns False if it
        cut the recreate short.
        """
        m = self.m
        smax, vmax, cnt, vcnt, visited = m.smax, m.vmax, self.cnt, self.vcnt, self.visited
        rel, minv = m.cap_relevant, m.minv
        sver = self._sver
        tv = m.tour_visitor
        lists: dict[int, list] = {}
        subsets: dict[int, object] = {}
        heap = []
        ver: dict[int, int] = {}

        def load(r):
            b = self.batch(r, subsets[r])
            ver[r] = ver.get(r, 0) + 1
            if b is None:
                lists[r] = None
                return
            neg, ss, ps, ts, gs, ex = b
            svs = [sver[s] for s in ss]
            lists[r] = [neg, ss, ps, ts, gs, ex, svs, 0]
            heappush(heap, (neg[0], r, ver[r]))

        for r in tours:
            subsets[r] = None if ruined is None or r in ruined else list(freed)
            load(r)
        pops = 0
        while heap:
            pops += 1
            if stop is not None and not pops & 63 and stop():
                return False
            key, r, vr = heappop(heap)
            if vr != ver[r]:
                continue
            L = lists[r]
            neg, ss, ps, ts, gs, ex, svs, i = L
            s = ss[i]
            v = tv[r]
            if vcnt[v] >= vmax[v]:
                continue
            if s in visited[v] or cnt[s] >= smax[s]:
                L[7] = i = i + 1
                if i < len(ss):
                    heappush(heap, (neg[i], r, vr))
                continue
            if ex[i] or svs[i] != sver[s]:
                e = self.evaluate(r, s)
                if e is None:
                    L[7] = i = i + 1
                    if i < len(ss):
                        heappush(heap, (neg[i], r, vr))
                    continue
                k2 = -e[0]
                nxt = neg[i + 1] if i + 1 < len(ss) else None
                if (nxt is not None and nxt < k2) or (heap and heap[0][0] < k2):
                    # no longer the best: put it back in order, exact this time
                    del neg[i], ss[i], ps[i], ts[i], gs[i], ex[i], svs[i]
                    j = bisect_right(neg, k2, i)
                    neg.insert(j, k2)
                    ss.insert(j, s)
                    ps.insert(j, e[1])
                    ts.insert(j, (e[2], e[3]))
                    gs.insert(j, e[4])
                    ex.insert(j, False)
                    svs.insert(j, sver[s])
                    heappush(heap, (neg[i], r, vr))
                    continue
                p, t, code = e[1], e[2], e[3]
            else:
                p, t = ps[i], ts[i]
                code = 0
                if isinstance(t, tuple):
                    t, code = t
            pushed = self.insert(r, p, s, t, code)
            if pushed is None:
                # capacity changed under a pushed visit: try again later
                sver[s] += 1
                e = self.evaluate(r, s)
                if e is not None and e[1:3] != (p, t):
                    ex[i] = True
                    svs[i] = sver[s] - 1  # forces a fresh evaluation
                    heappush(heap, (neg[i], r, vr))
                else:
                    L[7] = i = i + 1
                    if i < len(ss):
                        heappush(heap, (neg[i], r, vr))
                continue
            if rel[s] or minv[s]:
                sver[s] += 1
            for s2 in pushed:
                sver[s2] += 1
            load(r)
        return True

    # ------------------------------------------------------------ state copies

    def snapshot(self, tours):
        return {r: (self.R[r][:], self.S[r][:], self.C[r][:]) for r in tours}

    def restore(self, snap, obj: float) -> None:
        m = self.m
        for r in snap:
            v = m.tour_visitor[r]
            for s, t in zip(self.R[r], self.S[r]):
                self.cnt[s] -= 1
                self.vcnt[v] -= 1
                self.visited[v].discard(s)
                self.cnt_np[s] -= 1
                self.vis_np[v, s] = False
                self.at_stand[s].discard(r)
                self._unbook(s, t)
        for r, (st, ss, cc) in snap.items():
            v = m.tour_visitor[r]
            self.R[r], self.S[r], self.C[r] = st[:], ss[:], cc[:]
            for s, t in zip(st, ss):
                self.cnt[s] += 1
                self.vcnt[v] += 1
                self.visited[v].add(s)
                self.cnt_np[s] += 1
                self.vis_np[v, s] = True
                self.at_stand[s].add(r)
                self._book(s, t)
            self.refresh(r)
        self.obj = obj

    # ------------------------------------------------------------ locked

    def place_locked(self) -> None:
        """Put every locked visit in its tour; raise LockedInfeasible if impossible."""
        m = self.m
        by_tour: dict[int, list[tuple[int, int | None]]] = {}
        for r, s, t in m.locked:
            by_tour.setdefault(r, []).append((s, t))
        # timed ones first, in time order, then the others by best insertion
        for r, items in by_tour.items():
            for s, t in sorted((x for x in items if x[1] is not None), key=lambda x: x[1]):
                alt = self.eval_at(r, s, t)
                if alt is None or self.insert(r, alt[1], s, t, 2) is None:
                    raise LockedInfeasible(r, s)
        for r, items in by_tour.items():
            loose = [s for s, t in items if t is None]
            # hardest first: tightest window
            loose.sort(key=lambda s: m.last_close[s])
            for s in loose:
                if not self.insert_loose(r, s):
                    raise LockedInfeasible(r, s)

    def insert_loose(self, r: int, s: int) -> bool:
        """Insert locked-without-time stand s into tour r where it costs least time."""
        best = None
        for p in range(len(self.R[r]) + 1):
            res = self._eval_pos(r, s, p)
            if res is not None and (best is None or res[0] < best[0]):
                best = (res[0], p, res[1])
        return best is not None and self.insert(r, best[1], s, best[2], 3) is not None

    def _eval_pos(self, r: int, s: int, p: int):
        m = self.m
        st = self.R[r]
        n = len(st)
        prev_end = self.E[r][p - 1] if p else m.tour_from[r]
        prev_loc = self.L[r][p - 1] if p else m.tour_sloc[r]
        nloc = self.L[r][p] if p < n else m.tour_eloc[r]
        t = self.earliest(s, prev_end + m.T[prev_loc][m.loc[s]])
        if t < 0:
            return None
        na = t + m.dur[s] + m.T[m.loc[s]][nloc]
        if na > self.LA[r][p]:
            return None
        return (na - prev_end - m.T[prev_loc][nloc], t)
