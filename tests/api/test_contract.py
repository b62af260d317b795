"""How every endpoint behaves: tokens, scopes, editions, rate limit, the one error shape, cursor pages, updated_since,
and the OpenAPI document."""
from __future__ import annotations

import base64
from datetime import date, timedelta

from openapi_spec_validator import validate
from sqlalchemy import select

from app.api.contract.idempotency import purge_old_answers
from app.api.models import ApiToken, IdempotentAnswer, token_hash
from app.api.tokens import services as tokens
from app.core.timefmt import utcnow
from app.events.models import CategoryCode
from app.registrations.models import Registration


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}, body
    return body["error"]


def test_a_token_reads_its_edition_and_its_registrations(api, event, make_token, make_registration):
    elu = make_registration(event, CategoryCode.ELU, first_name="Anne", last_name="Hidalgo")
    token = make_token(event)
    assert api.get("/events", token).get_json()["data"][0]["slug"] == event.slug
    page = api.get(f"/events/{event.slug}/registrations", token).get_json()
    assert [r["last_name"] for r in page["data"]] == ["Hidalgo"] and page["next_cursor"] is None
    one = api.get(f"/events/{event.slug}/registrations/{elu.id}", token).get_json()
    assert one["category"] == "elu" and one["email"] == elu.person.email and one["updated_at"].endswith("Z")


def test_contact_fields_need_their_own_scope(api, event, make_token, make_registration):
    make_registration(event)
    token = make_token(event, ["registrations:read"])
    row = api.get(f"/events/{event.slug}/registrations", token).get_json()["data"][0]
    assert row["email"] is None and row["phone"] is None and row["last_name"]


def test_refusals_have_one_shape_and_the_right_status(api, client, event, make_event, make_token, make_registration):
    other = make_event(slug="sommet-2028", name="Sommet 2028")
    theirs = make_registration(other)
    token = make_token(event, ["program:read"])
    assert client.get(f"/api/v1/events/{event.slug}/registrations").status_code == 401
    missing = api.get(f"/events/{event.slug}/registrations", token)
    assert missing.status_code == 403 and error_of(missing)["code"] == "missing_scope"
    full = make_token(event)
    for path in (f"/events/{other.slug}", f"/events/{other.slug}/registrations",
                 f"/events/{event.slug}/registrations/{theirs.id}", f"/events/{event.slug}/registrations/99999999999"):
        response = api.get(path, full)
        assert response.status_code == 404 and error_of(response)["code"] == "not_found", path
    unknown = api.get("/no/such/thing", full)
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"
    bad = api.get(f"/events/{event.slug}/registrations?colour=blue", full)
    assert bad.status_code == 400 and error_of(bad)["field"] == "colour"
    bad = api.get(f"/events/{event.slug}/registrations?status=lost", full)
    assert bad.status_code == 400 and error_of(bad)["field"] == "status"
    bad = api.get(f"/events/{event.slug}/registrations?updated_since=2027-06-02T09:00:00", full)
    assert bad.status_code == 400 and "time zone" in error_of(bad)["message"]
    bad = api.get(f"/events/{event.slug}/registrations?cursor=nonsense", full)
    assert bad.status_code == 400 and error_of(bad)["code"] == "cursor_invalid"


def test_revoked_expired_and_made_up_tokens_are_401(api, db, event, make_token):
    revoked = make_token(event)
    tokens.revoke_token(db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(revoked))),
                        actor_id=None)
    expired = make_token(event)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(expired)))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for token, code in ((revoked, "token_revoked"), (expired, "token_expired"), ("mk_" + "x" * 43, "token_invalid"),
                        ("d_device-token", "token_invalid")):
        response = api.get("/events", token)
        assert response.status_code == 401 and error_of(response)["code"] == code
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_rate_limit_per_token_says_when_to_retry(api, app, event, make_token, minute_to_spare):
    token, other = make_token(event), make_token(event, name="Autre")
    app.config["API_REQUESTS_PER_MINUTE"] = 3
    try:
        statuses = [api.get("/events", token).status_code for _ in range(4)]
        limited = api.get("/events", token)
        assert statuses == [200, 200, 200, 429] and 1 <= int(limited.headers["Retry-After"]) <= 60
        assert error_of(limited)["code"] == "rate_limited"
        assert api.get("/events", other).status_code == 200  # per token, not per address
    finally:
        app.config["API_REQUESTS_PER_MINUTE"] = 600


