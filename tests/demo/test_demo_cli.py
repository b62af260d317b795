"""`flask demo` end to end (the one full load of the suite, then a reset), and bad arguments."""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from app.auth.models import EventRole, RoleName
from app.demo import data
from app.demo.generator import describe_edition
from app.demonstrator.plans import planning, results
from app.demonstrator.hall.models import Stand
from app.events.models import CategoryCode, Event
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.services import RegistrationInput, register
from tests.demo.test_demo_previous import assert_previous_edition

PHONE_PREFIX = {"FR": "+33 ", "CA": "+1 ", "BE": "+32 ", "CH": "+41 ", "LU": "+352 ", "MA": "+212 ",
                "SN": "+221 ", "CI": "+225 ", "TN": "+216 ", "CM": "+237 "}


def login_of(output: str) -> tuple[str, str]:
    match = re.search(r"Organiser login: (\S+) / (\S+)", output)
    assert match, output
    return match.group(1), match.group(2)


def assert_realistic(db, slug: str, output: str) -> None:
    """The loaded edition looks like the real summit: counts, countries, delegations, phones, roles."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    summary = describe_edition(event)
    for country in data.COUNTRIES:
        assert country in output

    assert summary.num_registrations == 1000
    assert summary.by_category["elu"] == 250
    assert summary.by_category["intervenant"] == 100
    assert summary.num_startups == 120
    assert summary.by_status["confirmed"] > 800
    assert 20 <= summary.by_status["pending"] <= 100
    assert summary.by_status["waitlisted"] > 0 and summary.by_status["cancelled"] > 0

    rows = db.session.execute(select(Registration, Person).join(Person).where(Registration.event_id == event.id)
                              .options(selectinload(Registration.themes))).all()
    emails = [person.email for _r, person in rows]
    assert len(emails) == len(set(emails)) == 1000
    assert len({person.country for _r, person in rows}) == 10  # Québec and the rest of Canada are both CA
    for registration, person in rows:
        assert person.phone.startswith(PHONE_PREFIX[person.country]), person.phone
        assert registration.days and 1 <= len(registration.themes) <= 4
    assert Counter(r.consent_directory for r, _p in rows)[False] > 200  # many leave it unticked

    delegations = db.session.scalars(select(Delegation).where(Delegation.event_id == event.id)
                                     .options(selectinload(Delegation.members))).all()
    assert len(delegations) >= 20
    for delegation in delegations:
        assert 2 <= len(delegation.members) <= 6
        assert delegation.coordinator in delegation.members
        assert [m.protocol_rank for m in delegation.members] == list(range(1, len(delegation.members) + 1))
        assert delegation.members[0].category.code == CategoryCode.ELU
        assert all(m.status != RegistrationStatus.CANCELLED for m in delegation.members)

    startups = db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.STARTUP).where(
        Organisation.id.in_(select(Registration.organisation_id).where(Registration.event_id == event.id)))).all()
    assert len(startups) == 120 and all(o.pitch and o.website.startswith("https://") for o in startups)
    cities = db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.COLLECTIVITE)).all()
    assert all(o.population for o in cities)
    exhibitors = db.session.scalars(select(EventRole).where(EventRole.role == RoleName.EXHIBITOR)).all()
    assert len(exhibitors) > 150 and all(r.organisation.kind == OrganisationKind.STARTUP for r in exhibitors)

    assert all(r.source == "demo" for r, _p in rows)

    # The demonstrator: a hall of stands held by the accepted startups, and a published plan that passes `check`.
    stands = db.session.scalars(select(Stand).where(Stand.event_id == event.id)).all()
    assert len(stands) == 120 and sum(1 for s in stands if s.bookings) > 80
    plan = planning.published_plan(event)
    assert plan is not None and plan.figures["num_visitors_in_problem"] > 150  # delegations count once
    assert results.check_plan(plan) == []
    assert "Demonstrator: 120 stands" in output and f"{plan.figures['num_visits']} visits" in output


def assert_api_tokens(client, db, event, output: str) -> str:
    """The city's CRM token (printed once, used already, working), the door system's and a startup's."""
    match = re.search(r"API token \(city CRM, registrations:read\): (mk_\S+)", output)
    assert match, output
    made = list(db.session.scalars(select(ApiToken).where(ApiToken.event_id == event.id)))
    assert sorted((t.scopes[0], t.stand_id is not None, t.created_by_id is not None) for t in made) == [
        ("checkins:write", False, True), ("leads:read", True, True), ("registrations:read", False, True)]
    assert [t.scopes for t in made if t.last_used_at is not None] == [["registrations:read"]]
    assert sum(output.count(t.hint) for t in made) == 1  # one secret printed: the CRM's
    answer = client.get(f"/api/v1/events/{event.slug}/registrations?limit=2",
                        headers={"Authorization": f"Bearer {match.group(1)}"})
    assert answer.status_code == 200 and len(answer.json["data"]) == 2 and answer.json["next_cursor"]
    # The CRM's webhook, with the deliveries of its last days (one retried after a 502), all delivered.
    [hook] = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id))
    sent = list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == hook.id)))
    assert len(sent) == 8 and {d.status for d in sent} == {"delivered"} and max(d.attempts for d in sent) == 2
    assert all(d.payload["type"] == d.kind and d.payload["data"]["id"] for d in sent)
    return match.group(1)


