"""Every endpoint of the public API against every kind of token, in one matrix drawn from the endpoints' own
declarations (a new endpoint is in it the day it is declared): a token lacking the scope gets 403, a token of
another edition 404, a revoked or expired token 401, and a token that may call it never a 401, 403 or 500."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.api.contract.framework import PREFIX, operations
from app.api.models import ApiToken, token_hash
from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens import services as tokens
from app.core.timefmt import utcnow
from app.events.models import Event
from app.registrations.models import Registration
from tests.test_access_matrix import world  # noqa: F401  (the access matrix's edition, with one of everything)

KINDS = ["organiser", "organiser_without_the_scope", "startup", "other_edition", "revoked", "expired"]


def _token(db, event, scopes, *, stand=None, name="matrix"):
    made = tokens.create_token(event, name=name, scopes=scopes, expires_on=None, actor_id=None, stand=stand)
    db.session.commit()
    return made.secret


def _row(db, secret):
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))


def _url(op, values) -> str:
    return PREFIX + re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), op.path)


def expected(op, kind: str) -> str:
    """'ok' (any answer but 401, 403, 500), or the status the token must get."""
    if kind in ("revoked", "expired"):
        return "401"
    if kind == "other_edition":  # an organiser's token: a stand's contacts are out of its scopes wherever they are
        return "403" if op.scope == "leads:read" else "404" if "slug" in op.path_params else "ok"
    if op.scope is None:
        return "ok"
    if kind == "startup":
        return "ok" if op.scope == "leads:read" else "403"
    if kind == "organiser":
        return "403" if op.scope == "leads:read" else "ok"
    return "403"  # organiser_without_the_scope


@pytest.mark.parametrize("kind", KINDS)
def test_every_endpoint_with_every_kind_of_token(app, db, world, client, kind):  # noqa: F811
    _, values = world
    event = db.session.scalar(select(Event).where(Event.slug == values["slug"]))
    other = db.session.scalar(select(Event).where(Event.slug == "autre-edition"))
    stand = db.session.get(Registration, values["startup_id"])
    failures = []
    for op in operations(app):
        if kind == "organiser":
            secret = _token(db, event, list(ORGANISER_SCOPES))
        elif kind == "organiser_without_the_scope":
            secret = _token(db, event, [s for s in ORGANISER_SCOPES if s != op.scope] or ["program:read"])
        elif kind == "startup":
            secret = _token(db, event, ["leads:read"], stand=stand)
        elif kind == "other_edition":
            secret = _token(db, other, list(ORGANISER_SCOPES))
        else:
            secret = _token(db, event, list(ORGANISER_SCOPES))
            row = _row(db, secret)
            if kind == "revoked":
                row.revoked_at = utcnow()
            else:
                row.expires_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        response = client.open(_url(op, values), method=op.method, json={} if op.write else None,
                               headers={"Authorization": f"Bearer {secret}"})
        want, got = expected(op, kind), response.status_code
        good = got not in (401, 403) and got < 500 if want == "ok" else got == int(want)
        body = response.get_json(silent=True)
        if got >= 400 and not (isinstance(body, dict) and set(body.get("error", {})) == {"code", "message", "field"}):
            good = False
        if not good:
            failures.append(f"{op.method} {op.path} ({op.scope}) with {kind}: {got} (wanted {want})")
    assert failures == []
