"""Cities like mine, and the library's sections on the members' pages."""
from app.extensions import db
from app.network.library import sections, suggest
from app.network.members.standing import Reader
from app.network.models import Agreement, Replication, Visibility
from tests.conftest import login


def test_similar_cities_sharing_themes_ranked_by_themes_then_size_with_why(app, make_city, make_project,
                                                                           make_theme, make_person):
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    energy = make_theme("energie", "Énergie", "Energy")
    food = make_theme("alimentation", "Alimentation", "Food")
    contact = make_person()
    mine = make_city("Ville de Nevers", population=33_000, themes=[mobility, energy], staff=contact)
    close = make_city("Ville de Dole", population=24_000)
    near = make_city("Ville de Bourges", population=64_000)
    far = make_city("Ville de Lyon", population=520_000)
    tiny = make_city("Ville de Clamecy", population=4_000)
    make_project(mine, "Mon propre projet", themes=[mobility])
    make_project(close, "Navette", themes=[mobility])
    make_project(near, "Bus et chaleur", themes=[mobility, energy])
    make_project(close, "Cantine", themes=[food])
    make_project(far, "Métro", themes=[mobility, energy])
    make_project(tiny, "Vélos", themes=[mobility])
    make_project(close, "Brouillon", themes=[mobility], visibility=Visibility.DRAFT)
    asked = make_project(close, "Déjà demandé", themes=[mobility, energy])
    db.session.add(Replication(project=asked, city=mine, answer=Agreement.PENDING))
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        found = suggest.suggestions(mine, Reader.of(contact))
        assert [s.project.title_fr for s in found] == ["Bus et chaleur", "Navette", "Vélos"]
        assert found[0].why("en") == "a neighbouring size band, 2 themes in common: Mobility, Energy"
        assert found[1].why("en") == "same size band, 1 theme in common: Mobility"


def test_a_city_without_themes_or_population_gets_no_suggestion(make_city, make_project, make_theme):
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    make_project(make_city("Ville de Dole"), "Navette", themes=[mobility])
    assert suggest.suggestions(make_city("Ville de Nevers", population=None, themes=[mobility]), Reader()) == []
    assert suggest.suggestions(make_city("Ville d'Auxerre"), Reader()) == []


def test_the_suggestions_page_for_a_contact(client, make_city, make_project, make_theme, make_person):
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    contact, stranger = make_person(), make_person()
    mine = make_city("Ville de Nevers", themes=[mobility], staff=contact)
    make_project(make_city("Ville de Dole", population=24_000), "Navette", themes=[mobility])
    login(client, contact)
    page = client.get("/network/projects/suggested").get_data(as_text=True)
    assert "Navette" in page
    client.get("/logout")
    login(client, stranger)
    assert client.get(f"/network/projects/suggested?city={mine.id}").status_code == 403
    assert client.get("/network/projects/suggested").status_code == 200


def test_the_city_page_lists_the_projects_the_reader_may_see(app, make_city, make_project, make_person):
    contact = make_person()
    city = make_city(staff=contact)
    make_project(city, "Projet public")
    make_project(city, "Brouillon", visibility=Visibility.DRAFT)
    with app.test_request_context():
        anonymous = str(sections.city_projects(city, Reader()))
        own = str(sections.city_projects(city, Reader.of(contact)))
        mine = str(sections.mine_projects(None, Reader.of(contact)))
        assert sections.mine_projects(None, Reader()) is None
    assert "Projet public" in anonymous and "Brouillon" not in anonymous and "/edit" not in anonymous
    assert "Brouillon" not in own and "/edit" in own
    assert "Brouillon" in mine and "/network/projects/new" in mine


def test_sections_are_registered_for_the_members_pages(app):
    registry = app.extensions["mediane.network.sections"]
    assert sections.city_projects in [fn for _rank, fn in registry["city"]]
    assert sections.mine_like_mine in [fn for _rank, fn in registry["mine"]]
