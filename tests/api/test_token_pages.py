"""The pages where people make API tokens: an organiser's for the edition, a startup's for its own contacts; the
refusals named on the form with nothing stored; the secret shown once; revoking; `flask api create-token`."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.api.models import ApiToken, token_hash
from app.api.v1 import meta
from app.audit.models import AuditEntry
from app.extensions import db
from app.registrations.services import cancel
from tests.api.conftest import bearer
from tests.conftest import login
from tests.leads.conftest import make_stand as stand_maker

SECRET = re.compile(r'value="(mk_[A-Za-z0-9_-]{40,})"')


def page(event) -> str:
    return f"/manage/e/{event.slug}/api/tokens"


def tokens_count() -> int:
    return db.session.scalar(select(func.count(ApiToken.id)))


def organiser_client(app, event, make_organiser):
    client = app.test_client()
    login(client, make_organiser(event))
    return client


def test_an_organiser_makes_a_token_sees_its_secret_once_and_it_opens_the_api(app, event, make_organiser):
    client = organiser_client(app, event, make_organiser)
    expires = (date.today() + timedelta(days=30)).isoformat()
    answer = client.submit(page(event), {"name": "CRM de la ville", "scopes": ["registrations:read"],
                                         "expires_on": expires})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    html = answer.get_data(as_text=True)
    secret = SECRET.search(html).group(1)
    assert "will not be shown again" in html or "ne sera plus affiché" in html
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == token_hash(secret) and token.scopes == ["registrations:read"]
    assert token.expires_at.date().isoformat() == expires
    # The list shows it without its secret; the next visit never shows the secret again.
    again = client.get(page(event)).get_data(as_text=True)
    assert secret not in again and f"{token.hint}…" in again and "CRM de la ville" in again
    assert client.get(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret)).status_code == 200
    assert secret not in str([e.details for e in db.session.scalars(select(AuditEntry))])


def test_a_token_is_refused_on_the_field_at_fault_and_nothing_is_stored(app, event, make_organiser):
    client = organiser_client(app, event, make_organiser)
    in_3_years = (date.today() + timedelta(days=3 * 365)).isoformat()
    cases = [
        ({"name": "  ", "scopes": ["registrations:read"]}, "name", ("Give the token a name", "Donnez un nom")),
        ({"name": "x" * 81, "scopes": ["registrations:read"]}, "name", ("at most 80", "80 caractères")),
        ({"name": "CRM"}, "scopes", ("Tick at least one", "Cochez au moins")),
        ({"name": "CRM", "scopes": ["leads:read"]}, "scopes", ("leads:read",)),
        ({"name": "CRM", "scopes": ["registrations:read"], "expires_on": date.today().isoformat()},
         "expires_on", ("after today", "postérieure")),
        ({"name": "CRM", "scopes": ["registrations:read"], "expires_on": in_3_years}, "expires_on", ("730",)),
        ({"name": "CRM", "scopes": ["registrations:read"], "expires_on": "31/02/2027"}, "expires_on", ("2027-03-31",)),
    ]
    for data, field, words in cases:
        answer = client.submit(page(event), data)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422, data
        assert f'id="{field}-err"' in html, (data, field)
        error = html[html.index(f'id="{field}-err"'):][:400]
        assert any(w in error for w in words), (data, error)
        assert not SECRET.search(html)
    assert tokens_count() == 0


def test_revoking_a_token_closes_the_api_to_it(app, event, make_organiser, make_token):
    client = organiser_client(app, event, make_organiser)
    secret = make_token(event, ["registrations:read"])
    token = db.session.scalar(select(ApiToken))
    html = client.get(page(event)).get_data(as_text=True)
    assert "never" in html or "jamais" in html
    response = client.submit(f"{page(event)}/{token.id}/revoke")
    assert response.status_code == 302
    answer = client.get(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"
    html = client.get(page(event)).get_data(as_text=True)
    assert "token-revoked" in html


def test_another_editions_token_is_unknown_to_an_organiser(app, event, make_event, make_organiser, make_token):
    other = make_event(slug="autre-2027", name="Autre")
    make_token(other, ["registrations:read"], name="Signalétique")
    theirs = db.session.scalar(select(ApiToken))
    client = organiser_client(app, event, make_organiser)
    assert client.submit(f"{page(event)}/{theirs.id}/revoke").status_code == 404
    assert "Signalétique" not in client.get(page(event)).get_data(as_text=True)
    db.session.refresh(theirs)
    assert theirs.revoked_at is None


def test_a_startup_makes_a_leads_token_for_its_own_stand_only(app, event, make_stand, make_token):
    alpha, beta = make_stand("Alpha"), make_stand("Bêta")
    make_token(event, stand=beta, name="CRM de Bêta")
    betas = db.session.scalar(select(ApiToken))
    client = app.test_client()
    login(client, alpha.person)
    url = f"/e/{event.slug}/stand/api/"
    html = client.get(url).get_data(as_text=True)
    assert "CRM de Bêta" not in html
    answer = client.submit(url, {"name": "Notre CRM", "expires_on": ""})
    assert answer.status_code == 200
    secret = SECRET.search(answer.get_data(as_text=True)).group(1)
    mine = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    assert (mine.stand_id, mine.scopes) == (alpha.id, ["leads:read"])
    assert (mine.expires_at.date() - date.today()).days == app.config["API_TOKEN_DEFAULT_DAYS"]
    assert client.submit(f"{url}{betas.id}/revoke").status_code == 404  # another stand's token (S8)
    assert client.submit(f"{url}{mine.id}/revoke").status_code == 302
    db.session.refresh(betas)
    db.session.refresh(mine)
    assert betas.revoked_at is None and mine.revoked_at is not None
    assert client.submit(url, {"name": ""}).status_code == 422


def test_an_organiser_sees_and_revokes_the_startups_tokens_and_a_cancelled_startup_reads_nothing(
        app, event, make_organiser, make_stand, make_token):
    alpha, beta = make_stand("Alpha"), make_stand("Bêta")
    alphas, betas = make_token(event, stand=alpha, name="CRM d'Alpha"), make_token(event, stand=beta, name="CRM de Bêta")
    client = organiser_client(app, event, make_organiser)
    html = client.get(page(event)).get_data(as_text=True)
    assert "CRM d&#39;Alpha" in html and "CRM de Bêta" in html and 'data-testid="startup-tokens"' in html
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(betas)))
    assert client.submit(f"{page(event)}/{row.id}/revoke").status_code == 302
    answer = client.get(f"/api/v1/events/{event.slug}/leads", headers=bearer(betas))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"
    assert client.get(f"/api/v1/events/{event.slug}/leads", headers=bearer(alphas)).status_code == 200
    cancel(event, [alpha.id], actor_id=None)
    db.session.commit()
    answer = client.get(f"/api/v1/events/{event.slug}/leads", headers=bearer(alphas))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "stand_closed"


def test_flask_api_create_token_prints_the_secret_once_and_names_bad_arguments(app, event):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api", "create-token", "--event", event.slug, "--name", "Porte",
                                 "--scope", "checkins:write", "--scope", "registrations:read"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == token_hash(secret)
    assert token.scopes == ["registrations:read", "checkins:write"]
    for args, words in [(["--event", "nope", "--name", "x", "--scope", "program:read"], "--event"),
                        (["--event", event.slug, "--name", "x", "--scope", "leads:read"], "leads:read"),
                        (["--event", event.slug, "--name", " ", "--scope", "program:read"], "--name"),
                        (["--event", event.slug, "--name", "x", "--scope", "program:read", "--expires", "demain"],
                         "YYYY-MM-DD")]:
        result = runner.invoke(args=["api", "create-token", *args])
        assert result.exit_code == 2 and words in result.output, (args, result.output)
    assert tokens_count() == 1
    # --replace: a rotation, the earlier token of the same name stops working.
    rotated = runner.invoke(args=["api", "create-token", "--event", event.slug, "--name", "Porte",
                                  "--scope", "checkins:write", "--replace"])
    assert rotated.exit_code == 0 and "Revoked 1 earlier token" in rotated.output
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(rotated.stdout.strip())))


def test_the_reference_page_reads_every_operation_of_the_document(client):
    doc = client.get("/api/v1/openapi.json").json
    html = client.get("/api/v1/docs").get_data(as_text=True)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert f'id="{op["operationId"]}"' in html
            assert f"<code>{path}</code>" in html
            if "x-scope" in op:
                assert f"<code>{op['x-scope']}</code>" in html
    assert "Retry-After" in html and "Idempotency-Key" in html and "next_cursor" in html
    assert "<script" not in html.split("</head>")[1]


#: A confirmed startup whose team logs in (the lead-scanning tests' fixture).
make_stand = stand_maker


def test_the_reference_reads_a_write_its_body_its_example_and_named_values():
    """An operation added later (a write with a body, an enum, an example with an apostrophe) reads well too."""
    doc = {"tags": [{"name": "Check-ins"}], "components": {"schemas": {
        "Door": {"enum": ["north", "south"], "type": "string"},
        "CheckInIn": {"type": "object", "required": ["registration_id"], "properties": {
            "registration_id": {"type": "integer", "description": "The `id` of a registration."},
            "door": {"anyOf": [{"$ref": "#/components/schemas/Door"}, {"type": "null"}]}}}}},
        "paths": {"/events/{slug}/checkins": {"post": {
            "operationId": "checkin", "summary": "Check in", "tags": ["Check-ins"], "x-scope": "checkins:write",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/CheckInIn"},
                "example": {"registration_id": 7, "note": "Porte de l'Yonne"}}}},
            "responses": {"201": {"description": "Checked in"}}}}}}
    [(tag, [op])] = meta.operations_by_tag(doc)
    assert (tag, op.method, op.scope, op.body_name) == ("Check-ins", "POST", "checkins:write", "CheckInIn")
    assert [(f.name, f.required, f.type) for f in op.body] == [
        ("registration_id", True, "integer"), ("door", False, "Door (north, south) | null")]
    assert "Porte de l'\\''Yonne" in op.example  # safe inside the curl line's single quotes
    assert str(meta.api_ticks("The `id` <b>")) == "The <code>id</code> &lt;b&gt;"


def test_the_answer_page_reloaded_makes_no_second_token(app, event, make_organiser):
    client = organiser_client(app, event, make_organiser)
    form_id = re.search(r'name="form_id" type="hidden" value="([^"]+)"|id="form_id" name="form_id" type="hidden" '
                        r'value="([^"]+)"', client.get(page(event)).get_data(as_text=True))
    assert form_id
    sent = {"name": "Lettre d'information", "scopes": ["program:read"], "form_id": form_id.group(1) or form_id.group(2)}
    first = client.submit(page(event), sent)
    assert first.status_code == 200 and SECRET.search(first.get_data(as_text=True)) and tokens_count() == 1
    again = client.submit(page(event), sent)  # the browser's "send the form again?"
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and not SECRET.search(html) and tokens_count() == 1
    assert "Lettre d&#39;information" in html.split("<form")[1] or "Lettre d'information" in html
    fresh = re.search(r'name="form_id"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_id"', first.get_data(as_text=True))
    assert fresh and (fresh.group(1) or fresh.group(2)) != sent["form_id"]  # the answer page's form is a new one
