"""Registrations to an edition: the public form, the organiser's back office, delegations, imports."""
from __future__ import annotations

from flask import Flask

from app.core.access import add_role_provider
from app.registrations import levels


def init_app(app: Flask) -> None:
    add_role_provider(app, levels.attendee_levels)