def test_demo_prints_a_working_login_reruns_change_nothing_and_reset_reloads_the_same(app, client, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli", "--plan-seconds", "5"])
    assert result.exit_code == 0, result.output
    assert "Demo edition: demo-cli" in result.output
    email, password = login_of(result.output)
    assert email == "organisation@mediane.demo"
    assert_realistic(db, "demo-cli", result.output)
    assert_previous_edition(db, "demo-cli", result.output)
    assert client.submit("/login", {"email": email, "password": password}).status_code == 302
    event = db.session.scalar(select(Event).where(Event.slug == "demo-cli"))
    api_token = assert_api_tokens(client, db, event, result.output)
    fingerprint = describe_edition(event).fingerprint
    past_fingerprint = describe_edition(db.session.scalar(select(Event).where(Event.slug == "demo-cli-2026"))).fingerprint

    rerun = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli"])
    assert rerun.exit_code == 0
    assert "already loaded" in rerun.output and "--reset" in rerun.output
    assert "Previous edition: demo-cli-2026" in rerun.output
    assert password not in rerun.output and api_token not in rerun.output
    assert describe_edition(event).fingerprint == fingerprint
    # The same client logs out and in again: at this branch's base, requests share the `db` fixture's
    # app context and so `g`'s cached CSRF token, which a second client's session would not match.
    assert client.submit("/logout").status_code == 302
    assert client.submit("/login", {"email": email, "password": "wrong password"}).status_code == 401
    assert client.submit("/login", {"email": email, "password": password}).status_code == 302

    reset = runner.invoke(args=["demo", "--seed", "7", "--slug", "demo-cli", "--reset", "--plan-seconds", "0"])
    assert reset.exit_code == 0, reset.output
    _email, new_password = login_of(reset.output)
    assert new_password != password
    db.session.expire_all()
    event = db.session.scalar(select(Event).where(Event.slug == "demo-cli"))
    assert describe_edition(event).fingerprint == fingerprint
    # The previous edition was remade with it: the same people, statuses and delegations.
    past = db.session.scalar(select(Event).where(Event.slug == "demo-cli-2026"))
    assert describe_edition(past).fingerprint == past_fingerprint
    assert "Previous edition: demo-cli-2026 (closed" in reset.output
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1000 + 700
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2


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


def test_demo_refuses_the_production_settings_unless_asked(app):
    app.config["IS_PRODUCTION"] = True
    try:
        result = app.test_cli_runner().invoke(args=["demo", "--slug", "prod-check"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code == 2 and "--in-production" in result.output
