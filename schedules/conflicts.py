"""Find what is wrong in a program: overlaps, sessions outside the edition, rooms too small.

Cancelled sessions are ignored by every check (they take no room and no speaker).
A session whose end is not after its start is reported once (`ends_before_start`) and
left out of the other checks, whose answers would be meaningless for it.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from schedules.localize import local, local_midnight, require_aware, room_index
from schedules.model import Conflict, EventInfo, Room, Session

CODES = (
    "ends_before_start",
    "room_double_booked",
    "speaker_double_booked",
    "outside_edition",
    "outside_room_availability",
    "seats_over_room_capacity",
)


def find_conflicts(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session]) -> list[Conflict]:
    """Every problem of the program, sorted by (session ids, code, room id, speaker id).

    Overlaps use half-open intervals [start, end): a session ending at 10:00 and one
    starting at 10:00 do not overlap. Pairs are reported once, lower id first. Times
    in `params` are ISO strings in the edition's zone; titles are given in French
    (`title`, `other_title`) and English (`title_en`, `other_title_en`). A room id
    missing from `rooms` gets no availability or capacity check. Naive datetimes are
    refused with ValueError.
    """
    for session in sessions:
        require_aware(session.start, f"session {session.id} start")
        require_aware(session.end, f"session {session.id} end")
    for room in rooms:
        for start, end in room.availability:
            require_aware(start, f"room {room.id} availability start")
            require_aware(end, f"room {room.id} availability end")
    by_room = room_index(rooms)
    conflicts: list[Conflict] = []
    live: list[Session] = []
    for session in sessions:
        if session.cancelled:
            continue
        if session.end <= session.start:
            conflicts.append(Conflict("ends_before_start", (session.id,), session.room_id,
                                      params=_describe(event, session)))
        else:
            live.append(session)
    conflicts.extend(_room_overlaps(event, by_room, live))
    conflicts.extend(_speaker_overlaps(event, live))
    conflicts.extend(_outside_edition(event, live))
    conflicts.extend(_room_limits(event, by_room, live))
    conflicts.sort(key=lambda c: (c.session_ids, CODES.index(c.code), c.room_id or 0, c.speaker_id or 0))
    return conflicts


def conflicts_for(session_id: int, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts that involve this session, in their given order."""
    return [conflict for conflict in conflicts if session_id in conflict.session_ids]


def overlapping_pairs(sessions: Iterable[Session]) -> list[tuple[Session, Session]]:
    """Every pair of overlapping sessions, by a sweep over start times.

    O(n log n + k) for k pairs: the heap holds the sessions still running at the
    current start, so each new session overlaps exactly the ones left in it.
    """
    ordered = sorted(sessions, key=lambda s: (s.start, s.id))
    running: list[tuple[datetime, int, Session]] = []
    pairs = []
    for session in ordered:
        while running and running[0][0] <= session.start:
            heapq.heappop(running)
        for _, _, other in running:
            pairs.append((other, session) if other.id < session.id else (session, other))
        heapq.heappush(running, (session.end, session.id, session))
    return pairs


def _room_overlaps(event: EventInfo, by_room: dict[int, Room], sessions: list[Session]):
    groups: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.room_id is not None:
            groups[session.room_id].append(session)
    for room_id, group in groups.items():
        room = by_room.get(room_id)
        for first, second in overlapping_pairs(group):
            params = {"room": room.name if room else str(room_id), **_pair(event, first, second)}
            yield Conflict("room_double_booked", (first.id, second.id), room_id, params=params)


def _speaker_overlaps(event: EventInfo, sessions: list[Session]):
    groups: dict[int, dict[int, Session]] = defaultdict(dict)
    names: dict[int, str] = {}
    for session in sessions:
        for speaker in session.speakers:
            groups[speaker.id][session.id] = session  # a speaker listed twice in one session counts once
            names.setdefault(speaker.id, speaker.name)
    for speaker_id, group in groups.items():
        for first, second in overlapping_pairs(group.values()):
            params = {"speaker": names[speaker_id], **_pair(event, first, second)}
            yield Conflict("speaker_double_booked", (first.id, second.id),
                           speaker_id=speaker_id, params=params)


def _outside_edition(event: EventInfo, sessions: list[Session]):
    """A session must lie within the edition's days; consecutive days form one window,
    so an evening running past midnight into the next edition day is fine."""
    if not event.days:
        return  # an edition without days yet: nothing to judge against
    windows = _edition_windows(event)
    first_day, last_day = min(event.days), max(event.days)
    for session in sessions:
        if not any(start <= session.start and session.end <= end for start, end in windows):
            yield Conflict("outside_edition", (session.id,), session.room_id,
                           params={**_describe(event, session),
                                   "first_day": first_day.isoformat(), "last_day": last_day.isoformat()})


def _edition_windows(event: EventInfo) -> list[tuple[datetime, datetime]]:
    windows: list[list] = []
    for day in sorted(set(event.days)):
        if windows and windows[-1][1] == day:
            windows[-1][1] = day + timedelta(days=1)
        else:
            windows.append([day, day + timedelta(days=1)])
    return [(local_midnight(a, event.tz), local_midnight(b, event.tz)) for a, b in windows]


def _room_limits(event: EventInfo, by_room: dict[int, Room], sessions: list[Session]):
    for session in sessions:
        room = by_room.get(session.room_id) if session.room_id is not None else None
        if room is None:
            continue
        if room.availability and not any(start <= session.start and session.end <= end
                                         for start, end in room.availability):
            windows = [{"start": local(a, event.tz).isoformat(), "end": local(b, event.tz).isoformat()}
                       for a, b in sorted(room.availability)]
            yield Conflict("outside_room_availability", (session.id,), room.id,
                           params={**_describe(event, session), "room": room.name, "windows": windows})
        if session.seat_limit is not None and room.capacity is not None and session.seat_limit > room.capacity:
            yield Conflict("seats_over_room_capacity", (session.id,), room.id,
                           params={**_describe(event, session), "room": room.name,
                                   "seat_limit": session.seat_limit, "capacity": room.capacity})


def _describe(event: EventInfo, session: Session) -> dict:
    return {"title": session.title("fr"), "title_en": session.title("en"),
            "start": local(session.start, event.tz).isoformat(),
            "end": local(session.end, event.tz).isoformat()}


def _pair(event: EventInfo, first: Session, second: Session) -> dict:
    other = _describe(event, second)
    return {**_describe(event, first), "other_title": other["title"], "other_title_en": other["title_en"],
            "other_start": other["start"], "other_end": other["end"]}
