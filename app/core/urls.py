"""Absolute links where there is no request (jobs, commands, mail): PUBLIC_URL stands in for the host."""
from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, has_request_context


def external_url_context():
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])
