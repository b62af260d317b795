"""Numbers in the reader's language, one way everywhere: "7 464" and "41,5" in French, "7,464" and "41.5" in English.

The Jinja filter `number` (app/core/filters.py) calls `format_number`; Python code that builds text calls it too.
"""
from __future__ import annotations

from functools import lru_cache

from babel.numbers import NumberPattern, parse_pattern
from flask_babel import get_locale

#: Shown where a figure is not known yet.
NO_FIGURE = "–"


@lru_cache(maxsize=8)
def _pattern(digits: int) -> NumberPattern:
    # Parsed once: a page of the plan formats hundreds of numbers.
    return parse_pattern("#,##0" + ("." + "#" * digits if digits else ""))


def format_number(value: float | int | None, digits: int = 0) -> str:
    """`value` grouped by thousands, with at most `digits` decimals; a dash when it is not a number."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return NO_FIGURE
    value = round(value, digits)
    if 0 <= value < 1000 and float(value).is_integer():
        return str(int(value))  # the same in every language (no separator, no decimals), and much quicker
    return _pattern(digits).apply(value, get_locale() or "fr")
