"""The ruin-and-recreate search that improves the plan held by an :class:`Engine`.

:func:`new_search` builds the engine and its search for a model: the one way
:func:`routing.solve`, a helper process (:mod:`routing.parallel`) and the greedy
baseline (:mod:`routing.greedy`) start. :meth:`Search.construct` makes the first
plan (:mod:`routing.construct`), :meth:`Search.run` improves it: each iteration takes
out visits (:mod:`routing.ruin`), puts visits back best ratio first (the engine's
recreate), and keeps the result if it is better, or not much worse early in the run.
"""

from __future__ import annotations

import time
from typing import Callable

from .codes import Ranking, VisitCode
from .construct import construct, never
from .engine import Engine, RequiredInfeasible
from .model import IntModel
from .params import SearchParams
from .ruin import Ruins


def new_search(model: IntModel, *, seed: int, params: SearchParams | None = None) -> Search:
    """An engine for ``model`` with its locked and required visits in place, and the search that drives it.

    Raises :class:`routing.engine.LockedInfeasible` if the locked visits cannot all hold, and
    :class:`routing.engine.RequiredInfeasible` if the required visits found no room around them.
    """
    engine = Engine(model, seed)
    engine.place_locked()
    missing = engine.place_required()
    if missing:
        raise RequiredInfeasible(missing)
    return Search(engine, SearchParams() if params is None else params)


