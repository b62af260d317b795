"""How the map of personal data is written: one `Rule` per way a table holds a person's rows.

A person ("her") is one account (`person`) and one registration per edition. A rule names the table, the columns
that point at her (a person column is compared with her account, a registration column with her registrations in
every edition; `match` replaces that for tables that name her without a foreign key), whether the rows are hers to
export, and what erasure does to them:

- DELETE: the rows serve her alone (a role, a preference, a reminder sent, a mail to her);
- ANONYMISE: the row stays for the edition's figures, its personal fields blanked (`blank`);
- KEEP: the row stays as it is: it holds no personal field, and once her registration is anonymised nothing leads
  back to her (a check-in counts, a planned visit counts, a seat counts);
- UNLINK: her person column is set to NULL (what she did, as staff, to the edition's rows).

Rows found by a registration column that is the *stand's* (a startup's registration holds its stand) are the
stand's data, not hers: they are kept and not exported (`export=False`), whatever the stand's person is.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, false, or_
from sqlalchemy.sql.elements import ColumnElement


class Erase(enum.StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"
    UNLINK = "unlink"


@dataclass(frozen=True)
class Her:
    """Who the rules look for: her account, her registrations in every edition, and what names her in free text."""

    person_id: int
    registration_ids: tuple[int, ...]
    email: str
    full_name: str
    phone: str
    now: datetime

    @property
    def needles(self) -> tuple[str, ...]:
        """What names her in free text: her e-mail, her full name (both orders), her phone."""
        first, _, last = self.full_name.partition(" ")
        names = [self.full_name, f"{last} {first}".strip()] if self.full_name.strip() else []
        return tuple(dict.fromkeys(n for n in (self.email, *names, self.phone) if len(n.strip()) >= 4))


#: A value of `blank` may depend on her (her e-mail becomes a unique address of no one) or on the time.
Blank = Any | Callable[[Her], Any]


@dataclass(frozen=True)
class Rule:
    table: str
    #: The columns pointing at her that this rule covers (person or registration foreign keys, or the text
    #: columns `match` compares).
    columns: tuple[str, ...]
    erase: Erase
    #: True: the rows go into her export. False: they are not hers (the stand's, the edition's): `why` says.
    export: bool
    #: The key her erasure's counts use ("check-ins kept", "mails deleted"...).
    kind: str
    blank: Mapping[str, Blank] = field(default_factory=dict)
    #: Columns never exported: secrets and files (a token is exported as its SHA-256, see `hashed`).
    hidden: tuple[str, ...] = ()
    hashed: tuple[str, ...] = ()
    #: Rows to find without a foreign key (an address, an audit row's object); replaces the columns' test.
    match: Callable[[Table, Her], ColumnElement] | None = None
    #: ANONYMISE only the rows still to change (a badge not yet revoked), so that a second erasure counts nothing.
    only: Callable[[Table], ColumnElement] | None = None
    why: str = ""

    def where(self, table: Table, her: Her) -> ColumnElement:
        """Her rows in `table`."""
        if self.match is not None:
            return self.match(table, her)
        tests = []
        for name in self.columns:
            column = table.c[name]
            target = next(iter(column.foreign_keys)).column.table.name
            if target == "person":
                tests.append(column == her.person_id)
            elif her.registration_ids:
                tests.append(column.in_(her.registration_ids))
        return or_(*tests) if tests else false()

    def values(self, her: Her) -> dict[str, Any]:
        """The columns an ANONYMISE or UNLINK sets."""
        if self.erase == Erase.UNLINK:
            return {name: None for name in self.columns}
        return {name: value(her) if callable(value) else value for name, value in self.blank.items()}


def revoke(her: Her) -> datetime:
    return her.now
