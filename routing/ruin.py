"""The ruins of the search: which tours to rebuild, and which of their visits to take out.

:meth:`Ruins.choose` draws one ruin per iteration; :meth:`Ruins.kick` rebuilds a large
share of the plan when the search restarts. A ruin is ``(tours, plan)``: the tours the
recreate may insert into, and ``plan``, tour -> positions of the visits to remove.
Visits locked at a time are never taken out; a ruin may take out a required visit (the search puts it
back or undoes the step), the kick does not. All draws come from the engine's ``rng``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .codes import VisitCode
from .engine import Engine
from .params import SearchParams

Ruin = tuple[list[int], dict[int, list[int]]]


class Ruins:
    def __init__(self, engine: Engine, params: SearchParams):
        self.engine = engine
        self.rng = engine.rng
        self.params = params
        m = self.model = engine.model
        num_tours = m.num_tours
        # few tours (orienteering-like): strings, related or random visits over all tours
        self.few_tours = num_tours <= params.few_tours
        self.kick_share = params.kick_few_tours if self.few_tours else params.kick_many_tours
        # per stand, the tours that could visit it (by start) and their starts
        self.tours_of_stand: list[list[int]] = [[] for _ in range(m.num_stands)]
        for r in sorted(range(num_tours), key=lambda r: m.tour_from[r]):
            for s in m.candidates[r]:
                self.tours_of_stand[s].append(r)
        self.tour_starts_of_stand = [[m.tour_from[r] for r in tours] for tours in self.tours_of_stand]
        self.max_tour_length = max((m.tour_to[r] - m.tour_from[r] for r in range(num_tours)), default=0)
        # a few nearest stands by travel time, for related removals
        self.near: list[list[int]] = []
        if not self.few_tours:
            location = m.location
            for s in range(m.num_stands):
                row = m.travel[location[s]]
                order = sorted(range(m.num_stands), key=lambda x: row[location[x]])
                self.near.append(order[:params.near_stands])

    def _removable(self, r: int) -> list[int]:
        return [i for i, c in enumerate(self.engine.codes[r]) if c != VisitCode.LOCKED_AT_TIME]

    def choose(self) -> Ruin:
        """One ruin: for few tours, :meth:`_few_tours`; else tour segments, a stand slot or related visits."""
        m, engine, rng, params = self.model, self.engine, self.rng, self.params
        num_tours = m.num_tours
        plan: dict[int, list[int]] = {}
        if self.few_tours:
            return list(range(num_tours)), self._few_tours(plan)
        op = rng.random()
        if op < params.p_ruin_tours:
            tours = set()
            for _ in range(rng.randint(1, params.ruin_max_tours)):
                r = rng.randrange(num_tours)
                tours.add(r)
                removable = self._removable(r)
                if removable:
                    k = rng.randint(1, len(removable))
                    a = rng.randrange(len(removable) - k + 1)
                    plan[r] = removable[a:a + k]
            # others who like the freed stands may take them
            freed = [engine.route[r][i] for r, positions in plan.items() for i in positions]
            for s in freed[:params.freed_stands_followed]:
                candidates = self.tours_of_stand[s]
                for _ in range(params.tours_per_freed_stand):
                    if candidates:
                        tours.add(candidates[rng.randrange(len(candidates))])
            return list(tours), plan
        if op < params.p_ruin_tours + params.p_ruin_slot:
            return self._slot(plan)
        return self._related(plan)

    def _few_tours(self, plan):
        """Ruins for a few tours (orienteering-like): strings, related visits, random visits."""
        m, engine, rng, params = self.model, self.engine, self.rng, self.params
        num_tours = m.num_tours
        visits = [(r, i) for r in range(num_tours) for i in self._removable(r)]
        if not visits:
            return plan
        total = len(visits)
        q = min(total, 1 + int(rng.random() ** params.ruin_power
                               * max(params.ruin_max_share * total, min(total, params.ruin_min_visits))))
        op = rng.random()
        if op < params.p_string:
            # one string per tour, or all tours
            cut = (range(num_tours) if rng.random() < params.p_all_tours
                   else rng.sample(range(num_tours), rng.randint(1, num_tours)))
            share = q / total
            for r in cut:
                removable = self._removable(r)
                if not removable:
                    continue
                k = min(len(removable), max(1, int(round(len(removable) * share))))
                a = rng.randrange(len(removable) - k + 1)
                plan[r] = removable[a:a + k]
            return plan
        if op < params.p_string + params.p_related_visits:
            # visits close in space and time to a random one, over all tours
            r0, i0 = visits[rng.randrange(total)]
            s0, t0 = engine.route[r0][i0], engine.starts[r0][i0]
            row = m.travel[m.location[s0]]
            w = rng.choice(params.related_time_weights)
            by_closeness = sorted(visits, key=lambda x: row[m.location[engine.route[x[0]][x[1]]]]
                                  + w * abs(engine.starts[x[0]][x[1]] - t0))
            chosen = by_closeness[:q]
        else:
            chosen = rng.sample(visits, q)
        for r, i in chosen:
            plan.setdefault(r, []).append(i)
        return plan

    def _random_visit(self):
        """(tour, stand, start) of a random visit; after ten empty tours, just the last tour drawn."""
        engine, rng = self.engine, self.rng
        for _ in range(10):
            r0 = rng.randrange(self.model.num_tours)
            if engine.route[r0]:
                break
        else:
            return r0
        i0 = rng.randrange(len(engine.route[r0]))
        return r0, engine.route[r0][i0], engine.starts[r0][i0]

    def _slot(self, plan):
        """Free a busy stand slot and let other interested tours compete for it."""
        m, engine, rng, params = self.model, self.engine, self.rng, self.params
        picked = self._random_visit()
        if isinstance(picked, int):
            return [picked], {}
        r0, s0, t0 = picked
        d = m.duration[s0]
        tours = set()
        for r in engine.tours_at_stand[s0]:
            i = engine.route[r].index(s0)
            if (abs(engine.starts[r][i] - t0) <= params.slot_width * d
                    and engine.codes[r][i] != VisitCode.LOCKED_AT_TIME):
                plan[r] = [i]
                tours.add(r)
        candidates, starts = self.tours_of_stand[s0], self.tour_starts_of_stand[s0]
        a = bisect_left(starts, t0 - self.max_tour_length)
        b = bisect_right(starts, t0 + d)
        active = [r for r in candidates[a:b] if m.tour_to[r] >= t0 and r not in tours]
        slack = rng.randint(0, params.slot_max_slack) * d
        for r in rng.sample(active, min(len(active), rng.randint(1, params.slot_max_tours))):
            positions = [i for i, (t, c, s) in enumerate(zip(engine.starts[r], engine.codes[r], engine.route[r]))
                         if c != VisitCode.LOCKED_AT_TIME and t < t0 + d + slack and t + m.duration[s] > t0 - slack]
            if positions:
                plan[r] = positions
            tours.add(r)
        return list(tours), plan

    def _related(self, plan):
        """Take out the visits at stands near a random visit, around its time."""
        m, engine, rng, params = self.model, self.engine, self.rng, self.params
        picked = self._random_visit()
        if isinstance(picked, int):
            return [picked], {}
        r0, s0, t0 = picked
        width = rng.uniform(*params.related_hours) * 60 * m.scale if m.scale else 60
        stands = self.near[s0][:rng.randint(1, params.related_max_stands)] if self.near else [s0]
        tours = {r0}
        for s in stands:
            for r in list(engine.tours_at_stand[s]):
                i = engine.route[r].index(s)
                if engine.codes[r][i] != VisitCode.LOCKED_AT_TIME and abs(engine.starts[r][i] - t0) <= width:
                    plan.setdefault(r, []).append(i)
                    tours.add(r)
            candidates = self.tours_of_stand[s]
            for _ in range(params.tours_per_related_stand):
                if candidates:
                    r = candidates[rng.randrange(len(candidates))]
                    if m.tour_from[r] <= t0 + width and m.tour_to[r] >= t0 - width:
                        tours.add(r)
        if len(tours) > params.related_max_tours:
            tours = set(rng.sample(sorted(tours), params.related_max_tours)) | {r0}
            plan = {r: positions for r, positions in plan.items() if r in tours}
        return list(tours), plan

    def kick(self) -> list[int]:
        """Rebuild a random share (``kick_share``) of the free visits (not the required ones), noisily; the tours
        changed."""
        m, engine, rng = self.model, self.engine, self.rng
        required = engine.required_pairs
        visits = [(r, i) for r in range(m.num_tours) for i, c in enumerate(engine.codes[r])
                  if c in (VisitCode.FREE, VisitCode.AS_PREVIOUS)
                  and not (required and (m.tour_visitor[r], engine.route[r][i]) in required)]
        if not visits:
            return []
        plan: dict[int, list[int]] = {}
        for r, i in rng.sample(visits, max(1, int(len(visits) * rng.uniform(*self.kick_share)))):
            plan.setdefault(r, []).append(i)
        freed = {engine.route[r][i] for r, positions in plan.items() for i in positions}
        for r, positions in plan.items():
            engine.remove_positions(r, positions)
        engine.noise, engine.ranking = self.params.kick_noise, rng.choice(self.params.kick_rankings)
        engine.recreate(range(m.num_tours), set(plan), freed)
        return list(range(m.num_tours))
