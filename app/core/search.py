"""Searching people the way an organiser types: accents, case and punctuation ignored, every word required.

The text a search looks into is folded once, when a row is written, into a `search_key` column (the
`SearchKey` mixin keeps it up to date on every insert and update); a query is folded the same way and each
of its words must appear in one of the columns searched. The same on SQLite and PostgreSQL, with no
database extension: "benoit laurent" finds "Benoît Laurent", and "laurent benoit" too.
"""
from __future__ import annotations

import unicodedata
from typing import ClassVar

from sqlalchemy import Text, and_, event, false, or_
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

#: Words of a query beyond this many are ignored (a pasted paragraph is not a search).
MAX_WORDS = 8
#: Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """`text` in lower case without accents, every run of other characters than letters and digits one space:
    "Benoît LAURENT-Gagné" -> "benoit laurent gagne"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def search_words(query: str) -> list[str]:
    """The folded words of a query (none for a query of punctuation alone)."""
    return fold(query).split()[:MAX_WORDS]


def every_word_in(query: str, *columns) -> ColumnElement:
    """A condition true when each word of `query` is in one of the folded `columns` (a query without any word,
    punctuation alone, finds nothing).

    A folded word holds letters and digits only, so it needs no escaping in LIKE."""
    words = search_words(query)
    if not words:
        return false()
    return and_(*(or_(*(column.like(f"%{word}%") for column in columns)) for word in words))


class SearchKey:
    """A model mixin: `search_key` holds the folded text of the attributes named in `search_fields`,
    refreshed whenever the row is inserted or updated through the ORM."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_key: Mapped[str] = mapped_column(Text, default="")

    def refresh_search_key(self) -> None:
        self.search_key = fold(" ".join(str(getattr(self, name) or "") for name in self.search_fields))


@event.listens_for(SearchKey, "before_insert", propagate=True)
@event.listens_for(SearchKey, "before_update", propagate=True)
def _refresh(mapper, connection, target: SearchKey) -> None:
    target.refresh_search_key()
