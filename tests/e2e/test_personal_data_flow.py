"""A mayor downloads her data from 'Mes données' (the ZIP opens and holds her registration), then asks for her
erasure; the organiser then finds her registration anonymised and the erasure's row in the edition's audit log,
with its counts and no name."""
import json
import zipfile

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.services import set_password
from app.events.models import CategoryCode
from app.extensions import db
from app.people.models import Person
from tests.conftest import TEST_PASSWORD


def test_a_mayor_downloads_her_data_and_asks_for_erasure(browser: Browser, live_server, event, make_registration,
                                                         make_organiser, shoot, tmp_path):
    make_organiser(event, "orga@example.org")
    mayor = make_registration(event, CategoryCode.ELU, email="anne.morel@nevers.example", first_name="Anne",
                              last_name="Morel")
    set_password(mayor.person, TEST_PASSWORD)
    db.session.commit()
    person_id, registration_id = mayor.person_id, mayor.id

    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("anne.morel@nevers.example")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mes données").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    page.get_by_test_id("ask-export").click()
    expect(page.get_by_role("status")).to_contain_text("Votre export est en préparation")
    expect(page.get_by_test_id("export-status")).to_have_text("Prêt")
    shoot(page, "personal-data-ready")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    path = tmp_path / "mes-donnees.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        [row] = json.loads(archive.read("data/registration.json"))
        assert row["id"] == registration_id and row["territory"] == "Nevers"
        assert "Anne Morel" in archive.read("summary.html").decode()
    page.reload()
    expect(page.get_by_test_id("export-status")).to_have_text("Téléchargé")

    # The erasure: the word first, plainly explained.
    expect(page.get_by_test_id("erasure-preview")).to_contain_text("Inscriptions anonymisées")
    page.get_by_test_id("erase-confirm").fill("oui")
    page.get_by_test_id("erase-submit").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Tapez le mot EFFACER")
    page.get_by_test_id("erase-confirm").fill("EFFACER")
    page.get_by_test_id("erase-submit").click()
    expect(page.get_by_test_id("erased")).to_contain_text("Votre compte est fermé")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    shoot(page, "personal-data-erased")
    context.close()

    # The organiser opens her registration: anonymised, nothing left to erase.
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("orga@example.org")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/e/{event.slug}/registrations/{registration_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("[effacé]")
    page.get_by_test_id("person-data").click()
    expect(page.get_by_test_id("already-erased")).to_be_visible()
    page.goto(f"{live_server}/manage/e/{event.slug}/audit")
    page.get_by_label("Action").select_option("privacy.erase")
    page.get_by_role("button", name="Filtrer").click()
    [erasure] = page.get_by_test_id("audit-row").all()
    expect(erasure).to_contain_text("Données d'une personne effacées")
    expect(erasure).not_to_contain_text("Morel")
    shoot(page, "personal-data-audit-row")
    context.close()

    db.session.expire_all()
    assert db.session.get(Person, person_id).email.endswith("@erased.invalid")
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert row.event_id == event.id and row.actor_id == person_id
    assert row.details["counts"]["registrations"] == 1 and "Morel" not in json.dumps(row.details)
