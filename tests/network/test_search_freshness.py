"""The search index follows what it holds of a project when it changes outside the project: a city's region, a
theme's names, an organisation's name, a merge of two organisations (the city's or a partner's)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.network.library import search
from app.network.members.manage import save_theme
from app.network.members.services import CityInput, edit_city
from app.outcomes.organisations import merge_organisations
from app.people.models import Organisation, OrganisationKind


def found(words: str) -> set[int]:
    match = search.matches(words)
    return set(db.session.scalars(select(match.c.project_id)))


def test_a_city_s_new_region_finds_its_projects_and_the_old_one_no_longer(make_city, make_project, make_person):
    contact = make_person("c@nevers.fr")
    city = make_city("Ville de Nevers", official=contact, region="Bourgogne")
    project = make_project(city, "Stationnement intelligent")
    assert found("bourgogne") == {project.id}
    edit_city(city, CityInput(region="Nièvre"), actor=contact)
    assert found("nievre") == {project.id}
    assert found("bourgogne") == set()


def test_a_theme_renamed_finds_its_projects_under_its_new_name(make_city, make_project, make_person, make_theme):
    organiser = make_person("staff@mediane.fr", is_staff=True)
    theme = make_theme("mobility", "Mobilité", "Mobility")
    project = make_project(make_city(), "Stationnement intelligent", themes=[theme])
    other = make_project(make_city("Ville d'Épinal"), "Éclairage public")
    assert found("mobilite") == {project.id}
    save_theme(theme.id, code="transport", name_fr="Transports", name_en="Transport", actor=organiser)
    assert found("transports") == {project.id}
    assert found("mobilite") == set() and found("mobility") == set()
    assert other.id not in found("transport")


def test_an_organisation_renamed_is_found_under_its_new_name(make_city, make_project):
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    city = make_city("Ville de Nevers")
    project = make_project(city, "Stationnement intelligent", partners=[startup])
    startup.name, city.organisation.name = "Sondes Bourguignonnes", "Nevers Agglomération"
    db.session.commit()
    assert found("sondes") == {project.id} and found("agglomeration") == {project.id}
    assert found("capteurs") == set() and found("ville nevers") == set()


def test_organisations_merged_are_found_under_the_kept_name(make_city, make_project, make_person):
    staff = make_person("staff@mediane.fr", is_staff=True)
    dropped_startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    kept_startup = Organisation(name="Sondes Bourguignonnes", kind=OrganisationKind.STARTUP)
    kept_city = Organisation(name="Commune de Clamecy", kind=OrganisationKind.COLLECTIVITE)
    db.session.add_all([kept_startup, kept_city])
    city = make_city("Mairie de Clamecy")
    project = make_project(city, "Stationnement intelligent", partners=[dropped_startup])
    merge_organisations(staff, kept_startup.id, dropped_startup.id)
    assert found("sondes") == {project.id} and found("capteurs") == set()
    merge_organisations(staff, kept_city.id, city.organisation_id)
    assert found("commune clamecy") == {project.id} and found("mairie") == set()
