"""The organiser's view of when each visitor can be routed, and the on-the-day presets (late, absent)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.converters import ID_MAX
from app.core.params import parse_int
from app.core.search import fold, search_words
from app.core.timefmt import local_to_utc, to_local
from app.demonstrator.wishes.board import WishPageError
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES, VisitorUnit, tour_windows, visitor_units
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Delegation, Registration


@dataclass
class VisitorRow:
    """A routed visitor with the days all members attend, their free windows and the manual changes."""

    unit: VisitorUnit
    days: list[date]
    windows: list[tuple[date, list[tuple[datetime, datetime]]]]
    changes: list[AvailabilityChange]

    def matches(self, query: str) -> bool:
        """Whether each word of `query` is in the visitor's name, a member's name or territory (accents and case
        ignored, as every search: `app.core.search`)."""
        texts = fold(" ".join([self.unit.name] + [f"{m.person.full_name} {m.territory}" for m in self.unit.members]))
        return all(word in texts for word in search_words(query))


def _days(event: Event, registration: Registration) -> set[date]:
    return set(registration.day_dates or event.days)


def availability_rows(event: Event) -> tuple[list[VisitorRow], list[AvailabilityChange]]:
    """Every routed visitor (delegations first, by name), and the changes that concern no routed visitor."""
    units = visitor_units(event)
    windows = tour_windows(event, units)
    changes = db.session.scalars(
        select(AvailabilityChange).where(AvailabilityChange.event_id == event.id)
        .options(selectinload(AvailabilityChange.registration).selectinload(Registration.person),
                 selectinload(AvailabilityChange.delegation))
        .order_by(AvailabilityChange.starts_at, AvailabilityChange.id)).all()
    by_person: dict[int, list[AvailabilityChange]] = defaultdict(list)
    by_delegation: dict[int, list[AvailabilityChange]] = defaultdict(list)
    for change in changes:
        if change.registration_id is not None:
            by_person[change.registration_id].append(change)
        else:
            by_delegation[change.delegation_id].append(change)
    shown: set[int] = set()
    rows = []
    for unit in sorted(units, key=lambda u: (u.delegation is None, u.name.casefold())):
        days = set.intersection(*(_days(event, m) for m in unit.members))
        per_day: dict[date, list] = defaultdict(list)
        for start, end in windows.get(unit.key, []):
            per_day[to_local(start, event.timezone).date()].append((start, end))
        mine = [c for m in unit.members for c in by_person.get(m.id, [])]
        if unit.delegation is not None:
            mine += by_delegation.get(unit.delegation.id, [])
        mine.sort(key=lambda c: (c.starts_at, c.id))
        shown |= {c.id for c in mine}
        rows.append(VisitorRow(unit, sorted(days), sorted(per_day.items()), mine))
    return rows, [c for c in changes if c.id not in shown]


def opted_out(event: Event) -> list[tuple[Registration, datetime]]:
    return list(db.session.execute(
        select(Registration, RoutingOptOut.created_at).join(RoutingOptOut)
        .where(Registration.event_id == event.id).order_by(RoutingOptOut.created_at)
        .options(selectinload(Registration.person), selectinload(Registration.delegation))).all())


def find_visitor(event: Event, key: str) -> tuple[Registration | None, Delegation | None]:
    """An official ("r<id>") or a delegation ("d<id>") of `event`, from a form's visitor field."""
    key = (key or "").strip()
    kind, ident = key[:1], parse_int(key[1:], low=1, high=ID_MAX)
    if kind not in ("r", "d") or ident is None:
        raise WishPageError("unknown_visitor", "visitor")
    if kind == "d":
        delegation = db.session.get(Delegation, ident)
        if delegation is None or delegation.event_id != event.id:
            raise WishPageError("unknown_visitor", "visitor")
        return None, delegation
    registration = db.session.get(Registration, ident)
    if registration is None or registration.event_id != event.id:
        raise WishPageError("unknown_visitor", "visitor")
    if registration.category.code not in VISITOR_CATEGORIES:
        raise WishPageError("not_a_visitor", "visitor")
    return registration, None


def parse_day(event: Event, value: str) -> date:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise WishPageError("bad_day", "day") from exc
    if day not in event.days:
        raise WishPageError("bad_day", "day")
    return day


def parse_time(value: str, name: str) -> time:
    text = (value or "").strip()
    try:
        if len(text) not in (4, 5) or ":" not in text:
            raise ValueError
        return time.fromisoformat(text.zfill(5))
    except ValueError as exc:
        raise WishPageError("bad_time", name) from exc


PRESETS = ("late", "absent_from", "absent_day")


def preset_window(event: Event, day: date, preset: str, at: str) -> tuple[datetime, datetime]:
    """UTC window of an on-the-day preset: late until `at`, absent from `at` on, or absent all day."""
    if preset not in PRESETS:
        raise WishPageError("bad_preset", "preset")
    start_of_day = local_to_utc(day, time(0, 0), event.timezone)
    end_of_day = local_to_utc(day + timedelta(days=1), time(0, 0), event.timezone)
    if preset == "absent_day":
        return start_of_day, end_of_day
    moment = local_to_utc(day, parse_time(at, "at"), event.timezone)
    return (start_of_day, moment) if preset == "late" else (moment, end_of_day)
