"""An organiser adds a webhook endpoint (a private address refused first), sees its secret, rotates it, watches a
registration reach the receiver and sends the delivery again: the same Webhook-Id arrives twice."""
import json

from playwright.sync_api import Browser, expect

from tests.api.webhook_receiver import start_receiver
from tests.conftest import TEST_PASSWORD


def test_an_organiser_sets_up_a_webhook_and_sends_a_delivery_again(browser: Browser, live_server, event,
                                                                  make_organiser, make_registration):
    receiver, server = start_receiver()
    try:
        organiser = make_organiser(event)
        page = browser.new_context(locale="fr-FR").new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("E-mail", exact=True).fill(organiser.email)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto(f"{live_server}/manage/e/{event.slug}/")
        page.get_by_role("navigation", name="Édition").get_by_role("link", name="API").click()
        page.get_by_role("navigation", name="API").get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        expect(page.get_by_test_id("webhook-deliveries")).to_contain_text("Aucun envoi pour l'instant.")

        page.get_by_role("link", name="Ajouter une adresse de réception").click()
        page.get_by_label("Adresse (URL)").fill("https://10.0.0.7/hooks")
        page.get_by_label("Une inscription est créée").check()
        page.get_by_role("button", name="Ajouter l'adresse").click()
        expect(page.get_by_test_id("error-summary")).to_contain_text("10.0.0.7 est une adresse privée ou locale")

        page.get_by_label("Adresse (URL)").fill(receiver.url)
        page.get_by_label("Description").fill("CRM de la ville")
        page.get_by_role("button", name="Ajouter l'adresse").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Modifier une adresse de réception")
        secret = page.get_by_label("Secret", exact=True)
        first_secret = secret.input_value()
        assert first_secret.startswith("whsec_")
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Changer le secret").click()
        expect(page.get_by_text("Un nouveau secret est créé")).to_be_visible()
        assert page.get_by_label("Secret", exact=True).input_value() not in ("", first_secret)

        make_registration(event, first_name="Inès", last_name="Garnier")
        assert len(receiver.received) == 1

        page.get_by_role("link", name="Retour aux webhooks").click()
        deliveries = page.get_by_test_id("webhook-deliveries")
        expect(deliveries).to_contain_text("registration.created")
        expect(deliveries).to_contain_text("Livré")
        deliveries.get_by_role("link", name="registration.created").click()
        expect(page.get_by_test_id("delivery-payload")).to_contain_text("\"first_name\": \"Inès\"")
        expect(page.get_by_test_id("delivery-code")).to_have_text("200")
        page.get_by_role("button", name="Envoyer à nouveau").click()
        expect(page.get_by_text("L'envoi est renvoyé, avec le même identifiant.")).to_be_visible()
        first, again = receiver.received
        assert first.headers["webhook-id"] == again.headers["webhook-id"] == json.loads(again.body)["id"]
    finally:
        server.shutdown()
        server.server_close()
