"""JSON request bodies, read one way: bounded in size and depth, finite numbers, no control characters.

`read_json()` is what a JSON view calls instead of `request.get_json()`: a body that is too large, too deeply
nested (Python's parser would overflow its stack), not JSON, or holds a control character is refused with a
400 (413 when too large) whose message names the problem, and the field when there is one. Views that take
JSON say so with `@accepts_json`; any other view refuses a JSON body (415), since the forms and the pages read
only form fields (Flask-WTF would otherwise read the JSON as the form's data).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from app.core.sentences import gettext as _
from app.core.text import first_control_character

#: Nesting levels a body may have: the scanner's batches need 3.
MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class JSONBodyError(HTTPException):
    """A refused JSON body: `reason` is machine-readable, `field` the path of the value at fault, if any."""

    code = 400

    def __init__(self, reason: str, description: str, *, field: str | None = None, status: int = 400):
        super().__init__(description)
        self.code = status
        self.reason = reason
        self.field = field


def accepts_json(view: Callable) -> Callable:
    """Mark a view (below its route and access decorators) as one that reads a JSON body."""
    view.accepts_json = True
    return view


def depth_of(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, strings left out (without parsing it)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN, Infinity, -Infinity: not JSON


def _check_text(value: Any, path: str) -> None:
    if isinstance(value, str):
        found = first_control_character(value)
        if found:
            raise JSONBodyError("control_character", _(
                "“%(field)s” contains a control character (%(char)s): remove it and send again.",
                field=path or "body", char=found), field=path or None)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}[{index}]")


def read_json(*, max_depth: int = MAX_DEPTH, max_bytes: int | None = None, check_text: bool = True) -> Any:
    """The request's JSON body, parsed; JSONBodyError (an HTTP error with its message) when it is refused.

    `check_text=False` leaves control characters to a view that judges each item of a batch on its own (the
    scanner: one scan refused, or its notes cleaned, rather than the whole batch lost)."""
    max_bytes = max_bytes or current_app.config["JSON_MAX_BYTES"]
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    data = request.get_data(cache=True)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JSONBodyError("not_json", _("The request body must be JSON in UTF-8.")) from exc
    if not text.strip():
        raise JSONBodyError("not_json", _("The request body must be JSON."))
    if depth_of(text) > max_depth:
        raise JSONBodyError("too_deep", _("The JSON body is nested too deeply (more than %(max)d levels).",
                                          max=max_depth))
    try:
        body = json.loads(text, parse_float=_finite, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise JSONBodyError("not_json", _("The request body is not valid JSON, or holds a number out of range.")) \
            from exc
    if check_text:
        _check_text(body, "")
    return body


def _too_large(max_bytes: int) -> JSONBodyError:
    return JSONBodyError("too_large", _("The JSON body is too large (at most %(max)d kB).", max=max_bytes // 1024),
                         status=413)


def refuse_json_elsewhere() -> None:
    """A JSON body sent to a view that reads forms is refused rather than read as the form's data."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.is_json:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and not getattr(view, "accepts_json", False):
        raise JSONBodyError("form_expected", _("This address takes a form, not JSON."), status=415)


def init_app(app: Flask) -> None:
    app.before_request(refuse_json_elsewhere)


