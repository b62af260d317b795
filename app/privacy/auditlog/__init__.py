"""The privacy feature's `auditlog` room: the audit table (written by every feature through `app.audit`) read by
the people it is for, an edition's organisers and the platform's staff."""
from __future__ import annotations

from flask import Flask

from app.privacy.auditlog import routes


def init_app(app: Flask) -> None:
    """Registers this room's blueprints, commands and tasks."""
    app.register_blueprint(routes.bp)
