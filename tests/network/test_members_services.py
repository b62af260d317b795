"""The members' services: who edits a city's page, admission, renewal and lapse, a city added with its contacts,
themes and network organisers; each checked, audited, committed once, and nothing stored when refused."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.network.errors import Conflict, NetworkError, NotAllowed
from app.network.members import manage, services
from app.network.members.services import CityInput, PlaceInput
from app.network.members.standing import current_year, standing
from app.network.models import MembershipStatus, NetworkCity, NetworkOrganiser, NetworkTheme, PlaceKind
from app.people.merging import MergeConflict, repoint
from app.people.models import Organisation, OrganisationKind


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def organiser(make_person, db):
    person = make_person("reseau@example.org")
    db.session.add(NetworkOrganiser(person_id=person.id))
    db.session.commit()
    return person


def city_input(city, **changes) -> CityInput:
    data = CityInput(description_fr=city.description_fr, description_en=city.description_en, region=city.region,
                     theme_ids=[t.id for t in city.themes], population=city.organisation.population,
                     country=city.organisation.country,
                     places=[PlaceInput(p.kind.value, p.name, p.website, p.id) for p in city.places])
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_a_member_city_s_contact_edits_its_page(make_city, make_person, make_theme):
    contact = make_person()
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    city = make_city("Ville de Nevers", official=contact)
    services.edit_city(city, city_input(city, description_fr="Ville de confluence.", region="Bourgogne",
                                        theme_ids=[mobility.id], population=32_500, country="FR",
                                        places=[PlaceInput("third_place", "La Fabrique", "https://fabrique.example")]),
                       actor=contact)
    db.session.expire_all()
    city = db.session.get(NetworkCity, city.id)
    assert city.description_fr == "Ville de confluence."
    assert [t.code for t in city.themes] == ["mobilite"]
    assert city.organisation.population == 32_500
    assert [(p.kind, p.name) for p in city.places] == [(PlaceKind.THIRD_PLACE, "La Fabrique")]
    assert len(actions("network.city.edit")) == 1


def test_a_candidate_completes_its_page_before_admission(make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE, staff=contact)
    services.edit_city(city, city_input(city, description_en="A city on the Doubs."), actor=contact)
    assert db.session.get(NetworkCity, city.id).description_en == "A city on the Doubs."


def test_a_lapsed_member_s_contact_can_no_longer_edit(make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=contact)
    with pytest.raises(NotAllowed) as refused:
        services.edit_city(city, city_input(city, description_fr="Changé"), actor=contact)
    assert refused.value.code == "city_lapsed"
    db.session.expire_all()
    assert db.session.get(NetworkCity, city.id).description_fr == ""
    assert actions("network.city.edit") == []


def test_someone_else_cannot_edit_a_city_but_a_network_organiser_can(make_city, make_person, organiser):
    city = make_city("Ville de Nevers")
    with pytest.raises(NotAllowed):
        services.edit_city(city, city_input(city, region="Ailleurs"), actor=make_person())
    services.edit_city(city, city_input(city, region="Nièvre"), actor=organiser)
    assert db.session.get(NetworkCity, city.id).region == "Nièvre"


@pytest.mark.parametrize("changes, code, field", [
    ({"places": [PlaceInput("incubator", "Pépinière", "javascript:alert(1)")]}, "website_invalid", "places-0-website"),
    ({"places": [PlaceInput("incubator", "Pépinière", "ftp://example.org")]}, "website_invalid", "places-0-website"),
    ({"places": [PlaceInput("castle", "Château", "")]}, "place_kind_invalid", "places-0-kind"),
    ({"population": 0}, "population_invalid", "population"),
    ({"country": "XX"}, "country_invalid", "country"),
    ({"theme_ids": [999_999]}, "theme_unknown", "themes"),
])
def test_a_city_page_refused_stores_nothing(make_city, make_person, changes, code, field):
    contact = make_person()
    city = make_city("Ville de Nevers", official=contact)
    with pytest.raises(NetworkError) as refused:
        services.edit_city(city, city_input(city, description_fr="Nouveau", **changes), actor=contact)
    assert (refused.value.code, refused.value.field) == (code, field)
    db.session.expire_all()
    assert db.session.get(NetworkCity, city.id).description_fr == ""


def test_places_are_kept_changed_and_removed(make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Nevers", official=contact)
    services.edit_city(city, city_input(city, places=[PlaceInput("incubator", "Pépinière", ""),
                                                      PlaceInput("third_place", "Le Garage", "")]), actor=contact)
    kept = next(p for p in city.places if p.name == "Pépinière")
    services.edit_city(city, city_input(city, places=[PlaceInput("incubator", "Pépinière 2", "", kept.id)]),
                       actor=contact)
    db.session.expire_all()
    places = db.session.get(NetworkCity, city.id).places
    assert [(p.id, p.name) for p in places] == [(kept.id, "Pépinière 2")]


def test_admit_sets_the_joined_date_once(make_city, organiser):
    city = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    manage.change_membership(city, "admit", None, actor=organiser)
    assert standing(city) is MembershipStatus.MEMBER
    joined = city.joined_on
    assert joined is not None
    city.joined_on = date(2020, 3, 1)
    db.session.commit()
    manage.change_membership(city, "lapse", None, actor=organiser)
    manage.change_membership(city, "admit", None, actor=organiser)
    assert city.joined_on == date(2020, 3, 1)
    assert [e.details["after"] for e in actions("network.membership.admit")] == ["member", "member"]
    assert len(actions("network.membership.lapse")) == 1


def test_a_member_cannot_be_admitted_twice(make_city, organiser):
    city = make_city("Ville de Nevers")
    with pytest.raises(Conflict):
        manage.change_membership(city, "admit", None, actor=organiser)
    assert actions("network.membership.admit") == []


def test_renew_makes_a_member_one_next_year(make_city, organiser):
    city = make_city("Ville de Nevers")
    manage.change_membership(city, "renew", None, actor=organiser)
    assert standing(city, current_year() + 1) is MembershipStatus.MEMBER
    assert sorted(m.year for m in city.memberships) == [current_year(), current_year() + 1]
    candidate = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    with pytest.raises(Conflict):
        manage.change_membership(candidate, "renew", None, actor=organiser)
    with pytest.raises(NetworkError) as refused:
        manage.change_membership(city, "renew", current_year() + 40, actor=organiser)
    assert refused.value.code == "year_invalid"


def test_lapse_removes_the_renewal_of_later_years(make_city, organiser):
    city = make_city("Ville de Nevers")
    manage.change_membership(city, "renew", None, actor=organiser)
    manage.change_membership(city, "lapse", None, actor=organiser)
    assert standing(city) is MembershipStatus.LAPSED
    assert standing(city, current_year() + 1) is MembershipStatus.LAPSED


def test_only_a_network_organiser_changes_memberships(make_city, make_person):
    city = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    with pytest.raises(NotAllowed):
        manage.change_membership(city, "admit", None, actor=make_person())
    assert standing(city) is MembershipStatus.CANDIDATE


def test_a_city_is_added_as_a_candidate_with_its_contact(organiser, make_person, make_city):
    official = make_person("maire@auxerre.example")
    sponsor = make_city("Ville de Nevers")
    city = manage.add_city(manage.NewCityInput(name="Ville d'Auxerre", country="FR", population=34_000,
                                               region="Bourgogne", sponsor_id=sponsor.id,
                                               official_email="MAIRE@auxerre.example"), actor=organiser)
    assert standing(city) is MembershipStatus.CANDIDATE
    assert city.official_contact == official and city.sponsor == sponsor
    assert city.organisation.kind is OrganisationKind.COLLECTIVITE
    assert len(actions("network.city.add")) == 1


def test_an_organisation_known_from_the_editions_is_reused(organiser, db):
    known = Organisation(name="Mairie de Laval", kind=OrganisationKind.COLLECTIVITE, country="FR")
    db.session.add(known)
    db.session.commit()
    city = manage.add_city(manage.NewCityInput(name="MAIRIE DE LAVAL", country="FR"), actor=organiser)
    assert city.organisation_id == known.id
    with pytest.raises(Conflict):
        manage.add_city(manage.NewCityInput(organisation_id=known.id), actor=organiser)


def test_an_unknown_e_mail_is_refused_and_nothing_is_stored(organiser):
    before = (count(NetworkCity), count(Organisation))
    with pytest.raises(NetworkError) as refused:
        manage.add_city(manage.NewCityInput(name="Ville de Sens", official_email="personne@nulle.part"),
                        actor=organiser)
    assert (refused.value.code, refused.value.field) == ("email_unknown", "official_email")
    assert (count(NetworkCity), count(Organisation)) == before
    assert actions("network.city.add") == []


def test_a_startup_is_not_a_city(organiser, db):
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP, country="FR")
    db.session.add(startup)
    db.session.commit()
    with pytest.raises(NetworkError) as refused:
        manage.add_city(manage.NewCityInput(organisation_id=startup.id), actor=organiser)
    assert refused.value.code == "organisation_invalid"


def test_contacts_and_sponsor_change(organiser, make_city, make_person):
    city, sponsor = make_city("Ville de Dole"), make_city("Ville de Nevers")
    staff = make_person("agent@dole.example")
    manage.change_contacts(city, official_email="", staff_email="agent@dole.example", sponsor_id=sponsor.id,
                           actor=organiser)
    assert (city.staff_contact, city.sponsor) == (staff, sponsor)
    with pytest.raises(NetworkError):
        manage.change_contacts(city, official_email="", staff_email="", sponsor_id=city.id, actor=organiser)
    assert db.session.get(NetworkCity, city.id).sponsor_id == sponsor.id


def test_themes_have_unique_codes(organiser):
    theme = manage.save_theme(None, code="mobilite", name_fr="Mobilité", name_en="Mobility", actor=organiser)
    with pytest.raises(Conflict):
        manage.save_theme(None, code="mobilite", name_fr="Autre", name_en="Other", actor=organiser)
    manage.save_theme(theme.id, code="mobilite", name_fr="Mobilités", name_en="Mobility", actor=organiser)
    assert [t.name_fr for t in db.session.scalars(select(NetworkTheme))] == ["Mobilités"]
    with pytest.raises(NetworkError):
        manage.save_theme(None, code="Pas un code !", name_fr="x", name_en="y", actor=organiser)


def test_only_staff_name_network_organisers(make_person, organiser):
    staff = make_person(is_staff=True)
    newcomer = make_person("nouvelle@example.org")
    with pytest.raises(NotAllowed):
        manage.grant_organiser("nouvelle@example.org", actor=organiser)
    manage.grant_organiser("nouvelle@example.org", actor=staff)
    assert db.session.get(NetworkOrganiser, newcomer.id) is not None
    with pytest.raises(NetworkError):
        manage.grant_organiser("inconnue@example.org", actor=staff)
    manage.revoke_organiser(newcomer.id, actor=staff)
    assert db.session.get(NetworkOrganiser, newcomer.id) is None
    assert [len(actions("network.organiser.grant")), len(actions("network.organiser.revoke"))] == [1, 1]


def test_two_organisations_that_both_have_a_network_page_are_not_merged(make_city):
    """A merge would make two network pages one city's: refused before anything moves (the organiser edits one
    page away first)."""
    kept, dropped = make_city("Ville de Nevers"), make_city("Nevers")
    kept_organisation, dropped_organisation = kept.organisation, dropped.organisation
    with pytest.raises(MergeConflict) as refused:
        repoint(dropped_organisation, kept_organisation)
    assert refused.value.table == "network_city"
    db.session.rollback()
    assert db.session.get(NetworkCity, dropped.id).organisation_id == dropped_organisation.id
