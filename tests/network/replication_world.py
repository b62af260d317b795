"""A small world for the replication tests: Nevers asks to replicate Épinal's project whose startup is
Capteurs du Morvan; each side has its people, and a stranger has none."""
from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.network.library import search
from app.network.members.standing import current_year
from app.network.models import (Agreement, Membership, MembershipStatus, NetworkCity, Project, ProjectPartner,
                                ProjectStatus, Visibility)
from app.people.models import Organisation, OrganisationKind, Person
from tests.conftest import login


@dataclass
class World:
    nevers: NetworkCity
    epinal: NetworkCity
    project: Project
    startup: Organisation
    asker: Person        # Nevers' official contact
    answerer: Person     # Épinal's official contact
    founder: Person      # the startup's person
    stranger: Person


def plain_city(name: str, official: Person) -> NetworkCity:
    """A member city with its official contact (for tests outside tests/network, without its fixtures)."""
    city = NetworkCity(organisation=Organisation(name=name, kind=OrganisationKind.COLLECTIVITE),
                       official_contact=official)
    city.memberships.append(Membership(year=current_year(), status=MembershipStatus.MEMBER))
    db.session.add(city)
    db.session.commit()
    return city


def plain_project(city: NetworkCity, title_fr: str, *, partners=(), **fields) -> Project:
    project = Project(city=city, title_fr=title_fr, status=ProjectStatus.DEPLOYED, visibility=Visibility.PUBLIC,
                      **fields)
    for organisation in partners:
        project.partners.append(ProjectPartner(organisation=organisation, agreement=Agreement.AGREED))
    db.session.add(project)
    db.session.flush()
    search.reindex([project])
    db.session.commit()
    return project


def make_world(make_city, make_project, make_person, **project_fields) -> World:
    asker = make_person("alice@nevers.fr", first_name="Alice", last_name="Nevers", phone="03 86 00 00 01")
    answerer = make_person("claire@epinal.fr", first_name="Claire", last_name="Épinal", phone="03 29 00 00 02",
                           locale="en")
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    db.session.add(startup)
    db.session.commit()
    founder = make_person("sam@capteurs.fr", first_name="Sam", last_name="Capteur", organisation_id=startup.id,
                          phone="06 00 00 00 03")
    stranger = make_person("olivier@ailleurs.fr")
    nevers = make_city("Ville de Nevers", official=asker)
    epinal = make_city("Ville d'Épinal", official=answerer)
    project = make_project(epinal, "Stationnement intelligent", partners=[startup], **project_fields)
    return World(nevers, epinal, project, startup, asker, answerer, founder, stranger)


def client_of(app, person: Person):
    client = app.test_client()
    login(client, person)
    return client
