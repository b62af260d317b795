"""Logging in and out, throttling (S6), ending sessions (S7), password reset."""
import importlib.util
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

import config
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD, login
from tests.forged_host import forged_submit, links_in


def test_login_with_the_right_password_opens_the_account_page(client, make_person):
    person = make_person("mayor@example.org")
    login(client, person)
    assert client.get("/me").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, make_person):
    person = make_person()
    response = client.submit("/login", {"email": person.email, "password": "not the password"})
    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_login_is_throttled_per_account_even_with_the_right_password(client, make_person, app):
    person = make_person()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert client.submit("/login", {"email": person.email, "password": "wrong-password"}).status_code == 401
    response = client.submit("/login", {"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert client.get("/me").status_code == 302


def test_login_is_throttled_per_address_across_accounts(client, make_person, app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for n in range(3):
            client.submit("/login", {"email": f"nobody{n}@example.org", "password": "wrong-password"})
        person = make_person()
        assert client.submit("/login", {"email": person.email, "password": TEST_PASSWORD}).status_code == 429
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 30


def test_login_form_without_csrf_token_is_refused(client, make_person):
    person = make_person()
    response = client.post("/login", data={"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/me").status_code == 302


def test_logout_invalidates_a_copied_session_cookie(app, make_person):
    person = make_person()
    first, thief = app.test_client(), app.test_client()
    login(first, person)
    cookie = first.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/me").status_code == 200
    first.submit("/logout")
    assert thief.get("/me").status_code == 302


def test_remember_me_cookie_stops_working_after_logout(app, make_person):
    person = make_person()
    device = app.test_client()
    device.submit("/login", {"email": person.email, "password": TEST_PASSWORD, "remember": "y"})
    remember = device.get_cookie("remember_token")
    assert remember is not None
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/me").status_code == 200
    device.submit("/logout")
    stale = app.test_client()
    stale.set_cookie("remember_token", remember.value)
    assert stale.get("/me").status_code == 302


def test_password_change_ends_other_sessions_but_not_this_one(app, make_person):
    person = make_person()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, person)
    login(phone, person)
    response = laptop.submit("/account/password", {"current": TEST_PASSWORD, "password": "a brand new password",
                                                   "confirm": "a brand new password"})
    assert response.status_code == 302
    assert laptop.get("/me").status_code == 200
    assert phone.get("/me").status_code == 302


def test_disabling_an_account_ends_its_sessions(client, make_person):
    person = make_person()
    login(client, person)
    person.is_enabled = False
    db.session.commit()
    assert client.get("/me").status_code == 302
    assert client.submit("/login", {"email": person.email, "password": TEST_PASSWORD}).status_code == 403


def test_password_reset_by_email_token(client, make_person):
    person = make_person("reset@example.org", locale="en")
    response = client.submit("/password/forgot", {"email": "RESET@example.org"})
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "reset@example.org"))
    assert message is not None and "password" in message.subject.lower()
    path = re.search(r"http://[^/]+(/password/reset/\S+)", message.body).group(1)
    assert client.submit(path, {"password": "my new password!", "confirm": "my new password!"}).status_code == 302
    assert client.submit("/login", {"email": person.email, "password": "my new password!"}).status_code == 302
    # The link is single-use: the password it was issued against has changed.
    client.submit("/logout")
    assert client.get(path).status_code == 302
    assert "/password/forgot" in client.get(path).headers["Location"]


def test_forgot_password_does_not_reveal_unknown_addresses(client):
    response = client.submit("/password/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert db.session.scalar(select(OutboxMessage)) is None


def test_login_redirect_never_leaves_the_site(client, make_person):
    person = make_person()
    response = client.submit("/login?next=//evil.example/steal", {"email": person.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_reset_link_uses_the_public_address_whatever_host_the_request_names(app, client, make_person):
    make_person("maire@nevers.fr")
    assert forged_submit(client, "/password/forgot", {"email": "maire@nevers.fr"}).status_code == 302
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "maire@nevers.fr"))
    assert "evil.example" not in message.body
    [link] = links_in(message.body)
    assert link.startswith(app.config["PUBLIC_URL"] + "/password/reset/")  # http://mediane.test in the tests


def test_without_public_url_development_links_to_the_flask_run_address(app, client, make_person, monkeypatch):
    """PUBLIC_URL unset: links go to http://127.0.0.1:5000 (where `flask run` listens), never to the Host."""
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    spec = importlib.util.spec_from_file_location("config_without_public_url", Path(config.__file__))
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    assert fresh.DevelopmentConfig.PUBLIC_URL == fresh.DEV_PUBLIC_URL == "http://127.0.0.1:5000"
    monkeypatch.setitem(app.config, "PUBLIC_URL", fresh.DevelopmentConfig.PUBLIC_URL)
    make_person("maire@nevers.fr")
    forged_submit(client, "/password/forgot", {"email": "maire@nevers.fr"})
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "maire@nevers.fr"))
    assert links_in(message.body)[0].startswith("http://127.0.0.1:5000/password/reset/")


def test_asking_for_reset_links_over_and_over_mails_the_account_three_times_an_hour(app, client, make_person):
    """The "forgot password" form answers the same every time, but no one can flood an inbox through it."""
    make_person("victim@example.org")
    make_person("other@example.org")
    for _ in range(6):
        response = client.submit("/password/forgot", {"email": "victim@example.org"})
        assert response.status_code == 302
    client.submit("/password/forgot", {"email": "other@example.org"})
    mails = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "password_reset")).all()
    assert mails.count("victim@example.org") == app.config["PASSWORD_RESET_MAILS_PER_HOUR"] == 3
    assert mails.count("other@example.org") == 1
    # An hour later, she may ask again.
    db.session.execute(update(OutboxMessage).values(created_at=OutboxMessage.created_at - timedelta(minutes=61)))
    db.session.commit()
    client.submit("/password/forgot", {"email": "victim@example.org"})
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == "victim@example.org")) == 4
