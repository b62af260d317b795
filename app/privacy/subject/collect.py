"""Everything the app holds about a person, in every edition, as plain rows: what her export is made of."""
from __future__ import annotations

import base64
import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.privacy.subject.people import subject
from app.privacy.subject.tables import RULES, Her
from app.privacy.subject.tables.mentions import files_naming_her, find_mentions, printed_artefacts


@dataclass
class Collected:
    her: Her
    #: table name -> her rows (dicts of plain values), by primary key order.
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: where free text names her: table, row, column.
    mentions: list[dict[str, Any]] = field(default_factory=list)
    #: files that name her: import batches, badge prints, route sheets (their ids; the files hold others too).
    files: dict[str, list[int]] = field(default_factory=dict)

    @property
    def num_rows(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def plain(value: Any) -> Any:
    """A value as JSON has it."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def collect(person_id: int) -> Collected:
    """Her rows in every table the map exports, her mentions and the files naming her (SubjectError
    'unknown_person')."""
    her = subject(person_id)
    found = Collected(her)
    for rule in RULES:
        if not rule.export:
            continue
        table = db.metadata.tables[rule.table]
        keys = [c.name for c in table.primary_key.columns]
        rows = found.tables.setdefault(rule.table, [])
        seen = {tuple(row[k] for k in keys) for row in rows}
        for row in db.session.execute(select(table).where(rule.where(table, her)).order_by(*table.primary_key)):
            data = dict(row._mapping)
            if tuple(data[k] for k in keys) in seen:
                continue
            seen.add(tuple(data[k] for k in keys))
            for name in rule.hashed:
                data[f"{name}_sha256"] = hashlib.sha256((data[name] or "").encode()).hexdigest()
            rows.append({name: plain(value) for name, value in data.items() if name not in rule.hidden})
    found.tables = {name: rows for name, rows in found.tables.items() if rows}
    found.mentions = [{"table": m.table, "id": plain(m.row_id), "column": m.column} for m in find_mentions(her)]
    found.files = {"import_batch": files_naming_her(her), **printed_artefacts(her)}
    return found


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
