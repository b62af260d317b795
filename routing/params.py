"""The knobs of a run: one frozen, validated :class:`SearchParams`.

``solve(problem, ..., params=SearchParams(...))`` passes them down to the bound, the
construction and the search; the defaults are the values every figure in
``docs/routing-experiments.md`` was measured with. Times are in seconds, shares are
fractions of 1, and "time units" are the problem's own (minutes in the web app).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Optional

from .codes import Ranking

CONSTRUCTIONS = ("fcfs", "tour_order")


@dataclass(frozen=True)
class SearchParams:
    """Parameters of :func:`routing.solve`; every field is checked when the value is built.

    A few settings differ between problems with few tours (the orienteering benchmark:
    at most ``few_tours`` tours) and the others (summits); those come in pairs
    ``*_few_tours`` / ``*_many_tours``.
    """

    # ---------------------------------------------------------------- budget and clock
    #: Work units per second of the time limit. The search stops after this much work
    #: for the seconds it has, so a seed gives one plan on any machine at least as fast
    #: as the reference one (a unit is about 0.1 microsecond of CPU on the reference
    #: 2-core machine); the clock only cuts in on a slower or busier one.
    work_rate: int = 10_000_000
    #: ``progress`` is called at least this often (seconds), improvement or not, so a
    #: caller that checks for a cancel request there is heard.
    heartbeat_seconds: float = 1.0
    #: Improvements are reported at most this often (seconds).
    progress_interval: float = 0.2
    #: ``improved`` (the best plan itself, for a caller that saves it as the run goes) is called at
    #: most this often (seconds), besides the first plan and the plan returned.
    incumbent_interval: float = 5.0
    #: Seconds kept back from the time limit for the last steps (collecting the helpers'
    #: plans, checking the plan, writing it): ``min(reserve_max, reserve_share *
    #: time_limit + reserve_base + reserve_per_tour * number of tours)``.
    reserve_share: float = 0.05
    reserve_base: float = 0.1
    reserve_per_tour: float = 0.00002
    reserve_max: float = 2.0
    #: A helper process may send its plan up to this share of the reserve (at least 0.1 s)
    #: after the deadline; later, it is ignored.
    helper_grace_share: float = 0.5

    # ---------------------------------------------------------------- bound
    #: The LP bound may use this share of the time limit (less the reserve) ...
    bound_share: float = 0.9
    #: ... and at most this many seconds; then it falls back to the knapsack bound.
    bound_max_seconds: float = 30.0
    #: An LP with more (visitor, stand) terms than this is not built: knapsack bound at once.
    bound_max_terms: int = 700_000
    #: Share of the bound's remaining time left for the knapsack fallback.
    bound_fallback_share: float = 0.1
    #: Once the search ends, the LP is interrupted and its fallback waited for up to
    #: ``min(bound_wait_max, reserve)`` seconds (at least 0.2 s).
    bound_wait_max: float = 2.0

    # ---------------------------------------------------------------- construction
    #: First plan of a summit: ``"fcfs"`` (visitors in registration order, then a global
    #: rebuild of the free visits) or ``"tour_order"`` (one tour at a time, by start).
    construction: str = "fcfs"
    #: Share of the time left that the global rebuild after first come first served may take.
    construction_share: float = 0.8
    #: Up to this many tours, the first plan is one global best-ratio insertion over all tours.
    global_construction_max_tours: int = 8

    # ---------------------------------------------------------------- acceptance and restarts
    #: At most this many tours: "few tours" (orienteering-like ruins, kicks, lenient acceptance).
    few_tours: int = 6
    #: A worse plan is accepted if it loses less than ``accept * mean gain * random()``,
    #: the threshold shrinking linearly to 0 over the run.
    accept_few_tours: float = 2.0
    accept_many_tours: float = 0.3
    #: Iterations without a new best plan before the search goes back to the best one.
    restart_after_few_tours: int = 1500
    restart_after_many_tours: int = 4000
    #: On such a restart, the share range ``(low, high)`` of the free visits rebuilt at
    #: random (None: no kick). A large kick lets the search leave a basin it keeps
    #: falling back to (pr16 with one tour: 614 -> 640, BKS 674).
    kick_few_tours: Optional[tuple[float, float]] = (0.8, 1.0)
    kick_many_tours: Optional[tuple[float, float]] = None
    #: Noise of the kick's recreate, and the rankings it draws from (see ``ranking_cutoffs``).
    kick_noise: float = 0.3
    kick_rankings: tuple[Ranking, ...] = (Ranking.VALUE_PER_TIME, Ranking.VALUE_SQUARED_PER_TIME)

    # ---------------------------------------------------------------- recreate, per iteration
    #: Noise levels drawn from: each insertion ratio is multiplied by ``1 + noise * (u - 1/2)``.
    noise_levels: tuple[float, ...] = (0.0, 0.1, 0.3)
    #: A draw ``x`` picks how insertions are ranked: by value squared per minute added if
    #: ``x < ranking_cutoffs[0]``, by value per minute if ``x < ranking_cutoffs[1]``,
    #: else by value alone.
    ranking_cutoffs: tuple[float, float] = (0.6, 0.9)
    #: Chance that the locked visits without a time taken out are put back before the others.
    p_locked_first: float = 0.5

    # ---------------------------------------------------------------- ruins, few tours
    #: A ruin removes ``1 + int(u ** ruin_power * max(ruin_max_share * visits,
    #: min(visits, ruin_min_visits)))`` visits.
    ruin_max_share: float = 0.3
    ruin_min_visits: int = 12
    ruin_power: float = 1.0
    #: Chances of a string ruin (one string per tour) and of a related ruin (visits close
    #: in space and time to a random one); the rest are random visits.
    p_string: float = 0.4
    p_related_visits: float = 0.35
    #: Chance that a string ruin cuts every tour (else a random subset of them).
    p_all_tours: float = 0.5
    #: Weights of the time difference, against the travel time, in the related ruin (one is drawn).
    related_time_weights: tuple[float, ...] = (0.0, 0.5, 1.0)

    # ---------------------------------------------------------------- ruins, many tours
    #: Chances of a tour-segment ruin and of a stand-slot ruin; the rest are related ruins.
    p_ruin_tours: float = 0.3
    p_ruin_slot: float = 0.35
    #: Segment ruin: up to this many tours cut, then for the first ``freed_stands_followed``
    #: stands freed, ``tours_per_freed_stand`` random tours that could visit them.
    ruin_max_tours: int = 3
    freed_stands_followed: int = 3
    tours_per_freed_stand: int = 2
    #: Slot ruin: the visits of the stand within ``slot_width`` visit durations of a random
    #: visit, and up to ``slot_max_tours`` tours active then, cleared around it with a slack
    #: of 0 to ``slot_max_slack`` visit durations.
    slot_width: int = 2
    slot_max_slack: int = 2
    slot_max_tours: int = 4
    #: Related ruin: the visits around a random one, at up to ``related_max_stands`` of its
    #: ``near_stands`` nearest stands, within a band of ``related_hours`` (low, high) hours
    #: of 60 time units; ``tours_per_related_stand`` tours that could visit each such stand
    #: join; at most ``related_max_tours`` tours in all.
    near_stands: int = 8
    related_max_stands: int = 6
    related_hours: tuple[float, float] = (0.3, 2.0)
    tours_per_related_stand: int = 3
    related_max_tours: int = 12

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):  # a list from JSON or a caller: frozen means a tuple
                object.__setattr__(self, f.name, tuple(value))
        _integer(self, "work_rate", 1)
        for name in ("heartbeat_seconds", "bound_max_seconds"):
            _number(self, name, low=0.0, strict=True)
        for name in ("progress_interval", "incumbent_interval", "reserve_share", "reserve_base", "reserve_per_tour",
                     "reserve_max", "helper_grace_share", "bound_wait_max", "accept_few_tours", "accept_many_tours",
                     "kick_noise"):
            _number(self, name, low=0.0)
        for name in ("bound_share", "construction_share", "ruin_max_share"):
            _number(self, name, low=0.0, high=1.0, strict=True)
        for name in ("bound_fallback_share", "p_locked_first", "p_string", "p_related_visits", "p_all_tours",
                     "p_ruin_tours", "p_ruin_slot"):
            _number(self, name, low=0.0, high=1.0)
        _number(self, "ruin_power", low=0.0, strict=True)
        for name in ("bound_max_terms", "global_construction_max_tours", "few_tours", "ruin_min_visits",
                     "freed_stands_followed", "tours_per_freed_stand", "slot_width", "slot_max_slack",
                     "tours_per_related_stand"):
            _integer(self, name, 0)
        for name in ("restart_after_few_tours", "restart_after_many_tours", "ruin_max_tours", "slot_max_tours",
                     "near_stands", "related_max_stands", "related_max_tours"):
            _integer(self, name, 1)
        if self.construction not in CONSTRUCTIONS:
            raise ValueError(f"construction: expected one of {CONSTRUCTIONS}, got {self.construction!r}")
        for name in ("kick_few_tours", "kick_many_tours"):
            if getattr(self, name) is not None:
                _pair(self, name, 0.0, 1.0)
        _pair(self, "ranking_cutoffs", 0.0, 1.0)
        _pair(self, "related_hours", 0.0, math.inf)
        if self.related_hours[0] <= 0:
            raise ValueError(f"related_hours: the band must be wider than 0, got {self.related_hours!r}")
        _choices(self, "kick_rankings", lambda x: x in tuple(Ranking) and not isinstance(x, bool), "Ranking values")
        # a ratio times (1 + noise * (u - 1/2)) must stay positive
        _choices(self, "noise_levels", lambda x: _is_number(x) and 0 <= x < 2, "numbers in [0, 2)")
        _choices(self, "related_time_weights", lambda x: _is_number(x) and x >= 0, "numbers >= 0")
        if self.p_string + self.p_related_visits > 1:
            raise ValueError(f"p_related_visits: p_string + p_related_visits must be at most 1, got "
                             f"{self.p_string!r} + {self.p_related_visits!r}")
        if self.p_ruin_tours + self.p_ruin_slot > 1:
            raise ValueError(f"p_ruin_slot: p_ruin_tours + p_ruin_slot must be at most 1, got "
                             f"{self.p_ruin_tours!r} + {self.p_ruin_slot!r}")


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x)


def _number(p: SearchParams, name: str, *, low: float, high: float = math.inf, strict: bool = False) -> None:
    x = getattr(p, name)
    if not _is_number(x) or x < low or x > high or (strict and x == low):
        bounds = f"{'>' if strict else '>='} {low:g}" + ("" if high == math.inf else f" and <= {high:g}")
        raise ValueError(f"{name}: expected a number {bounds}, got {x!r}")


def _integer(p: SearchParams, name: str, low: int) -> None:
    x = getattr(p, name)
    if not isinstance(x, int) or isinstance(x, bool) or x < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {x!r}")


def _pair(p: SearchParams, name: str, low: float, high: float) -> None:
    x = getattr(p, name)
    if not (isinstance(x, tuple) and len(x) == 2 and all(_is_number(v) for v in x) and low <= x[0] <= x[1] <= high):
        raise ValueError(f"{name}: expected a pair (low, high) with {low:g} <= low <= high <= {high:g}, got {x!r}")


def _choices(p: SearchParams, name: str, ok, what: str) -> None:
    x = getattr(p, name)
    if not (isinstance(x, tuple) and x and all(ok(v) for v in x)):
        raise ValueError(f"{name}: expected a non-empty tuple of {what}, got {x!r}")
