"""The members' pages: the directory and its filters, a city's page and what it shows to whom, the edit page,
"my city", and the organisers' pages."""
from sqlalchemy import select

from app.events.models import CategoryCode
from app.extensions import db
from app.network.members.standing import current_year, standing
from app.network.models import Membership, MembershipStatus, NetworkCity, NetworkOrganiser
from app.people.models import Organisation, OrganisationKind
from tests.conftest import login


def listed(client, query: str = "") -> list[str]:
    """The names of the cities the directory lists for `query`."""
    page = client.get(f"/network/cities/{query}").get_data(as_text=True)
    table = page.split('data-testid="cities"')[1].split("</table>")[0]
    return [row.split("</a>")[0].split(">")[-1] for row in table.split('<tr><td><a href=')[1:]]


def test_the_directory_shows_members_and_candidates_not_lapsed_ones(client, make_city):
    make_city("Ville de Nevers")
    make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED)
    page = client.get("/network/cities/").get_data(as_text=True)
    assert listed(client) == ["Ville de Dole", "Ville de Nevers"]
    assert 'data-status="candidate"' in page and "Candidat" in page


def test_a_network_organiser_sees_lapsed_cities_marked(client, make_city, make_person):
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED)
    organiser = make_person()
    db.session.add(NetworkOrganiser(person_id=organiser.id))
    db.session.commit()
    login(client, organiser)
    assert listed(client) == ["Ville de Vierzon"]
    assert 'data-status="lapsed"' in client.get("/network/cities/").get_data(as_text=True)


def test_the_directory_filters_by_country_band_theme_and_name(client, make_city, make_theme):
    energy = make_theme("energie", "Énergie", "Energy")
    make_city("Ville de Nevers", population=33_000, themes=[energy])
    make_city("Ville de Trois-Rivières", country="CA", population=140_000)
    make_city("Ville de Namur", country="BE", population=110_000)
    assert listed(client, "?country=CA") == ["Ville de Trois-Rivières"]
    assert listed(client, "?band=100k_200k") == ["Ville de Namur", "Ville de Trois-Rivières"]
    assert listed(client, "?theme=energie") == ["Ville de Nevers"]
    assert listed(client, "?q=rivieres+trois") == ["Ville de Trois-Rivières"]
    assert listed(client, "?band=nonsense&country=%00") == ["Ville de Namur", "Ville de Nevers",
                                                            "Ville de Trois-Rivières"]
    assert "Canada" in client.get("/network/cities/?country=CA").get_data(as_text=True)


def test_the_directory_is_paged_past_100_cities(client, make_city):
    for n in range(101):
        make_city(f"Commune {n:03d}")
    assert len(listed(client)) == 100
    assert listed(client, "?page=2") == ["Commune 100"]


def test_a_city_page_hides_its_contacts_e_mails_from_the_public(client, make_city, make_person):
    contact = make_person("maire@nevers.example", first_name="Denis", last_name="Thuriot", phone="+33 3 86 00 00 00")
    make_city("Ville de Nevers", official=contact)
    city = db.session.scalar(select(NetworkCity))
    page = client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    assert "Denis Thuriot" in page and "maire@nevers.example" not in page and "+33 3 86" not in page
    member = make_person()
    make_city("Ville de Dole", official=member)
    login(client, member)
    page = client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    assert "maire@nevers.example" in page and "+33 3 86" in page


def test_a_city_page_shows_history_sponsor_editions_and_lapse(client, make_city, event, make_registration, db):
    nevers = make_city("Ville de Nevers")
    registration = make_registration(event, CategoryCode.ELU, organisation_name="Ville de Vierzon")
    vierzon = NetworkCity(organisation_id=registration.organisation_id, sponsor=nevers)
    db.session.add(vierzon)
    db.session.flush()
    from_vierzon = make_city("Ville de Bourges")  # a third one, not brought in
    vierzon.memberships.extend(_years(MembershipStatus.MEMBER, MembershipStatus.LAPSED))
    db.session.commit()
    page = client.get(f"/network/cities/{vierzon.id}").get_data(as_text=True)
    assert "Ville de Nevers" in page and event.name in page
    assert "plus membre" in page  # marked lapsed, still shown
    assert f"{current_year() - 1}" in page.split('data-testid="city-history"')[1]
    sponsor_page = client.get(f"/network/cities/{nevers.id}").get_data(as_text=True)
    assert "Ville de Vierzon" in sponsor_page and from_vierzon.name not in sponsor_page
    assert client.get("/network/cities/999999").status_code == 404


def _years(last_year, this_year):
    return [Membership(year=current_year() - 1, status=last_year), Membership(year=current_year(), status=this_year)]


