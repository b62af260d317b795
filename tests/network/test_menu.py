"""The network's menu: "My startup" is there for a startup's people (its organisation's, or an exhibitor of its
stand), and for nobody else."""
from app.auth.models import RoleName
from app.auth.services import grant_role
from app.extensions import db
from app.people.models import Organisation, OrganisationKind
from tests.conftest import login


def menu(client) -> str:
    page = client.get("/network/").get_data(as_text=True)
    return page.split('class="subnav"')[1].split("</nav>")[0]


def startup(name: str = "Capteurs du Morvan", kind: OrganisationKind = OrganisationKind.STARTUP) -> Organisation:
    organisation = Organisation(name=name, kind=kind)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def test_a_startups_person_has_my_startup_in_the_menu(app, make_person):
    founder = make_person(organisation_id=startup().id)
    client = app.test_client()
    login(client, founder)
    assert 'href="/network/startup/"' in menu(client)
    assert client.get("/network/startup/").status_code == 200


def test_an_exhibitor_of_a_startups_stand_has_it_too(app, event, make_person):
    member = make_person()
    grant_role(member, event.id, RoleName.EXHIBITOR, actor_id=None, organisation_id=startup().id)
    db.session.commit()
    client = app.test_client()
    login(client, member)
    assert 'href="/network/startup/"' in menu(client)


def test_nobody_else_has_it(app, client, make_city, make_person):
    assert "/network/startup/" not in menu(client)  # an anonymous visitor
    company = make_person(organisation_id=startup("Veolia", OrganisationKind.ENTREPRISE).id)
    contact = make_person()
    make_city(official=contact)
    for person in (company, contact):
        other = app.test_client()
        login(other, person)
        assert "/network/startup/" not in menu(other)
        assert 'href="/network/cities/' in menu(other)  # the menu is there, the entry is not
