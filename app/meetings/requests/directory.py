"""The directory of people and startups open to meetings, as one attendee sees it: the people of the categories she
may request meetings from, each shown with what she agreed to share (app.meetings.requests.rules), searched
accents and case aside and filtered by category, country, theme and organisation, a page at a time."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.core.params import query_int
from app.core.search import every_word_in
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.meetings.requests import rules
from app.meetings.requests.models import LIVE, MeetingProfile, MeetingRequest
from app.people.models import Organisation, Person
from app.registrations.models import Registration, registration_theme

PAGE_SIZE = 24
MAX_PAGE = 10_000


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    category: str = ""
    country: str = ""
    theme: str = ""
    organisation: str = ""

    @classmethod
    def from_args(cls, args) -> DirectoryFilters:
        category = args.get("category", "")
        return cls(q=args.get("q", "").strip()[:200],
                   category=category if category in {c.value for c in CategoryCode} else "",
                   country=args.get("country", "").strip().upper()[:2], theme=args.get("theme", "").strip()[:60],
                   organisation=args.get("organisation", "").strip()[:200])

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class Entry:
    registration: Registration
    #: She opted in herself: her position and themes are shown.
    shares_details: bool
    #: The request standing between the reader and her, either way, if any.
    live: MeetingRequest | None


@dataclass(frozen=True)
class DirectoryPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    #: The categories the reader may request meetings from (the category filter's choices).
    categories: list[Category]
    countries: list[str]


def _country():
    return func.coalesce(Organisation.country, Person.country)


def _base(event: Event, viewer: Registration, category_ids: set[int], *columns) -> Select:
    return (select(*(columns or (Registration,))).select_from(Registration)
            .join(Person, Registration.person_id == Person.id)
            .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
            .outerjoin(MeetingProfile, MeetingProfile.registration_id == Registration.id)
            .where(Registration.event_id == event.id, Registration.id != viewer.id, rules.open_condition(),
                   Registration.category_id.in_(category_ids or {0})))


def _filtered(query: Select, event: Event, filters: DirectoryFilters) -> Select:
    details = rules.shares_details_condition()
    if filters.q:
        query = query.where(or_(every_word_in(filters.q, Person.search_key, Organisation.search_key),
                                and_(details, every_word_in(filters.q, Person.search_key, Organisation.search_key,
                                                            Registration.search_key))))
    if filters.category:
        query = query.where(Registration.category.has(code=CategoryCode(filters.category)))
    if filters.country:
        query = query.where(_country() == filters.country)
    if filters.organisation:
        query = query.where(every_word_in(filters.organisation, Organisation.search_key))
    if filters.theme:
        theme = next((t for t in event.themes if t.code == filters.theme), None)
        query = query.where(details, exists().where(registration_theme.c.registration_id == Registration.id,
                                                    registration_theme.c.theme_id == (theme.id if theme else 0)))
    return query


def directory_page(event: Event, viewer: Registration, filters: DirectoryFilters, page: int) -> DirectoryPage:
    category_ids = rules.requestable_categories(event.id, viewer.category_id)
    base = _base(event, viewer, category_ids)
    query = _filtered(base, event, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows = db.session.execute(
        query.add_columns(MeetingProfile.accepts_requests)
        .options(selectinload(Registration.person), selectinload(Registration.organisation),
                 selectinload(Registration.category), selectinload(Registration.themes))
        .order_by(func.lower(func.coalesce(Organisation.name, Person.last_name)), Person.last_name,
                  Person.first_name, Registration.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    ids = [row[0].id for row in rows]
    live = _live_with(viewer, ids)
    entries = [Entry(registration, accepts is True, live.get(registration.id)) for registration, accepts in rows]
    countries = sorted(c for c in db.session.scalars(
        _base(event, viewer, category_ids, _country()).distinct()) if c)
    categories = [c for c in event.categories if c.id in category_ids]
    return DirectoryPage(entries, total, page, pages, categories, countries)


def _live_with(viewer: Registration, ids: list[int]) -> dict[int, MeetingRequest]:
    if not ids:
        return {}
    found = db.session.scalars(select(MeetingRequest).where(MeetingRequest.status.in_(LIVE), or_(
        and_(MeetingRequest.from_registration_id == viewer.id, MeetingRequest.to_registration_id.in_(ids)),
        and_(MeetingRequest.to_registration_id == viewer.id, MeetingRequest.from_registration_id.in_(ids)))))
    return {(r.to_registration_id if r.from_registration_id == viewer.id else r.from_registration_id): r
            for r in found}


def page_number(args) -> int:
    return query_int(args, "page", default=1, high=MAX_PAGE)
