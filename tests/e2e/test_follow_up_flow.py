"""Issue 18's whole path: a startup records a pilot with a city it met; the mayor confirms it from the follow-up
survey's link without logging in; the organiser sees it in the edition's report and downloads the PDF (its text
read) and the spreadsheet. A small edition built as rows; the survey's mail is read from the outbox."""
import io
import re
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from app.extensions import db
from app.outcomes.models import Outcome
from app.outcomes.survey_jobs import send_surveys
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_outcomes_flow import log_in
from tests.outcomes.outcome_world import build
from tests.outcomes.survey_world import survey_path


def test_a_pilot_recorded_confirmed_from_the_survey_and_read_in_the_report(
        browser: Browser, live_server, event, make_registration, make_organiser, shoot, tmp_path):
    world = build(event, make_registration, make_organiser)

    # The startup, from its contacts list.
    page = log_in(browser, live_server, world.member.person.email)
    page.goto(f"{live_server}/e/{event.slug}/stand/")
    page.get_by_test_id("contact-row").filter(has_text="Anne Morel").get_by_test_id("record-outcome").click()
    page.get_by_label("Expérimentation (pilote)").check()
    page.get_by_label("En cours").check()
    page.get_by_label("Date du statut").fill("2027-06-20")
    page.get_by_label("Notes (facultatif)").fill("Capteurs sur le parking de la mairie")
    page.get_by_role("button", name="Enregistrer la suite").click()
    expect(page.get_by_test_id("outcomes").get_by_test_id("outcome-unconfirmed")).to_have_text("Pas encore confirmée")
    page.context.close()

    # A month after the edition, the survey goes out; the mayor opens its link, not logged in.
    sent = send_surveys(date(2027, 7, 4))
    assert sum(c.num_sent for c in sent) >= 2  # the stand and each official met
    mayor = browser.new_context(locale="fr-FR").new_page()
    mayor.goto(live_server + survey_path(world.official.person.email))
    meeting = mayor.get_by_role("group", name="Capteurs du Morvan")
    expect(meeting).to_contain_text("Expérimentation (pilote) · En cours")
    meeting.get_by_label("Oui, c'est exact").check()
    mayor.get_by_role("button", name="Envoyer mes réponses").click()
    expect(mayor.get_by_role("status")).to_contain_text("Merci : vos réponses sont enregistrées.")
    mayor.context.close()
    db.session.expire_all()
    [pilot] = db.session.query(Outcome).all()
    assert pilot.confirmed_by_id == world.official.person_id

    # The organiser's report counts it, confirmed; the PDF and the spreadsheet hold it.
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(world.organiser.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/e/{event.slug}/report")
    expect(page.get_by_test_id("total-outcomes")).to_have_text("1")
    expect(page.get_by_text("Retombée enregistrée, 1 confirmée")).to_be_visible()
    kinds = page.get_by_role("table", name="Retombées par type et statut")
    expect(kinds.get_by_role("row", name=re.compile("^Expérimentation \\(pilote\\)"))).to_contain_text("1")
    shoot(page, "follow-up-report-fr")

    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    assert "1 retombée enregistrée" in text and "Expérimentation (pilote)" in text and "Sainte-Énimie" in text

    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes()))["outcomes"].iter_rows(values_only=True))
    assert len(rows) == 2
    assert "Capteurs du Morvan" in rows[1] and "Sainte-Énimie" in rows[1] and "Expérimentation (pilote)" in rows[1]
    context.close()
