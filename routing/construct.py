"""The first plan: keep what can be kept of ``previous``, then build greedily.

Functions on an :class:`routing.engine.Engine` (with its locked visits already placed);
``deadline`` is a :func:`time.monotonic` instant, ``should_stop()`` asks to stop now.
Every state they leave is a feasible plan.
"""

from __future__ import annotations

import time
from typing import Callable

from .codes import Ranking, VisitCode
from .engine import Engine
from .params import SearchParams


def never() -> bool:
    return False


def construct(engine: Engine, params: SearchParams, deadline: float = float("inf"),
              should_stop: Callable[[], bool] = never, first_plan: Callable[[], None] | None = None) -> None:
    """Keep what can be kept of ``previous``, then build greedily.

    Up to ``params.global_construction_max_tours`` tours (the orienteering benchmark),
    one global best-ratio insertion over all tours; else first come first served, then
    :func:`improve_construction` (or, with ``construction="tour_order"``, one tour at a
    time by start). ``first_plan()`` is called once the first come first served plan is
    built, before the longer rebuild (a caller may save it).
    """
    m = engine.model
    keep_previous(engine)
    if m.num_tours <= params.global_construction_max_tours:
        engine.recreate(range(m.num_tours))
        return
    if params.construction == "fcfs":
        construct_fcfs(engine, deadline, should_stop)
        if first_plan is not None:
            first_plan()
        improve_construction(engine, params, deadline, should_stop)
        return
    order = sorted(range(m.num_tours), key=lambda r: (m.tour_from[r], r))
    for i, r in enumerate(order):
        if i % 50 == 0 and (time.monotonic() >= deadline or should_stop()):
            return
        engine.recreate([r])


def improve_construction(engine: Engine, params: SearchParams, deadline: float,
                         should_stop: Callable[[], bool]) -> None:
    """Rebuild the free visits by global best-ratio insertion over all tours; keep it if better.

    The first-come-first-served plan gives a safe start; the global greedy,
    which weighs every visitor's claims on a stand at once, is several per
    cent better on crowded summits (19 % on the demo summit). It gets at most
    ``construction_share`` (80 %) of the time left; if the clock cuts it (a
    short time limit, a slow machine), the tours it did not reach are filled
    first come first served, and the result is kept if it is better than the
    first plan.
    """
    num_tours = engine.model.num_tours
    now = time.monotonic()
    if now >= deadline or should_stop():
        return
    cut = now + params.construction_share * (deadline - now)
    first_objective = engine.objective
    first = engine.snapshot(range(num_tours))
    required, tour_visitor = engine.required_pairs, engine.model.tour_visitor
    for r in range(num_tours):
        free = [i for i, c in enumerate(engine.codes[r])
                if c == VisitCode.FREE and (tour_visitor[r], engine.route[r][i]) not in required]
        if free:
            engine.remove_positions(r, free)
    engine.ranking, engine.noise = Ranking.VALUE_SQUARED_PER_TIME, 0.0
    done = engine.recreate(range(num_tours), stop=lambda: time.monotonic() >= cut or should_stop())
    if not done:
        construct_fcfs(engine, deadline, should_stop)  # the tours it did not reach
    if engine.objective <= first_objective:
        engine.restore(first, first_objective)


def keep_previous(engine: Engine) -> None:
    """Re-insert the visits of the previous plan at their times where they still fit."""
    m = engine.model
    for r, s, t in sorted(m.previous_visits, key=lambda x: (x[0], x[2])):
        v = m.tour_visitor[r]
        if (s in engine.visited[v] or engine.stand_visits[s] >= m.stand_max[s]
                or engine.visitor_visits[v] >= m.visitor_max[v]):
            continue
        if engine.gain(v, s, True) <= 0:
            continue
        alt = engine.evaluate_at(r, s, t)
        if alt is not None:
            engine.insert(r, alt[1], s, t, VisitCode.AS_PREVIOUS)


def construct_fcfs(engine: Engine, deadline: float = float("inf"), should_stop: Callable[[], bool] = never) -> None:
    """Visitors in registration order; each tour appends the best value-per-minute stand.

    Candidates are scanned by decreasing value per minute of visit (an upper
    bound of their value per minute), so the scan stops early; ties go to
    the lower stand index, as in a plain scan. This alone is the greedy
    baseline of the summit benchmark (:mod:`routing.greedy`). Required
    visits are in place before (:func:`routing.search.new_search`) and
    never taken out here, so the stands' own windows are the ones to use.
    """
    m = engine.model
    travel, location, duration, capacity_binds = m.travel, m.location, m.duration, m.capacity_binds
    stand_max, visitor_max, stand_visits = m.stand_max, m.visitor_max, engine.stand_visits
    for v in range(m.num_visitors):
        if v % 50 == 0 and (time.monotonic() >= deadline or should_stop()):
            return
        score = m.score[v]
        upper = {s: (score.get(s, 0.0) + (m.shortfall_penalty if m.stand_min[s] else 0.0)) / duration[s]
                 for r in m.tours_of[v] for s in m.candidates[r]}
        visited = engine.visited[v]
        for r in m.tours_of[v]:
            order = sorted(m.candidates[r], key=lambda s: (-upper[s], s))
            end_loc, to = m.tour_end_loc[r], m.tour_to[r]
            while engine.visitor_visits[v] < visitor_max[v]:
                n = len(engine.route[r])
                prev_end = engine.ends[r][-1] if n else m.tour_from[r]
                prev_loc = engine.locations[r][-1] if n else m.tour_start_loc[r]
                best_vpm, best_s, best_t = -1.0, -1, -1
                for s in order:
                    if upper[s] < best_vpm:
                        break
                    if s in visited or stand_visits[s] >= stand_max[s]:
                        continue
                    arrival = prev_end + travel[prev_loc][location[s]]
                    # capacity can only delay the start: try the optimistic value first
                    t = engine.earliest_window_start(s, arrival)
                    if t < 0 or t + duration[s] + travel[location[s]][end_loc] > to:
                        continue
                    g = engine.gain(v, s, False)
                    if g <= 0:
                        continue
                    vpm = g / max(t + duration[s] - prev_end, 1)
                    if vpm < best_vpm or (vpm == best_vpm and s > best_s):
                        continue
                    if capacity_binds[s]:
                        t = engine.earliest_start(s, arrival)
                        if t < 0 or t + duration[s] + travel[location[s]][end_loc] > to:
                            continue
                        vpm = g / max(t + duration[s] - prev_end, 1)
                    if vpm > best_vpm or (vpm == best_vpm and s < best_s):
                        best_vpm, best_s, best_t = vpm, s, t
                if best_s < 0 or engine.insert(r, n, best_s, best_t, VisitCode.FREE) is None:
                    break
