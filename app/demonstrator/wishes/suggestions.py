"""Wishes that other features suggest to the organiser (the network: startups that the officials' cities asked
to replicate). A feature registers a provider at start-up; the organiser's wishes page lists what the providers
return, each with its confirm and dismiss forms. Nothing here touches the scores: a suggestion counts only once
the organiser confirms it, which makes an ordinary wish."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from app.events.models import Event
from app.registrations.models import Registration

EXTENSION_KEY = "mediane.demonstrator.wish_suggestions"


@dataclass(frozen=True)
class WishSuggestion:
    official: Registration
    stand: Registration
    #: Why it is suggested, in the reader's language ("Ville de Nevers asked to replicate Stationnement...").
    why: str
    #: Where the organiser's POST confirms it (a wish is made) or dismisses it.
    confirm_url: str
    dismiss_url: str


def add_wish_suggestions(app: Flask, provider: Callable[[Event], list[WishSuggestion]]) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(provider)


def wish_suggestions(event: Event) -> list[WishSuggestion]:
    return [row for provider in current_app.extensions.get(EXTENSION_KEY, []) for row in provider(event)]
