"""An élu registers on the public page, an organiser approves, the confirmation is in the outbox."""
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import TEST_PASSWORD

TEXTS = {
    "fr": {"locale": "fr-FR", "category": "Élu", "pending": "En attente de validation", "apply": "Appliquer",
           "confirm": "Confirmer", "confirmed": "Confirmée", "subject": "est confirmée", "send": "Envoyer mon inscription",
           "login": "Se connecter", "mandate": "Maire"},
    "en": {"locale": "en-GB", "category": "Elected official", "pending": "Pending approval", "apply": "Apply",
           "confirm": "Confirm", "confirmed": "Confirmed", "subject": "is confirmed", "send": "Send my registration",
           "login": "Log in", "mandate": "Mayor"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_elected_official_registers_and_is_approved(browser: Browser, live_server, event, make_organiser, shoot, lang):
    t = TEXTS[lang]
    organiser = make_organiser(event, f"orga-{lang}@example.org")
    email = f"claire.dubois-{lang}@lourdes.fr"

    visitor = browser.new_context(locale=t["locale"])
    page = visitor.new_page()
    page.goto(f"{live_server}/e/{event.slug}/register")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_test_id("category-elu").click()
    page.get_by_label("Prénom" if lang == "fr" else "First name").fill("Claire")
    page.get_by_label("Nom" if lang == "fr" else "Last name", exact=True).fill("Dubois-Saint-Éloi")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mandat" if lang == "fr" else "Mandate").select_option(label=t["mandate"])
    page.get_by_label("Commune ou territoire" if lang == "fr" else "City or territory").fill("Lourdes")
    page.locator("input[name=days]").first.check()
    page.locator("input[name=themes][value=tourisme]").check()
    shoot(page, f"registration-form-{lang}")
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_test_id("registration-status")).to_have_text(t["pending"])
    shoot(page, f"registration-done-{lang}")
    visitor.close()

    staff = browser.new_context(locale=t["locale"])
    page = staff.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(organiser.email)
    page.get_by_label("Mot de passe" if lang == "fr" else "Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name=t["login"]).click()
    page.goto(f"{live_server}/manage/e/{event.slug}/registrations?status=pending")
    row = page.get_by_test_id("registration-row").filter(has_text=email)
    expect(row).to_have_count(1)
    row.locator("input[name=ids]").check()
    page.locator("#bulk-action").select_option("approve")
    page.get_by_role("button", name=t["apply"]).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.get_by_test_id("registration-row").filter(has_text=email)).to_have_count(0)  # no longer pending
    page.goto(f"{live_server}/manage/e/{event.slug}/registrations")
    expect(page.get_by_test_id("registration-row").filter(has_text=email)).to_contain_text(t["confirmed"])
    shoot(page, f"registrations-list-{lang}")

    page.goto(f"{live_server}/manage/e/{event.slug}/outbox")
    message = page.get_by_test_id("outbox-message").filter(has_text=email).filter(
        has=page.locator("summary strong", has_text=t["subject"]))
    expect(message).to_have_count(1)
    staff.close()

    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.person.last_name == "Dubois-Saint-Éloi"
    mails = db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.recipient == email)
                               .order_by(OutboxMessage.id)).all()
    assert mails == ["registration_received", "registration_confirmed"]
