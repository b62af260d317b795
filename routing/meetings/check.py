"""The independent checker of a placement solution.

Written from the rules of the document alone, in floating point with tolerance 1e-6; it shares no
code with the greedy, the solver or the bound (it does not read the grid), so that a bug there is
caught here rather than repeated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..fields import InvalidDocument, _list, _num, _obj, _str
from .values import REASONS, SOLUTION_FORMAT, Placement

TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    kind: str  # unknown_meeting, duplicate, missing, slot, table, unavailable, table_clash, person_clash, cap,
    #            fixed, reason
    message: str
    meeting: str = ""  # the meeting at fault, when one is (the later one of a clash): callers need not parse messages


def _slot(placement: Placement, start: float) -> tuple[int, int] | None:
    """(session index, slot number in the session) of the slot that ``start`` begins, or None."""
    length = placement.slot_length
    for i, session in enumerate(placement.sessions):
        k = round((start - session.start) / length)
        if k >= 0 and abs(session.start + k * length - start) <= TOL and start + length <= session.end + TOL:
            return i, k
    return None


def _may_meet(person, start: float, end: float, buffer: float) -> bool:
    if person.available is not None:
        if not any(a - TOL <= start and end <= b + TOL for a, b in person.available):
            return False
    for a, b in person.busy:
        if max(start - buffer, a) < min(end + buffer, b) - TOL:  # the two intervals share more than TOL
            return False
    return True


def _common_slots(placement: Placement, people: list) -> list[tuple[float, tuple[int, int]]]:
    """(start, (session index, slot number)) of each slot where all of ``people`` may meet."""
    out = []
    for i, session in enumerate(placement.sessions):
        start = session.start
        k = 0
        while start + placement.slot_length <= session.end + TOL:
            if all(_may_meet(p, start, start + placement.slot_length, placement.buffer) for p in people):
                out.append((start, (i, k)))
            k += 1
            start = session.start + k * placement.slot_length
    return out


def _entries(solution: Any) -> tuple[list[tuple[str, float, str]], list[tuple[str, str]]]:
    solution = _obj(solution, "solution")
    if solution.get("format") != SOLUTION_FORMAT:
        raise InvalidDocument(f"solution.format: expected {SOLUTION_FORMAT!r}, got "
                              f"{json.dumps(solution.get('format'))[:60]}")
    placed = []
    for i, e in enumerate(_list(solution.get("placed", []), "solution.placed")):
        where = f"solution.placed[{i}]"
        e = _obj(e, where)
        placed.append((_str(e.get("meeting"), where + ".meeting"), _num(e.get("start"), where + ".start"),
                       _str(e.get("table"), where + ".table")))
    unplaced = []
    for i, e in enumerate(_list(solution.get("unplaced", []), "solution.unplaced")):
        where = f"solution.unplaced[{i}]"
        e = _obj(e, where)
        unplaced.append((_str(e.get("meeting"), where + ".meeting"), _str(e.get("reason"), where + ".reason")))
    return placed, unplaced


def violations(placement: Placement, solution: Any) -> list[Violation]:
    """Every rule a decoded solution document breaks; a malformed one raises InvalidDocument."""
    placed, unplaced = _entries(solution)
    out: list[Violation] = []
    meetings = {m.id: m for m in placement.meetings}
    people = {p.id: p for p in placement.people}
    seen: dict[str, int] = {}
    at_table: dict[tuple[tuple[int, int], str], str] = {}  # (slot, table) -> meeting
    at_time: dict[tuple[tuple[int, int], str], str] = {}  # (slot, person) -> meeting
    per_session: dict[tuple[int, str], int] = {}
    in_use: dict[tuple[int, int], int] = {}  # slot -> meetings placed there

    for mid, start, table in placed:
        meeting = meetings.get(mid)
        if meeting is None:
            out.append(Violation("unknown_meeting", f"placed meeting {mid!r} is not in the document"))
            continue
        seen[mid] = seen.get(mid, 0) + 1
        if seen[mid] > 1:
            continue
        slot = _slot(placement, start)
        if slot is None:
            out.append(Violation("slot", f"meeting {mid!r} starts at {start:g}, not the start of a slot", mid))
            continue
        if table not in placement.tables:
            out.append(Violation("table", f"meeting {mid!r} is at table {table!r}, not a table of the document", mid))
        end = start + placement.slot_length
        for pid in meeting.people:
            if not _may_meet(people[pid], start, end, placement.buffer):
                out.append(Violation("unavailable", f"meeting {mid!r} at {start:g}-{end:g}: person {pid!r} is not "
                                                    "available or is busy within the buffer", mid))
        session = slot[0]
        in_use[slot] = in_use.get(slot, 0) + 1
        key = (slot, table)
        if key in at_table:
            out.append(Violation("table_clash", f"meetings {at_table[key]!r} and {mid!r} are both at table "
                                                f"{table!r} at {start:g}", mid))
        at_table.setdefault(key, mid)
        for pid in meeting.people:
            k = (slot, pid)
            if k in at_time:
                out.append(Violation("person_clash", f"person {pid!r} is in meetings {at_time[k]!r} and {mid!r} "
                                                     f"at {start:g}", mid))
            at_time.setdefault(k, mid)
            per_session[session, pid] = per_session.get((session, pid), 0) + 1
        if meeting.fixed is not None and (abs(meeting.fixed.start - start) > TOL or meeting.fixed.table != table):
            out.append(Violation("fixed", f"meeting {mid!r} is fixed at {meeting.fixed.start:g} table "
                                          f"{meeting.fixed.table!r}, placed at {start:g} table {table!r}", mid))
    for (session, pid), n in sorted(per_session.items()):
        cap = placement.sessions[session].max_per_person
        if cap is not None and n > cap:
            out.append(Violation("cap", f"person {pid!r} has {n} meetings in session "
                                        f"{placement.sessions[session].id!r}, max_per_person is {cap}"))

    for mid, why in unplaced:
        meeting = meetings.get(mid)
        if meeting is None:
            out.append(Violation("unknown_meeting", f"unplaced meeting {mid!r} is not in the document"))
            continue
        seen[mid] = seen.get(mid, 0) + 1
        if seen[mid] > 1:
            continue
        if meeting.fixed is not None:
            out.append(Violation("fixed", f"meeting {mid!r} is fixed but unplaced"))
        out.extend(_reason_violations(placement, meeting, why, at_time, in_use, per_session))
    for mid, n in seen.items():
        if n > 1:
            out.append(Violation("duplicate", f"meeting {mid!r} appears {n} times in the solution"))
    for m in placement.meetings:
        if m.id not in seen:
            out.append(Violation("missing", f"meeting {m.id!r} is neither placed nor unplaced"))
    return out


def _reason_violations(placement, meeting, why, at_time, in_use, per_session) -> list[Violation]:
    """Whether the stated reason of an unplaced meeting is true of this solution."""
    if why not in REASONS:
        return [Violation("reason", f"meeting {meeting.id!r}: unknown reason {why!r}")]
    common = _common_slots(placement, [placement.people[placement.person_index[p]] for p in meeting.people])
    if why == "no_common_slot" or not common:
        if (not common) == (why == "no_common_slot"):
            return []
        return [Violation("reason", f"meeting {meeting.id!r}: reason {why!r}, but it has "
                                    f"{'a' if common else 'no'} common free slot")]
    full = [in_use.get(slot, 0) >= len(placement.tables) for _, slot in common]
    if why == "no_table":
        if all(full):
            return []
        return [Violation("reason", f"meeting {meeting.id!r}: reason 'no_table', but a common free slot has a "
                                    "free table")]
    cap = {i: s.max_per_person for i, s in enumerate(placement.sessions)}
    for (start, slot), is_full in zip(common, full):
        session = slot[0]
        if is_full:
            continue
        if not any((slot, pid) in at_time
                   or (cap[session] is not None and per_session.get((session, pid), 0) >= cap[session])
                   for pid in meeting.people):
            return [Violation("reason", f"meeting {meeting.id!r}: reason 'person_busy', but at {start:g} a table "
                                        "is free and all its people are free")]
    if all(full):
        return [Violation("reason", f"meeting {meeting.id!r}: reason 'person_busy', but every common free slot "
                                    "has all its tables taken ('no_table')")]
    return []
