"""The public API (REST, versioned under /api/v1) for the summit's other tools: its contract (tokens, scopes,
errors, pages, idempotent writes, the OpenAPI document), its resources, the tokens' pages in the back office,
and the webhooks that tell other tools what changed."""
from __future__ import annotations

from flask import Flask

from app.api import v1, webhooks
from app.api.contract import errors
from app.api.contract.framework import PREFIX
from app.core.errors import add_error_shape


def init_app(app: Flask) -> None:
    add_error_shape(app, PREFIX + "/", errors.shape)
    v1.init_app(app)
    webhooks.init_app(app)
