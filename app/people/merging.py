"""Two records that are one (two organisations, two people): every row that points to the one dropped is pointed
to the one kept.

The references are read from the tables' foreign keys (`db.metadata`), not listed by hand, so a table added later
by any feature is re-pointed too without this module knowing it. This module imports no feature: a feature above
names the references for people, checks who may merge, and writes the audit row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Column, Table, UniqueConstraint, and_, delete, func, select, true, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.people.models import Organisation, Person

#: The columns a merge never copies from the dropped record: who it is, and the keys derived from its name.
NOT_COPIED = {"id", "name", "name_key", "search_key", "kind", "country", "created_at"}
#: Likewise for a person: the kept record keeps its name, e-mail, password, login and rights.
PERSON_NOT_COPIED = {"id", "email", "first_name", "last_name", "search_key", "password_hash", "is_enabled", "is_staff",
                     "session_token", "created_at", "last_login_at", "locale", "country"}

#: Where features above are told of a merge (`on_repoint`), in the app's extensions.
REPOINT_HOOKS = "mediane.repoint_hooks"

#: What a merge may not copy, per merged model.
_NOT_COPIED = {Organisation: NOT_COPIED, Person: PERSON_NOT_COPIED}


@dataclass(frozen=True)
class Reference:
    """A column that points to the merged records' id (organisation.id, person.id)."""

    table: Table
    column: Column

    @property
    def key(self) -> str:
        """"registration.organisation_id"."""
        return f"{self.table.name}.{self.column.name}"

    @property
    def event_column(self) -> Column | None:
        """The edition a row belongs to, when its table has one."""
        return self.table.c.get("event_id")


class MergeConflict(Exception):
    """Re-pointing would break a unique constraint of `table` (both records hold the same row there), in the edition
    `event_id` when the table has editions."""

    def __init__(self, table: str, event_id: int | None = None):
        super().__init__(table)
        self.table = table
        self.event_id = event_id


def references_to(model=Organisation) -> list[Reference]:
    """Every column of every table that points to `model`'s id, in a stable order."""
    target = model.__table__.c.id
    return sorted((Reference(table, fk.parent) for table in db.metadata.tables.values()
                   for fk in table.foreign_keys if fk.column is target),
                  key=lambda r: r.key)


def organisation_references() -> list[Reference]:
    """Every column of every table that points to organisation.id, in a stable order."""
    return references_to(Organisation)


def person_references() -> list[Reference]:
    """Every column of every table that points to person.id, in a stable order."""
    return references_to(Person)


def count_references(record_id: int, model=Organisation) -> dict[tuple[str, int | None], int]:
    """(reference key, edition id or None for a table of no edition) -> how many rows point to the record."""
    counts: dict[tuple[str, int | None], int] = {}
    for reference in references_to(model):
        event_column = reference.event_column
        if event_column is None:
            num = db.session.scalar(select(func.count()).where(reference.column == record_id))
            if num:
                counts[(reference.key, None)] = num
            continue
        for event_id, num in db.session.execute(
                select(event_column, func.count()).where(reference.column == record_id)
                .group_by(event_column)):
            counts[(reference.key, event_id)] = num
    return counts


def editions_of(record_ids: list[int], model=Organisation) -> dict[int, set[int]]:
    """Record id -> the editions where it appears (a row of an edition points to it)."""
    found: dict[int, set[int]] = {record_id: set() for record_id in record_ids}
    for reference in references_to(model):
        event_column = reference.event_column
        if event_column is None or not record_ids:
            continue
        for record_id, event_id in db.session.execute(
                select(reference.column, event_column).distinct()
                .where(reference.column.in_(record_ids), event_column.is_not(None))):
            found[record_id].add(event_id)
    return found


def fillable_fields(kept, dropped) -> dict[str, object]:
    """The kept record's empty fields that the dropped one fills: field name -> the dropped one's value."""
    model = type(kept)
    filled = {}
    for column in model.__table__.columns:
        if column.name in _NOT_COPIED[model]:
            continue
        mine, theirs = getattr(kept, column.key), getattr(dropped, column.key)
        if mine in (None, "") and theirs not in (None, ""):
            filled[column.key] = theirs
    return filled


def _unique_column_sets(table: Table, column: Column) -> list[list[Column]]:
    """The other columns of each unique constraint or index of `table` that holds `column`."""
    sets = [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [list(i.columns) for i in table.indexes if i.unique]
    return [[c for c in columns if c is not column] for columns in sets if column in columns]


def _check_unique(reference: Reference, dropped_id: int, kept_id: int) -> None:
    """Raise MergeConflict when a row of the dropped record and one of the kept record would become the same."""
    table, name = reference.table, reference.column.name
    for others in _unique_column_sets(table, reference.column):
        twin = aliased(table)
        same_row = and_(true(), *(twin.c[c.name] == c for c in others))
        event_column = table.c.get("event_id")
        clash = (select(table.c[name], event_column if event_column is not None else table.c[name])
                 .select_from(table.join(twin, same_row))
                 .where(table.c[name] == dropped_id, twin.c[name] == kept_id).limit(1))
        row = db.session.execute(clash).first()
        if row is not None:
            raise MergeConflict(table.name, row[1] if event_column is not None else None)


def first_conflict(dropped_id: int, kept_id: int, model=Organisation) -> MergeConflict | None:
    """The unique row both records hold, that would stop their merge (None: nothing stops it). Changes nothing."""
    for reference in references_to(model):
        try:
            _check_unique(reference, dropped_id, kept_id)
        except MergeConflict as conflict:
            return conflict
    return None


def on_repoint(app: Flask, hook: Callable[[type, int], None]) -> None:
    """Have `hook(model, kept_id)` called, inside the merge's transaction, once the rows of a merge point to the
    kept record (for a feature that keeps something derived from them, such as a search index)."""
    app.extensions.setdefault(REPOINT_HOOKS, []).append(hook)


def repoint(dropped, kept) -> dict[str, int]:
    """Point every row that points to `dropped` to `kept`, fill `kept`'s empty fields from `dropped`, and delete
    `dropped`. Returns how many rows moved per reference key. Flushes; the caller commits.

    Works for an Organisation or a Person (both records of one model).
    Raises MergeConflict (before changing anything) when a unique constraint would be broken."""
    model = type(kept)
    if type(dropped) is not model or model not in _NOT_COPIED:
        raise TypeError("two organisations or two people are merged")
    if dropped.id == kept.id:
        raise ValueError("a record is not merged with itself")
    references = references_to(model)
    for reference in references:
        _check_unique(reference, dropped.id, kept.id)
    for field, value in fillable_fields(kept, dropped).items():
        setattr(kept, field, value)
    if dropped.created_at and kept.created_at and dropped.created_at < kept.created_at:
        kept.created_at = dropped.created_at  # known since the older record
    db.session.flush()
    moved = {}
    for reference in references:
        result = db.session.execute(update(reference.table).where(reference.column == dropped.id)
                                    .values({reference.column.name: kept.id}))
        if result.rowcount:
            moved[reference.key] = result.rowcount
    # Not session.delete(): the ORM would set to NULL, from its stale relationships, rows just re-pointed.
    dropped_id = dropped.id
    db.session.expunge(dropped)
    db.session.execute(delete(model).where(model.id == dropped_id))
    db.session.expire_all()
    for hook in current_app.extensions.get(REPOINT_HOOKS, ()):
        hook(model, kept.id)
    return moved
