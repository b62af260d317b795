"""The values the hall plan is drawn from: stands with their fills and holders' names, the legend, the grid."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.i18n import localized
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.hall.queries import get_hall, stand_sort_key, startup_name
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration

#: Fills of the plan, in the order themes or zones are met; light enough to read black text on.
PALETTE = ["#cfe0f7", "#fde2c4", "#d4efdc", "#f6d3e0", "#e4dcf5", "#fbf0b8", "#cdeef0", "#ead9c9",
           "#dfe7c2", "#f5d0c5"]
HELD_FILL = "#dce8f8"   # a held stand with no theme or zone


@dataclass
class PlanStand:
    """A stand as the plan draws it."""

    stand: Stand
    fill: str
    holders: list[str]
    lines: list[str] = field(default_factory=list)   # the holders' names cut to fit the stand's width
    number_size: float = 1.0
    name_size: float = 0.6
    zone: str = ""      # in the reader's language
    theme: str = ""


@dataclass
class Plan:
    width: float
    depth: float
    stands: list[PlanStand]
    legend: list[tuple[str, str]]      # (fill, label)
    colour_by: str                     # "theme" or "zone"
    has_themes: bool
    has_zones: bool
    grid_x: list[int]                  # a line every half label step (5 m in a 60 m hall)
    grid_y: list[int]
    labels_x: list[int]                # a label every 10 m in a 60 m hall
    labels_y: list[int]


def _fit(text: str, width: float, size: float) -> str:
    """Cut `text` so that it fits `width` metres at a font size of `size` metres."""
    room = max(1, int(width / (size * 0.58)))
    return text if len(text) <= room else text[: max(1, room - 1)] + "…"


def _wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """`text` on at most `max_lines` lines of `width` metres, cut at spaces; the last line cut if need be."""
    room = max(1, int(width / (size * 0.58)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_fit(line, width, size) for line in lines[:max(max_lines, 0)]]


def plan(event: Event, locale: str, colour_by: str | None = None) -> Plan:
    """What the hall plan shows: stands with their fills and holders, the legend, the grid."""
    hall = get_hall(event)
    rows = list(db.session.scalars(
        select(Stand).where(Stand.event_id == event.id)
        .options(selectinload(Stand.bookings).selectinload(StandBooking.registration)
                 .selectinload(Registration.organisation), selectinload(Stand.theme),
                 selectinload(Stand.closures))))
    rows.sort(key=lambda s: stand_sort_key(s.number))
    has_themes = any(s.theme for s in rows)
    has_zones = any(s.zone for s in rows)
    if colour_by not in ("theme", "zone"):
        colour_by = "theme" if has_themes or not has_zones else "zone"
    keys: dict[str, str] = {}
    if colour_by == "theme":
        for theme in sorted({s.theme for s in rows if s.theme}, key=lambda t: (t.position, t.id)):
            keys[str(theme.id)] = theme.name(locale)
    else:
        for zone in sorted({s.zone for s in rows if s.zone}, key=str.lower):
            keys[zone] = zone
    fills = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    items = []
    for stand in rows:
        key = (str(stand.theme_id) if stand.theme_id else "") if colour_by == "theme" else stand.zone
        names = sorted({startup_name(b.registration) for b in stand.bookings}, key=str.lower)
        number_size = min(1.0, stand.depth / 3, stand.width / 3) if names else min(1.2, stand.depth / 2.5,
                                                                                    stand.width / 2.5)
        name_size = min(0.75, stand.width / 4.5, stand.depth / 4)
        room = max(0, int((stand.depth - number_size * 1.4) / (name_size * 1.25)))
        if len(names) == 1:
            lines = _wrap(names[0], stand.width - 0.4, name_size, room)
        else:
            lines = [_fit(n, stand.width - 0.4, name_size) for n in names[:room]]
        if len(names) > room and room:
            lines[-1] = f"+{len(names) - room + 1}"
        items.append(PlanStand(stand, fills.get(key, HELD_FILL), names, lines, round(number_size, 2),
                               round(name_size, 2), localized(stand, "zone", locale),
                               stand.theme.name(locale) if stand.theme else ""))
    step = _label_step(max(hall.width, hall.depth))
    return Plan(width=hall.width, depth=hall.depth, stands=items,
                legend=[(fills[k], label) for k, label in keys.items()], colour_by=colour_by,
                has_themes=has_themes, has_zones=has_zones,
                grid_x=_steps(hall.width, step // 2), grid_y=_steps(hall.depth, step // 2),
                labels_x=_steps(hall.width, step), labels_y=_steps(hall.depth, step))


def _steps(length: float, step: int) -> list[int]:
    return [v for v in range(step, int(length) + 1, step) if v < length - 1e-9]


def _label_step(width: float) -> int:
    """Metres between axis labels: at most about eight labels whatever the hall's size."""
    return next((step for step in (2, 10, 20, 50, 100, 200, 500) if width / step <= 8), 1000)
