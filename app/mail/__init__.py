"""E-mail: the outbox, delivery by SMTP, and the mail templates of every feature."""
from __future__ import annotations

from flask import Blueprint, Flask

from app.mail import tasks  # noqa: F401  (registers the delivery task and its periodic retry with huey)

#: No routes: it only lends its templates (mail/*.txt) to the app.
bp = Blueprint("mail", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
