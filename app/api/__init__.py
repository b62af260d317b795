"""The public API (REST, versioned under /api/v1) for the summit's other tools: its contract (tokens, scopes,
errors, pages, idempotent writes, the OpenAPI document), its resources, the tokens' pages in the back office,
and the webhooks that tell other tools what changed."""
from __future__ import annotations

from flask import Flask

from app.api import tasks, v1, webhooks  # noqa: F401  (tasks: registers the daily purge with huey)
from app.api.contract import errors
from app.api.contract.framework import PREFIX
from app.api.tokens import cli as tokens_cli
from app.api.tokens import routes as tokens_routes
from app.core.errors import add_error_shape


def init_app(app: Flask) -> None:
    add_error_shape(app, PREFIX + "/", errors.shape)
    v1.init_app(app)
    app.register_blueprint(tokens_routes.bp)
    app.register_blueprint(tokens_routes.stand_bp)
    tokens_cli.init_app(app)
    webhooks.init_app(app)
