"""Parsing and validating a meeting-placement document; every refusal names the entry at fault."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..fields import InvalidDocument, _int, _list, _num, _obj, _str, _unknown_keys
from ..problem import read_json
from .grid import build_grid
from .values import PLACEMENT_FORMAT, TOL, Meeting, Person, Placement, Session, Spot

__all__ = ["load_placement", "parse_placement"]


def parse_placement(doc: Any) -> Placement:
    """Validate a decoded ``meeting-placement/1`` document and build a :class:`Placement` (with its grid)."""
    doc = _obj(doc, "document")
    _unknown_keys(doc, {"format", "name", "sessions", "slot_length", "tables", "buffer", "people", "meetings"},
                  "document")
    if doc.get("format") != PLACEMENT_FORMAT:
        raise InvalidDocument(f"format: expected {PLACEMENT_FORMAT!r}, got {json.dumps(doc.get('format'))[:60]}")
    slot_length = _num(doc.get("slot_length"), "slot_length", minimum=0, strict=True)
    buffer = _num(doc.get("buffer", 0), "buffer", minimum=0)
    sessions = _sessions(_list(doc.get("sessions"), "sessions"))
    tables = []
    for i, t in enumerate(_list(doc.get("tables"), "tables")):
        t = _str(t, f"tables[{i}]")
        if t in tables:
            raise InvalidDocument(f"tables[{i}]: duplicate table {t!r}")
        tables.append(t)
    people = _people(_list(doc.get("people"), "people"))
    person_index = {p.id: i for i, p in enumerate(people)}
    meetings = _meetings(_list(doc.get("meetings"), "meetings"), person_index, set(tables))
    bare = Placement(tuple(sessions), slot_length, tuple(tables), buffer, tuple(people), tuple(meetings),
                     person_index, {m.id: i for i, m in enumerate(meetings)})
    return replace(bare, grid=build_grid(bare))


def load_placement(path: str) -> Placement:
    doc = read_json(path, "placement document")
    try:
        return parse_placement(doc)
    except InvalidDocument as exc:
        raise InvalidDocument(f"{path}: {exc}") from None


def _interval(x: Any, where: str, what: str) -> tuple[float, float]:
    if not isinstance(x, list) or len(x) != 2:
        raise InvalidDocument(f"{where}: expected [start, end], got {json.dumps(x)[:60]}")
    a, b = _num(x[0], where + "[0]"), _num(x[1], where + "[1]")
    if b < a:
        raise InvalidDocument(f"{where}: {what} ends ({b:g}) before it starts ({a:g})")
    return a, b


def _sessions(raw: list) -> list[Session]:
    out: list[Session] = []
    for i, s in enumerate(raw):
        where = f"sessions[{i}]"
        s = _obj(s, where)
        _unknown_keys(s, {"id", "start", "end", "max_per_person", "name"}, where)
        sid = _str(s.get("id"), where + ".id")
        if any(o.id == sid for o in out):
            raise InvalidDocument(f"{where}.id: duplicate session id {sid!r}")
        start, end = _num(s.get("start"), where + ".start"), _num(s.get("end"), where + ".end")
        if end < start:
            raise InvalidDocument(f"{where}: ends ({end:g}) before it starts ({start:g})")
        cap = _int(s.get("max_per_person"), where + ".max_per_person", nullable=True)
        for j, o in enumerate(out):
            if start < o.end - TOL and o.start < end - TOL:
                raise InvalidDocument(f"{where} (id {sid!r}): overlaps sessions[{j}] (id {o.id!r})")
        out.append(Session(sid, start, end, cap))
    return out


def _people(raw: list) -> list[Person]:
    out: list[Person] = []
    seen: set[str] = set()
    for i, p in enumerate(raw):
        where = f"people[{i}]"
        p = _obj(p, where)
        _unknown_keys(p, {"id", "available", "busy", "name"}, where)
        pid = _str(p.get("id"), where + ".id")
        if pid in seen:
            raise InvalidDocument(f"{where}.id: duplicate person id {pid!r}")
        seen.add(pid)
        available = None
        if p.get("available") is not None:
            windows = sorted(_interval(w, f"{where}.available[{k}]", "window")
                             for k, w in enumerate(_list(p["available"], where + ".available")))
            merged: list[list[float]] = []
            for a, b in windows:  # windows that overlap or touch are one window
                if merged and a <= merged[-1][1] + TOL:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            available = tuple((a, b) for a, b in merged)
        busy = sorted(_interval(w, f"{where}.busy[{k}]", "busy interval")
                      for k, w in enumerate(_list(p.get("busy", []), where + ".busy")))
        out.append(Person(pid, available, tuple((a, b) for a, b in busy if b > a)))
    return out


def _spot(x: Any, where: str, tables: set[str], strict_table: bool) -> Spot:
    x = _obj(x, where)
    _unknown_keys(x, {"start", "table"}, where)
    start = _num(x.get("start"), where + ".start")
    table = _str(x.get("table"), where + ".table")
    if strict_table and table not in tables:
        raise InvalidDocument(f"{where}.table: unknown table {table!r}")
    return Spot(start, table)


def _meetings(raw: list, person_index: dict[str, int], tables: set[str]) -> list[Meeting]:
    out: list[Meeting] = []
    seen: set[str] = set()
    for i, m in enumerate(raw):
        where = f"meetings[{i}]"
        m = _obj(m, where)
        _unknown_keys(m, {"id", "people", "value", "fixed", "previous", "name"}, where)
        mid = _str(m.get("id"), where + ".id")
        if mid in seen:
            raise InvalidDocument(f"{where}.id: duplicate meeting id {mid!r}")
        seen.add(mid)
        people: list[str] = []
        for k, pid in enumerate(_list(m.get("people"), where + ".people")):
            pid = _str(pid, f"{where}.people[{k}]")
            if pid not in person_index:
                raise InvalidDocument(f"{where}.people[{k}]: unknown person {pid!r}")
            if pid in people:
                raise InvalidDocument(f"{where}.people[{k}]: person {pid!r} is twice in meeting {mid!r}")
            people.append(pid)
        if len(people) < 2:
            raise InvalidDocument(f"{where}.people: meeting {mid!r} needs at least 2 distinct people, has "
                                  f"{len(people)}")
        value = _num(m.get("value", 1), where + ".value", minimum=0, strict=True)
        fixed = None if m.get("fixed") is None else _spot(m["fixed"], where + ".fixed", tables, True)
        # A previous placement is a wish: a table since removed, or a start that is no longer a slot, only
        # means it cannot be kept.
        previous = None if m.get("previous") is None else _spot(m["previous"], where + ".previous", tables, False)
        out.append(Meeting(mid, tuple(people), value, fixed, previous))
    return out
