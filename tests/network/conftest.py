"""Factories for the network's tests: member cities, themes and projects, written as rows (the services that
write them are tested on their own)."""
from __future__ import annotations

import pytest

from app.network.library import search
from app.network.models import (Agreement, Membership, MembershipStatus, NetworkCity, NetworkTheme, Project,
                                ProjectPartner, ProjectStatus, Visibility)
from app.network.members.standing import current_year
from app.people.models import Organisation, OrganisationKind


@pytest.fixture
def make_theme(db):
    def make(code: str, name_fr: str, name_en: str) -> NetworkTheme:
        theme = NetworkTheme(code=code, name_fr=name_fr, name_en=name_en)
        db.session.add(theme)
        db.session.commit()
        return theme
    return make


@pytest.fixture
def make_city(db):
    """A city with its membership this year (MEMBER unless said), its contacts when given."""
    def make(name: str = "Ville de Nevers", *, status: MembershipStatus | None = MembershipStatus.MEMBER,
             country: str = "FR", population: int | None = 33_000, official=None, staff=None,
             themes=(), region: str = "") -> NetworkCity:
        organisation = Organisation(name=name, kind=OrganisationKind.COLLECTIVITE, country=country,
                                    population=population)
        city = NetworkCity(organisation=organisation, official_contact=official, staff_contact=staff, region=region,
                           themes=list(themes))
        if status is not None:
            city.memberships.append(Membership(year=current_year(), status=status))
        db.session.add(city)
        db.session.commit()
        return city
    return make


@pytest.fixture
def make_project(db):
    """A project of `city`, indexed for search (PUBLIC and DEPLOYED unless said)."""
    def make(city: NetworkCity, title_fr: str = "Stationnement intelligent", *, partners=(), themes=(),
             **fields) -> Project:
        fields.setdefault("status", ProjectStatus.DEPLOYED)
        fields.setdefault("visibility", Visibility.PUBLIC)
        project = Project(city=city, title_fr=title_fr, themes=list(themes), **fields)
        for organisation in partners:
            project.partners.append(ProjectPartner(organisation=organisation, agreement=Agreement.AGREED))
        db.session.add(project)
        db.session.flush()
        search.reindex([project])
        db.session.commit()
        return project
    return make
