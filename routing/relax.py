"""A relaxation of the visit-routing problem on a time grid, and the pricing of its tours (numpy only).

:mod:`routing.lagrange` bounds the objective with it (a Lagrangian relaxation of the rules that
couple tours).
Every plan of the document is a plan of the relaxation with at least its value, so every bound of
the relaxation bounds the document. Times are counted in steps of ``h`` (one time unit on summits,
the app's minute) and a true start ``u`` is mapped to the grid point ``U = ceil(u / h)``; the grid
keeps only rules that such mapped plans still obey:

- a visit of stand ``s`` starting at ``U`` occupies ``a_s = floor(d_s / h)`` steps; the next visit,
  at stand ``n``, starts at least ``b_n = floor(min walk into n / h)`` steps after it ends
  (``ceil(x + y) >= ceil(x) + floor(y)``), so the walk between two stands is only its lower bound;
- the first visit starts no earlier than the walk from the tour's start (or a lower bound of any
  path through another stand), the last ends in time for the walk back, and each start lies in one
  of the stand's open windows, every limit rounded the same way;
- a stand's capacity holds at the instants ``k * a_s`` of the grid, one visit length apart: a visit
  covers exactly one of them among its ``a_s`` steps, and the true visit is in progress then;
- "a stand at most once per visitor", the visitors' and stands' maximums, the stands' minimums and
  the capacities couple the tours: :mod:`routing.lagrange` moves them into the objective with
  multipliers (duals) that price every visit; locked visits are dropped (a relaxation may), and a
  kept visit of ``previous`` earns the change penalty at any time.

Within a tour the relaxation's routes may visit a stand more than once (the "once" rule is priced,
not imposed): then the best route of a tour is a dynamic programme over the grid whose state is only
the time, which numpy runs for many tours at once (:meth:`Relaxation.price`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .problem import Problem

EPS = 1e-9
#: Most time steps a tour may have.
MAX_STEPS = 4000
#: Largest number of (tour, candidate, step) cells priced in one numpy block.
BLOCK_CELLS = 2_000_000


def _ceil(x: float) -> int:
    return math.ceil(x - EPS)


def _floor(x: float) -> int:
    return math.floor(x + EPS)


@dataclass
class Group:
    """The candidates of a block of tours whose stands share one visit length and one walk-in step."""
    a: int                    # steps a visit lasts
    b: int                    # steps walked into the stand, at least
    stand: np.ndarray         # (R, K) stand index, the padding is num_stands (never allowed)
    pair: np.ndarray          # (R, K) index of the (visitor, stand) pair, padding 0
    value: np.ndarray         # (R, K) score plus the change penalty of a kept visit
    blocked: np.ndarray       # (R, L, K) no start at that step (closed, too early or too late, padding)
    flat: np.ndarray          # (R, L, K) index of (stand, absolute step) in a flattened (stands + 1, grid) array


@dataclass
class Block:
    tours: np.ndarray         # (R,) tour indices
    visitor: np.ndarray       # (R,)
    grid: np.ndarray          # (R, L) absolute grid index of each relative step (clipped)
    length: int               # L
    groups: list[Group]


@dataclass
class Priced:
    """The best relaxed route of every tour under some duals: its value and, for some, the route."""
    value: np.ndarray                      # (num_tours,) >= 0 (the empty route)
    routes: dict[int, list[tuple[int, int, int]]]  # tour -> [(stand, absolute grid index, pair)]


class Relaxation:
    """The grid relaxation of a problem: tours, candidates, allowed starts, capacity instants."""

    def __init__(self, problem: Problem, *, grid: float | None = None):
        stands, visitors = problem.stands, problem.visitors
        self.problem = problem
        self.num_stands = ns = len(stands)
        durations = [s.visit_duration for s in stands]
        spans = [t.to - t.from_ for v in visitors for t in v.tours] or [1.0]
        h = grid if grid is not None else min(1.0, min(durations, default=1.0))
        # at most MAX_STEPS steps per tour, but never a step longer than a visit (a visit would then be charged
        # more time than it takes): a problem that needs both is not relaxed here (``usable`` is False)
        h = max(h, max(spans) / MAX_STEPS)
        self.usable = not durations or h <= min(durations) + EPS
        self.h = h
        loc = [s.location for s in stands]
        T = problem.travel_time
        min_in = []
        for i in range(ns):
            others = [T(loc[j], loc[i]) for j in range(ns) if j != i]
            min_in.append(min(others, default=0.0))
        min_out = []
        for i in range(ns):
            others = [T(loc[i], loc[j]) for j in range(ns) if j != i]
            min_out.append(min(others, default=0.0))
        d_min = min(durations, default=0.0)
        self.a = np.array([max(1, _floor(d / h)) for d in durations], dtype=np.int64)
        self.b = np.array([max(0, _floor(x / h)) for x in min_in], dtype=np.int64)
        self.capacity = np.array([s.capacity for s in stands], dtype=np.float64)
        self.q = self.a.copy()  # instant spacing per stand: one instant per visit
        # the absolute grid: index = U - origin
        starts = [t.from_ for v in visitors for t in v.tours] or [0.0]
        ends = [t.to for v in visitors for t in v.tours] or [0.0]
        self.origin = _floor(min(starts) / h) - 1
        self.size = _ceil(max(ends) / h) - self.origin + 2
        self.open = np.zeros((ns + 1, self.size), dtype=bool)
        for i, s in enumerate(stands):
            for o, c in s.open:
                lo, hi = _ceil(o / h) - self.origin, _ceil((c - s.visit_duration) / h) - self.origin
                lo, hi = max(lo, 0), min(hi, self.size - 1)
                if hi >= lo:
                    self.open[i, lo:hi + 1] = True
        # capacity instants of stand s: k * q_s (absolute U), indexed k - k0_s
        self.k0 = np.array([-(-(self.origin) // q) for q in self.q], dtype=np.int64)  # ceil(origin / q)
        self.num_instants = int(max(((self.origin + self.size) // q) - k0 + 2 for q, k0 in zip(self.q, self.k0)))\
            if ns else 0
        self._tours(problem, T, loc, min_in, min_out, d_min)

    # ------------------------------------------------------------------ building
    def _tours(self, problem: Problem, T, loc, min_in, min_out, d_min) -> None:
        h, ns = self.h, self.num_stands
        sidx, vidx = problem.stand_index, problem.visitor_index
        score: list[dict[int, float]] = [dict() for _ in problem.visitors]
        for (vid, sid), val in problem.scores.items():
            if val > 0:
                score[vidx[vid]][sidx[sid]] = val
        if problem.previous is not None and problem.change_penalty > 0:
            for plan in problem.previous.tours:
                v = vidx[plan.visitor]
                for x in plan.visits:
                    s = sidx[x.stand]
                    score[v][s] = score[v].get(s, 0.0) + problem.change_penalty
        extra = [i for i, s in enumerate(problem.stands) if s.min_visits > 0 and problem.shortfall_penalty > 0]
        self.pairs: list[tuple[int, int]] = []
        pair_of: dict[tuple[int, int], int] = {}
        rows = []  # (tour, visitor, base, length, [(stand, elo, uhi, value, pair)])
        self.tour_visitor: list[int] = []
        for v, visitor in enumerate(problem.visitors):
            want = sorted(set(score[v]) | set(extra))
            for tour in visitor.tours:
                r = len(self.tour_visitor)
                self.tour_visitor.append(v)
                base = _floor(tour.from_ / h)
                length = _ceil(tour.to / h) - base + 1
                first = min((T(tour.start, loc[j]) for j in range(ns)), default=0.0)
                last = min((T(loc[j], tour.end) for j in range(ns)), default=0.0)
                cands = []
                for s in want:
                    if problem.stands[s].max_visits == 0:
                        continue
                    d = problem.stands[s].visit_duration
                    early = tour.from_ + min(T(tour.start, loc[s]), first + d_min + min_in[s])
                    late = tour.to - d - min(T(loc[s], tour.end), min_out[s] + d_min + last)
                    elo, uhi = _ceil(early / h) - base, _ceil(late / h) - base
                    elo, uhi = max(elo, 0), min(uhi, length - 1)
                    if uhi < elo:
                        continue
                    g0 = base - self.origin
                    if not self.open[s, g0 + elo:g0 + uhi + 1].any():
                        continue
                    key = (v, s)
                    if key not in pair_of:
                        pair_of[key] = len(self.pairs)
                        self.pairs.append(key)
                    cands.append((s, elo, uhi, score[v].get(s, 0.0), pair_of[key]))
                if cands:
                    rows.append((r, v, base, length, cands))
        self.num_tours = len(self.tour_visitor)
        self.pair_index = pair_of
        self.pair_value = [score[v].get(s, 0.0) for v, s in self.pairs]
        self.pair_visitor = np.array([v for v, _ in self.pairs], dtype=np.int64)
        self.pair_stand = np.array([s for _, s in self.pairs], dtype=np.int64)
        self.blocks = self._blocks(rows)

    def _blocks(self, rows) -> list[Block]:
        rows.sort(key=lambda x: (x[3], len(x[4])))
        blocks, i = [], 0
        while i < len(rows):
            j = i + 1
            length = rows[i][3]
            width = len(rows[i][4])
            while j < len(rows):
                length2, width2 = max(length, rows[j][3]), max(width, len(rows[j][4]))
                if (j - i + 1) * length2 * width2 > BLOCK_CELLS:
                    break
                length, width = length2, width2
                j += 1
            blocks.append(self._block(rows[i:j], length))
            i = j
        return blocks

    def _block(self, rows, length: int) -> Block:
        ns = self.num_stands
        R = len(rows)
        grid = np.array([[base - self.origin + u for u in range(length)] for _, _, base, _, _ in rows], dtype=np.int64)
        grid = np.clip(grid, 0, self.size - 1)
        keys = sorted({(int(self.a[s]), int(self.b[s])) for *_, cands in rows for s, *_ in cands})
        groups = []
        steps = np.arange(length)
        for a, b in keys:
            per = [[c for c in cands if self.a[c[0]] == a and self.b[c[0]] == b] for *_, cands in rows]
            K = max(len(p) for p in per)
            stand = np.full((R, K), ns, dtype=np.int64)
            pair = np.zeros((R, K), dtype=np.int64)
            value = np.zeros((R, K))
            elo = np.full((R, K), length, dtype=np.int64)
            uhi = np.full((R, K), -1, dtype=np.int64)
            for i, p in enumerate(per):
                for k, (s, lo, hi, val, pid) in enumerate(p):
                    stand[i, k], pair[i, k], value[i, k], elo[i, k], uhi[i, k] = s, pid, val, lo, hi
            flat = stand[:, None, :] * self.size + grid[:, :, None]
            blocked = ~self.open.ravel()[flat]
            blocked |= (steps[None, :, None] < elo[:, None, :]) | (steps[None, :, None] > uhi[:, None, :])
            groups.append(Group(a, b, stand, pair, value, blocked, flat))
        return Block(np.array([r for r, *_ in rows], dtype=np.int64),
                     np.array([v for _, v, *_ in rows], dtype=np.int64), grid, length, groups)

    # ------------------------------------------------------------------ capacity instants
    def instants(self, s: int, u: int) -> range:
        """Indices (k - k0_s) of the capacity instants a visit of ``s`` at absolute grid index ``u`` covers."""
        q, k0 = int(self.q[s]), int(self.k0[s])
        lo, hi = u + self.origin, u + self.origin + int(self.a[s]) - 1
        return range(-(-lo // q) - k0, hi // q - k0 + 1)

    def capacity_cost(self, pi: np.ndarray) -> np.ndarray:
        """(stands + 1, grid) cost of a visit starting at each step, from the instants' duals ``pi`` (stands, K)."""
        ns = self.num_stands
        cost = np.zeros((ns + 1, self.size))
        if ns == 0 or not pi.any():
            return cost
        cum = np.zeros((ns, pi.shape[1] + 1))
        np.cumsum(pi, axis=1, out=cum[:, 1:])
        u = np.arange(self.size)[None, :] + self.origin
        q, k0, a = self.q[:, None], self.k0[:, None], self.a[:, None]
        lo = np.clip(-(-u // q) - k0, 0, pi.shape[1])
        hi = np.clip(((u + a - 1) // q) - k0 + 1, 0, pi.shape[1])
        cost[:ns] = np.take_along_axis(cum, hi, axis=1) - np.take_along_axis(cum, np.maximum(lo, 0), axis=1)
        return cost

    # ------------------------------------------------------------------ pricing
    def price(self, mu: np.ndarray, lam: np.ndarray, sigma: np.ndarray, pi: np.ndarray,
              want_route=None) -> Priced:
        """The best relaxed route of every tour when a visit of stand s by visitor v at step U earns
        ``value - mu[pair] - lam[v] - sigma[s] - capacity cost(s, U)``; ``want_route(tour, value)`` says
        which tours' routes to rebuild (none if None)."""
        cost = self.capacity_cost(pi)
        sig = np.append(sigma, 0.0)
        values = np.zeros(self.num_tours)
        routes: dict[int, list[tuple[int, int, int]]] = {}
        for blk in self.blocks:
            R, L = len(blk.tours), blk.length
            amax = max(g.a for g in blk.groups)
            pad = max(g.a + g.b for g in blk.groups)
            best = []
            flat_cost = cost.ravel()
            for g in blk.groups:
                base = g.value - mu[g.pair] - lam[blk.visitor][:, None] - sig[g.stand]
                prof = base[:, None, :] - flat_cost.take(g.flat)  # (R, L, K)
                np.copyto(prof, -np.inf, where=g.blocked)
                k = prof.argmax(axis=2)  # (R, L)
                best.append((g, np.take_along_axis(prof, k[:, :, None], axis=2)[:, :, 0], k))
            # G[:, pad + e]: best value of a route whose last visit ends by step e (0 before the tour)
            G = np.zeros((R, pad + L + amax + 1))
            choice = np.full((R, L + amax + 1), -1, dtype=np.int64)
            for e in range(1, L + amax + 1):
                cur = G[:, pad + e - 1].copy()
                pick = choice[:, e]
                for gi, (g, m, _) in enumerate(best):
                    u = e - g.a
                    if 0 <= u < L:
                        cand = G[:, pad + u - g.b] + m[:, u]
                        better = cand > cur
                        if better.any():
                            np.copyto(cur, cand, where=better)
                            pick[better] = gi
                G[:, pad + e] = cur
            final = G[:, -1]
            values[blk.tours] = np.maximum(final, 0.0)
            if want_route is None:
                continue
            # last[i, e]: the latest step <= e that ends a visit (-1: none), to skip the waits at once
            steps = np.where(choice >= 0, np.arange(L + amax + 1)[None, :], -1)
            last = np.maximum.accumulate(steps, axis=1)
            for i, r in enumerate(blk.tours.tolist()):
                if final[i] <= 0 or not want_route(r, final[i]):
                    continue
                route, e = [], int(last[i, L + amax])
                row_choice, row_last = choice[i], last[i]
                while e > 0:
                    g, _, k = best[row_choice[e]]
                    u = e - g.a
                    kk = k[i, u]
                    route.append((int(g.stand[i, kk]), int(blk.grid[i, u]), int(g.pair[i, kk])))
                    e = int(row_last[u - g.b]) if u - g.b >= 0 else -1
                routes[r] = route[::-1]
        return Priced(values, routes)
