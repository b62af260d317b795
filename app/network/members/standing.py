"""Who stands where in the network: a city's standing this year, the cities a person is a contact of, who may
edit what, and which projects a reader may see. Every page and service of the network asks here."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.core.access import Access
from app.core.timefmt import utcnow
from app.extensions import db
from app.network.models import Membership, MembershipStatus, NetworkCity, NetworkOrganiser, Project, Visibility
from app.people.models import Person

#: Population bands of the directory and the library's filters: (code, lowest, highest or None).
POPULATION_BANDS = (
    ("under_20k", 0, 19_999),
    ("20k_50k", 20_000, 49_999),
    ("50k_100k", 50_000, 99_999),
    ("100k_200k", 100_000, 199_999),
    ("over_200k", 200_000, None),
)


def population_band(population: int | None) -> str | None:
    if population is None:
        return None
    for code, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population <= high):
            return code
    return None


def band_condition(column, code: str) -> ColumnElement | None:
    """The condition on a population column for a band's code (None for an unknown code)."""
    for band, low, high in POPULATION_BANDS:
        if band == code:
            return column.between(low, high) if high is not None else column >= low
    return None


def current_year() -> int:
    return utcnow().year


def standing(city: NetworkCity, year: int | None = None) -> MembershipStatus | None:
    """The city's status for `year` (this year by default): the membership of that year, else the latest before
    it (a member stays one until an organiser renews or lapses it), else None (never a member nor candidate)."""
    year = year or current_year()
    known = [m for m in city.memberships if m.year <= year]
    return max(known, key=lambda m: m.year).status if known else None


def standing_condition(year: int | None = None):
    """A correlated subquery: each network_city row's status as `standing` computes it, for filters in SQL."""
    year = year or current_year()
    return (select(Membership.status).where(Membership.city_id == NetworkCity.id, Membership.year <= year)
            .order_by(Membership.year.desc()).limit(1).correlate(NetworkCity).scalar_subquery())


def is_network_organiser(person: Person | None) -> bool:
    """Platform staff and the people granted the role."""
    if person is None or not getattr(person, "is_authenticated", False):
        return False
    return bool(person.is_staff or db.session.get(NetworkOrganiser, person.id))


def network_levels(person, edition) -> set[Access]:
    """The network organiser's level is above editions: held on the platform, not in an edition."""
    return {Access.NETWORK} if edition is None and is_network_organiser(person) else set()


def cities_of(person: Person | None) -> list[NetworkCity]:
    """The cities `person` is the official or staff contact of, whatever their standing."""
    if person is None or not getattr(person, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(NetworkCity).where(
        or_(NetworkCity.official_contact_id == person.id, NetworkCity.staff_contact_id == person.id))
        .order_by(NetworkCity.id)))


def member_cities_of(person: Person | None) -> list[NetworkCity]:
    """The cities `person` is a contact of that are members this year: those she may act for."""
    return [city for city in cities_of(person) if standing(city) is MembershipStatus.MEMBER]


def is_member_contact(person: Person | None) -> bool:
    return bool(member_cities_of(person))


def may_edit_city(person: Person | None, city: NetworkCity) -> bool:
    """A city's page is edited by its contacts while it is a member (or a candidate, to complete its page
    before admission), and by the network organisers. A lapsed member's contacts no longer edit."""
    if is_network_organiser(person):
        return True
    return (city in cities_of(person)
            and standing(city) in (MembershipStatus.MEMBER, MembershipStatus.CANDIDATE))


def may_act_for(person: Person | None, city: NetworkCity) -> bool:
    """Publish projects, ask to replicate, answer requests, join consortia: the contacts of a member city.
    (A network organiser helps through the city's page, not in its name.)"""
    return city in member_cities_of(person)


@dataclass(frozen=True)
class Reader:
    """Who reads the library: what she may see depends on it."""

    is_organiser: bool = False
    is_member: bool = False
    city_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, person: Person | None) -> Reader:
        if is_network_organiser(person):
            return cls(is_organiser=True, is_member=True, city_ids=tuple(c.id for c in cities_of(person)))
        cities = member_cities_of(person)
        return cls(is_member=bool(cities), city_ids=tuple(c.id for c in cities))


def visible_condition(reader: Reader) -> ColumnElement:
    """Projects a reader may see: public ones for everyone, members-only ones for member cities' contacts,
    drafts for their own city's contacts; everything for a network organiser."""
    if reader.is_organiser:
        return Project.id.is_not(None)
    shown = [Project.visibility == Visibility.PUBLIC]
    if reader.is_member:
        shown.append(Project.visibility == Visibility.MEMBERS)
    if reader.city_ids:
        shown.append(Project.city_id.in_(reader.city_ids))
    return or_(*shown)


def listed_condition(reader: Reader) -> ColumnElement:
    """Projects a list shows the reader (search, home page, city pages, cities like mine): those she may see,
    never a draft (a city's contacts find their drafts on "my city" and the edit pages; an organiser opens one
    by its address)."""
    return and_(visible_condition(reader), Project.visibility != Visibility.DRAFT)


def may_list(reader: Reader, project: Project) -> bool:
    return project.visibility is not Visibility.DRAFT and may_see(reader, project)


def may_see(reader: Reader, project: Project) -> bool:
    if reader.is_organiser or project.visibility is Visibility.PUBLIC or project.city_id in reader.city_ids:
        return True
    return reader.is_member and project.visibility is Visibility.MEMBERS
