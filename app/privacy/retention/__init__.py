"""The privacy feature's `retention` room: every kind of personal data is kept for a period (config.py,
RETENTION_* and LEADS_RETENTION_DAYS), then erased by a daily pass or `flask data purge`, with an audit row of
counts per kind. People past theirs are erased through the subject's erasure (app.privacy.subject)."""
from __future__ import annotations

from flask import Flask

from app.privacy.retention import cli
from app.privacy.retention import tasks  # noqa: F401  (registers the daily pass with huey)


def init_app(app: Flask) -> None:
    """Registers this room's commands (its daily task is registered with huey on import)."""
    cli.init_app(app)
