"""Putting visits back into ruined tours, best ratio first, across all tours at once.

A mixin of :class:`routing.engine.Engine`: it reads the tours and the counters, and
calls :meth:`batch` (:mod:`routing.batch`), :meth:`evaluate` (:mod:`routing.insertion`)
and :meth:`insert`.
"""

from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

from .codes import VisitCode

# Slots of a tour's entry list in recreate(): its candidates in decreasing optimistic
# ratio (parallel lists), and the index of the next one to try.
NEG_RATIOS, STANDS, POSITIONS, STARTS, GAINS, NEEDS_EXACT, VERSIONS, NEXT = range(8)


class Recreate:
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
        stand_max, visitor_max = m.stand_max, m.visitor_max
        stand_visits, visitor_visits, visited = self.stand_visits, self.visitor_visits, self.visited
        capacity_binds, stand_min = m.capacity_binds, m.stand_min
        stand_version = self.stand_version
        tour_visitor = m.tour_visitor
        entries: dict[int, list] = {}
        subsets: dict[int, object] = {}
        heap = []
        loads: dict[int, int] = {}  # tour -> how many times its entries were built (stale heap items differ)

        def load(r):
            b = self.batch(r, subsets[r])
            loads[r] = loads.get(r, 0) + 1
            if b is None:
                entries[r] = None
                return
            neg_ratios, stands, positions, starts, gains, needs_exact = b
            versions = [stand_version[s] for s in stands]
            entries[r] = [neg_ratios, stands, positions, starts, gains, needs_exact, versions, 0]
            heappush(heap, (neg_ratios[0], r, loads[r]))

        for r in tours:
            subsets[r] = None if ruined is None or r in ruined else list(freed)
            load(r)
        pops = 0
        while heap:
            pops += 1
            if stop is not None and not pops & 63 and stop():
                return False
            key, r, loaded = heappop(heap)
            if loaded != loads[r]:
                continue
            entry = entries[r]
            neg_ratios, stands, positions, starts, gains, needs_exact, versions, i = entry
            s = stands[i]
            v = tour_visitor[r]
            if visitor_visits[v] >= visitor_max[v]:
                continue
            if s in visited[v] or stand_visits[s] >= stand_max[s]:
                entry[NEXT] = i = i + 1
                if i < len(stands):
                    heappush(heap, (neg_ratios[i], r, loaded))
                continue
            if needs_exact[i] or versions[i] != stand_version[s]:
                e = self.evaluate(r, s)
                if e is None:
                    entry[NEXT] = i = i + 1
                    if i < len(stands):
                        heappush(heap, (neg_ratios[i], r, loaded))
                    continue
                key_exact = -e[0]
                key_next = neg_ratios[i + 1] if i + 1 < len(stands) else None
                if (key_next is not None and key_next < key_exact) or (heap and heap[0][0] < key_exact):
                    # no longer the best: put it back in order, exact this time
                    del neg_ratios[i], stands[i], positions[i], starts[i], gains[i], needs_exact[i], versions[i]
                    j = bisect_right(neg_ratios, key_exact, i)
                    neg_ratios.insert(j, key_exact)
                    stands.insert(j, s)
                    positions.insert(j, e[1])
                    starts.insert(j, (e[2], e[3]))
                    gains.insert(j, e[4])
                    needs_exact.insert(j, False)
                    versions.insert(j, stand_version[s])
                    heappush(heap, (neg_ratios[i], r, loaded))
                    continue
                p, t, code = e[1], e[2], e[3]
            else:
                p, t = positions[i], starts[i]
                code = VisitCode.FREE
                if isinstance(t, tuple):  # an exact evaluation put back in order: (start, code)
                    t, code = t
            pushed = self.insert(r, p, s, t, code)
            if pushed is None:
                # capacity changed under a pushed visit: try again later
                stand_version[s] += 1
                e = self.evaluate(r, s)
                if e is not None and e[1:3] != (p, t):
                    needs_exact[i] = True
                    versions[i] = stand_version[s] - 1  # forces a fresh evaluation
                    heappush(heap, (neg_ratios[i], r, loaded))
                else:
                    entry[NEXT] = i = i + 1
                    if i < len(stands):
                        heappush(heap, (neg_ratios[i], r, loaded))
                continue
            if capacity_binds[s] or stand_min[s]:
                stand_version[s] += 1
            for s2 in pushed:
                stand_version[s2] += 1
            load(r)
        return True
