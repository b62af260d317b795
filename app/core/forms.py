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
