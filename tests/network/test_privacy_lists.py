"""What lists show: never a draft (an organiser opens one by its address, a city's contacts find theirs on "my
city"), and only the projects the reader may see."""
from app.extensions import db
from app.network.library import suggest
from app.network.members.standing import Reader
from app.network.models import NetworkOrganiser, Visibility
from tests.conftest import login


def test_drafts_are_listed_nowhere_even_for_an_organiser_or_their_own_city(client, make_city, make_project,
                                                                           make_person):
    contact = make_person("alice@nevers.fr")
    nevers = make_city("Ville de Nevers", official=contact)
    draft = make_project(nevers, "Brouillon secret", visibility=Visibility.DRAFT)
    redrafted = make_project(nevers, "Remis en brouillon")
    redrafted.visibility = Visibility.DRAFT
    db.session.commit()
    organiser = make_person("org@reseau.fr")
    db.session.add(NetworkOrganiser(person_id=organiser.id))
    db.session.commit()
    for person in (organiser, contact):
        login(client, person)
        for url in ("/network/", "/network/projects/", "/network/projects/?q=brouillon",
                    f"/network/cities/{nevers.id}"):
            page = client.get(url).get_data(as_text=True)
            assert "Brouillon secret" not in page and "Remis en brouillon" not in page, (person.email, url)
        # Yet the draft opens by its address.
        assert client.get(f"/network/projects/{draft.id}").status_code == 200
    # Her own drafts are on "my city".
    login(client, contact)
    assert "Brouillon secret" in client.get("/network/my-city").get_data(as_text=True)


def test_the_home_pages_latest_leave_out_a_project_set_back_to_draft(client, make_city, make_project,
                                                                     make_person):
    contact = make_person("alice@nevers.fr")
    nevers = make_city("Ville de Nevers", official=contact)
    login(client, contact)
    project = make_project(nevers, "Remis en brouillon")
    project.published_at = project.created_at
    db.session.commit()
    assert "Remis en brouillon" in client.get("/network/").get_data(as_text=True)
    project.visibility = Visibility.DRAFT
    db.session.commit()
    assert "Remis en brouillon" not in client.get("/network/").get_data(as_text=True)


def test_cities_like_mine_never_suggest_a_draft_even_to_an_organiser(make_city, make_project, make_theme):
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    nevers = make_city("Ville de Nevers", population=33_000, themes=[mobility])
    dole = make_city("Ville de Dole", population=24_000)
    make_project(dole, "Navette", themes=[mobility])
    make_project(dole, "Brouillon de Dole", themes=[mobility], visibility=Visibility.DRAFT)
    found = suggest.suggestions(nevers, Reader(is_organiser=True, is_member=True))
    assert [s.project.title_fr for s in found] == ["Navette"]
