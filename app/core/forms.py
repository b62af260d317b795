"""Bounds for the numbers of a form, with a message that names the field.

Every IntegerField and FloatField of the app carries an `InRange` (tests/core/test_inputs.py checks it), with
bounds that fit the column the number is stored in: an INTEGER holds 32 bits on PostgreSQL, and a float must
be finite (SQLite stores a NaN as NULL).
"""
from __future__ import annotations

import math

from flask_babel import format_decimal
from flask_babel import gettext as _
from wtforms.validators import ValidationError

INT32_MAX = 2**31 - 1


class InRange:
    """A number from `low` to `high` (inclusive), finite; a missing number is left to Optional/InputRequired."""

    def __init__(self, low: float, high: float, message: str | None = None):
        if not (-INT32_MAX <= low <= high <= INT32_MAX):
            raise ValueError("the bounds of a stored number must fit a 32-bit integer")
        self.low, self.high, self.message = low, high, message
        self.field_flags = {"min": low, "max": high}

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if isinstance(value, float) and not math.isfinite(value) or not self.low <= value <= self.high:
            raise ValidationError(self.message or _(
                "%(field)s: give a number from %(low)s to %(high)s.", field=field.label.text,
                low=format_decimal(self.low), high=format_decimal(self.high)))



#: Fields shown as a group of boxes: a fieldset with a legend, the group's error tied to the fieldset.
GROUP_TYPES = ("MultiCheckboxField", "RadioField")


def error_items(fields) -> list[tuple[str, str, str]]:
    """The errors of a WTForms form (or any list of its fields) as (id of the element to focus, field label,
    message; no id for a hidden field), in the form's order, sub-forms and lists included; a group of boxes points at its first box, a list's own error at the list.
    Feeds the error summary of _form_macros.html."""
    items = []
    for f in fields:
        if f.type == "FieldList":
            items += [(f.id, str(f.label.text), m) for m in f.errors if isinstance(m, str)]  # the list's own
            items += error_items(f.entries)
        elif f.type == "FormField":
            items += error_items(f.form)
        else:
            target = f"{f.id}-0" if f.type in GROUP_TYPES and f.choices else f.id
            if f.type in ("HiddenField", "CSRFTokenField"):
                target = None  # nothing to focus: the message is listed without a link
            items += [(target, str(f.label.text), str(message)) for message in f.errors]
    return items