class Search:
    def __init__(self, engine: Engine, params: SearchParams):
        self.engine = engine
        m = self.model = engine.model
        self.rng = engine.rng
        self.params = params
        self.ruins = Ruins(engine, params)
        few = self.ruins.few_tours
        # acceptance: a worse plan may be kept if it loses less than a share of the mean gain
        scores = [x for d in m.score for x in d.values()]
        self.mean_gain = (sum(scores) / len(scores)) if scores else 1.0
        if m.shortfall_penalty:
            self.mean_gain = max(self.mean_gain, m.shortfall_penalty)
        self.accept = params.accept_few_tours if few else params.accept_many_tours
        self.restart_after = params.restart_after_few_tours if few else params.restart_after_many_tours
        self.iterations = 0
        #: While :meth:`run` searches: the best plan so far, per tour (route, starts, codes), and its objective.
        self.best: dict[int, tuple[list[int], list[int], list]] | None = None
        self.best_objective = float("-inf")

    def best_plan(self) -> tuple[list[list[int]], list[list[int]]] | None:
        """The stands and scaled starts of every tour of the best plan of the run so far (None before
        :meth:`run`); read between iterations, as ``should_stop`` is called."""
        if self.best is None:
            return None
        return ([self.best[r][0] for r in range(self.model.num_tours)],
                [self.best[r][1] for r in range(self.model.num_tours)])

    def construct(self, deadline: float = float("inf"), should_stop: Callable[[], bool] = never,
                  first_plan: Callable[[], None] | None = None) -> None:
        """The first plan (see :func:`routing.construct.construct`)."""
        construct(self.engine, self.params, deadline, should_stop, first_plan)

    def _put_back(self, r: int, s: int) -> bool:
        """Make the locked-without-time stand s part of tour r again (after a recreate)."""
        engine = self.engine
        if s in engine.visited[self.model.tour_visitor[r]]:
            if s not in engine.route[r]:
                return False  # taken on another tour of the visitor
            engine.codes[r][engine.route[r].index(s)] = VisitCode.LOCKED_ON_TOUR  # the recreate put it back by itself
            return True
        return engine.insert_locked_on_tour(r, s)

    def run(self, *, work_budget: int, deadline: float, should_stop: Callable[[], bool],
            on_improve: Callable[[float], None] | None = None,
            upper: Callable[[], float | None] | None = None) -> None:
        """Ruin and recreate until the work budget, the deadline or a stop; ``upper()``
        gives the bound known so far (or None): the search ends if it reaches it.

        A plan worse than the current one is kept if it loses less than ``accept *
        mean_gain * random()``, that threshold shrinking to 0 over the run; after
        ``restart_after`` iterations without a new best, the search goes back to the
        best plan (and, with a kick share, rebuilds much of it at random)."""
        engine, rng, params, m = self.engine, self.rng, self.params, self.model
        num_tours = m.num_tours
        required_pairs = engine.required_pairs
        best_objective = engine.objective
        best = self.best = engine.snapshot(range(num_tours))
        self.best_objective = best_objective
        dirty: set[int] = set()
        since_best = 0
        restart_after = self.restart_after
        threshold0 = self.mean_gain * self.accept
        if not any(self.model.candidates):
            return  # nothing can ever be inserted
        start = time.monotonic()
        span = max(deadline - start, 1e-3)
        while True:
            now = time.monotonic()
            if engine.work >= work_budget or should_stop() or now >= deadline:
                break
            if upper is not None:
                bound = upper()
                if bound is not None and best_objective >= bound - 1e-9:
                    break
            self.iterations += 1
            engine.work += 500  # an iteration's own overhead, in work units like the engine's counts
            # Progress through the run: the work done, or the time spent on a machine
            # too busy to do that work in time (only then does the clock decide).
            progress = min(1.0, max(engine.work / work_budget, (now - start) / span))
            tours, plan = self.ruins.choose()
            # required visits may move to any tour of their visitor: those tours are rebuilt (and undone) too
            required = [(m.tour_visitor[r], engine.route[r][i]) for r, positions in plan.items() for i in positions
                        if (m.tour_visitor[r], engine.route[r][i]) in required_pairs] if required_pairs else ()
            if required:
                tours = list(set(tours).union(*(m.tours_of[v] for v, _ in required)))
            before = engine.snapshot(tours)
            old_objective = engine.objective
            freed = {engine.route[r][i] for r, positions in plan.items() for i in positions}
            # locked visits without a time may move, but only within their own tour
            on_tour = [(r, engine.route[r][i]) for r, positions in plan.items() for i in positions
                       if engine.codes[r][i] == VisitCode.LOCKED_ON_TOUR]
            for r, positions in plan.items():
                engine.remove_positions(r, positions)
            # put them back first, or (half the time) after the others, to let them
            # give up their place; if one no longer fits, the move is undone
            first = bool(on_tour or required) and rng.random() < params.p_locked_first
            if first and not (all(engine.insert_locked_on_tour(r, s) for r, s in on_tour)
                              and all(engine.insert_required(v, s) for v, s in required)):
                engine.restore(before, old_objective)
                continue
            engine.noise = rng.choice(params.noise_levels)
            x = rng.random()
            engine.ranking = (Ranking.VALUE_SQUARED_PER_TIME if x < params.ranking_cutoffs[0]
                              else Ranking.VALUE_PER_TIME if x < params.ranking_cutoffs[1] else Ranking.VALUE)
            engine.recreate(tours, set(plan), freed)
            if not first and not (all(self._put_back(r, s) for r, s in on_tour)
                                  and all(engine.insert_required(v, s) for v, s in required)):
                engine.restore(before, old_objective)
                continue
            new_objective = engine.objective
            if new_objective > best_objective + 1e-9:
                dirty.update(tours)
                best.update(engine.snapshot(dirty))
                dirty.clear()
                best_objective = self.best_objective = new_objective
                since_best = 0
                if on_improve:
                    on_improve(best_objective)
                continue
            since_best += 1
            threshold = threshold0 * (1.0 - progress)
            if new_objective >= old_objective - threshold * rng.random():
                dirty.update(tours)
            else:
                engine.restore(before, old_objective)
            if since_best >= restart_after and dirty:
                engine.restore({r: best[r] for r in dirty}, best_objective)
                dirty.clear()
                since_best = 0
                if self.ruins.kick_share:
                    dirty.update(self.ruins.kick())
        if dirty:
            engine.restore({r: best[r] for r in dirty}, best_objective)
