"""Exhibitor lead scanning: stands, paired devices, scans, contacts (issue 7)."""
from __future__ import annotations

from flask import Flask

from app.core.access import set_device_authenticator
from app.leads import api


def init_app(app: Flask) -> None:
    set_device_authenticator(app, api.authenticate_device)
