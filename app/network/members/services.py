"""A city's page as its contacts (and the network organisers) edit it: description in both languages, region,
themes, the incubators and third places of its territory, and the organisation's population and country. One
service call per form, checked here whoever sends it, audited and committed once."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from babel import Locale
from sqlalchemy import select

from app.audit import services as audit
from app.core.transaction import atomic
from app.extensions import db
from app.network.errors import NetworkError, NotAllowed
from app.network.members.standing import cities_of, may_edit_city, standing
from app.network.models import MembershipStatus, NetworkCity, NetworkTheme, Place, PlaceKind

MAX_DESCRIPTION = 8000
MAX_REGION = 120
MAX_PLACE_NAME = 200
MAX_WEBSITE = 300
MAX_PLACES = 40
MAX_POPULATION = 2**31 - 1


def country_codes() -> list[str]:
    """The ISO 3166 two-letter codes a city's country may take."""
    return sorted(code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha())


@dataclass
class PlaceInput:
    kind: str
    name: str
    website: str = ""
    #: The place kept (None for a new one).
    place_id: int | None = None


@dataclass
class CityInput:
    description_fr: str = ""
    description_en: str = ""
    region: str = ""
    theme_ids: list[int] = field(default_factory=list)
    population: int | None = None
    country: str = "FR"
    places: list[PlaceInput] = field(default_factory=list)


def valid_website(url: str) -> bool:
    """An http(s) address with a host and no spaces."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)


def check_city_edit(person, city: NetworkCity) -> None:
    """NotAllowed unless `person` may edit the city's page (a lapsed member's contacts no longer may)."""
    if may_edit_city(person, city):
        return
    if city in cities_of(person) and standing(city) is MembershipStatus.LAPSED:
        raise NotAllowed("city_lapsed", "city")
    raise NotAllowed("not_a_contact", "city")


def _check(data: CityInput) -> list[NetworkTheme]:
    for name, value in (("description_fr", data.description_fr), ("description_en", data.description_en)):
        if len(value) > MAX_DESCRIPTION:
            raise NetworkError("too_long", name, max=MAX_DESCRIPTION)
    if len(data.region) > MAX_REGION:
        raise NetworkError("too_long", "region", max=MAX_REGION)
    if data.population is not None and not 1 <= data.population <= MAX_POPULATION:
        raise NetworkError("population_invalid", "population")
    if data.country not in country_codes():
        raise NetworkError("country_invalid", "country")
    if len(data.places) > MAX_PLACES:
        raise NetworkError("too_many_places", "places", max=MAX_PLACES)
    for index, place in enumerate(data.places):
        if place.kind not in {k.value for k in PlaceKind}:
            raise NetworkError("place_kind_invalid", f"places-{index}-kind")
        if not place.name.strip():
            raise NetworkError("place_name_required", f"places-{index}-name")
        if len(place.name) > MAX_PLACE_NAME:
            raise NetworkError("too_long", f"places-{index}-name", max=MAX_PLACE_NAME)
        if place.website and (len(place.website) > MAX_WEBSITE or not valid_website(place.website)):
            raise NetworkError("website_invalid", f"places-{index}-website")
    ids = sorted(set(data.theme_ids))
    themes = list(db.session.scalars(select(NetworkTheme).where(NetworkTheme.id.in_(ids)))) if ids else []
    if len(themes) != len(ids):
        raise NetworkError("theme_unknown", "themes")
    return themes


def edit_city(city: NetworkCity, data: CityInput, *, actor) -> NetworkCity:
    """Save the city's page as its editor sent it; the places not sent are removed."""
    with atomic():
        check_city_edit(actor, city)
        themes = _check(data)
        kept = {place.id: place for place in city.places}
        for index, place in enumerate(data.places):
            if place.place_id is not None and place.place_id not in kept:
                raise NetworkError("place_unknown", f"places-{index}-name")
        before = _summary(city)
        city.description_fr = data.description_fr.strip()
        city.description_en = data.description_en.strip()
        city.region = data.region.strip()
        city.themes = sorted(themes, key=lambda t: (t.position, t.id))
        city.organisation.population = data.population
        city.organisation.country = data.country
        places = []
        for item in data.places:
            place = kept.get(item.place_id) if item.place_id is not None else None
            place = place or Place(city=city)
            place.kind, place.name, place.website = PlaceKind(item.kind), item.name.strip(), item.website.strip()
            places.append(place)
        city.places = places
        db.session.flush()
        audit.record("network.city.edit", actor_id=actor.id, obj=city,
                     details={"before": before, "after": _summary(city)})
    return city


def _summary(city: NetworkCity) -> dict:
    return {"region": city.region, "themes": [t.code for t in city.themes],
            "population": city.organisation.population, "country": city.organisation.country,
            "places": [p.name for p in city.places],
            "description_fr": len(city.description_fr or ""), "description_en": len(city.description_en or "")}
