"""The organiser merges two records of one city (registered in 2026, again in 2027 as an institution): from her
editions to the duplicates, the preview of what moves, then the merge."""
from playwright.sync_api import Browser, expect

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.events.models import CategoryCode
from app.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.outcomes.organisation_rows import outcome


def test_an_organiser_merges_two_records_of_one_city(browser: Browser, live_server, make_event, make_organiser,
                                                   make_registration, shoot):
    e2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    e2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    organiser = make_organiser(e2026, "orga@nevers.fr")
    grant_role(organiser, e2027.id, RoleName.ORGANISER, actor_id=None)
    mayor = make_registration(e2026, CategoryCode.ELU, territory="Ville de Nevers")
    director = make_registration(e2027, CategoryCode.DECIDEUR, organisation_name="VILLE DE NÉVERS")
    startup = make_registration(e2027, CategoryCode.STARTUP, organisation_name="Captéo")
    outcome(e2027.id, startup.organisation_id, director.organisation_id)
    db.session.commit()

    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(organiser.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/")
    page.get_by_role("link", name="Organisations peut-être en double").click()
    group = page.get_by_test_id("duplicate-group")
    expect(group).to_contain_text("VILLE DE NÉVERS")
    shoot(page, "organisations-duplicates")

    group.get_by_role("link", name=f"Fusionner avec le n° {mayor.organisation_id}…").click()
    expect(page.get_by_role("heading", name="Fusionner deux fiches d'organisation")).to_be_visible()
    expect(page.get_by_test_id("kept")).to_contain_text("Ville de Nevers")
    moved = page.get_by_test_id("moved")
    expect(moved).to_contain_text("Sommet 2027")
    expect(moved.get_by_role("row").filter(has_text="Résultats (en tant que ville ou organisation rencontrée)")
           ).to_contain_text("1")
    shoot(page, "organisations-merge-preview")

    page.get_by_role("button", name="Fusionner les deux fiches").click()
    expect(page.locator(".flash-success")).to_have_text("Les deux fiches n'en font plus qu'une : « Ville de Nevers ».")
    expect(page.get_by_test_id("no-duplicates")).to_be_visible()
    shoot(page, "organisations-merged")
