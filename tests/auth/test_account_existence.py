"""Who has an account does not show (issue 24): a refused login costs one password check whatever the
account, and asking for a reset link gets the same answer and queues the same work.

The time itself is measured by bench/bench_login_timing.py, not asserted here: these tests pin the
behaviour that makes the times alike.
"""
import re

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import services, tasks
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD

EMAIL = "maire@nevers.fr"


@pytest.fixture
def hasher_calls(monkeypatch):
    """The method (algorithm and cost) of every hash a password is checked against."""
    calls = []

    def counting(stored: str, password: str) -> bool:
        calls.append(stored.split("$", 1)[0])
        return check_password_hash(stored, password)
    monkeypatch.setattr(services, "check_password_hash", counting)
    return calls


@pytest.fixture
def accounts(make_person):
    """One address per case: an account, none, one without a password (registered only), a disabled one."""
    make_person("compte@nevers.fr")
    make_person("sans-mot-de-passe@nevers.fr", password=None)
    make_person("desactive@nevers.fr", is_enabled=False)
    return {"account": "compte@nevers.fr", "unknown": "inconnu@nevers.fr",
            "no_password": "sans-mot-de-passe@nevers.fr", "disabled": "desactive@nevers.fr"}


@pytest.mark.parametrize("case", ["account", "unknown", "no_password", "disabled"])
def test_a_refused_login_checks_one_password_hash_whatever_the_account(app, client, accounts, hasher_calls, case):
    response = client.submit("/login", {"email": accounts[case], "password": "not the password"})
    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert hasher_calls == [app.config["PASSWORD_HASH_METHOD"]]  # once, and as costly as a real hash


def test_a_disabled_account_still_checks_its_password_and_says_so_only_to_its_holder(client, accounts, hasher_calls):
    response = client.submit("/login", {"email": accounts["disabled"], "password": TEST_PASSWORD})
    assert response.status_code == 403 and len(hasher_calls) == 1


def test_unknown_addresses_still_count_towards_the_limits(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 2)
    for _ in range(2):
        assert client.submit("/login", {"email": accounts["unknown"], "password": "wrong"}).status_code == 401
    assert client.submit("/login", {"email": accounts["unknown"], "password": "wrong"}).status_code == 429


def test_the_dummy_hash_is_made_like_real_ones_and_never_matches(app, monkeypatch):
    for method in ("scrypt", app.config["PASSWORD_HASH_METHOD"]):
        monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
        real = generate_password_hash("x", method=method)
        assert services._dummy_hash(method).split("$", 1)[0] == real.split("$", 1)[0]
    assert not services._password_matches(None, "")
    assert not services._password_matches(None, "anything")


def answer(client, email: str) -> tuple:
    """What a visitor can see of a reset request: status, redirect, body, cookies set, the message shown."""
    response = client.submit("/password/forgot", {"email": email})
    cookies = sorted(c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flashes = re.findall(r'<div class="flash[^"]*" role="status">([^<]*)</div>', page)
    return response.status_code, response.headers["Location"], response.get_data(), tuple(cookies), tuple(flashes)


def test_asking_for_a_reset_link_answers_and_queues_the_same_whether_or_not_there_is_an_account(
        app, accounts, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "send_reset_link_task", queued.append)
    answers = {case: answer(app.test_client(), email.upper()) for case, email in accounts.items()}
    assert len(set(answers.values())) == 1, answers
    status, location, _body, _cookies, flashes = answers["account"]
    assert status == 302 and location == "/login"
    assert flashes == ("Si un compte existe pour cette adresse, nous lui avons envoyé un lien pour choisir "
                       "un mot de passe.",)
    assert queued == list(accounts.values())  # one task each, the address normalised; nothing else done
    assert db.session.scalar(select(OutboxMessage)) is None


def test_the_queued_task_mails_enabled_accounts_only(client, accounts):
    for email in accounts.values():
        assert client.submit("/password/forgot", {"email": email}).status_code == 302  # tasks run inline in tests
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {accounts["account"], accounts["no_password"]}
