"""What the wish pages show: whom an attendee may state wishes about, and the wish counts.

Read-only; writes go through services.py. The score heat map is in heatmap.py.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.domain import DomainError
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.hall.queries import confirmed_startups, startup_name
from app.demonstrator.wishes.models import Wish, WishKind
from app.demonstrator.wishes.services import wishes_of
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import Category, CategoryCode, Event, Theme
from app.extensions import db
from app.registrations.models import Delegation, Registration, RegistrationStatus

VISITOR, STARTUP = "visitor", "startup"


class WishPageError(DomainError):
    """A refused input of the wish and availability pages (codes: bad_kind, bad_time, bad_day, bad_preset,
    unknown_visitor, not_a_visitor)."""


# -- who states wishes about whom ----------------------------------------------------------------

def acting_side(registration: Registration) -> tuple[str | None, Registration]:
    """The side a person states wishes for, and the registration the wishes are stored under.

    A startup's team member acts for the startup (their team lead); officials and decision makers
    act for themselves; anyone else has no side.
    """
    lead = registration.team_lead
    if lead is not None and lead.category.code == CategoryCode.STARTUP:
        return STARTUP, lead
    code = registration.category.code
    if code == CategoryCode.STARTUP:
        return STARTUP, registration
    if code in VISITOR_CATEGORIES:
        return VISITOR, registration
    return None, registration


@dataclass
class Card:
    """Someone of the other side, as the wish page lists them."""

    registration: Registration
    shared: set[int]
    wish: WishKind | None
    stands: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.registration.category.code == CategoryCode.STARTUP:
            return startup_name(self.registration)
        return self.registration.person.full_name


def _confirmed_visitors(event: Event) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
               Category.code.in_(VISITOR_CATEGORIES), Registration.team_lead_id.is_(None))
        .options(selectinload(Registration.themes), selectinload(Registration.person),
                 selectinload(Registration.organisation), selectinload(Registration.delegation),
                 selectinload(Registration.category))))


def _stand_numbers(event: Event) -> dict[int, list[str]]:
    numbers: dict[int, list[str]] = defaultdict(list)
    for registration_id, number in db.session.execute(
            select(StandBooking.registration_id, Stand.number).join(Stand)
            .where(Stand.event_id == event.id).order_by(Stand.number)):
        if number not in numbers[registration_id]:
            numbers[registration_id].append(number)
    return numbers


def cards(event: Event, side: str, me: Registration, theme: Theme | None) -> list[Card]:
    """The other side of `me`, most shared themes first, filtered by `theme`."""
    others = confirmed_startups(event) if side == VISITOR else _confirmed_visitors(event)
    mine = {t.id for t in me.themes}
    wishes = wishes_of(me)
    stands = _stand_numbers(event) if side == VISITOR else {}
    result = []
    for other in others:
        if other.id == me.id or (theme is not None and theme not in other.themes):
            continue
        result.append(Card(other, {t.id for t in other.themes} & mine, wishes.get(other.id), stands.get(other.id, [])))
    result.sort(key=lambda c: (-len(c.shared), c.name.casefold()))
    return result


def by_delegation(found: list[Card]) -> list[tuple[Delegation | None, list[Card]]]:
    """Officials grouped by delegation (by name), those walking alone last."""
    groups: dict[int | None, list[Card]] = defaultdict(list)
    for card in found:
        groups[card.registration.delegation_id].append(card)
    named = sorted((k for k in groups if k is not None), key=lambda k: groups[k][0].registration.delegation.name)
    result = []
    for key in named:
        members = sorted(groups[key], key=lambda c: (c.registration.protocol_rank or 999, c.registration.id))
        result.append((members[0].registration.delegation, members))
    if None in groups:
        result.append((None, groups[None]))
    return result


# -- what the organiser sees -----------------------------------------------------------------------

@dataclass
class WishCounts:
    by_visitors: int = 0
    by_startups: int = 0
    mutual: int = 0
    refusals_by_visitors: int = 0
    refusals_by_startups: int = 0


def wish_counts(event: Event) -> WishCounts:
    counts = WishCounts()
    want = set()
    for src, dst, kind, code in db.session.execute(
            select(Wish.from_registration_id, Wish.to_registration_id, Wish.kind, Category.code)
            .join(Registration, Registration.id == Wish.from_registration_id).join(Category)
            .where(Wish.event_id == event.id)):
        startup_side = code == CategoryCode.STARTUP
        if kind == WishKind.WANT:
            want.add((src, dst))
            if startup_side:
                counts.by_startups += 1
            else:
                counts.by_visitors += 1
        elif startup_side:
            counts.refusals_by_startups += 1
        else:
            counts.refusals_by_visitors += 1
    counts.mutual = sum(1 for src, dst in want if (dst, src) in want) // 2
    return counts


def number(value: float) -> str:
    return format_decimal(round(value, 2))
