"""An organiser makes an API token for the city's CRM, copies it from the one page that shows it, the CRM calls the
API with it (the page then shows its last use), she revokes it and the API refuses it; the reference page lists
the operations. A startup's team makes its own leads:read token."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import Browser, expect

from tests.conftest import TEST_PASSWORD
from tests.leads.conftest import make_stand as stand_maker


def log_in(browser: Browser, base: str, email: str):
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def call(url: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}", "Accept-Language": "fr"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback test server)
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_organiser_makes_uses_and_revokes_a_token(browser: Browser, live_server, event, make_organiser,
                                                     make_registration, shoot):
    make_registration(event, first_name="Anne", last_name="Morel")
    organiser = make_organiser(event)
    page = log_in(browser, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/")
    page.get_by_role("navigation", name="Édition").get_by_role("link", name="API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jetons d'API")
    expect(page.get_by_test_id("tokens")).to_contain_text("Aucun jeton pour l'instant.")

    # A refusal names its field, and keeps what was typed.
    page.get_by_label("Nom du jeton (l'outil qui l'utilise)").fill("CRM de la ville")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Cochez au moins une chose que le jeton peut faire.")
    expect(page.get_by_label("Nom du jeton (l'outil qui l'utilise)")).to_have_value("CRM de la ville")

    page.get_by_label("Lire les inscriptions et les délégations").check()
    page.get_by_role("button", name="Créer le jeton").click()
    shown = page.get_by_test_id("new-token")
    expect(shown).to_contain_text("il ne sera plus affiché")
    secret = page.get_by_test_id("token-secret").input_value()
    assert secret.startswith("mk_") and len(secret) > 40
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    shown.get_by_role("button", name="Copier").click()
    expect(shown.get_by_role("status")).to_have_text("Copié")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    row = page.get_by_test_id("token-row").filter(has_text="CRM de la ville")
    expect(row.get_by_test_id("last-used")).to_have_text("jamais")
    expect(row.get_by_test_id("token-status")).to_have_text("Actif")
    shoot(page, "api-tokens-created-fr")

    # The CRM uses it; the page (reloaded, the secret gone) shows the last use.
    status, body = call(f"{live_server}/api/v1/events/{event.slug}/registrations", secret)
    assert status == 200 and [r["last_name"] for r in body["data"]] == ["Morel"]
    page.goto(f"{live_server}/manage/e/{event.slug}/api/tokens")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()
    row = page.get_by_test_id("token-row").filter(has_text="CRM de la ville")
    expect(row.get_by_test_id("last-used")).not_to_have_text("jamais")
    shoot(page, "api-tokens-fr")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("revoke").click()
    expect(page.get_by_role("status").first).to_contain_text("est révoqué")
    expect(row.get_by_test_id("token-status")).to_have_text("Révoqué")
    status, body = call(f"{live_server}/api/v1/events/{event.slug}/registrations", secret)
    assert status == 401 and body["error"]["code"] == "token_revoked"

    # The reference, from the tokens' page.
    page.get_by_role("navigation", name="API").get_by_role("link", name="Référence de l'API").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Référence de l'API")
    operations = page.get_by_test_id("api-operation")
    expect(operations.filter(has_text="/events/{slug}/registrations").first).to_contain_text("registrations:read")
    expect(page.get_by_role("heading", name="Limite de requêtes")).to_be_visible()
    shoot(page, "api-docs-fr")
    page.context.close()


def test_a_startup_makes_a_token_for_its_contacts(browser: Browser, live_server, event, make_stand, shoot):
    stand = make_stand("Capteurs du Morvan")
    page = log_in(browser, live_server, stand.person.email)
    page.goto(f"{live_server}/e/{event.slug}/stand/")
    page.get_by_role("navigation", name="Stand").get_by_role("link", name="API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès à vos contacts par l'API")
    page.get_by_label("Nom du jeton (l'outil qui l'utilise)").fill("Notre CRM")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("il ne sera plus affiché")
    expect(page.get_by_test_id("token-row")).to_contain_text("Lire les contacts du stand")
    shoot(page, "api-stand-token-fr")
    page.context.close()


def test_the_demo_summits_tokens_page_reads_well(browser: Browser, live_server, demo_summit, shoot):
    page = log_in(browser, live_server, demo_summit.organiser_email)
    page.goto(f"{live_server}/manage/e/{demo_summit.slug}/api/tokens")
    rows = page.get_by_test_id("tokens").first.get_by_test_id("token-row")
    expect(rows).to_have_count(2)
    # The startup's own token, made on its stand's pages, is listed apart with its stand's name.
    expect(page.get_by_test_id("startup-tokens").get_by_test_id("token-row")).to_have_count(1)
    expect(page.get_by_test_id("startup-tokens")).to_contain_text("Lire les contacts du stand")
    crm = rows.filter(has_text="CRM de la Ville de Nevers")
    expect(crm).to_contain_text("Lire les inscriptions et les délégations")
    expect(crm.get_by_test_id("last-used")).not_to_have_text("jamais")
    expect(rows.filter(has_text="Contrôle d'accès").get_by_test_id("last-used")).to_have_text("jamais")
    shoot(page, "api-tokens-demo-fr")
    # The city CRM's webhook and its deliveries of the last days, one of them sent on the second attempt.
    page.get_by_role("navigation", name="API").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_test_id("webhook-endpoints")).to_contain_text("https://crm.nevers.example/webhooks/mediane")
    deliveries = page.get_by_test_id("webhook-deliveries").locator("tbody tr")
    expect(deliveries).to_have_count(8)
    expect(deliveries.filter(has_text="registration.updated")).to_contain_text("200")
    shoot(page, "api-webhooks-demo-fr")
    page.get_by_role("navigation", name="API").get_by_role("link", name="Jetons").click()
    page.get_by_test_id("languages").get_by_role("link", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    page.get_by_role("navigation", name="API").get_by_role("link", name="API reference").click()
    expect(page.get_by_role("heading", name="Rate limit")).to_be_visible()
    shoot(page, "api-docs-en")
    page.context.close()


#: A confirmed startup whose team logs in (the lead-scanning tests' fixture).
make_stand = stand_maker
