"""Visits other features require of the routes, told at start-up (imports run one way).

A feature above the demonstrator (the meetings on request: an official meets a startup at its stand) registers a
source in its `init_app`; every problem document the plans build then carries those visits as `required` entries
(routing.required): on any tour of the visitor, within the window if one is given. A required visit the routes
cannot make (the visitor has no tour, the startup no open stand, no tour leaves room for it) is left out of the
document, so that re-computing the routes never fails on it; the source reads what became of its visits from the
plan (`required_pairs`, the visits of the plan). The sources are kept per app, in `app.extensions`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import routing
from flask import Flask, current_app
from routing.required import Walks, room

from app.events.models import Event

EXTENSION_KEY = "mediane.demonstrator.required_sources"


@dataclass(frozen=True)
class RequiredVisit:
    """A visit of `visitor` ("r<registration id>" or "d<delegation id>") to the stand of startup `startup_id`."""

    visitor: str
    startup_id: int
    #: The window the visit must start and end in (UTC); None: the visitor's tours and the stand's hours.
    starts_after: datetime | None = None
    ends_before: datetime | None = None


RequiredSource = Callable[[Event], Iterable[RequiredVisit]]

#: Why a required visit is not in a document: the visitor has no tour, the startup no open stand, no room.
NOT_ROUTED, NO_STAND, NO_ROOM = "not_routed", "no_stand", "no_room"


def add_required_source(app: Flask, source: RequiredSource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def required_visits(event: Event) -> list[RequiredVisit]:
    return [visit for source in current_app.extensions.get(EXTENSION_KEY, []) for visit in source(event)]


def required_entries(document: dict, wanted: Iterable[RequiredVisit], stand_of: dict[int, str],
                     minutes: Callable[[datetime], float]) -> tuple[list[dict], dict[RequiredVisit, str]]:
    """The `required` entries of `document` (built without them) for `wanted`, and those left out with why.

    `stand_of` maps a startup to its stand's key in the document. Two members of a delegation who both meet a
    startup make one visit of the delegation. An entry is kept only where routing.required would accept it (a
    tour and an open window leave room for it) and within the visitor's and the stand's most visits."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return [], {}
    problem = routing.parse_problem({**document, "required": None})
    walks = Walks(problem)
    counts: dict[str, int] = {}
    for lk in problem.locked:
        counts[lk.visitor] = counts.get(lk.visitor, 0) + 1
        counts[lk.stand] = counts.get(lk.stand, 0) + 1
    entries: dict[tuple[str, str], dict] = {}
    dropped: dict[RequiredVisit, str] = {}
    locked = {(lk.visitor, lk.stand) for lk in problem.locked}
    for visit in wanted:
        stand = stand_of.get(visit.startup_id)
        if visit.visitor not in problem.visitor_index:
            dropped[visit] = NOT_ROUTED
            continue
        if stand is None or stand not in problem.stand_index:
            dropped[visit] = NO_STAND
            continue
        pair = (visit.visitor, stand)
        if pair in entries:
            continue
        a = None if visit.starts_after is None else round(minutes(visit.starts_after), 4)
        b = None if visit.ends_before is None else round(minutes(visit.ends_before), 4)
        vis, st = problem.visitors[problem.visitor_index[visit.visitor]], problem.stands[problem.stand_index[stand]]
        over = pair not in locked and any(
            limit is not None and counts.get(key, 0) + 1 > limit
            for key, limit in ((visit.visitor, vis.max_visits), (stand, st.max_visits)))
        if over or (pair not in locked and not room(problem, walks, visit.visitor, stand, a, b)):
            dropped[visit] = NO_ROOM
            continue
        if pair not in locked:
            counts[visit.visitor] = counts.get(visit.visitor, 0) + 1
            counts[stand] = counts.get(stand, 0) + 1
        entries[pair] = {"visitor": visit.visitor, "stand": stand, "from": a, "to": b}
    kept = _accepted(document, list(entries.values()))
    pairs = {(rq["visitor"], rq["stand"]) for rq in kept}
    for visit in wanted:
        if visit not in dropped and (visit.visitor, stand_of.get(visit.startup_id)) not in pairs:
            dropped[visit] = NO_ROOM
    return kept, dropped


def _accepted(document: dict, entries: list[dict]) -> list[dict]:
    """`entries` less those routing.parse_problem refuses (a lock that cannot keep its window, say), one at a
    time, naming each."""
    while entries:
        try:
            routing.parse_problem({**document, "required": entries})
            return entries
        except routing.InvalidDocument as error:
            found = re.match(r"required\[(\d+)\]", str(error))
            if found is None or int(found.group(1)) >= len(entries):
                raise
            entries = entries[:int(found.group(1))] + entries[int(found.group(1)) + 1:]
    return entries


def left_out(message: str) -> set[int]:
    """The indices of the required entries routing.solve found no room for, from its refusal ("required: found no
    room for required[3] (...), required[7] (...) beside ..."); empty for any other refusal."""
    if not message.startswith("required: found no room for "):
        return set()
    return {int(i) for i in re.findall(r"required\[(\d+)\]", message.split(" beside ", 1)[0])}


def required_pairs(document: dict) -> set[tuple[str, str]]:
    """(visitor, stand) of the document's required visits."""
    return {(rq["visitor"], rq["stand"]) for rq in document.get("required") or []}
