"""The library's search page: ranked words, filters, what each reader may see, pages, refused filters."""
import re

from app.network.models import MembershipStatus, ProjectStatus, Visibility
from tests.conftest import login


def titles(client, query: str = "") -> list[str]:
    response = client.get(f"/network/projects/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page = response.get_data(as_text=True)
    if 'data-testid="results"' not in page:
        return []
    block = page.split('data-testid="results"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", block, re.S)]


def test_words_are_ranked_title_first_and_without_words_the_latest_come_first(client, make_city, make_project):
    city = make_city()
    make_project(city, "Cantines scolaires", summary_fr="On y parle de compost")
    make_project(city, "Compostage collectif")
    assert titles(client, "q=COMPOST") == ["Compostage collectif", "Cantines scolaires"]
    make_project(city, "Le plus récent")
    assert titles(client)[0] == "Le plus récent"
    assert titles(client, "q=") == titles(client)


def test_punctuation_alone_finds_nothing_and_says_so(client, make_city, make_project):
    make_project(make_city(), "Mobilité douce")
    page = client.get("/network/projects/?q=%21%21%21+...").get_data(as_text=True)
    assert 'data-testid="no-words"' in page and "Mobilité douce" not in page


def test_filters_by_theme_status_country_and_population_band(client, make_city, make_project, make_theme):
    mobility = make_theme("mobilite", "Mobilité", "Mobility")
    small = make_city("Ville de Nevers", population=33_000)
    large = make_city("Ville de Québec", country="CA", population=550_000)
    make_project(small, "Navette", themes=[mobility], status=ProjectStatus.PILOT)
    make_project(small, "Cantine", status=ProjectStatus.DEPLOYED)
    make_project(large, "Tramway", themes=[mobility], status=ProjectStatus.DEPLOYED)
    assert sorted(titles(client, "theme=mobilite")) == ["Navette", "Tramway"]
    assert titles(client, "theme=mobilite&status=pilot") == ["Navette"]
    assert titles(client, "country=CA") == ["Tramway"]
    assert sorted(titles(client, "band=20k_50k")) == ["Cantine", "Navette"]
    assert titles(client, "band=over_200k&q=tram") == ["Tramway"]


def test_a_bad_filter_is_a_400_naming_it(client, make_city, make_project):
    make_project(make_city())
    for query, word in (("theme=nope", "Theme"), ("status=done", "Status"), ("country=France", "Country"),
                        ("band=huge", "Population"), ("page=0", "Page"), ("page=abc", "Page"),
                        ("q=" + "a" * 300, "Search")):
        response = client.get(f"/network/projects/?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400, query
        assert word in response.get_data(as_text=True), query


def test_pages_of_twenty_and_a_page_past_the_last_shows_the_last(client, make_city, make_project):
    city = make_city()
    for n in range(45):
        make_project(city, f"Projet {n:02d}")
    assert len(titles(client)) == 20
    assert len(titles(client, "page=3")) == 5
    assert titles(client, "page=99") == titles(client, "page=3")
    page = client.get("/network/projects/?page=3", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Page 3 of 3" in page


def test_each_reader_sees_what_she_may(client, make_city, make_project, make_person, db):
    contact, other_contact, lapsed_contact = make_person(), make_person(), make_person()
    nevers = make_city("Ville de Nevers", staff=contact)
    dole = make_city("Ville de Dole", official=other_contact)
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=lapsed_contact)
    make_project(nevers, "Projet public")
    make_project(nevers, "Projet des membres", visibility=Visibility.MEMBERS)
    make_project(nevers, "Brouillon de Nevers", visibility=Visibility.DRAFT)
    make_project(dole, "Brouillon de Dole", visibility=Visibility.DRAFT)
    assert titles(client) == ["Projet public"]
    login(client, lapsed_contact)
    assert titles(client) == ["Projet public"]
    client.get("/logout")
    login(client, contact)
    assert sorted(titles(client)) == ["Projet des membres", "Projet public"]
    assert titles(client, "q=brouillon") == []


def test_a_project_page_hides_drafts_and_shows_contact_details_to_members_only(client, make_city, make_project,
                                                                           make_person, db):
    contact = make_person(phone="+33 3 86 00 00 00")
    nevers = make_city("Ville de Nevers", staff=contact)
    public = make_project(nevers, "Projet public", contact=contact, lessons_failed="Les capteurs ont gelé")
    draft = make_project(nevers, "Brouillon", visibility=Visibility.DRAFT)
    page = client.get(f"/network/projects/{public.id}").get_data(as_text=True)
    assert contact.full_name in page and contact.email not in page and "Les capteurs ont gelé" in page
    assert client.get(f"/network/projects/{draft.id}").status_code == 404
    login(client, contact)
    assert contact.email in client.get(f"/network/projects/{public.id}").get_data(as_text=True)
    assert client.get(f"/network/projects/{draft.id}").status_code == 200


def test_an_english_page_marks_a_french_title(client, make_city, make_project):
    make_project(make_city(), "Mobilité douce")
    make_project(make_city("Ville de Dole"), "Vélos", title_en="Bicycles")
    page = client.get("/network/projects/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="fr">Mobilité douce</span>' in page
    assert ">Bicycles<" in page
