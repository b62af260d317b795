"""Construction and large neighbourhood search driving an :class:`Engine`.

:func:`new_search` builds both for a model: the one way :func:`routing.solve`, a
helper process and the greedy baseline start.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from typing import Callable

from .codes import Ranking, VisitCode
from .engine import Engine
from .model import IntModel
from .params import SearchParams


def new_search(model: IntModel, *, seed: int, params: SearchParams | None = None) -> Search:
    """An engine for ``model`` with its locked visits in place, and the search that drives it.

    Raises :class:`routing.engine.LockedInfeasible` if the locked visits cannot all hold.
    """
    eng = Engine(model, seed)
    eng.place_locked()
    return Search(eng, SearchParams() if params is None else params)


class Search:
    def __init__(self, eng: Engine, params: SearchParams):
        self.engine = eng
        m = eng.model
        self.model = m
        self.rng = eng.rng
        self.params = params
        few = m.num_tours <= params.few_tours
        nt = m.num_tours
        self.tours_of_stand: list[list[int]] = [[] for _ in range(m.num_stands)]
        for r in sorted(range(nt), key=lambda r: m.tour_from[r]):
            for s in m.candidates[r]:
                self.tours_of_stand[s].append(r)
        self.tour_starts_of_stand = [[m.tour_from[r] for r in lst] for lst in self.tours_of_stand]
        self.max_tour_length = max((m.tour_to[r] - m.tour_from[r] for r in range(nt)), default=0)
        # a few nearest stands by travel time, for related removals
        self.near: list[list[int]] = []
        if not few:
            locs = m.location
            for s in range(m.num_stands):
                row = m.travel[locs[s]]
                order = sorted(range(m.num_stands), key=lambda x: row[locs[x]])
                self.near.append(order[:params.near_stands])
        scores = [x for d in m.score for x in d.values()]
        self.mean_gain = (sum(scores) / len(scores)) if scores else 1.0
        if m.shortfall_penalty:
            self.mean_gain = max(self.mean_gain, m.shortfall_penalty)
        self.iterations = 0
        # few tours (TOPTW-like): ruins of strings, related or random visits, a lenient
        # acceptance, and a restart that rebuilds most of the best plan (see SearchParams)
        self.few_tours = few
        self.restart_after = params.restart_after_few_tours if few else params.restart_after_many_tours
        self.kick: tuple[float, float] | None = params.kick_few_tours if few else params.kick_many_tours
        self.accept = params.accept_few_tours if few else params.accept_many_tours

    # -------------------------------------------------------------- construct

    def construct(self, deadline: float = float("inf"), should_stop=lambda: False) -> None:
        """Keep what can be kept of ``previous``, then build greedily."""
        m, eng = self.model, self.engine
        self.keep_previous()
        if m.num_tours <= self.params.global_construction_max_tours:
            eng.recreate(range(m.num_tours))
            return
        if self.params.construction == "fcfs":
            self.construct_fcfs(deadline, should_stop)
            self.improve_construction(deadline, should_stop)
            return
        order = sorted(range(m.num_tours), key=lambda r: (m.tour_from[r], r))
        for i, r in enumerate(order):
            if i % 50 == 0 and (time.monotonic() >= deadline or should_stop()):
                return
            eng.recreate([r])

    def improve_construction(self, deadline: float, should_stop) -> None:
        """Rebuild the free visits by global best-ratio insertion over all tours; keep it if better.

        The first-come-first-served plan gives a safe start; the global greedy,
        which weighs every visitor's claims on a stand at once, is several per
        cent better on crowded summits (19 % on the demo summit). It gets at most
        ``construction_share`` (80 %) of the time left; if the clock cuts it (a
        short time limit, a slow machine), the tours it did not reach are filled
        first come first served, and the result is kept if it is better than the
        first plan.
        """
        m, eng = self.model, self.engine
        nt = m.num_tours
        now = time.monotonic()
        if now >= deadline or should_stop():
            return
        cut = now + self.params.construction_share * (deadline - now)
        first_obj = eng.objective
        first = eng.snapshot(range(nt))
        for r in range(nt):
            ps = [i for i, c in enumerate(eng.codes[r]) if c == VisitCode.FREE]
            if ps:
                eng.remove_positions(r, ps)
        eng.ranking, eng.noise = Ranking.VALUE_SQUARED_PER_TIME, 0.0
        done = eng.recreate(range(nt), stop=lambda: time.monotonic() >= cut or should_stop())
        if not done:
            self.construct_fcfs(deadline, should_stop)  # the tours it did not reach
        if eng.objective <= first_obj:
            eng.restore(first, first_obj)

    def keep_previous(self) -> None:
        """Re-insert the visits of the previous plan at their times where they still fit."""
        m, eng = self.model, self.engine
        for r, s, t in sorted(m.previous_visits, key=lambda x: (x[0], x[2])):
            v = m.tour_visitor[r]
            if s in eng.visited[v] or eng.stand_visits[s] >= m.stand_max[s] or eng.visitor_visits[v] >= m.visitor_max[v]:
                continue
            if eng.gain(v, s, True) <= 0:
                continue
            alt = eng.evaluate_at(r, s, t)
            if alt is not None:
                eng.insert(r, alt[1], s, t, VisitCode.AS_PREVIOUS)

    def construct_fcfs(self, deadline: float = float("inf"), should_stop=lambda: False) -> None:
        """Visitors in registration order; each tour appends the best value-per-minute stand.

        Candidates are scanned by decreasing value per minute of visit (an upper
        bound of their value per minute), so the scan stops early; ties go to
        the lower stand index, as in a plain scan.
        """
        m, eng = self.model, self.engine
        T, loc, dur, cap_rel = m.travel, m.location, m.duration, m.capacity_binds
        smax, vmax, cnt = m.stand_max, m.visitor_max, eng.stand_visits
        for v in range(m.num_visitors):
            if v % 50 == 0 and (time.monotonic() >= deadline or should_stop()):
                return
            sc = m.score[v]
            ub = {s: (sc.get(s, 0.0) + (m.shortfall_penalty if m.stand_min[s] else 0.0)) / dur[s]
                  for r in m.tours_of[v] for s in m.candidates[r]}
            vis = eng.visited[v]
            for r in m.tours_of[v]:
                order = sorted(m.candidates[r], key=lambda s: (-ub[s], s))
                end_loc, to = m.tour_end_loc[r], m.tour_to[r]
                while eng.visitor_visits[v] < vmax[v]:
                    n = len(eng.route[r])
                    prev_end = eng.ends[r][-1] if n else m.tour_from[r]
                    prev_loc = eng.locations[r][-1] if n else m.tour_start_loc[r]
                    bv, bs, bt = -1.0, -1, -1
                    for s in order:
                        if ub[s] < bv:
                            break
                        if s in vis or cnt[s] >= smax[s]:
                            continue
                        arr = prev_end + T[prev_loc][loc[s]]
                        # capacity can only delay the start: try the optimistic value first
                        t = eng.earliest_window_start(s, arr)
                        if t < 0 or t + dur[s] + T[loc[s]][end_loc] > to:
                            continue
                        g = eng.gain(v, s, False)
                        if g <= 0:
                            continue
                        vpm = g / max(t + dur[s] - prev_end, 1)
                        if vpm < bv or (vpm == bv and s > bs):
                            continue
                        if cap_rel[s]:
                            t = eng.earliest_start(s, arr)
                            if t < 0 or t + dur[s] + T[loc[s]][end_loc] > to:
                                continue
                            vpm = g / max(t + dur[s] - prev_end, 1)
                        if vpm > bv or (vpm == bv and s < bs):
                            bv, bs, bt = vpm, s, t
                    if bs < 0 or eng.insert(r, n, bs, bt, VisitCode.FREE) is None:
                        break

    # -------------------------------------------------------------- ruin

    def _removable(self, r: int) -> list[int]:
        return [i for i, c in enumerate(self.engine.codes[r]) if c != VisitCode.LOCKED_AT_TIME]

    def ruin(self) -> tuple[list[int], dict[int, list[int]]]:
        """Choose the tours to rebuild and the positions to remove in each."""
        m, eng, rng, params = self.model, self.engine, self.rng, self.params
        nt = m.num_tours
        plan: dict[int, list[int]] = {}
        if self.few_tours:
            return list(range(nt)), self._ruin_few(plan)
        op = rng.random()
        if op < params.p_ruin_tours:
            tours = set()
            for _ in range(rng.randint(1, params.ruin_max_tours)):
                r = rng.randrange(nt)
                tours.add(r)
                pos = self._removable(r)
                if pos:
                    k = rng.randint(1, len(pos))
                    a = rng.randrange(len(pos) - k + 1)
                    plan[r] = pos[a:a + k]
            # others who like the freed stands may take them
            freed = [eng.route[r][i] for r, ps in plan.items() for i in ps]
            for s in freed[:params.freed_stands_followed]:
                lst = self.tours_of_stand[s]
                for _ in range(params.tours_per_freed_stand):
                    if lst:
                        tours.add(lst[rng.randrange(len(lst))])
            return list(tours), plan
        if op < params.p_ruin_tours + params.p_ruin_slot:
            return self._swap(plan)
        return self._related(plan)

    def _ruin_few(self, plan):
        """Ruins for a few tours (orienteering-like): strings, related visits, random visits."""
        m, eng, rng, params = self.model, self.engine, self.rng, self.params
        nt = m.num_tours
        visits = [(r, i) for r in range(nt) for i in self._removable(r)]
        if not visits:
            return plan
        total = len(visits)
        q = min(total, 1 + int(rng.random() ** params.ruin_power
                               * max(params.ruin_max_share * total, min(total, params.ruin_min_visits))))
        op = rng.random()
        if op < params.p_string:
            # one string per tour, or all tours
            routes = range(nt) if rng.random() < params.p_all_tours else rng.sample(range(nt), rng.randint(1, nt))
            frac = q / total
            for r in routes:
                pos = self._removable(r)
                if not pos:
                    continue
                k = min(len(pos), max(1, int(round(len(pos) * frac))))
                a = rng.randrange(len(pos) - k + 1)
                plan[r] = pos[a:a + k]
            return plan
        if op < params.p_string + params.p_related_visits:
            # visits close in space and time to a random one, over all tours
            r0, i0 = visits[rng.randrange(total)]
            s0, t0 = eng.route[r0][i0], eng.starts[r0][i0]
            row = m.travel[m.location[s0]]
            w = rng.choice(params.related_time_weights)
            key = sorted(visits, key=lambda x: row[m.location[eng.route[x[0]][x[1]]]] + w * abs(eng.starts[x[0]][x[1]] - t0))
            chosen = key[:q]
        else:
            chosen = rng.sample(visits, q)
        for r, i in chosen:
            plan.setdefault(r, []).append(i)
        return plan

    def _random_visit(self):
        """(tour, stand, start) of a random visit; after ten empty tours, just the last tour drawn."""
        eng, rng = self.engine, self.rng
        for _ in range(10):
            r0 = rng.randrange(self.model.num_tours)
            if eng.route[r0]:
                break
        else:
            return r0
        i0 = rng.randrange(len(eng.route[r0]))
        return r0, eng.route[r0][i0], eng.starts[r0][i0]

    def _swap(self, plan):
        """Free a busy stand slot and let other interested tours compete for it."""
        m, eng, rng, params = self.model, self.engine, self.rng, self.params
        picked = self._random_visit()
        if isinstance(picked, int):
            return [picked], {}
        r0, s0, t0 = picked
        d = m.duration[s0]
        tours = set()
        for r in eng.tours_at_stand[s0]:
            i = eng.route[r].index(s0)
            if abs(eng.starts[r][i] - t0) <= params.slot_width * d and eng.codes[r][i] != VisitCode.LOCKED_AT_TIME:
                plan[r] = [i]
                tours.add(r)
        lst, starts = self.tours_of_stand[s0], self.tour_starts_of_stand[s0]
        a = bisect_left(starts, t0 - self.max_tour_length)
        b = bisect_right(starts, t0 + d)
        active = [r for r in lst[a:b] if m.tour_to[r] >= t0 and r not in tours]
        slack = rng.randint(0, params.slot_max_slack) * d
        for r in rng.sample(active, min(len(active), rng.randint(1, params.slot_max_tours))):
            ps = [i for i, (t, c, st) in enumerate(zip(eng.starts[r], eng.codes[r], eng.route[r]))
                  if c != VisitCode.LOCKED_AT_TIME and t < t0 + d + slack and t + m.duration[st] > t0 - slack]
            if ps:
                plan[r] = ps
            tours.add(r)
        return list(tours), plan

    def _related(self, plan):
        m, eng, rng, params = self.model, self.engine, self.rng, self.params
        # related removal: stands near a random visit, around its time
        picked = self._random_visit()
        if isinstance(picked, int):
            return [picked], {}
        r0, s0, t0 = picked
        width = rng.uniform(*params.related_hours) * 60 * m.scale if m.scale else 60
        stands = self.near[s0][:rng.randint(1, params.related_max_stands)] if self.near else [s0]
        tours = {r0}
        for s in stands:
            for r in list(eng.tours_at_stand[s]):
                st = eng.route[r]
                i = st.index(s)
                if eng.codes[r][i] != VisitCode.LOCKED_AT_TIME and abs(eng.starts[r][i] - t0) <= width:
                    plan.setdefault(r, []).append(i)
                    tours.add(r)
            lst = self.tours_of_stand[s]
            for _ in range(params.tours_per_related_stand):
                if lst:
                    r = lst[rng.randrange(len(lst))]
                    if m.tour_from[r] <= t0 + width and m.tour_to[r] >= t0 - width:
                        tours.add(r)
        if len(tours) > params.related_max_tours:
            tours = set(rng.sample(sorted(tours), params.related_max_tours)) | {r0}
            plan = {r: ps for r, ps in plan.items() if r in tours}
        return list(tours), plan

    def _put_back(self, r: int, s: int) -> bool:
        """Make the locked-without-time stand s part of tour r again (after a recreate)."""
        eng = self.engine
        if s in eng.visited[self.model.tour_visitor[r]]:
            if s not in eng.route[r]:
                return False  # taken on another tour of the visitor
            eng.codes[r][eng.route[r].index(s)] = VisitCode.LOCKED_ON_TOUR  # the recreate put it back by itself
            return True
        return eng.insert_locked_on_tour(r, s)

    def _kick(self) -> list[int]:
        """Rebuild a random share (``self.kick``) of the free visits, noisily; the tours changed."""
        m, eng, rng = self.model, self.engine, self.rng
        visits = [(r, i) for r in range(m.num_tours) for i, c in enumerate(eng.codes[r])
                  if c in (VisitCode.FREE, VisitCode.AS_PREVIOUS)]
        if not visits:
            return []
        plan: dict[int, list[int]] = {}
        for r, i in rng.sample(visits, max(1, int(len(visits) * rng.uniform(*self.kick)))):
            plan.setdefault(r, []).append(i)
        freed = {eng.route[r][i] for r, ps in plan.items() for i in ps}
        for r, ps in plan.items():
            eng.remove_positions(r, ps)
        eng.noise, eng.ranking = self.params.kick_noise, rng.choice(self.params.kick_rankings)
        eng.recreate(range(m.num_tours), set(plan), freed)
        return list(range(m.num_tours))

    # -------------------------------------------------------------- main loop

    def run(self, *, work_budget: int, deadline: float, should_stop: Callable[[], bool],
            on_improve: Callable[[float], None] | None = None,
            upper: Callable[[], float | None] | None = None) -> None:
        """Ruin and recreate until the work budget, the deadline or a stop; ``upper()``
        gives the bound known so far (or None): the search ends if it reaches it."""
        eng, rng, params = self.engine, self.rng, self.params
        nt = self.model.num_tours
        best_obj = eng.objective
        best = eng.snapshot(range(nt))
        dirty: set[int] = set()
        since_best = 0
        restart_after = self.restart_after
        thr0 = self.mean_gain * self.accept
        if not any(self.model.candidates):
            return  # nothing can ever be inserted
        start = time.monotonic()
        span = max(deadline - start, 1e-3)
        while True:
            now = time.monotonic()
            if eng.work >= work_budget or should_stop() or now >= deadline:
                break
            if upper is not None:
                ub = upper()
                if ub is not None and best_obj >= ub - 1e-9:
                    break
            self.iterations += 1
            eng.work += 500
            # Progress through the run: the work done, or the time spent on a machine
            # too busy to do that work in time (only then does the clock decide).
            frac = min(1.0, max(eng.work / work_budget, (now - start) / span))
            tours, plan = self.ruin()
            snap = eng.snapshot(tours)
            old = eng.objective
            freed = {eng.route[r][i] for r, ps in plan.items() for i in ps}
            # locked visits without a time may move, but only within their own tour
            loose = [(r, eng.route[r][i]) for r, ps in plan.items() for i in ps if eng.codes[r][i] == VisitCode.LOCKED_ON_TOUR]
            for r, ps in plan.items():
                eng.remove_positions(r, ps)
            # put them back first, or (half the time) after the others, to let them
            # give up their place; if one no longer fits, the move is undone
            loose_first = bool(loose) and rng.random() < params.p_loose_first
            if loose_first and not all(eng.insert_locked_on_tour(r, s) for r, s in loose):
                eng.restore(snap, old)
                continue
            eng.noise = rng.choice(params.noise_levels)
            x = rng.random()
            eng.ranking = (Ranking.VALUE_SQUARED_PER_TIME if x < params.ranking_cutoffs[0]
                           else Ranking.VALUE_PER_TIME if x < params.ranking_cutoffs[1] else Ranking.VALUE)
            eng.recreate(tours, set(plan), freed)
            if loose and not loose_first and not all(self._put_back(r, s) for r, s in loose):
                eng.restore(snap, old)
                continue
            new = eng.objective
            if new > best_obj + 1e-9:
                dirty.update(tours)
                best.update(eng.snapshot(dirty))
                dirty.clear()
                best_obj = new
                since_best = 0
                if on_improve:
                    on_improve(best_obj)
                continue
            since_best += 1
            thr = thr0 * (1.0 - frac)
            if new >= old - thr * rng.random():
                dirty.update(tours)
            else:
                eng.restore(snap, old)
            if since_best >= restart_after and dirty:
                eng.restore({r: best[r] for r in dirty}, best_obj)
                dirty.clear()
                since_best = 0
                if self.kick:
                    dirty.update(self._kick())
        if dirty:
            eng.restore({r: best[r] for r in dirty}, best_obj)
