"""Control characters in what people send.

C0 control characters other than tab, CR and line feed, and DEL, are never part of a name, a title or a search:
they are invisible, PostgreSQL refuses a NUL in a text column, and the others break badges, .ics lines and
exports. What a person types in a form or a query string is cleaned here, once, before any view reads it: the
characters are removed (a person cannot see them, so could not correct them if asked to). A machine's JSON is
refused instead, naming the field (`app.core.jsonbody`): a client that sends them has a bug to fix. A path
segment with one names nothing (`app.core.converters`: 404).
"""
from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def first_control_character(text: str) -> str | None:
    """The first control character of `text` as U+XXXX, or None."""
    match = CONTROL_CHARACTERS.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def _cleaned(data: MultiDict) -> ImmutableMultiDict | None:
    """`data` without control characters in its keys and values, or None when it has none."""
    if not any(has_control_characters(key) or has_control_characters(value)
               for key, value in data.items(multi=True) if isinstance(value, str)):
        return None
    return ImmutableMultiDict([
        (strip_control_characters(key), strip_control_characters(value) if isinstance(value, str) else value)
        for key, value in data.items(multi=True)])


def clean_request() -> None:
    """Remove control characters from the query string, the form fields and the uploaded files' names."""
    args = _cleaned(request.args)
    if args is not None:
        request.args = args
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = _cleaned(request.form)
        if form is not None:
            request.form = form
        for upload in request.files.values():
            if upload.filename and has_control_characters(upload.filename):
                upload.filename = strip_control_characters(upload.filename)
    request.__dict__.pop("values", None)  # request.values combines the two: read again from the clean ones


def init_app(app: Flask) -> None:
    app.before_request(clean_request)