def test_the_edit_page_saves_and_refuses_a_lapsed_city_s_contact(client, make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Nevers", official=contact)
    login(client, contact)
    assert client.get(f"/network/cities/{city.id}/edit").status_code == 200
    response = client.submit(f"/network/cities/{city.id}/edit", {
        "description_fr": "Ville de confluence", "country": "FR", "population": "33000",
        "places-0-kind": "third_place", "places-0-name": "La Fabrique", "places-0-website": "pas une adresse"})
    assert response.status_code == 422 and "https://" in response.get_data(as_text=True)
    assert db.session.get(NetworkCity, city.id).places == []
    response = client.submit(f"/network/cities/{city.id}/edit", {
        "description_fr": "Ville de confluence", "country": "FR", "population": "33000",
        "places-0-kind": "third_place", "places-0-name": "La Fabrique", "places-0-website": "https://f.example"})
    assert response.status_code == 302
    assert "La Fabrique" in client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    lapsed = make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=contact)
    refused = client.get(f"/network/cities/{lapsed.id}/edit")
    assert refused.status_code == 403 and "renouvel" in refused.get_data(as_text=True)


def test_my_city_lists_the_contact_s_cities_or_says_how_to_join(client, make_city, make_person):
    contact, stranger = make_person(), make_person()
    make_city("Ville de Nevers", staff=contact)
    login(client, stranger)
    page = client.get("/network/my-city")
    assert page.status_code == 200 and "organisateurs du réseau" in page.get_data(as_text=True)
    client.get("/logout")
    login(client, contact)
    assert "Ville de Nevers" in client.get("/network/my-city").get_data(as_text=True)


def test_the_organiser_admits_a_candidate_from_the_members_list(client, make_city, make_person):
    organiser = make_person()
    db.session.add(NetworkOrganiser(person_id=organiser.id))
    db.session.commit()
    city = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    login(client, organiser)
    assert "Ville de Dole" in client.get("/network/manage/").get_data(as_text=True)
    response = client.submit(f"/network/manage/cities/{city.id}/membership", {"action": "admit"})
    assert response.status_code == 302
    assert standing(db.session.get(NetworkCity, city.id)) is MembershipStatus.MEMBER
    response = client.submit(f"/network/manage/cities/{city.id}/membership", {"action": "admit"})
    assert response.status_code == 409


def test_adding_a_city_with_an_unknown_e_mail_says_so(client, make_person):
    staff = make_person(is_staff=True)
    login(client, staff)
    response = client.submit("/network/manage/cities/new", {"name": "Ville de Sens", "country": "FR",
                                                            "official_email": "personne@nulle.part"})
    assert response.status_code == 422 and "personne@nulle.part" in response.get_data(as_text=True)
    assert db.session.scalar(select(NetworkCity)) is None


def test_the_directory_and_a_city_page_read_in_english(client, make_city, make_theme):
    energy = make_theme("energie", "Énergie", "Energy")
    city = make_city("Ville de Dole", status=MembershipStatus.CANDIDATE, country="BE", themes=[energy])
    city.description_fr, city.description_en = "Une ville du Jura.", "A town of the Jura."
    db.session.commit()
    client.get("/lang/en")
    directory = client.get("/network/cities/").get_data(as_text=True)
    assert "Energy" in directory and "Belgium" in directory and "Candidate" in directory
    page = client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    assert "A town of the Jura." in page and "Une ville du Jura." not in page


def test_the_menu_marks_one_current_entry(client, make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Nevers", official=contact)
    login(client, contact)
    for url, current in (("/network/my-city", "Ma ville"), (f"/network/cities/{city.id}", "Villes membres")):
        page = client.get(url).get_data(as_text=True)
        assert page.count('aria-current="page"') == 1
        assert page.split('aria-current="page">')[1].startswith(current)


def test_the_organiser_finds_a_known_city_and_adds_it(client, make_person, db):
    known = Organisation(name="Mairie de Nevers", kind=OrganisationKind.COLLECTIVITE, country="FR")
    startup = Organisation(name="Nevers Capteurs", kind=OrganisationKind.STARTUP, country="FR")
    db.session.add_all([known, startup])
    db.session.commit()
    login(client, make_person(is_staff=True))
    page = client.get("/network/manage/cities/new?q=névers").get_data(as_text=True)
    assert "Mairie de Nevers" in page and "Nevers Capteurs" not in page
    response = client.submit("/network/manage/cities/new", {"q": "nevers", "organisation_id": str(known.id),
                                                            "country": "FR", "region": "Nièvre"})
    assert response.status_code == 302
    city = db.session.scalar(select(NetworkCity))
    assert (city.organisation_id, city.region, standing(city)) == (known.id, "Nièvre", MembershipStatus.CANDIDATE)


def test_themes_and_organisers_pages(client, make_person):
    staff, newcomer = make_person(is_staff=True), make_person("nouvelle@example.org")
    login(client, staff)
    assert client.submit("/network/manage/themes", {"code": "mobilite", "name_fr": "Mobilité",
                                                    "name_en": "Mobility"}).status_code == 302
    refused = client.submit("/network/manage/themes", {"code": "mobilite", "name_fr": "Autre", "name_en": "Other"})
    assert refused.status_code == 409 and "un autre thème porte ce code" in refused.get_data(as_text=True)
    assert client.submit("/network/manage/organisers", {"email": newcomer.email}).status_code == 302
    assert db.session.get(NetworkOrganiser, newcomer.id) is not None
    assert client.submit("/network/manage/organisers/revoke", {"person_id": str(newcomer.id)}).status_code == 302
    assert db.session.get(NetworkOrganiser, newcomer.id) is None
