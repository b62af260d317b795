"""Whole numbers that the code reads itself from a query string or a form (pages, filters, ticked rows, ids of
a selection), read one way and bounded, so that no number reaches the database outside what it can hold.

- In a query string (a page, a filter of a list) a value that is absent, not a whole number or out of bounds
  gives the default: like the other filters of a list, nonsense is ignored rather than an error page.
- In a form, a value that is not a whole number within bounds is refused: `BadParameter`, a 400 whose
  message names the field (routes that render their form show it next to it instead).
Form classes check their own numbers with `app.core.forms.InRange`.
"""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from app.core.converters import ID_MAX


class BadParameter(BadRequest):
    """A number that is not what the page takes; its description names the field (shown on the error page)."""

    reason = "bad_parameter"

    def __init__(self, name: str, low: int, high: int, label: str | None = None):
        super().__init__(_("%(name)s: give a whole number from %(low)s to %(high)s.",
                           name=label or _("“%(name)s”", name=name), low=format_decimal(low),
                           high=format_decimal(high)))
        self.field = name


def parse_int(raw: str | None, *, low: int, high: int) -> int | None:
    """`raw` as an int in [low, high], or None: blank, not a whole number, out of bounds."""
    raw = (raw or "").strip()
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses; 19 digits and more are out of bounds.
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit() and len(digits) < 19):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def query_int(args, name: str, *, default: int | None, low: int = 1, high: int = ID_MAX) -> int | None:
    """The query parameter `name` as an int in [low, high]; `default` when it is absent or is not one."""
    value = parse_int(args.get(name), low=low, high=high)
    return default if value is None else value


def query_id(args, name: str) -> int | None:
    """An id in a query string (a filter by delegation...), or None."""
    return query_int(args, name, default=None)


def form_int(form, name: str, *, default: int | None, low: int = 1, high: int = ID_MAX,
             label: str | None = None) -> int | None:
    """The form field `name` as an int in [low, high]; `default` when it is blank; BadParameter (naming `label`,
    else the field) when it is anything else."""
    raw = form.get(name)
    if not (raw or "").strip():
        return default
    value = parse_int(raw, low=low, high=high)
    if value is None:
        raise BadParameter(name, low, high, label)
    return value


def form_id(form, name: str) -> int | None:
    """An id chosen in a form (a delegation, a coordinator...): None when blank."""
    return form_int(form, name, default=None)


def form_ids(form, name: str) -> list[int]:
    """Every value `name` of a form (ticked rows) as ids; blanks are left out."""
    values = (form_int({name: raw}, name, default=None) for raw in form.getlist(name))
    return [value for value in values if value is not None]
