"""Where she is named without a foreign key: free text and JSON anywhere (a delegation's notes, a mail to someone
else, a job's payload, an audit row's details, a webhook's payload, a stored API answer), imported files, and the
printed artefacts (badge prints, route sheets) that carry her name.

The sweep looks for her e-mail, her full name (both orders) and her phone in every text and JSON column of every
table (a search key, folded, for her folded name), then replaces them: a JSON value that is her first or last name
alone goes too. Export lists where she was found (table, row, column); erasure scrubs it.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, func, or_, select

from app.core.search import fold
from app.extensions import db
from app.privacy.subject.tables.rules import Her
from app.registrations.imports.decoding import FileProblem, decode

#: What replaces her in a text.
ERASED = "[effacé]"
#: Columns the sweep leaves to the map (her own account row) or that hold no text of people.
SKIPPED = {("person", "email"), ("person", "first_name"), ("person", "last_name"), ("person", "phone"),
           ("person", "search_key"), ("person", "password_hash"), ("person", "session_token")}


@dataclass(frozen=True)
class Mention:
    table: str
    row_id: Any
    column: str


def text_columns(table: Table) -> list:
    return [c for c in table.columns if isinstance(c.type, (String, Text, JSON)) and not c.foreign_keys
            and (table.name, c.name) not in SKIPPED and not getattr(c.type, "enums", None)]


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _needles_for(column, her: Her) -> list[str]:
    if column.name in ("search_key", "name_key"):
        return [f for f in {fold(n) for n in her.needles if "@" not in n} if len(f) >= 4]
    needles = list(her.needles)
    if isinstance(column.type, JSON):  # stored as JSON text: non-ASCII letters escaped
        needles += [json.dumps(n)[1:-1] for n in her.needles if json.dumps(n)[1:-1] != n]
    return needles


def _where(table: Table, her: Her):
    tests = []
    for column in text_columns(table):
        text = cast(column, Text) if isinstance(column.type, JSON) else column
        tests += [func.lower(text).like(_like(n), escape="\\") for n in _needles_for(column, her)]
    return or_(*tests) if tests else None


def _key(table: Table, row) -> Any:
    keys = [c.name for c in table.primary_key.columns]
    return row._mapping[keys[0]] if len(keys) == 1 else tuple(row._mapping[k] for k in keys)


def find_mentions(her: Her) -> list[Mention]:
    """Every (table, row, column) whose text names her, in table order."""
    found = []
    for table in db.metadata.sorted_tables:
        where = _where(table, her)
        if where is None:
            continue
        for row in db.session.execute(select(table).where(where)):
            for column in text_columns(table):
                if _scrubbed(row._mapping[column.name], column, her) != row._mapping[column.name]:
                    found.append(Mention(table.name, _key(table, row), column.name))
    return found


def _replace(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED, text, flags=re.IGNORECASE)
    return text


def _scrubbed(value: Any, column, her: Her) -> Any:
    if value is None:
        return None
    if isinstance(column.type, JSON):
        return _scrub_json(value, her)
    return _replace(value, _needles_for(column, her))


def _scrub_json(value: Any, her: Her) -> Any:
    if isinstance(value, dict):
        return {k: _scrub_json(v, her) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, her) for v in value]
    if isinstance(value, str):
        first, _, last = her.full_name.partition(" ")
        if value.strip() and value.strip().lower() in {first.lower(), last.lower()}:
            return ERASED
        return _replace(value, list(her.needles))
    return value


def scrub_mentions(her: Her) -> int:
    """Replace her in every text and JSON column of every table; how many rows changed."""
    changed = 0
    for table in db.metadata.sorted_tables:
        where = _where(table, her)
        if where is None:
            continue
        keys = list(table.primary_key.columns)
        for row in db.session.execute(select(table).where(where)).all():
            values = {c.name: _scrubbed(row._mapping[c.name], c, her) for c in text_columns(table)}
            values = {name: v for name, v in values.items() if v != row._mapping[name]}
            if values:
                db.session.execute(table.update().where(*[k == row._mapping[k.name] for k in keys]).values(values))
                changed += 1
    return changed


# -- files and printed artefacts ---------------------------------------------------------------------------

def _file_text(content: bytes) -> str:
    try:
        return decode(content)
    except FileProblem:
        pass
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:  # a spreadsheet: its XML parts
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""


def files_naming_her(her: Her) -> list[int]:
    """The import batches whose file holds her e-mail (or her full name)."""
    table = db.metadata.tables["import_batch"]
    found = []
    for batch_id, content in db.session.execute(select(table.c.id, table.c.content).order_by(table.c.id)):
        text = _file_text(content or b"").lower()
        if any(n.lower() in text for n in her.needles if "@" in n or " " in n):
            found.append(batch_id)
    return found


def printed_artefacts(her: Her) -> dict[str, list[int]]:
    """Badge prints that hold her badge, route sheets that hold her route (PDFs with her name)."""
    regs = set(her.registration_ids)
    runs = db.metadata.tables["print_run"]
    parts = db.metadata.tables["sheet_part"]
    keys = {f"r{i}" for i in regs}
    return {
        "print_run": [i for i, sel in db.session.execute(select(runs.c.id, runs.c.selection).order_by(runs.c.id))
                      if regs & set((sel or {}).get("printed_ids", ()))
                      or regs & set((sel or {}).get("registration_ids", ()) or ())],
        "sheet_part": [i for i, tours in db.session.execute(select(parts.c.id, parts.c.tours).order_by(parts.c.id))
                       if any(str(t).split("/")[0] in keys for t in tours or ())],
    }


def erase_files(her: Her) -> dict[str, int]:
    """Empty the imported files that name her (the batch and its summary stay); delete the badge prints and route
    sheets that hold her (they are printed again from the anonymised rows)."""
    batches = files_naming_her(her)
    table = db.metadata.tables["import_batch"]
    if batches:
        db.session.execute(table.update().where(table.c.id.in_(batches)).values(content=b"", size=0))
    counts = {"imported files emptied": len(batches)}
    for name, ids in printed_artefacts(her).items():
        if ids:
            t = db.metadata.tables[name]
            db.session.execute(t.delete().where(t.c.id.in_(ids)))
        counts[{"print_run": "badge prints deleted", "sheet_part": "route sheets deleted"}[name]] = len(ids)
    return counts
