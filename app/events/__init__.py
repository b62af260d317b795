"""Editions of the summit: their pages, setup, categories and themes."""
from __future__ import annotations

from flask import Flask

from app.core.access import set_edition_loader
from app.events import services


def init_app(app: Flask) -> None:
    set_edition_loader(app, services.edition_by_slug)
