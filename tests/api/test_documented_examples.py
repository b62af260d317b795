"""The OpenAPI document tells the truth: every documented operation, called as the document says (its path, its
request example, the scope it names), answers its documented success status, and the answer validates against the
documented schema. Ids and the badge code of the examples are taken from the test's edition."""
from __future__ import annotations

import re

from openapi_schema_validator import OAS31Validator
from sqlalchemy import select

from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens import services as tokens
from app.badging import services as badging
from app.events.models import Event
from app.registrations.models import Registration
from tests.test_access_matrix import world  # noqa: F401  (the access matrix's edition, with one of everything)

ORDER = {"get": 0, "post": 1, "patch": 2}


def _secret(db, event, scopes, stand=None) -> str:
    made = tokens.create_token(event, name="examples", scopes=scopes, expires_on=None, actor_id=None, stand=stand)
    db.session.commit()
    return made.secret


def _filled(example, values: dict):
    """The example with its ids (and badge code) those of the test's edition."""
    if isinstance(example, dict):
        return {k: (values[k] if k in values and k != "slug" else _filled(v, values)) for k, v in example.items()}
    return example


def test_every_documented_operation_works_as_documented(app, db, client, world):  # noqa: F811
    _, values = world
    event = db.session.scalar(select(Event).where(Event.slug == values["slug"]))
    attendee = db.session.get(Registration, values["registration_id"])
    stand = db.session.get(Registration, values["startup_id"])
    organiser = _secret(db, event, list(ORGANISER_SCOPES))
    startup = _secret(db, event, ["leads:read"], stand=stand)
    body_values = {"registration_id": values["registration_id"], "stand_id": values["startup_id"],
                   "badge_code": badging.current_token(attendee).token}
    document = client.get("/api/v1/openapi.json").get_json()
    operations = sorted(((path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()),
                        key=lambda item: ORDER[item[1]])
    assert len(operations) >= 26 and sum(method != "get" for _, method, _ in operations) >= 6
    failures = []
    for path, method, op in operations:
        url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        token = startup if op.get("x-scope") == "leads:read" else organiser
        content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        body = _filled(content["example"], body_values) if "example" in content else None
        if "requestBody" in op and body is None:
            failures.append(f"{method.upper()} {path}: no example")
            continue
        response = client.open(url, method=method.upper(), json=body, headers={"Authorization": f"Bearer {token}"})
        success = [code for code in op["responses"] if code.startswith("2")]
        if str(response.status_code) not in success:
            failures.append(f"{method.upper()} {path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
            continue
        schema = op["responses"][str(response.status_code)].get("content", {}).get("application/json", {})
        if "schema" in schema:
            errors = list(OAS31Validator({**schema["schema"], "components": document["components"]})
                          .iter_errors(response.get_json()))
            if errors:
                failures.append(f"{method.upper()} {path}: answer does not match its schema: {errors[0].message}")
    assert failures == []
