"""The e-mail's signed link: the person asked accepts or declines without logging in. Opening it changes nothing; it
answers once; a forged, damaged or expired link gets a clear page, never a 500, and changes nothing."""
import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.core.timefmt import utcnow
from app.extensions import db
from app.meetings.requests import links
from app.meetings.requests.models import RequestStatus
from tests.meetings.world import ask, mails_to, only_request


@pytest.fixture
def link(app, world):
    ask(app, world, world.startup, world.mayor)
    body = mails_to("maire@nevers.fr")[0].body
    return re.search(r"http://mediane\.test(/meetings/answer/\S+)", body).group(1)


def test_the_link_opens_a_page_without_login_and_answers_once(app, world, link):
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Sam Leroy (Capteurs du Morvan) souhaite vous rencontrer" in page.get_data(as_text=True)
    assert only_request().status is RequestStatus.PENDING  # opening it changed nothing
    done = visitor.submit(link, {"decision": "accept"})
    assert done.status_code == 200 and 'data-testid="link-done"' in done.get_data(as_text=True)
    request = only_request()
    assert request.status is RequestStatus.ACCEPTED and request.answered_by_id == world.mayor.person_id
    assert mails_to("sam@capteurs.fr")[-1].subject.endswith("is accepted")
    # Used: the page says what became of the request and takes no other answer.
    again = visitor.get(link)
    assert 'data-testid="link-used"' in again.get_data(as_text=True) and "Acceptée" in again.get_data(as_text=True)
    refused = visitor.submit(link, {"decision": "decline"})
    assert refused.status_code == 409
    assert only_request().status is RequestStatus.ACCEPTED


def test_a_decline_from_the_link_with_its_reason(app, world, link):
    response = app.test_client().submit(link, {"decision": "decline", "reason": "Pas ce mois-ci."})
    assert response.status_code == 200
    assert (only_request().status, only_request().answer_reason) == (RequestStatus.DECLINED, "Pas ce mois-ci.")


@pytest.mark.parametrize("forge", ["tamper", "other_key", "garbage", "other_recipient"])
def test_a_forged_link_is_a_clear_404(app, world, link, forge):
    token = link.rsplit("/", 1)[1]
    request = only_request()
    if forge == "tamper":
        token = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    elif forge == "other_key":
        token = URLSafeTimedSerializer("not-the-key", salt=links.SALT).dumps({"m": request.id, "r": request.to_registration_id})
    elif forge == "garbage":
        token = "x" * 40
    else:  # signed with the app's key, but for someone else than the recipient
        token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=links.SALT).dumps(
            {"m": request.id, "r": world.deputy.id})
    client = app.test_client()
    for response in (client.get(f"/meetings/answer/{token}"), client.submit(f"/meetings/answer/{token}",
                                                                             {"decision": "accept"})):
        assert response.status_code == 404
        assert "Ce lien n&#39;est pas valide" in response.get_data(as_text=True)
    assert only_request().status is RequestStatus.PENDING


def test_an_old_link_has_expired(app, world, link, monkeypatch):
    monkeypatch.setitem(app.config, "MEETING_LINK_MAX_AGE_DAYS", 0)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 10 ** 10)  # far in the future
    response = app.test_client().submit(link, {"decision": "accept"})
    assert response.status_code == 410 and "Ce lien a expiré" in response.get_data(as_text=True)
    assert only_request().status is RequestStatus.PENDING


def test_the_link_of_an_expired_request(app, world, link):
    only_request().expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(link).status_code == 410
    assert client.submit(link, {"decision": "accept"}).status_code == 409
    assert only_request().status is RequestStatus.PENDING


def test_a_bad_decision_from_the_link(app, world, link):
    response = app.test_client().submit(link, {"decision": "cancel"})
    assert response.status_code == 422 and only_request().status is RequestStatus.PENDING
