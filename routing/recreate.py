"""Putting visits back into ruined tours, best value per minute first, across all tours at once.

A mixin of :class:`routing.engine.Engine`: it reads the tours and calls the engine's
:meth:`batch`, :meth:`evaluate` and :meth:`insert`.
"""

from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

from .codes import VisitCode


class Recreate:
    def candidates(self, r: int):
        m = self.model
        v = m.tour_visitor[r]
        if self.visitor_visits[v] >= m.visitor_max[v]:
            return []
        vis, cnt, smax = self.visited[v], self.stand_visits, m.stand_max
        self.work += len(m.candidates[r])
        return [s for s in m.candidates[r] if s not in vis and cnt[s] < smax[s]]

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
        m = self.model
        smax, vmax, cnt, vcnt, visited = m.stand_max, m.visitor_max, self.stand_visits, self.visitor_visits, self.visited
        rel, minv = m.capacity_binds, m.stand_min
        sver = self.stand_version
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
                code = VisitCode.FREE
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
