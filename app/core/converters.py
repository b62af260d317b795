"""URL converters that refuse, with a 404, what no row can match: ids past the database's integers, control characters.

They replace Flask's own `int` and `string` (the default, as in `<slug>`) converters, so every rule of every
feature gets them without naming them (only Flask's static route, added before, keeps its own). A refused
segment makes the rule not match, as a wrong word would: the visitor gets the 404 page, the database never
sees the value.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

from app.core.text import has_control_characters

#: The largest id: every primary key is an INTEGER column, 32 bits on PostgreSQL (where SQLAlchemy also casts
#: the parameter to INTEGER, so a larger number fails the query rather than finding nothing). SQLite could hold
#: 64 bits, but a row past this id cannot exist in the other database, so it is not one of ours.
ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>`: digits only, at most ID_MAX (or the rule's own `max`, if lower)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002  (werkzeug's name)
        super().__init__(map, *args, **kwargs)
        self.max = ID_MAX if self.max is None else min(self.max, ID_MAX)


class TextConverter(UnicodeConverter):
    """`<slug>`, `<code>`, `<token>`...: any segment without control characters."""

    def to_python(self, value: str) -> str:
        if has_control_characters(value):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: a rule picks its converter class when it is added."""
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
