"""The privacy feature's `subject` room."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers this room's blueprints, commands and tasks."""
