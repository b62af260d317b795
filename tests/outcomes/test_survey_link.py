"""The survey's one-time link: no login, answers taken once, expired and unknown links, tampered forms,
the unsubscribe."""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.timefmt import utcnow
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import (Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus,
                                 SurveyInvitation, SurveyOptOut)
from app.outcomes.services import OutcomeInput
from app.outcomes.survey_jobs import send_surveys
from tests.outcomes.survey_world import build_world, survey_mails, survey_path

MAYOR, STARTUP, DECIDER = "anne.morel@nevers.example", "theo@capteurs.example", "sam@bourges.example"


@pytest.fixture
def world(event, make_registration):
    world = build_world(event, make_registration)
    send_surveys(date(2027, 7, 4))
    return world


@pytest.fixture
def pilot(world):
    """A pilot the startup recorded with the mayor, from its stand's scan."""
    return services.record_outcome(world.event, OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS,
                                                             date(2027, 6, 20), notes="Capteurs rue de Nièvre"),
                                   stand=world.stand, registration=world.mayor, source=OutcomeSource.SCAN,
                                   actor_id=world.stand.person_id, side=OutcomeSide.STARTUP)


def invitation_of(email: str) -> SurveyInvitation:
    return next(i for i in db.session.scalars(select(SurveyInvitation)) if i.person.email == email)


def num_outcomes() -> int:
    return db.session.scalar(select(func.count()).select_from(Outcome))


def answers(world, **fields) -> dict:
    """An empty answer (nothing yet) for every meeting of the startup's survey, plus `fields`."""
    data = {}
    for person in (world.mayor, world.decider):
        data.update({f"kind_{person.id}": "", f"status_{person.id}": "planned", f"on_{person.id}": "2027-07-04"})
    data.update(fields)
    return data


def test_the_mayor_confirms_the_startups_pilot_without_logging_in(client, world, pilot):
    path = survey_path(MAYOR)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer" and "no-store" in page.headers["Cache-Control"]
    assert "Sommet des villes moyennes 2027" in html and "Capteurs du Morvan" in html
    assert "Capteurs rue de Nièvre" in html and f'name="confirm_{pilot.id}"' in html
    assert "Lumière Douce" not in html  # a stand she did not meet
    assert invitation_of(MAYOR).opened_at is not None
    response = client.submit(path, {f"confirm_{pilot.id}": "y", f"kind_{world.stand.id}": "",
                                    f"status_{world.stand.id}": "planned", f"on_{world.stand.id}": ""})
    assert response.status_code == 303
    db.session.refresh(pilot)
    assert pilot.confirmed_at is not None and pilot.confirmed_by_id == world.mayor.person_id
    assert num_outcomes() == 1
    assert invitation_of(MAYOR).answered_at is not None
    again = client.get(path)
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert "/login" in text and 'name="confirm_' not in text
    # A second send of the form (a back button) stores nothing and says why.
    replay = client.submit(path, {f"kind_{world.stand.id}": "demo", f"status_{world.stand.id}": "planned",
                                  f"on_{world.stand.id}": "2027-07-01"})
    assert replay.status_code == 409 and num_outcomes() == 1


def test_the_startup_records_what_came_of_each_meeting(client, world):
    path = survey_path(STARTUP)
    html = client.get(path).get_data(as_text=True)
    assert "Anne Morel" in html and "Nevers" in html and "Sam Taylor" in html
    assert "visitor@example.org" not in html
    response = client.submit(path, answers(world, **{f"kind_{world.mayor.id}": "pilot",
                                                     f"status_{world.mayor.id}": "in_progress",
                                                     f"on_{world.mayor.id}": "2027-07-01"}))
    assert response.status_code == 303
    [outcome] = db.session.scalars(select(Outcome)).all()
    assert (outcome.kind, outcome.status, outcome.status_on) == (OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS,
                                                                 date(2027, 7, 1))
    assert outcome.recorded_side == OutcomeSide.STARTUP and outcome.recorded_by_id == world.stand.person_id
    assert outcome.registration_id == world.mayor.id and outcome.source == OutcomeSource.SCAN
    assert outcome.lead_id is not None and outcome.confirmed_at is None


def test_nothing_yet_spends_the_link_and_stores_nothing(client, world):
    path = survey_path(STARTUP)
    assert client.submit(path, answers(world)).status_code == 303
    assert num_outcomes() == 0 and invitation_of(STARTUP).answered_at is not None


@pytest.mark.parametrize("path", ["/survey/s_" + "A" * 43, "/survey/nope", "/survey/s_" + "A" * 44,
                                  "/survey/s_" + "A" * 43 + "/unsubscribe"])
