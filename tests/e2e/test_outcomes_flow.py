"""A startup's team member records a pilot with a city it met, from her contacts; the official confirms it from
her own page; the organiser finds it in the edition's outcomes. A small edition, its contacts stored as rows."""
from playwright.sync_api import Browser, expect

from tests.conftest import TEST_PASSWORD
from tests.outcomes.outcome_world import build


def log_in(browser: Browser, base: str, email: str):
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def test_a_pilot_recorded_by_the_startup_is_confirmed_by_the_city_and_seen_by_the_organiser(
        browser: Browser, live_server, event, make_registration, make_organiser, shoot):
    world = build(event, make_registration, make_organiser)

    # The startup's team member, from her contacts list.
    page = log_in(browser, live_server, world.member.person.email)
    page.goto(f"{live_server}/me")
    page.get_by_role("link", name="Notre stand : contacts, appareils et scanner").click()
    row = page.get_by_test_id("contact-row").filter(has_text="Anne Morel")
    shoot(page, "outcomes-contacts-fr")
    row.get_by_test_id("record-outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une suite")
    expect(page.get_by_test_id("meeting-facts")).to_contain_text("Anne Morel")
    page.get_by_role("button", name="Enregistrer la suite").click()           # nothing chosen yet
    expect(page.get_by_test_id("error-summary")).to_contain_text("Choisissez ce qui est sorti de la rencontre.")
    shoot(page, "outcomes-form-error-fr")
    page.get_by_label("Expérimentation (pilote)").check()
    page.get_by_label("En cours").check()
    page.get_by_label("Date du statut").fill("2027-09-15")
    page.get_by_label("Montant (facultatif)").fill("25000")
    page.get_by_label("Notes (facultatif)").fill("Capteurs de stationnement sur le parking de la mairie")
    page.get_by_role("button", name="Enregistrer la suite").click()
    expect(page).to_have_url(f"{live_server}/e/{event.slug}/stand/outcomes/")
    mine = page.get_by_test_id("outcomes").get_by_test_id("outcome-row")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Expérimentation (pilote)")
    expect(mine).to_contain_text("25 000 EUR")
    expect(mine.get_by_test_id("outcome-unconfirmed")).to_have_text("Pas encore confirmée")
    shoot(page, "outcomes-stand-fr")
    page.context.close()

    # The official, from her own pages.
    page = log_in(browser, live_server, world.official.person.email)
    page.goto(f"{live_server}/me")
    page.get_by_test_id("my-outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes rencontres et leurs suites")
    theirs = page.get_by_test_id("outcomes").get_by_test_id("outcome-row").filter(has_text="Capteurs du Morvan")
    expect(theirs).to_contain_text("Pas encore confirmée")
    expect(page.get_by_test_id("my-meetings")).to_contain_text("Bruno Lefèvre")   # her delegation's too
    shoot(page, "outcomes-official-fr")
    theirs.get_by_test_id("confirm-outcome").click()
    expect(page.get_by_text("Merci : la suite est confirmée.")).to_be_visible()
    expect(theirs.get_by_test_id("outcome-confirmed")).to_have_text("Confirmée")
    page.context.close()

    # The organiser, in the edition's outcomes.
    page = log_in(browser, live_server, world.organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/contacts/")
    page.get_by_test_id("outcomes-link").click()
    expect(page).to_have_url(f"{live_server}/manage/e/{event.slug}/outcomes/")
    listed = page.get_by_test_id("outcome-row")
    expect(listed).to_have_count(1)
    for text in ("Capteurs du Morvan", "Sainte-Énimie", "Anne Morel", "Expérimentation (pilote)", "En cours",
                 "Contact scanné au stand", "La startup", "Confirmée"):
        expect(listed).to_contain_text(text)
    page.get_by_label("Recherche").fill("sainte enimie")
    page.get_by_role("button", name="Filtrer").click()
    expect(listed).to_have_count(1)
    shoot(page, "outcomes-manage-fr")
    page.get_by_test_id("meetings-link").click()
    expect(page.get_by_test_id("meetings")).to_contain_text("Claire Petit")
    shoot(page, "outcomes-meetings-fr")
    page.context.close()
