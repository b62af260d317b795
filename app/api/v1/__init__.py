"""Version 1 of the public API, under /api/v1: one module a resource, each an ApiBlueprint."""
from __future__ import annotations

from flask import Flask

from app.api.contract import framework
from app.api.v1 import (
    checkins, delegations, events, leads, meta, network, outcomes, plan, program, registration_writes, registrations,
    stands,
)

#: Every resource of the API; each module's `api` holds its endpoints and their declarations.
RESOURCES = (events, registrations, registration_writes, delegations, checkins, program, stands, plan, leads, outcomes,
             network)


def init_app(app: Flask) -> None:
    for module in RESOURCES:
        framework.register(app, module.api)
    app.register_blueprint(meta.bp)
