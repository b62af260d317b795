"""The network's members: the network organiser adds a city as a candidate with its contact and admits it; the
contact completes her city's page (a description, a third place); the directory filtered by country shows it; a
lapsed city's contact is refused its edit page."""
from playwright.sync_api import Browser, expect

from app.extensions import db
from app.network.members.standing import current_year
from app.network.models import Membership, MembershipStatus, NetworkCity, NetworkOrganiser
from app.people.models import Organisation, OrganisationKind
from tests.conftest import TEST_PASSWORD


def sign_in(browser: Browser, live_server: str, email: str):
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def city(name: str, country: str, status: MembershipStatus, contact=None) -> NetworkCity:
    row = NetworkCity(organisation=Organisation(name=name, kind=OrganisationKind.COLLECTIVITE, country=country,
                                                population=110_000), official_contact=contact)
    row.memberships.append(Membership(year=current_year(), status=status))
    db.session.add(row)
    return row


def test_a_city_joins_the_network_and_completes_its_page(browser: Browser, live_server, make_person, shoot):
    organiser = make_person("reseau@villes-moyennes.example")
    db.session.add(NetworkOrganiser(person_id=organiser.id))
    mayor = make_person("maire@auxerre.example", first_name="Crescent", last_name="Marault")
    former = make_person("ancien@vierzon.example")
    city("Ville de Namur", "BE", MembershipStatus.MEMBER)
    lapsed = city("Ville de Vierzon", "FR", MembershipStatus.LAPSED, contact=former)
    db.session.commit()

    page = sign_in(browser, live_server, organiser.email)
    page.goto(f"{live_server}/network/manage/cities/new")
    page.get_by_label("Nom d’une nouvelle ville").fill("Ville d'Auxerre")
    page.get_by_label("Pays").select_option("FR")
    page.get_by_label("Population").fill("34000")
    page.get_by_label("Région").fill("Bourgogne-Franche-Comté")
    page.get_by_label("Contact élu (adresse e-mail)").fill("inconnue@auxerre.example")
    page.get_by_role("button", name="Ajouter comme candidate").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("inconnue@auxerre.example")
    page.get_by_label("Contact élu (adresse e-mail)").fill(mayor.email)
    page.get_by_role("button", name="Ajouter comme candidate").click()
    expect(page.locator(".flash-success")).to_contain_text("Ville d'Auxerre entre dans le réseau comme candidate")
    row = page.get_by_test_id("memberships").locator("tr", has_text="Ville d'Auxerre")
    expect(row).to_contain_text("Candidate")
    shoot(page, "network-members-candidate")
    row.get_by_role("button", name="Admettre").click()
    row = page.get_by_test_id("memberships").locator("tr", has_text="Ville d'Auxerre")
    expect(row).to_contain_text("Membre")
    expect(row).to_contain_text(str(current_year()))

    contact = sign_in(browser, live_server, mayor.email)
    contact.goto(f"{live_server}/network/my-city")
    contact.get_by_role("link", name="La modifier · Ville d'Auxerre").click()
    contact.get_by_label("Description (français)").fill("Ville d'art et d'histoire au bord de l'Yonne.")
    contact.get_by_label("Type de lieu").select_option("third_place")
    contact.get_by_label("Nom du lieu").fill("La Fabrique")
    contact.get_by_label("Site web").fill("fabrique.example")
    contact.get_by_role("button", name="Enregistrer").click()
    expect(contact.get_by_test_id("error-summary")).to_contain_text("https://")
    shoot(contact, "network-city-edit")
    contact.get_by_label("Site web").fill("https://fabrique.example")
    contact.get_by_role("button", name="Enregistrer").click()
    expect(contact.locator(".flash-success")).to_have_text("La page de la ville est enregistrée.")
    expect(contact.get_by_test_id("city-description")).to_contain_text("au bord de l'Yonne")
    expect(contact.get_by_test_id("city-places")).to_contain_text("La Fabrique · Tiers-lieu")
    shoot(contact, "network-city-page")

    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{live_server}/network/cities/")
    expect(visitor.get_by_test_id("cities-count")).to_have_text("2 villes.")
    visitor.get_by_label("Pays").select_option("FR")
    visitor.get_by_role("button", name="Filtrer").click()
    expect(visitor.get_by_test_id("cities-count")).to_have_text("1 ville.")
    expect(visitor.get_by_test_id("cities")).to_contain_text("Ville d'Auxerre")
    expect(visitor.get_by_test_id("cities")).not_to_contain_text("Namur")
    expect(visitor.get_by_test_id("cities")).not_to_contain_text("Vierzon")
    shoot(visitor, "network-directory")

    refused = sign_in(browser, live_server, former.email)
    response = refused.goto(f"{live_server}/network/cities/{lapsed.id}/edit")
    assert response.status == 403
    expect(refused.get_by_text("l’adhésion de votre ville n’est plus à jour")).to_be_visible()
    refused.goto(f"{live_server}/network/my-city")
    expect(refused.get_by_test_id("my-cities")).to_contain_text("Plus membre")
