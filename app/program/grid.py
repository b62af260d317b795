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
#: Columns drawn (rooms, and "—" for sessions without one); program.css has a class for each.
MAX_COLUMNS = 40
#: Sessions of one column that overlap share its width, side by side, up to this many (then they stack).
MAX_LANES = 4


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
    #: Overlapping sessions of a column are drawn side by side: this one is lane `lane` of `lanes`.
    lane: int = 0
    lanes: int = 1
    #: The room's name (the column's head), said with the time to people who do not see the grid.
    room: str = ""


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
    _side_by_side(blocks)
    for block in blocks:
        block.room = columns[block.column - 2] if block.column - 2 < len(columns) else "—"
    # In the page in time order, then room by room: the order of the Tab key and of a screen reader.
    blocks.sort(key=lambda b: (b.row, b.column, b.lane, b.session.id))
    times = [(2 + i, f"{FIRST_HOUR + i * STEP // 60:02d}:{i * STEP % 60:02d}") for i in range(0, ROWS, 60 // STEP)]
    return Grid(columns, times, blocks, off_grid)


def _side_by_side(blocks: list[Block]) -> None:
    """Give overlapping blocks of a column lanes, so that none hides another: each cluster of blocks that
    overlap one another (directly or through others) shares the column's width between its lanes."""
    by_column: dict[int, list[Block]] = {}
    for block in blocks:
        by_column.setdefault(block.column, []).append(block)
    for column in by_column.values():
        column.sort(key=lambda b: (b.row, -b.span, b.session.id))
        cluster: list[Block] = []
        lane_ends: list[int] = []   # the row each lane of the cluster is free from
        cluster_end = 0
        for block in column + [None]:
            if block is None or block.row >= cluster_end:
                for member in cluster:
                    member.lanes = min(len(lane_ends), MAX_LANES)
                    member.lane = min(member.lane, MAX_LANES - 1)
                if block is None:
                    break
                cluster, lane_ends = [], []
            lane = next((i for i, free in enumerate(lane_ends) if free <= block.row), None)
            if lane is None:
                lane_ends.append(0)
                lane = len(lane_ends) - 1
            lane_ends[lane] = block.row + block.span
            block.lane = lane
            cluster.append(block)
            cluster_end = max(cluster_end, block.row + block.span)
