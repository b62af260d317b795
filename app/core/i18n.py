"""Language choice (the visitor's explicit switch, else the browser's, else French), and the texts people
write in two languages.

An organiser or a startup writes a text in French (`name`, `pitch`...) and may add its English twin beside
it (`name_en`, `pitch_en`...): `localized` picks the one of the interface's language, the French when the
English is empty. In a page's text, `localized_html` marks that French `lang="fr"` on an English page, so that a
screen reader reads it with a French voice (WCAG 3.1.2). Country names are Babel's (CLDR) names of the ISO codes, in the interface's language.
"""
from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from markupsafe import Markup, escape


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # jobs and commands
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def supported_locale(code: str | None) -> str:
    """`code` when the interface speaks it, else the default: the language of a mail or a job for a person whose
    stored language may be missing or one the site no longer offers."""
    return code if code in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The interface's language ("fr" or "en"), also inside flask_babel.force_locale (mails, badges)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_locale(language: str | None = None) -> str:
    """The Babel locale dates are written in: English is written the British way, as its spelling is."""
    language = language or current_language()
    return current_app.config["FORMAT_LOCALES"].get(language, language)


def localized(obj: object, field: str, language: str | None = None) -> str:
    """`obj.<field>` (French) or, in English, `obj.<field>_en` when it is filled."""
    if (language or current_language()) == "en":
        english = getattr(obj, f"{field}_en", None)
        if english and english.strip():
            return english
    return getattr(obj, field) or ""


def localized_html(obj: object, field: str, language: str | None = None) -> Markup:
    """`localized`, for a page's text: the French shown in place of an empty English is marked `lang="fr"`."""
    language = language or current_language()
    text = localized(obj, field, language)
    if text and language != "fr" and text is getattr(obj, field):
        return Markup('<span lang="fr">{}</span>').format(text)
    return escape(text)


def country_name(code: str, language: str | None = None) -> str:
    """The country of an ISO 3166 code in the interface's language ("BE": Belgique, Belgium); the code if unknown."""
    return Locale.parse(language or current_language()).territories.get(code, code)
