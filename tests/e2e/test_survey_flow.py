"""The mayor confirms, from the follow-up survey's link and without logging in, the pilot a startup recorded
with her city; then she unsubscribes. Every page is checked by axe; none loads anything from another site."""
from datetime import date

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.extensions import db
from app.outcomes import services
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus, SurveyOptOut
from app.outcomes.services import OutcomeInput
from app.outcomes.survey_jobs import send_surveys
from tests.outcomes.survey_world import build_world, survey_path


def test_the_mayor_confirms_from_the_survey_link_without_logging_in(browser: Browser, live_server, event,
                                                                    make_registration, shoot):
    world = build_world(event, make_registration)
    pilot = services.record_outcome(event, OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS,
                                                        date(2027, 6, 20), notes="Capteurs rue de Nièvre"),
                                    stand=world.stand, registration=world.mayor, source=OutcomeSource.SCAN,
                                    actor_id=world.stand.person_id, side=OutcomeSide.STARTUP)
    pilot_id = pilot.id
    [count] = send_surveys(date(2027, 7, 4))
    assert count.num_sent == 3
    path = survey_path("anne.morel@nevers.example")

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    requested, errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    response = page.goto(live_server + path)
    assert response.status == 200 and response.headers["referrer-policy"] == "no-referrer"
    expect(page.get_by_role("heading", level=1)).to_have_text("Qu'est-il sorti de vos rencontres ?")
    meeting = page.get_by_role("group", name="Capteurs du Morvan")
    expect(meeting).to_contain_text("La startup a indiqué : Expérimentation (pilote) · En cours · 20 juin 2027")
    expect(meeting).to_contain_text("Capteurs rue de Nièvre")
    expect(page.get_by_role("link", name="Lumière Douce")).to_have_count(0)
    shoot(page, "survey-mayor")
    meeting.get_by_label("Oui, c'est exact").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("status")).to_contain_text("Merci : vos réponses sont enregistrées.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire déjà rempli")
    expect(page.get_by_test_id("survey-closed")).to_contain_text("connectez-vous")
    shoot(page, "survey-answered")
    db.session.expire_all()
    confirmed = db.session.get(Outcome, pilot_id)
    assert confirmed.confirmed_at is not None and confirmed.confirmed_by_id == world.mayor.person_id
    assert db.session.scalars(select(Outcome)).all() == [confirmed]  # "nothing yet" added nothing

    page.reload()  # the link again: it was used, and says so
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire déjà rempli")
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_have_count(0)

    page.get_by_role("link", name="Ne plus recevoir ces questionnaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ne plus recevoir de questionnaire de suivi")
    shoot(page, "survey-unsubscribe")
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_test_id("unsubscribed")).to_contain_text("anne.morel@nevers.example ne recevra plus")
    assert db.session.scalar(select(SurveyOptOut.person_id)) == world.mayor.person_id

    assert errors == []
    response = page.goto(live_server + "/survey/s_" + "x" * 43)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Lien de questionnaire inconnu")
    assert all(url.startswith(live_server) for url in requested), [u for u in requested if not u.startswith(live_server)]
    context.close()