def test_an_unknown_link_is_a_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Ce lien de questionnaire est inconnu" in response.get_data(as_text=True)  # French by default


def test_an_expired_link_is_a_410_and_takes_no_answer(client, world, pilot):
    path = survey_path(MAYOR)
    invitation = invitation_of(MAYOR)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(path).status_code == 410
    response = client.submit(path, {f"confirm_{pilot.id}": "y"})
    assert response.status_code == 410
    db.session.refresh(pilot)
    assert pilot.confirmed_at is None and invitation_of(MAYOR).answered_at is None
    # The unsubscribe still works: a form without its button is refused, the button is heard.
    assert client.submit(path + "/unsubscribe", {}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SurveyOptOut)) == 0
    assert client.submit(path + "/unsubscribe", {"confirm": "yes"}).status_code == 200
    assert db.session.scalar(select(SurveyOptOut.person_id)) == world.mayor.person_id


@pytest.mark.parametrize("tamper, named", [
    ({"kind_{mayor}": "bribe"}, "kind_{mayor}"),
    ({"kind_{mayor}": "pilot", "status_{mayor}": "signed"}, "status_{mayor}"),
    ({"kind_{mayor}": "pilot", "on_{mayor}": "tomorrow"}, "on_{mayor}"),
    ({"kind_{mayor}": "pilot", "on_{mayor}": "1990-01-01"}, "on_{mayor}"),
    ({"kind_{visitor}": "pilot", "status_{visitor}": "planned", "on_{visitor}": "2027-07-01"}, "kind_{visitor}"),
    ({"confirm_999": "y"}, "confirm_999"),
])
def test_a_tampered_form_names_the_error_and_stores_nothing(client, world, tamper, named):
    path = survey_path(STARTUP)
    ids = {"mayor": world.mayor.id, "visitor": world.visitor.id}
    data = answers(world, **{f"kind_{world.decider.id}": "demo"})  # a good answer beside the bad one
    data.update({k.format(**ids): v for k, v in tamper.items()})
    response = client.submit(path, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html
    field = named.format(**ids)
    assert f'href="#{field}"' in html or field in html
    assert num_outcomes() == 0 and invitation_of(STARTUP).answered_at is None


def test_a_post_without_its_csrf_token_is_refused(client, world):
    response = client.post(survey_path(STARTUP), data=answers(world, **{f"kind_{world.mayor.id}": "pilot"}))
    assert response.status_code == 400 and num_outcomes() == 0


def test_unsubscribe_stops_the_next_waves_even_after_the_link_was_used(client, world):
    path = survey_path(DECIDER)
    assert client.submit(path, {f"kind_{world.stand.id}": ""}).status_code == 303
    page = client.get(path + "/unsubscribe")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert 'data-testid="unsubscribe"' in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyOptOut)) == 0  # opening it changes nothing
    done = client.submit(path + "/unsubscribe", {"confirm": "yes"})
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.get_data(as_text=True)
    assert client.submit(path + "/unsubscribe", {"confirm": "yes"}).status_code == 200  # twice: same
    assert db.session.scalar(select(func.count()).select_from(SurveyOptOut)) == 1
    [count] = send_surveys(date(2027, 9, 4))
    assert (count.num_sent, count.num_opted_out) == (2, 1)
    assert len(survey_mails(DECIDER)) == 1


def test_the_page_speaks_the_persons_language(client, world):
    english = client.get(survey_path(DECIDER)).get_data(as_text=True)
    assert '<html lang="en">' in english and "What came of your meetings?" in english
    french = client.get(survey_path(MAYOR)).get_data(as_text=True)
    assert '<html lang="fr">' in french and "What came of your meetings?" not in french


def test_two_sends_of_the_form_at_once_store_the_answers_once(app, world):
    path = survey_path(STARTUP)
    data = answers(world, **{f"kind_{world.mayor.id}": "pilot", f"on_{world.mayor.id}": "2027-07-01"})
    clients = [app.test_client(), app.test_client()]
    tokens = [c.csrf_token() for c in clients]
    barrier, codes = threading.Barrier(2), []

    def send(client, token):
        barrier.wait()
        codes.append(client.post(path, data={**data, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [303, 409]
    assert num_outcomes() == 1


def test_a_date_out_of_range_is_told_beside_its_meeting(client, world):
    response = client.submit(survey_path(STARTUP), answers(world, **{f"kind_{world.mayor.id}": "contract",
                                                                     f"on_{world.mayor.id}": "1990-01-01"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="on_{world.mayor.id}-err"' in html and "Indiquez une date du 1 juin 2026 au" in html
    assert num_outcomes() == 0
