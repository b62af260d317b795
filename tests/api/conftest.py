"""API tokens and a client that sends them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens import services as tokens
from app.extensions import db as database
from tests.api.webhook_receiver import start_receiver


@pytest.fixture
def make_token(db):
    """An API token's secret for `event`: every organiser scope unless told, or a startup's (`stand=`)."""
    def make(event, scopes=None, *, stand=None, name="CRM de la ville", expires_on=None, actor_id=None):
        if scopes is None:
            scopes = ["leads:read"] if stand is not None else list(ORGANISER_SCOPES)
        made = tokens.create_token(event, name=name, scopes=list(scopes), stand=stand, actor_id=actor_id,
                                   expires_on=expires_on or date.today() + timedelta(days=30))
        database.session.commit()
        return made.secret
    return make


def bearer(secret: str, **headers) -> dict:
    return {"Authorization": f"Bearer {secret}", **headers}


@pytest.fixture
def api(client):
    """`api.get(path, token)` / `api.post(path, token, json=..., key=...)`: paths below /api/v1."""
    class Api:
        def get(self, path, token, **kwargs):
            return client.get("/api/v1" + path, headers=bearer(token, **kwargs.pop("headers", {})), **kwargs)

        def send(self, method, path, token, *, json=None, key=None, **kwargs):
            headers = bearer(token, **kwargs.pop("headers", {}))
            if key is not None:
                headers["Idempotency-Key"] = key
            return client.open("/api/v1" + path, method=method, headers=headers, json=json, **kwargs)

        def post(self, path, token, **kwargs):
            return self.send("POST", path, token, **kwargs)

        def patch(self, path, token, **kwargs):
            return self.send("PATCH", path, token, **kwargs)
    return Api()


@pytest.fixture
def receiver():
    """A webhook receiver on loopback: what it received (`.received`, `.url`), and what it answers next."""
    found, server = start_receiver()
    yield found
    server.shutdown()
    server.server_close()
