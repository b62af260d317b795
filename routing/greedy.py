"""First-come-first-served greedy planner: the baseline of the summit benchmark.

Visitors in registration order; each tour is built by appending the stand
with the best value per minute (travel + waiting + visit) that still fits.
"""

from __future__ import annotations

from .engine import Engine
from .model import build_model
from .problem import Problem, Solution, TourPlan, Visit


def greedy(problem: Problem) -> Solution:
    m = build_model(problem)
    eng = Engine(m, 0)
    eng.place_locked()
    T, loc, dur = m.T, m.loc, m.dur
    for v in range(m.num_visitors):
        for r in m.tours_of[v]:
            while True:
                st = eng.R[r]
                n = len(st)
                prev_end = eng.E[r][-1] if n else m.tour_from[r]
                prev_loc = eng.L[r][-1] if n else m.tour_sloc[r]
                best = None
                for s in eng.candidates(r):
                    t = eng.earliest(s, prev_end + T[prev_loc][loc[s]])
                    if t < 0 or t + dur[s] + T[loc[s]][m.tour_eloc[r]] > m.tour_to[r]:
                        continue
                    g = eng.gain(v, s, False)
                    if g <= 0:
                        continue
                    vpm = g / max(t + dur[s] - prev_end, 1)
                    if best is None or vpm > best[0]:
                        best = (vpm, s, t)
                if best is None or not eng.insert(r, n, best[1], best[2], 0):
                    break
    k = m.scale
    plans = []
    for r in range(m.num_tours):
        if eng.R[r]:
            vi, ti = m.tour_key[r]
            plans.append(TourPlan(problem.visitors[vi].id, ti,
                                  tuple(Visit(problem.stands[s].id, t / k) for s, t in zip(eng.R[r], eng.S[r]))))
    return Solution(tuple(plans))
