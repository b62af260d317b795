"""Required visits (issue 29): reading the ``required`` entries of a problem document, and their room.

An entry ``{"visitor": V, "stand": S, "from": a, "to": b}`` asks every solution for a visit of V to S,
on any of V's tours, starting at ``t`` with ``a <= t`` and ``t + visit_duration <= b`` (either limit
may be left out: the tours' own limits). Every other rule still holds. :func:`parse_required` refuses,
naming the entry: unknown ids, a pair required twice, a window that ends before it starts, a pair
also locked whose lock breaks the window (a lock at a time outside it, or a lock on a tour that leaves
no room in it), a window in which no tour of the visitor and no open window of the stand leave room
for the visit (walks from the tour's start and back to its end included), and more locked and
required visits than a visitor's or a stand's ``max_visits``. A pair both locked and required is
accepted when the lock can satisfy the window: it is then a locked visit that also keeps the window.
Plain Python, like :mod:`routing.problem`.
"""

from __future__ import annotations

from typing import Any

from .fields import InvalidDocument, _list, _num, _obj, _str, _unknown_keys
from .values import Problem, Required

TOL = 1e-6


class Walks:
    """Shortest walking times between locations (a path through other locations may be shorter than the
    direct walk when a travel matrix breaks the triangle inequality; Euclidean walks never are)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self._from: dict[str, dict[str, float]] = {}

    def _dijkstra(self, source: str) -> dict[str, float]:
        p = self.problem
        names = list(p.matrix_order)
        dist = {n: float("inf") for n in names}
        dist[source] = 0.0
        left = set(names)
        while left:
            u = min(left, key=dist.__getitem__)
            left.discard(u)
            du = dist[u]
            if du == float("inf"):
                break
            for n in left:
                step = du + p.travel_time(u, n)
                if step < dist[n]:
                    dist[n] = step
        return dist

    def walk(self, a: str, b: str) -> float:
        """The shortest walk from ``a`` to ``b``."""
        if self.problem.matrix_times is None:
            return self.problem.travel_time(a, b)
        if a not in self._from:
            self._from[a] = self._dijkstra(a)
        return self._from[a][b]


def room(problem: Problem, walks: Walks, visitor: str, stand: str, from_: float | None, to: float | None,
         tours=None) -> bool:
    """True if some tour of ``visitor`` (of ``tours``, indices, when given) and some open window of ``stand``
    leave room for the whole visit between ``from_`` and ``to``, walks from the tour's start and back to its
    end included (the capacity and the other visits aside)."""
    st = problem.stands[problem.stand_index[stand]]
    vis = problem.visitors[problem.visitor_index[visitor]]
    lo_req = float("-inf") if from_ is None else from_
    hi_req = float("inf") if to is None else to
    for k, tour in enumerate(vis.tours):
        if tours is not None and k not in tours:
            continue
        earliest = tour.from_ + walks.walk(tour.start, st.location)
        latest = tour.to - walks.walk(st.location, tour.end)
        for a, b in st.open:
            lo, hi = max(lo_req, earliest, a), min(hi_req, latest, b)
            if lo + st.visit_duration <= hi + TOL:
                return True
    return False


def parse_required(raw: Any, problem: Problem) -> tuple[Required, ...]:
    """The ``required`` entries of a problem document, validated against ``problem`` (already built, with its
    locked visits): see the module."""
    stands = {s.id: s for s in problem.stands}
    locked = {(lk.visitor, lk.stand): lk for lk in problem.locked}
    walks = Walks(problem)
    out: list[Required] = []
    seen: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(_list(raw, "required")):
        where = f"required[{i}]"
        entry = _obj(entry, where)
        _unknown_keys(entry, {"visitor", "stand", "from", "to"}, where)
        vid, sid = _str(entry.get("visitor"), where + ".visitor"), _str(entry.get("stand"), where + ".stand")
        if vid not in problem.visitor_index:
            raise InvalidDocument(f"{where}: unknown visitor {vid!r}")
        if sid not in stands:
            raise InvalidDocument(f"{where}: unknown stand {sid!r}")
        if (vid, sid) in seen:
            raise InvalidDocument(f"{where}: the visit of {vid!r} to {sid!r} is already required by "
                                  f"required[{seen[(vid, sid)]}]; a visitor visits a stand at most once")
        seen[(vid, sid)] = i
        a = None if entry.get("from") is None else _num(entry["from"], where + ".from")
        b = None if entry.get("to") is None else _num(entry["to"], where + ".to")
        d = stands[sid].visit_duration
        span = f"between {'the start' if a is None else f'{a:g}'} and {'the end' if b is None else f'{b:g}'}"
        if a is not None and b is not None and a + d > b + TOL:
            raise InvalidDocument(f"{where}: a {d:g}-minute visit does not fit {span}")
        lk = locked.get((vid, sid))
        if lk is not None and lk.start is not None:
            if (a is not None and lk.start < a - TOL) or (b is not None and lk.start + d > b + TOL):
                raise InvalidDocument(f"{where}: the visit of {vid!r} to {sid!r} is locked at {lk.start:g}, "
                                      f"outside its required window ({span})")
        elif not room(problem, walks, vid, sid, a, b, None if lk is None else {lk.tour}):
            on = f"its locked tour {lk.tour}" if lk is not None else "any tour of the visitor"
            raise InvalidDocument(f"{where}: no room for the visit of {vid!r} to {sid!r} {span} on {on} within "
                                  f"the stand's open windows (walks from the tour's start and back included)")
        out.append(Required(vid, sid, a, b))
    _check_counts(out, problem)
    return tuple(out)


def _check_counts(required: list[Required], problem: Problem) -> None:
    """Locked and required visits (a pair both locked and required counts once) within the maximums."""
    pairs = {(lk.visitor, lk.stand) for lk in problem.locked} | {(rq.visitor, rq.stand) for rq in required}
    per_v: dict[str, int] = {}
    per_s: dict[str, int] = {}
    for v, s in pairs:
        per_v[v] = per_v.get(v, 0) + 1
        per_s[s] = per_s.get(s, 0) + 1
    for v in problem.visitors:
        if v.max_visits is not None and per_v.get(v.id, 0) > v.max_visits:
            raise InvalidDocument(f"required: visitor {v.id!r} has {per_v[v.id]} locked and required visits "
                                  f"but max_visits {v.max_visits}")
    for s in problem.stands:
        if s.max_visits is not None and per_s.get(s.id, 0) > s.max_visits:
            raise InvalidDocument(f"required: stand {s.id!r} has {per_s[s.id]} locked and required visits "
                                  f"but max_visits {s.max_visits}")
