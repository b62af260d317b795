"""Personal data, end to end (issue 19): a person's own export and erasure (`subject`), retention for every kind
of data (`retention`, which erases people through `subject`), and the audit trail an organiser can read
(`auditlog`). It reads every feature's tables, so it sits above them all; this package's root registers its rooms."""
from __future__ import annotations

from flask import Flask

from app.privacy import auditlog, retention, subject
from app.privacy.cli import data_cli


def init_app(app: Flask) -> None:
    subject.init_app(app)
    retention.init_app(app)
    auditlog.init_app(app)
    app.cli.add_command(data_cli)
