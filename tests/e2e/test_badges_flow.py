"""An organiser prints a delegation's badges and downloads them; a staff member checks a person in twice."""
import io

import pypdfium2 as pdfium
import zxingcpp
from playwright.sync_api import Browser, expect

from app.badging import services
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.delegations import create_delegation, set_members
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD


def test_print_a_delegation_then_check_in_twice(browser: Browser, live_server, event, make_organiser,
                                                make_registration, shoot, tmp_path):
    members = [make_registration(event, CategoryCode.ELU, first_name=f, last_name=l)
               for f, l in (("Josée", "Bouchard-Côté"), ("Réjean", "Tremblay"))]
    approve(event, [m.id for m in members], actor_id=None)
    delegation = create_delegation(event, "Délégation de Shawinigan", actor_id=None)
    set_members(event, delegation, [m.id for m in members], members[0].id, actor_id=None)
    organiser = make_organiser(event)
    db.session.commit()

    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(organiser.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/e/{event.slug}/badges/")
    page.get_by_label("Délégation").select_option(label="Délégation de Shawinigan")
    page.get_by_role("button", name="Imprimer").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Terminée")
    shoot(page, "badges-job-fr")
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    path = tmp_path / "badges.pdf"
    download.value.save_as(path)
    document = pdfium.PdfDocument(io.BytesIO(path.read_bytes()))
    assert len(document) == 2
    decoded = {r.text for p in document for r in zxingcpp.read_barcodes(p.render(scale=3).to_pil())}
    assert decoded == {services.current_token(m).token for m in members}

    token = services.current_token(members[1]).token
    page.goto(f"{live_server}/manage/e/{event.slug}/badges/checkin")
    page.get_by_label("Porte").fill("Entrée principale")
    page.get_by_label("Scannez le badge ou tapez son code").fill(token)
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(page.get_by_test_id("checkin-result")).to_contain_text("Réjean Tremblay")
    expect(page.get_by_test_id("checkin-result")).to_contain_text("Bienvenue")
    page.get_by_label("Scannez le badge ou tapez son code").fill(token)
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    result = page.get_by_test_id("checkin-result")
    expect(result).to_contain_text("Déjà enregistré")
    expect(result).to_contain_text(organiser.full_name)
    shoot(page, "checkin-again-fr")
    context.close()
