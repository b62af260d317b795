"""A person with rows in every table that can point at her: the access matrix's world (an official with scans,
outcomes, meetings, network roles...), topped up so that every person or registration column names her."""
from __future__ import annotations

import secrets

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, String, Text, func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.privacy.subject.test_map import person_columns


def rows_naming(person_id: int, registration_ids: list[int]) -> dict[tuple[str, str], int]:
    """How many rows each person or registration column points at her with."""
    counts = {}
    for table_name, column_name in sorted(person_columns()):
        table = db.metadata.tables[table_name]
        column = table.c[column_name]
        target = next(iter(column.foreign_keys)).column.table.name
        where = column == person_id if target == "person" else column.in_(registration_ids or [-1])
        counts[(table_name, column_name)] = db.session.scalar(select(func.count()).select_from(table).where(where))
    return counts


def mention(her) -> str:
    return f"Note sur {her.full_name} ({her.email}, {her.phone})"


def _value(column, her, now):
    """A value for a required column of a generic row: a text names her (where it fits), other types their plainest."""
    kind = column.type
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        return db.session.scalar(select(target).order_by(target).limit(1))
    if getattr(kind, "enums", None):
        return kind.enums[0] if not getattr(kind, "enum_class", None) else list(kind.enum_class)[0]
    if isinstance(kind, JSON):
        return {"who": her.full_name, "first_name": her.first_name, "last_name": her.last_name, "email": her.email}
    if isinstance(kind, LargeBinary):  # an imported list names her; a PDF's text is compressed, not searchable
        if column.table.name == "import_batch":
            return f"email;name\n{her.email};{her.full_name}\n".encode()
        return b"%PDF-1.4\n%%EOF\n"
    if isinstance(kind, (String, Text)):
        length = getattr(kind, "length", None)
        return mention(her) if not length or length >= 80 else f"x{secrets.token_hex(3)}"[: length]
    if isinstance(kind, DateTime):
        return now
    if isinstance(kind, Date):
        return now.date()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Float):
        return 1.0
    if isinstance(kind, Integer):
        return 1
    raise AssertionError(f"no value for {column}")


def insert_naming(table_name: str, column_name: str, her, registration_id: int, now) -> bool:
    """Insert one row of `table_name` whose `column_name` points at her (True), or False if its keys collide."""
    table = db.metadata.tables[table_name]
    column = table.c[column_name]
    target = next(iter(column.foreign_keys)).column.table.name
    values = {column_name: her.id if target == "person" else registration_id}
    for other in table.columns:
        if other.name in values or other.primary_key and not other.foreign_keys and isinstance(other.type, Integer):
            continue
        if other.nullable and not other.foreign_keys or other.default is not None or other.server_default is not None:
            continue
        if other.nullable:
            continue
        values[other.name] = _value(other, her, now)
    for other in table.columns:  # free texts with a default: name her too
        if other.name not in values and isinstance(other.type, (String, Text, JSON)) \
                and not getattr(other.type, "enums", None) and (getattr(other.type, "length", None) or 999) >= 80:
            values[other.name] = _value(other, her, now)
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(table.insert().values(values))
        savepoint.commit()
        return True
    except IntegrityError:
        savepoint.rollback()
        return False


def point_one_row_at_her(table_name: str, column_name: str, her, registration_id: int) -> bool:
    """Point one existing row's `column_name` at her (a row she made, a stand she holds)."""
    table = db.metadata.tables[table_name]
    column = table.c[column_name]
    target = next(iter(column.foreign_keys)).column.table.name
    keys = list(table.primary_key.columns)
    for row in db.session.execute(select(*keys).order_by(*keys)).all():
        savepoint = db.session.begin_nested()
        try:
            db.session.execute(table.update().where(*[k == row._mapping[k.name] for k in keys])
                               .values({column_name: her.id if target == "person" else registration_id}))
            savepoint.commit()
            return True
        except IntegrityError:
            savepoint.rollback()
    return False


def fill_every_table(her, registration_id: int, now) -> list[tuple[str, str]]:
    """Give her a row in every table with a person or registration column; what could not be given."""
    registration_ids = [registration_id]
    missing = []
    for (table, column), n in rows_naming(her.id, registration_ids).items():
        if n:
            continue
        if not (insert_naming(table, column, her, registration_id, now)
                or point_one_row_at_her(table, column, her, registration_id)):
            missing.append((table, column))
    db.session.commit()
    return missing
