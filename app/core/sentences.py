"""Translated sentences whose counts read the reader's way: "7 464 inscriptions", "7,464 registrations".

A whole number that a sentence takes as `%(name)d` is written by `numbers.format_number` (grouped by
thousands in the interface's language) instead of Python's bare `7464`. Catalogs keep the usual `%(num)d`:
translators and Babel's format checks see nothing new. A number that must not be grouped (a year, an
identifier, a spreadsheet line, an image's pixel size) goes in as `%(name)s`.

Templates get these through Jinja's `_`, `gettext` and `ngettext` (`init_app`); Python code that builds a
sentence with a count imports `gettext` / `ngettext` from here instead of flask_babel.
"""
from __future__ import annotations

import re

from flask import Flask
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app.core.numbers import format_number

_WHOLE = re.compile(r"%\((\w+)\)d")


def _fill(text: str, variables: dict) -> str:
    """`text % variables`, each whole number of 1,000 or more that it takes as `%(name)d` grouped the reader's
    way (a `%(name)s`, a year say, stays as it is)."""
    big = {name for name in _WHOLE.findall(text) if isinstance(variables.get(name), int)
           and not isinstance(variables[name], bool) and abs(variables[name]) >= 1000}
    if big:  # else nothing to group (the common case): plain formatting
        swapped = _WHOLE.sub(lambda m: f"%({m[1]})s" if m[1] in big else m[0], text)
        text = Markup(swapped) if isinstance(text, Markup) else swapped
        variables = {**variables, **{name: format_number(variables[name]) for name in big}}
    return text % variables


def gettext(string: str, /, **variables) -> str:
    """flask_babel.gettext, its counts grouped by thousands."""
    text = get_translations().ugettext(string)
    return _fill(text, variables) if variables else text


def ngettext(singular: str, plural: str, num: int, /, **variables) -> str:
    """flask_babel.ngettext (`num` chooses the form and is `%(num)d` unless given), its counts grouped.
    The leading arguments are positional only, as Jinja's: a sentence may have its own `num` or `string`."""
    variables.setdefault("num", num)
    return _fill(get_translations().ungettext(singular, plural, num), variables)


_ = gettext


@pass_context
def _template_gettext(context: Context, string: str, /, **variables) -> str:
    text = get_translations().ugettext(string)
    # As Jinja's own: always a format string ("100 %%"), and safe HTML once the autoescaped variables are in.
    return _fill(Markup(text) if context.eval_ctx.autoescape else text, variables)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int, /,
                       **variables) -> str:
    variables.setdefault("num", num)
    text = get_translations().ungettext(singular, plural, num)
    return _fill(Markup(text) if context.eval_ctx.autoescape else text, variables)


def init_app(app: Flask) -> None:
    # After Flask-Babel's install_gettext_callables: Jinja's `_` resolves `gettext` at each call.
    app.jinja_env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext)
