"""The organiser's registration list: search, filters and paging, shared by the page and the exports; counts."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.orm import joinedload, selectinload

from app.core.params import query_id
from app.core.search import every_word_in
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.people.models import Organisation, Person
from app.registrations.models import Registration, RegistrationStatus

PAGE_SIZE = 50
_SEARCH_HOOKS = "mediane.registration_search_hooks"
SearchHook = Callable[[str], "ColumnElement | None"]


def add_search_hook(app: Flask, hook: SearchHook) -> None:
    """Another way a search finds a registration, told at start-up by a feature above (the short code printed on
    a badge): the hook takes the query as typed and gives a condition on Registration, or None."""
    app.extensions.setdefault(_SEARCH_HOOKS, []).append(hook)


@dataclass
class RegistrationFilters:
    q: str = ""
    category: str = ""
    status: str = ""
    organisation: str = ""
    country: str = ""
    delegation_id: int | None = None

    @classmethod
    def from_args(cls, args) -> RegistrationFilters:
        return cls(
            q=args.get("q", "").strip()[:200],
            category=args.get("category", "") if args.get("category", "") in {c.value for c in CategoryCode} else "",
            status=args.get("status", "") if args.get("status", "") in {s.value for s in RegistrationStatus} else "",
            organisation=args.get("organisation", "").strip()[:200],
            country=args.get("country", "").strip().upper()[:2],
            delegation_id=query_id(args, "delegation"),
        )

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v not in ("", None)}


def filtered(event: Event, filters: RegistrationFilters) -> Select:
    query = (
        select(Registration)
        .join(Person, Registration.person_id == Person.id)
        .join(Category, Registration.category_id == Category.id)
        .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
        .where(Registration.event_id == event.id)
    )
    if filters.q:
        query = query.where(search_condition(filters.q))
    if filters.category:
        query = query.where(Category.code == CategoryCode(filters.category))
    if filters.status:
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    if filters.organisation:
        query = query.where(every_word_in(filters.organisation, Organisation.search_key))
    if filters.country:
        query = query.where(Person.country == filters.country)
    if filters.delegation_id:
        query = query.where(Registration.delegation_id == filters.delegation_id)
    return query


def search_condition(q: str) -> ColumnElement:
    """Registrations (their query joined to Person and, outer, Organisation) that a search finds: each word in
    the person's name or e-mail, the organisation, the territory or the position, accents and case ignored; or
    what a feature's hook finds (a badge's short code)."""
    found = [every_word_in(q, Person.search_key, func.lower(Person.email), Organisation.search_key,
                           Registration.search_key)]
    found += [hook(q) for hook in current_app.extensions.get(_SEARCH_HOOKS, [])]
    return or_(*(condition for condition in found if condition is not None))


def with_details(query: Select) -> Select:
    return query.options(
        joinedload(Registration.person), joinedload(Registration.category),
        joinedload(Registration.organisation), joinedload(Registration.delegation),
        selectinload(Registration.themes),
    )


def page_of(event: Event, filters: RegistrationFilters, page: int) -> tuple[list[Registration], int]:
    query = filtered(event, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(
        with_details(query).order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).unique().all()
    return list(rows), total


def all_of(event: Event, filters: RegistrationFilters) -> list[Registration]:
    return list(db.session.scalars(
        with_details(filtered(event, filters)).order_by(Person.last_name, Person.first_name)
    ).unique())


@dataclass(frozen=True)
class RegistrationCounts:
    """An edition's registrations counted by category and status."""

    #: Category id -> status value -> number of registrations (statuses without any left out).
    by_category: dict[int, dict[str, int]]

    @property
    def by_status(self) -> dict[str, int]:
        """Status value -> number of registrations, every status included."""
        return {s.value: sum(c.get(s.value, 0) for c in self.by_category.values()) for s in RegistrationStatus}

    @property
    def num_registered(self) -> int:
        """THE count of an edition's registrations, on every page that gives one: every registration but the
        cancelled and the declined (pending, confirmed and on the waiting list count)."""
        return sum(n for status, n in self.by_status.items() if status != RegistrationStatus.CANCELLED)

    @property
    def num_not_counted(self) -> int:
        """The registrations left out of `num_registered`: cancelled by the person, or declined."""
        return self.by_status[RegistrationStatus.CANCELLED.value]


def registration_counts(event_ids: Iterable[int]) -> dict[int, RegistrationCounts]:
    """The counts of each edition of `event_ids`, an edition without registrations included."""
    event_ids = list(event_ids)
    by_event: dict[int, dict[int, dict[str, int]]] = {event_id: {} for event_id in event_ids}
    rows = db.session.execute(
        select(Registration.event_id, Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.category_id, Registration.status)
    )
    for event_id, category_id, status, count in rows:
        by_event[event_id].setdefault(category_id, {})[status.value] = count
    return {event_id: RegistrationCounts(by_category) for event_id, by_category in by_event.items()}


def active_registration(event_id: int, person_id: int) -> Registration | None:
    """The person's registration in the edition unless it was cancelled: what makes them an attendee."""
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event_id, Registration.person_id == person_id,
        Registration.status != RegistrationStatus.CANCELLED))


def has_active_registration(person_id: int, event_id: int | None = None) -> bool:
    """Whether the person holds a registration that is not cancelled (in `event_id`, or in any edition)."""
    query = select(Registration.id).where(Registration.person_id == person_id,
                                          Registration.status != RegistrationStatus.CANCELLED)
    if event_id is not None:
        query = query.where(Registration.event_id == event_id)
    return db.session.scalar(query.limit(1)) is not None


def confirmed_startups(event: Event) -> list[Registration]:
    """The confirmed startups of the edition, by name.

    A startup is its team lead's registration: team members (registrations with a team lead) act for it,
    never hold a stand and are never scored on their own.
    """
    rows = db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Category.code == CategoryCode.STARTUP,
               Registration.status == RegistrationStatus.CONFIRMED, Registration.team_lead_id.is_(None))
        .options(selectinload(Registration.organisation), selectinload(Registration.person),
                 selectinload(Registration.themes), selectinload(Registration.category))).all()
    return sorted(rows, key=lambda r: r.startup_name.lower())
