"""`flask demo`: output, the organiser login, re-runs and bad arguments."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.demo.generator import describe_edition
from app.events.models import CategoryCode, Event
from app.registrations.models import Registration
from app.registrations.services import RegistrationInput, register


def login_of(output: str) -> tuple[str, str]:
    match = re.search(r"Organiser login: (\S+) / (\S+)", output)
    assert match, output
    return match.group(1), match.group(2)


def test_demo_prints_a_working_login_reruns_change_nothing_and_reset_reloads_the_same(app, client, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli"])
    assert result.exit_code == 0, result.output
    assert "Demo edition: demo-cli" in result.output
    email, password = login_of(result.output)
    assert email == "organisation@mediane.demo"
    assert "Québec" in result.output and "elu 250" in result.output
    assert client.submit("/login", {"email": email, "password": password}).status_code == 302
    event = db.session.scalar(select(Event).where(Event.slug == "demo-cli"))
    fingerprint = describe_edition(event).fingerprint

    rerun = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli"])
    assert rerun.exit_code == 0
    assert "already loaded" in rerun.output and "--reset" in rerun.output
    assert password not in rerun.output
    assert describe_edition(event).fingerprint == fingerprint
    # The same client logs out and in again: the `db` fixture's app context shares `g` (and so the
    # cached CSRF token) between requests, which a second client's session would not match.
    assert client.submit("/logout").status_code == 302
    assert client.submit("/login", {"email": email, "password": "wrong password"}).status_code == 401
    assert client.submit("/login", {"email": email, "password": password}).status_code == 302

    reset = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli", "--reset"])
    assert reset.exit_code == 0, reset.output
    _email, new_password = login_of(reset.output)
    assert new_password != password
    db.session.expire_all()
    event = db.session.scalar(select(Event).where(Event.slug == "demo-cli"))
    assert describe_edition(event).fingerprint == fingerprint
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1000
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


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
    assert result.exit_code == 2 and "not made by the demo" in result.output
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
