"""What a visit is worth: the score of a visitor (its members) at a startup, and why."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.demonstrator.hall.models import Hall
from app.demonstrator.hall.queries import StandUnit, get_hall, stand_units
from app.demonstrator.wishes.models import Wish, WishKind
from app.demonstrator.wishes.visitors import VisitorUnit, visitor_units
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration


@dataclass
class Wishes:
    """Who wants (or refuses) to meet whom, as sets of (from registration id, to registration id)."""

    want: set[tuple[int, int]]
    no: set[tuple[int, int]]

    @classmethod
    def load(cls, event: Event) -> Wishes:
        want, no = set(), set()
        for src, dst, kind in db.session.execute(
                select(Wish.from_registration_id, Wish.to_registration_id, Wish.kind).where(Wish.event_id == event.id)):
            (want if kind == WishKind.WANT else no).add((src, dst))
        return cls(want, no)


Member = tuple[int, frozenset[int]]  # a registration id and its theme ids


def _themes(registration: Registration) -> frozenset[int]:
    return frozenset(t.id for t in registration.themes)


Weights = tuple[float, float, float, float]  # base, per shared theme, one-sided wish, mutual wish


def _weights(hall: Hall) -> Weights:
    """The hall's weights as plain numbers (read once: a matrix reads them ~10,000 times)."""
    return hall.weight_base, hall.weight_theme, hall.weight_wish, hall.weight_mutual


def _value(weights: Weights, members: list[Member], startup_id: int, startup_themes: frozenset[int],
           wishes: Wishes) -> tuple[float, dict]:
    weight_base, weight_theme, weight_wish, weight_mutual = weights
    total, shared, wanted_by, wanted_them = 0.0, set(), [], []
    for member_id, member_themes in members:
        if (member_id, startup_id) in wishes.no or (startup_id, member_id) in wishes.no:
            return 0.0, {"refused": True}
        common = member_themes & startup_themes
        shared |= common
        by_member = (member_id, startup_id) in wishes.want
        by_startup = (startup_id, member_id) in wishes.want
        if by_member:
            wanted_by.append(member_id)
        if by_startup:
            wanted_them.append(member_id)
        wish = weight_mutual if by_member and by_startup else weight_wish if by_member or by_startup else 0
        total += weight_base + weight_theme * len(common) + wish
    return round(total, 6), {"themes": sorted(shared), "member_wishes": wanted_by, "startup_wishes": wanted_them}


def _themes_only(weights: Weights, members: list[Member], startup_themes: frozenset[int]) -> tuple[float, dict]:
    """_value for a pair without any wish between its people (same sum, same order, so the same float)."""
    weight_base, weight_theme = weights[0], weights[1]
    total, shared = 0.0, set()
    for _member_id, member_themes in members:
        common = member_themes & startup_themes
        shared |= common
        total += weight_base + weight_theme * len(common) + 0
    return round(total, 6), {"themes": sorted(shared), "member_wishes": [], "startup_wishes": []}


def pair_value(hall: Hall, members: list[Registration], startup: Registration, wishes: Wishes) -> tuple[float, dict]:
    """The value of a visitor's visit to a startup, and why: the sum over members.

    Per member: weight_base, plus weight_theme per shared theme, plus weight_wish for a wish from one
    side or weight_mutual for a wish from both. A "no thanks" from either side, for any member, means
    never (value 0).
    """
    return _value(_weights(hall), [(m.id, _themes(m)) for m in members], startup.id, _themes(startup), wishes)


def score_matrix(event: Event, units: list[VisitorUnit] | None = None,
                 stands: list[StandUnit] | None = None) -> dict[tuple[str, str], tuple[float, dict]]:
    """(visitor key, stand key) -> (value, reasons) for every pair worth a visit."""
    weights = _weights(get_hall(event))
    units = visitor_units(event) if units is None else units
    stands = stand_units(event) if stands is None else stands
    wishes = Wishes.load(event)
    counterparts: dict[int, set[int]] = defaultdict(set)  # who each person has a wish with, either way
    for a, b in wishes.want | wishes.no:
        counterparts[a].add(b)
        counterparts[b].add(a)
    stand_values = [(st.key, st.startup.id, _themes(st.startup)) for st in stands]
    matrix = {}
    for unit in units:
        members = [(m.id, _themes(m)) for m in unit.members]
        all_themes = frozenset().union(*(themes for _, themes in members))
        with_wish = set().union(*(counterparts.get(member_id, set()) for member_id, _ in members))
        for key, startup_id, startup_themes in stand_values:
            if weights[0] <= 0 and startup_id not in with_wish and all_themes.isdisjoint(startup_themes):
                continue  # nothing in common: worth 0 (the common case, skipped fast)
            if startup_id in with_wish:
                value, reasons = _value(weights, members, startup_id, startup_themes, wishes)
            else:  # no wish either way: the same sum as _value's without its look-ups (most pairs)
                value, reasons = _themes_only(weights, members, startup_themes)
            if value > 0:
                matrix[(unit.key, key)] = (value, reasons)
    return matrix
