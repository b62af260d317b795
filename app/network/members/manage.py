"""What the network organisers do: admit, renew and lapse members, add a city as a candidate, change a city's
contacts and sponsor, keep the network's themes, and (platform staff) name the network organisers. Every change
is checked here, audited with its actor and committed once."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.network.errors import Conflict, NetworkError, NotAllowed, NotFound
from app.network.members.services import MAX_POPULATION, MAX_REGION, country_codes
from app.network.members.standing import current_year, is_network_organiser, standing
from app.network.models import Membership, MembershipStatus, NetworkCity, NetworkOrganiser, NetworkTheme
from app.people.models import Organisation, OrganisationKind, Person
from app.people.services import find_organisation

ACTIONS = ("admit", "renew", "lapse")
#: Years an organiser may act on: from last year to a few years ahead.
YEARS_BACK, YEARS_AHEAD = 1, 5
THEME_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def _check_organiser(actor) -> None:
    if not is_network_organiser(actor):
        raise NotAllowed("not_an_organiser", "actor")


def _membership(city: NetworkCity, year: int) -> Membership:
    found = next((m for m in city.memberships if m.year == year), None)
    if found is None:
        found = Membership(year=year, status=MembershipStatus.CANDIDATE)
        city.memberships.append(found)
    return found


def change_membership(city: NetworkCity, action: str, year: int | None, *, actor) -> Membership:
    """admit (a candidate, or a lapsed city coming back, becomes a member; joined_on is set the first time),
    renew (a member stays one for `year`, next year by default), lapse (a member or a candidate no longer is,
    from `year` on: the later years' memberships are removed)."""
    with atomic():
        _check_organiser(actor)
        if action not in ACTIONS:
            raise NetworkError("action_invalid", "action")
        this_year = current_year()
        if year is None:
            year = this_year + 1 if action == "renew" else this_year
        if not this_year - YEARS_BACK <= year <= this_year + YEARS_AHEAD:
            raise NetworkError("year_invalid", "year", low=this_year - YEARS_BACK, high=this_year + YEARS_AHEAD)
        status = standing(city, year)
        if action == "admit":
            if status not in (MembershipStatus.CANDIDATE, MembershipStatus.LAPSED):
                raise Conflict("not_a_candidate", "action")
            if city.joined_on is None:
                city.joined_on = utcnow().date()
        elif action == "renew":
            if standing(city, year - 1) is not MembershipStatus.MEMBER and status is not MembershipStatus.MEMBER:
                raise Conflict("not_a_member", "action")
        elif status not in (MembershipStatus.MEMBER, MembershipStatus.CANDIDATE):
            raise Conflict("not_a_member", "action")
        membership = _membership(city, year)
        before = membership.status.value if membership.id else None
        membership.status = MembershipStatus.LAPSED if action == "lapse" else MembershipStatus.MEMBER
        membership.changed_by_id = actor.id
        if action == "lapse":
            for later in [m for m in city.memberships if m.year > year]:
                city.memberships.remove(later)
        db.session.flush()
        audit.record(f"network.membership.{action}", actor_id=actor.id, obj=city,
                     details={"year": year, "before": before, "after": membership.status.value,
                              "joined_on": city.joined_on.isoformat() if city.joined_on else None})
    return membership


def person_by_email(email: str, field: str) -> Person | None:
    """The person known by `email` (None for a blank one); NetworkError when no one is."""
    email = (email or "").strip()
    if not email:
        return None
    person = db.session.scalar(select(Person).where(func.lower(Person.email) == email.lower()))
    if person is None:
        raise NetworkError("email_unknown", field, email=email[:254])
    return person


def _sponsor(sponsor_id: int | None, city: NetworkCity | None = None) -> NetworkCity | None:
    if sponsor_id is None:
        return None
    sponsor = db.session.get(NetworkCity, sponsor_id)
    if sponsor is None or sponsor is city:
        raise NetworkError("sponsor_invalid", "sponsor_id")
    return sponsor


@dataclass
class NewCityInput:
    #: An existing organisation of kind collectivité, or None to name a new one below.
    organisation_id: int | None = None
    name: str = ""
    country: str = "FR"
    population: int | None = None
    region: str = ""
    sponsor_id: int | None = None
    official_email: str = ""
    staff_email: str = ""


def _organisation(data: NewCityInput) -> Organisation:
    if data.organisation_id is not None:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None or organisation.kind is not OrganisationKind.COLLECTIVITE:
            raise NetworkError("organisation_invalid", "organisation_id")
        return organisation
    name = data.name.strip()
    if not name:
        raise NetworkError("name_required", "name")
    if len(name) > 200:
        raise NetworkError("too_long", "name", max=200)
    if data.country not in country_codes():
        raise NetworkError("country_invalid", "country")
    if data.population is not None and not 1 <= data.population <= MAX_POPULATION:
        raise NetworkError("population_invalid", "population")
    organisation = find_organisation(name, OrganisationKind.COLLECTIVITE, data.country)
    if organisation is None:
        organisation = Organisation(name=name, kind=OrganisationKind.COLLECTIVITE, country=data.country,
                                    population=data.population)
        db.session.add(organisation)
    elif data.population is not None:
        organisation.population = data.population
    return organisation


def add_city(data: NewCityInput, *, actor) -> NetworkCity:
    """A city joins the network as a candidate this year, with its region, sponsor and contacts."""
    with atomic():
        _check_organiser(actor)
        if len(data.region) > MAX_REGION:
            raise NetworkError("too_long", "region", max=MAX_REGION)
        official = person_by_email(data.official_email, "official_email")
        staff = person_by_email(data.staff_email, "staff_email")
        sponsor = _sponsor(data.sponsor_id)
        organisation = _organisation(data)
        if organisation.id is not None and db.session.scalar(
                select(NetworkCity.id).where(NetworkCity.organisation_id == organisation.id)) is not None:
            raise Conflict("already_in_network", "organisation_id" if data.organisation_id else "name")
        city = NetworkCity(organisation=organisation, region=data.region.strip(), sponsor=sponsor,
                           official_contact=official, staff_contact=staff)
        city.memberships.append(Membership(year=current_year(), status=MembershipStatus.CANDIDATE,
                                           changed_by_id=actor.id))
        db.session.add(city)
        db.session.flush()
        audit.record("network.city.add", actor_id=actor.id, obj=city,
                     details={"organisation_id": organisation.id, "sponsor_id": data.sponsor_id,
                              "official_contact_id": official.id if official else None,
                              "staff_contact_id": staff.id if staff else None})
    return city


def change_contacts(city: NetworkCity, *, official_email: str, staff_email: str, sponsor_id: int | None,
                    actor) -> NetworkCity:
    with atomic():
        _check_organiser(actor)
        official = person_by_email(official_email, "official_email")
        staff = person_by_email(staff_email, "staff_email")
        sponsor = _sponsor(sponsor_id, city)
        before = [city.official_contact_id, city.staff_contact_id, city.sponsor_id]
        city.official_contact, city.staff_contact, city.sponsor = official, staff, sponsor
        db.session.flush()
        audit.record("network.city.contacts", actor_id=actor.id, obj=city,
                     details={"before": before, "after": [city.official_contact_id, city.staff_contact_id,
                                                          city.sponsor_id]})
    return city


def save_theme(theme_id: int | None, *, code: str, name_fr: str, name_en: str, actor) -> NetworkTheme:
    """Add a theme (theme_id None) or rename one; its code is unique."""
    with atomic():
        _check_organiser(actor)
        code, name_fr, name_en = code.strip().lower(), name_fr.strip(), name_en.strip()
        theme = None
        if theme_id is not None:
            theme = db.session.get(NetworkTheme, theme_id)
            if theme is None:
                raise NotFound("theme_unknown_id", "theme_id")
        if not THEME_CODE.match(code):
            raise NetworkError("theme_code_invalid", "code")
        for name, value in (("name_fr", name_fr), ("name_en", name_en)):
            if not value:
                raise NetworkError("theme_name_required", name)
            if len(value) > 120:
                raise NetworkError("too_long", name, max=120)
        taken = db.session.scalar(select(NetworkTheme.id).where(NetworkTheme.code == code))
        if taken is not None and (theme is None or taken != theme.id):
            raise Conflict("theme_code_taken", "code")
        action = "network.theme.rename" if theme else "network.theme.add"
        if theme is None:
            position = db.session.scalar(select(func.coalesce(func.max(NetworkTheme.position), 0))) + 1
            theme = NetworkTheme(position=position)
            db.session.add(theme)
        theme.code, theme.name_fr, theme.name_en = code, name_fr, name_en
        db.session.flush()
        audit.record(action, actor_id=actor.id, obj=theme, details={"code": code})
    return theme


def _check_staff(actor) -> None:
    if not getattr(actor, "is_staff", False):
        raise NotAllowed("not_staff", "actor")


def grant_organiser(email: str, *, actor) -> NetworkOrganiser:
    with atomic():
        _check_staff(actor)
        person = person_by_email(email, "email")
        if person is None:
            raise NetworkError("email_required", "email")
        if db.session.get(NetworkOrganiser, person.id) is not None:
            raise Conflict("already_organiser", "email")
        organiser = NetworkOrganiser(person_id=person.id, granted_by_id=actor.id)
        db.session.add(organiser)
        db.session.flush()
        audit.record("network.organiser.grant", actor_id=actor.id, obj=person, details={})
    return organiser


def revoke_organiser(person_id: int, *, actor) -> None:
    with atomic():
        _check_staff(actor)
        organiser = db.session.get(NetworkOrganiser, person_id)
        if organiser is None:
            raise NetworkError("not_an_organiser_row", "person_id")
        db.session.delete(organiser)
        audit.record("network.organiser.revoke", actor_id=actor.id, obj=organiser.person, details={})
