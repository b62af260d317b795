"""The organiser merges the two accounts of one mayor (m.dupont@ville.fr in 2026, maire@ville.fr in 2027): from her
editions to the people who may be one, the preview side by side, then the merge."""
from playwright.sync_api import Browser, expect

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.events.models import CategoryCode
from tests.conftest import TEST_PASSWORD


def test_an_organiser_merges_the_two_accounts_of_one_mayor(browser: Browser, live_server, make_event, make_organiser,
                                                          make_registration, shoot):
    e2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    e2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    organiser = make_organiser(e2026, "orga@nevers.fr")
    grant_role(organiser, e2027.id, RoleName.ORGANISER, actor_id=None)
    first = make_registration(e2026, CategoryCode.ELU, email="m.dupont@ville.fr", first_name="Marie",
                              last_name="Dupont", territory="Ville de Nevers")
    make_registration(e2027, CategoryCode.ELU, email="maire@ville.fr", first_name="MARIE", last_name="Dupont",
                      territory="Ville de Nevers")

    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(organiser.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/")
    page.get_by_role("link", name="Personnes peut-être en double").click()
    group = page.get_by_test_id("duplicate-group")
    expect(group).to_contain_text("maire@ville.fr")
    expect(group).to_contain_text("Sommet 2027")
    shoot(page, "people-duplicates")

    group.get_by_role("link", name=f"Fusionner avec le n° {first.person_id}…").click()
    expect(page.get_by_role("heading", name="Fusionner deux personnes")).to_be_visible()
    expect(page.get_by_test_id("kept")).to_contain_text("m.dupont@ville.fr")
    expect(page.get_by_test_id("dropped")).to_contain_text("maire@ville.fr")
    moved = page.get_by_test_id("moved")
    expect(moved.get_by_role("row").filter(has_text="Sommet 2027").filter(has_text="Inscriptions")).to_contain_text("1")
    shoot(page, "people-merge-preview")

    page.get_by_role("button", name="Fusionner les deux personnes").click()
    expect(page.locator(".flash-success")).to_have_text(
        "Les deux fiches n'en font plus qu'une : Marie Dupont (m.dupont@ville.fr).")
    expect(page.get_by_test_id("no-duplicates")).to_be_visible()
    shoot(page, "people-merged")
