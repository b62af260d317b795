"""Cross-cutting web plumbing: access levels, locale, time zones, security headers, error pages."""
from __future__ import annotations

from flask import Flask

from app.core import access, cli, errors, filters, security, urls


def init_app(app: Flask) -> None:
    access.init_app(app)
    security.init_app(app)
    urls.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    cli.init_app(app)
