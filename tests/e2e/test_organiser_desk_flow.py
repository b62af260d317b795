"""The organiser at her desk, in Chromium at 1440x900 (issue 16): her login lands on the back office, approving
says who and what was sent, a delegation member is found by a search, the outbox finds a password reset mail,
and the jobs list names its jobs in French."""
from playwright.sync_api import Browser, expect

from app.auth.services import send_reset_link
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.registrations import delegations
from tests.conftest import TEST_PASSWORD


def test_the_organisers_desk(browser: Browser, live_server, event, make_organiser, make_registration, shoot):
    organiser = make_organiser(event, "orga@nevers.fr")
    benoit = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent", territory="Auxerre",
                               email="benoit.laurent@auxerre.fr")
    for n in range(12):
        make_registration(event, CategoryCode.ELU, first_name="Élu", last_name=f"Numéro {n}", territory="Sens")
    auxerre = delegations.create_delegation(event, "Délégation d'Auxerre", actor_id=None)
    send_reset_link(benoit.person.email)
    db.session.add(Job(event_id=event.id, kind="print_badges", status=JobStatus.RUNNING, progress=0.3,
                       message="12/40", params={"selection": {"delegation_id": auxerre.id}, "sheet": "a4x4"}))
    db.session.add(Job(event_id=event.id, kind="visits.plan", status=JobStatus.DONE, progress=1.0,
                       message="best 17582.0, bound 21943.3", params={"plan_id": 0},
                       result={"version": 3, "visits": 1176, "objective": 17582.0, "bound": 21943.3}))
    db.session.commit()

    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(organiser.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # She lands on her edition's back office, not on the public home page.
    expect(page).to_have_url(f"{live_server}/manage/e/{event.slug}/")
    expect(page.get_by_test_id("registration-count")).to_have_text("13 inscriptions actives")
    shoot(page, "desk-landing")

    page.goto(f"{live_server}/manage/e/{event.slug}/registrations/{benoit.id}")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".flash-success")).to_have_text(
        "Benoît Laurent : inscription confirmée. 1 e-mail de confirmation en file d'envoi.")
    shoot(page, "desk-approved")

    page.goto(f"{live_server}/manage/e/{event.slug}/delegations/{auxerre.id}")
    expect(page.get_by_role("heading", name="Délégation d'Auxerre")).to_be_visible()
    page.get_by_label("Ajouter des élus et des décideurs").fill("benoit laurent")
    page.get_by_label("Ajouter des élus et des décideurs").press("Enter")
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text("1 personne trouvée pour « benoit laurent »")
    candidates.get_by_label("Benoît Laurent").check()
    shoot(page, "desk-delegation-search")
    page.get_by_role("button", name="Enregistrer la délégation").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table.list")).to_contain_text("Benoît Laurent")
    shoot(page, "desk-delegation-saved")

    page.goto(f"{live_server}/manage/e/{event.slug}/outbox")
    page.get_by_label("Rechercher").fill("mot de passe")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_test_id("outbox-count")).to_have_text("1 e-mail correspond à « mot de passe ».")
    reset = page.get_by_test_id("outbox-message")
    expect(reset).to_contain_text("benoit.laurent@auxerre.fr")
    expect(reset).to_contain_text("gardé ici (pas de serveur de messagerie configuré)")
    reset.locator("summary").click()
    expect(reset).to_contain_text("[lien masqué : il ouvre le compte du destinataire]")
    shoot(page, "desk-outbox-reset")

    page.goto(f"{live_server}/manage/e/{event.slug}/jobs/")
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Calcul des parcours de visite")
    expect(rows.nth(0).get_by_test_id("job-subject")).to_have_text("Plan de visites, version 3")
    expect(rows.nth(1)).to_contain_text("Impression de badges")
    expect(rows.nth(1).get_by_test_id("job-subject")).to_have_text(
        "Délégation : Délégation d'Auxerre · A4, quatre badges par feuille avec traits de coupe")
    expect(rows.nth(1)).to_contain_text("Badges générés : 12 sur 40")
    expect(page.locator("main")).not_to_contain_text("visits.plan")
    expect(page.locator("main")).not_to_contain_text("bound")
    shoot(page, "desk-jobs")
    context.close()
