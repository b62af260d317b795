"""Place a day's sessions on the organiser's grid: rooms as columns, quarter hours as rows.

The page's stylesheet (static/program-grid.css) has one class per row, span and column,
since the Content-Security-Policy forbids inline styles.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.timefmt import to_local
from app.events.models import Event
from app.program.models import ProgramSession, Room

FIRST_HOUR, LAST_HOUR, STEP = 8, 20, 15
ROWS = (LAST_HOUR - FIRST_HOUR) * 60 // STEP
MAX_COLUMNS = 16


@dataclass
class Block:
    session: ProgramSession
    start: str
    end: str
    row: int
    span: int
    column: int
    flagged: bool
    outside_hours: bool


@dataclass
class Grid:
    columns: list[str]
    times: list[tuple[int, str]]
    blocks: list[Block]
    off_grid: list[ProgramSession]


def build_grid(event: Event, rooms: list[Room], sessions: list[ProgramSession], day: date, flagged: set[int]) -> Grid:
    columns = [r.name for r in rooms][:MAX_COLUMNS - 1]
    column_of = {r.id: i + 2 for i, r in enumerate(rooms[:MAX_COLUMNS - 1])}
    has_roomless = any(s.room_id is None or s.room_id not in column_of for s in sessions)
    if has_roomless:
        columns.append("—")
    blocks, off_grid = [], []
    for session in sessions:
        start, end = to_local(session.starts_at, event.timezone), to_local(session.ends_at, event.timezone)
        if start.date() != day:
            continue
        minutes = (start.hour - FIRST_HOUR) * 60 + start.minute
        length = max(STEP, int((end - start).total_seconds() // 60))
        outside = minutes < 0 or minutes + length > ROWS * STEP
        row = min(max(minutes // STEP, 0), ROWS - 1) + 2
        span = max(1, min(-(-length // STEP), ROWS + 2 - row))
        column = column_of.get(session.room_id, len(columns) + 1)
        blocks.append(Block(session, f"{start:%H:%M}", f"{end:%H:%M}", row, span, column,
                            session.id in flagged, outside))
        if session.is_cancelled:
            off_grid.append(session)
    times = [(2 + i, f"{FIRST_HOUR + i * STEP // 60:02d}:{i * STEP % 60:02d}") for i in range(0, ROWS, 60 // STEP)]
    return Grid(columns, times, blocks, off_grid)
