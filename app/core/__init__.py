"""Cross-cutting web plumbing: access levels, locale, time zones, security headers, error pages, and what every
request is checked against before a view reads it (URL converters, control characters, JSON bodies, the
columns' limits)."""
from __future__ import annotations

from flask import Flask

from app.core import (
    access, cli, converters, errors, filters, jsonbody, limits, security, sentences, text, urls,
)


def init_app(app: Flask) -> None:
    converters.init_app(app)  # before any feature adds its rules
    access.init_app(app)
    security.init_app(app)
    urls.init_app(app)
    text.init_app(app)
    jsonbody.init_app(app)
    limits.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    sentences.init_app(app)
    cli.init_app(app)
