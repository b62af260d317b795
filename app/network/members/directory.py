"""What the members' pages read: the directory of cities with its filters, a city's page (its history, the
cities it brought in, the editions it took part in, its contacts as the reader may see them), the organisers'
list of memberships per year."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.core.search import every_word_in
from app.events.models import Event
from app.extensions import db
from app.network.members.standing import POPULATION_BANDS, Reader, band_condition, current_year, standing_condition
from app.network.models import Membership, MembershipStatus, NetworkCity, NetworkTheme, city_theme
from app.people.models import Organisation, OrganisationKind
from app.registrations.models import Registration

PER_PAGE = 100
#: What a list of cities shows of each: loaded with the list rather than one query per city.
LOADED = (contains_eager(NetworkCity.organisation), selectinload(NetworkCity.memberships),
          selectinload(NetworkCity.themes))


@dataclass
class Filters:
    country: str = ""
    band: str = ""
    theme: str = ""
    q: str = ""

    @classmethod
    def of(cls, args) -> Filters:
        """The filters of a query string; values that name nothing are ignored."""
        country = (args.get("country") or "").strip().upper()
        band = (args.get("band") or "").strip()
        return cls(country=country if len(country) == 2 and country.isalpha() else "",
                   band=band if band in {code for code, _low, _high in POPULATION_BANDS} else "",
                   theme=(args.get("theme") or "").strip()[:60], q=(args.get("q") or "").strip()[:200])

    def as_args(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


def shown_statuses(reader: Reader) -> tuple[MembershipStatus, ...]:
    """Members and candidates for everyone; lapsed members too for the network organisers."""
    if reader.is_organiser:
        return tuple(MembershipStatus)
    return MembershipStatus.MEMBER, MembershipStatus.CANDIDATE


def _conditions(filters: Filters, reader: Reader) -> list:
    conditions = [standing_condition().in_(shown_statuses(reader))]
    if filters.country:
        conditions.append(Organisation.country == filters.country)
    if filters.band:
        conditions.append(band_condition(Organisation.population, filters.band))
    if filters.theme:
        conditions.append(NetworkCity.id.in_(select(city_theme.c.city_id).join(
            NetworkTheme, NetworkTheme.id == city_theme.c.theme_id).where(NetworkTheme.code == filters.theme)))
    if filters.q:
        conditions.append(every_word_in(filters.q, Organisation.search_key))
    return conditions


def directory(filters: Filters, reader: Reader, page: int = 1) -> tuple[list[NetworkCity], int]:
    """The cities shown, by name (accents aside), one page of them, and how many there are in all."""
    conditions = _conditions(filters, reader)
    total = db.session.scalar(select(func.count(NetworkCity.id)).join(NetworkCity.organisation).where(*conditions))
    cities = db.session.scalars(
        select(NetworkCity).join(NetworkCity.organisation).where(*conditions).options(*LOADED)
        .order_by(Organisation.search_key, NetworkCity.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return list(cities), total


def countries(reader: Reader) -> list[str]:
    """The countries of the cities the directory may show (its filter's choices)."""
    return list(db.session.scalars(
        select(Organisation.country).join(NetworkCity, NetworkCity.organisation_id == Organisation.id)
        .where(standing_condition().in_(shown_statuses(reader))).distinct().order_by(Organisation.country)))


def themes() -> list[NetworkTheme]:
    return list(db.session.scalars(select(NetworkTheme).order_by(NetworkTheme.position, NetworkTheme.id)))


def brought_in(city: NetworkCity) -> list[NetworkCity]:
    """The cities this one brought into the network (it is their sponsor)."""
    return list(db.session.scalars(select(NetworkCity).join(NetworkCity.organisation)
                                   .where(NetworkCity.sponsor_id == city.id).order_by(Organisation.search_key)))


def editions(city: NetworkCity) -> list[Event]:
    """The editions the city took part in (one of its people registered for it), the most recent first."""
    return list(db.session.scalars(
        select(Event).where(Event.id.in_(select(Registration.event_id)
                                         .where(Registration.organisation_id == city.organisation_id)))
        .order_by(Event.starts_on.desc(), Event.id.desc())))


def contacts(city: NetworkCity, reader: Reader) -> list[tuple[str, object, bool]]:
    """(role, person, whether her e-mail and phone are shown): to member cities' contacts and organisers only."""
    shown = reader.is_member or reader.is_organiser
    return [(role, person, shown) for role, person in (("official", city.official_contact),
                                                        ("staff", city.staff_contact)) if person is not None]


def memberships(year: int | None, status: str) -> list[tuple[NetworkCity, MembershipStatus | None, Membership | None]]:
    """Every city of the network with its standing in `year` and that year's own membership row (None when its
    standing is carried over from an earlier year), filtered by standing."""
    year = year or current_year()
    rows = db.session.scalars(select(NetworkCity).join(NetworkCity.organisation).options(*LOADED)
                              .order_by(Organisation.search_key, NetworkCity.id)).all()
    listed = []
    for city in rows:
        stand = next((m.status for m in sorted(city.memberships, key=lambda m: -m.year) if m.year <= year), None)
        if status and (stand.value if stand else "none") != status:
            continue
        listed.append((city, stand, next((m for m in city.memberships if m.year == year), None)))
    return listed


def organisation_matches(q: str, limit: int = 20) -> list[Organisation]:
    """Organisations of kind collectivité whose name has every word of `q`, not yet in the network."""
    if not q.strip():
        return []
    return list(db.session.scalars(
        select(Organisation).outerjoin(NetworkCity, NetworkCity.organisation_id == Organisation.id)
        .where(and_(Organisation.kind == OrganisationKind.COLLECTIVITE, NetworkCity.id.is_(None),
                    every_word_in(q, Organisation.search_key)))
        .order_by(Organisation.search_key, Organisation.id).limit(limit)))