def test_pages_follow_each_other_and_a_sync_reads_only_what_changed(api, db, event, make_token, make_registration):
    people = [make_registration(event) for _ in range(7)]
    token = make_token(event)
    seen, cursor = [], None
    while True:
        query = f"?limit=3&cursor={cursor}" if cursor else "?limit=3"
        page = api.get(f"/events/{event.slug}/registrations{query}", token).get_json()
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.id for r in people) and len(seen) == 7
    last_sync = max(r.updated_at for r in people) + timedelta(seconds=1)
    changed = db.session.get(Registration, people[2].id)
    changed.job_title = "Directrice de l'innovation"
    changed.updated_at = last_sync + timedelta(seconds=5)
    db.session.commit()
    since = (last_sync.isoformat() + "+00:00").replace("+", "%2B")
    page = api.get(f"/events/{event.slug}/registrations?updated_since={since}", token).get_json()
    assert [r["id"] for r in page["data"]] == [people[2].id]


def test_tokens_are_shown_once_and_stored_hashed(db, event):
    made = tokens.create_token(event, name="Signalétique", scopes=["program:read"], expires_on=None, actor_id=None)
    db.session.commit()
    stored = db.session.get(ApiToken, made.token.id)
    assert made.secret.startswith("mk_") and len(made.secret) >= 40
    assert stored.token_hash == token_hash(made.secret) and made.secret not in (stored.hint, stored.token_hash)
    assert stored.expires_at.date() == date.today() + timedelta(days=90)


def test_the_openapi_document_is_valid_and_lists_every_endpoint(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    served = {(rule.rule.removeprefix("/api/v1").replace("<int(max=2147483647):", "{").replace("<", "{")
               .replace(">", "}"), method)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and not rule.endpoint.startswith("api_docs.")  # the document itself and its reference page
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


def test_stored_answers_are_forgotten_after_two_days(api, app, db, event, make_token):
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == token_hash(make_token(event))))
    db.session.add_all([IdempotentAnswer(token_id=token_id, key="old", fingerprint="0" * 64, status_code=201, body="{}",
                                         created_at=utcnow() - timedelta(hours=49)),
                        IdempotentAnswer(token_id=token_id, key="new", fingerprint="0" * 64, status_code=201, body="{}",
                                         created_at=utcnow() - timedelta(hours=47))])
    db.session.commit()
    assert purge_old_answers() == 1
    assert db.session.scalars(select(IdempotentAnswer.key)).all() == ["new"]


def test_strange_cursors_and_ids_are_refused_not_a_crash(api, event, make_token):
    token = make_token(event)
    for raw in (b'["2027-01-01T00:00:00", 1000000000000000000000000000000]', b'["2027-01-01T00:00:00", -5]',
                b'{"a": 1}', b'["not a time", 3]'):
        cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        response = api.get(f"/events/{event.slug}/registrations?cursor={cursor}", token)
        assert response.status_code == 400 and error_of(response)["code"] == "cursor_invalid", raw
    for body in ({"stand_id": 10**30, "registration_id": 1}, {"stand_id": True, "registration_id": 1},
                 {"stand_id": "3", "registration_id": 1}):
        response = api.post(f"/events/{event.slug}/outcomes", token, json={**body, "kind": "demo", "status": "planned",
                                                                             "status_on": "2027-06-03"})
        assert response.status_code == 422 and error_of(response)["field"] == "stand_id", body


def test_a_refused_value_is_explained_in_the_readers_language(api, event, make_token):
    token = make_token(event)
    path = f"/events/{event.slug}/registrations"
    body = {"category": "visiteur", "email": "pas-une-adresse", "first_name": "Alix", "last_name": "Marche",
            "days": ["2027-06-02"]}
    french = api.post(path, token, json=body, headers={"Accept-Language": "fr"})
    assert french.status_code == 422 and error_of(french) == {
        "code": "invalid_body", "field": "email", "message": "email : n'est pas une adresse e-mail valide"}
    english = api.post(path, token, json={**body, "email": "alix@example.org", "days": "2027-06-02"},
                       headers={"Accept-Language": "en"})
    assert error_of(english)["field"] == "days" and error_of(english)["message"] == "days: must be a list"
    missing = api.post(path, token, json={"category": "visiteur"}, headers={"Accept-Language": "fr"})
    assert error_of(missing)["message"] == "email : obligatoire"
