"""The demo summit: `flask demo` loads a whole edition, the same for the same seed."""
from __future__ import annotations

from flask import Flask

from app.demo import cli


def init_app(app: Flask) -> None:
    cli.init_app(app)
