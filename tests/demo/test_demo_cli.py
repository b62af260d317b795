"""`flask demo`: output, the organiser login, re-runs and bad arguments."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.registrations.models import Registration
from app.registrations.services import RegistrationInput, register


def test_demo_prints_a_login_that_works_and_a_rerun_changes_nothing(app, client, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli"])
    assert result.exit_code == 0, result.output
    assert "Demo edition: demo-cli" in result.output
    login = re.search(r"Organiser login: (\S+) / (\S+)", result.output)
    assert login and login.group(1) == "organisation@mediane.demo"
    assert "Québec" in result.output and "elu 250" in result.output

    response = client.submit("/login", {"email": login.group(1), "password": login.group(2)})
    assert response.status_code == 302

    count = db.session.scalar(select(func.count()).select_from(Registration))
    rerun = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli"])
    assert rerun.exit_code == 0
    assert "already loaded" in rerun.output and "--reset" in rerun.output
    assert login.group(2) not in rerun.output
    assert db.session.scalar(select(func.count()).select_from(Registration)) == count
    # The same client logs out and in again: the `db` fixture's app context shares `g` (and so the
    # cached CSRF token) between requests, which a second client's session would not match.
    assert client.submit("/logout").status_code == 302
    assert client.submit("/login", {"email": login.group(1), "password": "wrong password"}).status_code == 401
    again = client.submit("/login", {"email": login.group(1), "password": login.group(2)})
    assert again.status_code == 302  # the password did not change either


def test_bad_arguments_exit_2_with_a_message(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--seed", "abc"])
    assert result.exit_code == 2 and "--seed" in result.output and "abc" in result.output
    result = runner.invoke(args=["demo", "--slug", "Sommet Nevers!"])
    assert result.exit_code == 2 and "--slug" in result.output
    result = runner.invoke(args=["demo", "--password", "short"])
    assert result.exit_code == 2 and "--password" in result.output


def test_reset_refuses_to_delete_a_real_edition(app, db, event):
    data = RegistrationInput(category=CategoryCode.VISITEUR, email="lea@example.org", first_name="Léa",
                             last_name="Martin", days=[event.starts_on])
    register(event, data, source="web", notify=False)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "--slug", event.slug, "--reset"])
    assert result.exit_code == 2 and "demo did not make" in result.output
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
