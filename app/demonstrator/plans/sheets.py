"""Guides' route sheets: one A4 page per tour with the group, a checklist, the hall map with the
path drawn in walking order, and the table of stops. reportlab, with the badges' embedded fonts.
"""
from __future__ import annotations

import io
import math

from PIL import UnidentifiedImageError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from badges.documents import new_canvas
from badges.render import FONT, FONT_BOLD  # registers the embedded DejaVu fonts once
from app.core.i18n import current_language, localized
from app.core.sentences import gettext as _, ngettext
from app.core.timefmt import format_day, format_moment
from app.demonstrator.plans.hall_map import HallMap
from app.demonstrator.plans.itinerary import Stop, Tour, member_line
from app.demonstrator.plans.meeting_notes import TableMeeting, VisitMeeting
from app.events.models import Event

PAGE_W, PAGE_H = A4
MARGIN = 14 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
MAP_MAX_H = 92 * mm
ROW_H = 10.5 * mm
HEADER_H = 7 * mm
INK = (0.11, 0.14, 0.2)
MUTED = (0.36, 0.4, 0.47)
BRAND = (0.12, 0.31, 0.55)
LIGHT = (0.9, 0.94, 0.98)
LINE = (0.75, 0.78, 0.83)
DOOR = (0.11, 0.48, 0.27)
#: The table's columns: (key, share of the width).
COLUMNS = (("order", 0.05), ("time", 0.15), ("stand", 0.14), ("startup", 0.27), ("pitch", 0.39))


def render(event: Event, tours: list[Tour], hall: HallMap, *, version: int | None = None) -> bytes:
    """The sheets of `tours`, in their order: one page per tour (a long tour's table goes on)."""
    if not tours:
        raise ValueError("no tour to print")
    out = io.BytesIO()
    # Not a tagged PDF (reportlab cannot write one): language and title here, the same content as a page in
    # visit_routes.tour_page (badges.documents says why).
    c = new_canvas(out, pagesize=A4, title=_("Route sheets") + f" · {localized(event, 'name')}",
                   language=current_language())
    drawn: set[str] = set()  # the hall's plan, drawn once into the PDF and placed on every page
    for tour in tours:
        # a bookmark per tour: a guide finds hers in a day's hundreds of pages (kept when parts are merged)
        key = f"tour-{tour.visitor_key}-{tour.index}"
        c.bookmarkPage(key)
        c.addOutlineEntry(tour.name, key, level=0)
        _TourPage(c, event, tour, hall, version, drawn).draw()
    c.save()
    return out.getvalue()


def _hm(event: Event, moment) -> str:
    return format_moment(moment, event.timezone, "time")


def when_line(event: Event, tour: Tour) -> str:
    """The tour's day, times and slot, as under its name on the sheet (and on its page)."""
    return " · ".join(p for p in (
        format_day(tour.day, "day_year"),
        _("Tour %(start)s–%(end)s", start=_hm(event, tour.depart), end=_hm(event, tour.back)),
        tour.slot_label) if p)


def checklist(event: Event, tour: Tour, hall: HallMap) -> list[str]:
    """The guide's checklist of a tour, on the sheet and on its page."""
    door = hall.door.name or _("Entrance")
    return [
        _("Meeting point: %(door)s; leave at %(time)s.", door=door, time=_hm(event, tour.depart)),
        ngettext("Check the group is complete (%(num)d person); report an absence to the organisers' desk.",
                 "Check the group is complete (%(num)d people); report an absence to the organisers' desk.",
                 max(1, len(tour.unit.members))),
        _("Follow the numbered path; be at each stand at the time in the table and keep to it."),
        _("Bring the group back by %(time)s (%(door)s).", door=door, time=_hm(event, tour.back)),
    ]


def meeting_line(meeting: VisitMeeting) -> str:
    """A stop that is a meeting on request, as its row says it instead of the pitch."""
    return _("Meeting on request: %(visitors)s", visitors=", ".join(meeting.visitor_side))


def table_meeting_line(event: Event, meeting: TableMeeting, tour: Tour) -> str:
    """A meeting of the group at a table that day, as listed at the end of its sheet."""
    ids = {m.id for m in tour.unit.members}
    return " · ".join((f"{_hm(event, meeting.starts_at)}–{_hm(event, meeting.ends_at)}", meeting.place,
                       _("%(ours)s with %(others)s", ours=", ".join(meeting.ours(ids)),
                         others=", ".join(meeting.others(ids)))))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` (one line)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _two_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped on at most two lines, the second cut with an ellipsis if need be."""
    lines = simpleSplit(text, font, size, width)
    if len(lines) > 2:
        lines = [lines[0], _fit(" ".join(lines[1:]), font, size, width)]
    return lines


class _TourPage:
    def __init__(self, c: Canvas, event: Event, tour: Tour, hall: HallMap, version: int | None,
                 drawn: set[str] | None = None):
        self.c, self.event, self.tour, self.hall, self.version = c, event, tour, hall, version
        self.drawn = set() if drawn is None else drawn

    def draw(self) -> None:
        y = PAGE_H - MARGIN
        y = self._title(y)
        y = self._checklist(y - 3 * mm)
        y = self._map(y - 4 * mm)
        self._table(y - 5 * mm)
        self._footer()
        self.c.showPage()

    # -- text blocks ----------------------------------------------------------------------------------

    def _text(self, x: float, y: float, text: str, *, size: float = 10, bold: bool = False,
              colour=INK, width: float = CONTENT_W) -> float:
        """Wrapped text from baseline `y` down; returns the y below it."""
        font = FONT_BOLD if bold else FONT
        self.c.setFont(font, size)
        self.c.setFillColorRGB(*colour)
        for line in simpleSplit(text, font, size, width) or [""]:
            self.c.drawString(x, y, line)
            y -= size * 1.3
        return y

    def _title(self, y: float) -> float:
        tour, event = self.tour, self.event
        y = self._text(MARGIN, y - 16, tour.name, size=17, bold=True)
        y = self._text(MARGIN, y - 2, when_line(event, tour), size=11, colour=BRAND, bold=True)
        members = tour.unit.members
        if members:
            y = self._text(MARGIN, y - 1, _("The group (%(num)d)", num=len(members)), size=9, bold=True,
                           colour=MUTED)
            for member in members:
                y = self._text(MARGIN + 4 * mm, y, member_line(member), size=9)
        return y

    def _checklist(self, y: float) -> float:
        items = checklist(self.event, self.tour, self.hall)
        y = self._text(MARGIN, y - 10, _("Guide's checklist"), size=10, bold=True)
        for item in items:
            self.c.setStrokeColorRGB(*INK)
            self.c.setLineWidth(0.8)
            self.c.rect(MARGIN, y - 1.2, 3.2 * mm, 3.2 * mm, stroke=1, fill=0)
            y = self._text(MARGIN + 5.5 * mm, y, item, size=9, width=CONTENT_W - 6 * mm) - 1.2
        return y

    # -- the map --------------------------------------------------------------------------------------

    def _map(self, top: float) -> float:
        """The hall's plan (the same on every page: a form drawn once, placed at `top`), this tour's stands
        over it, and its path."""
        hall, c = self.hall, self.c
        scale = min(CONTENT_W / hall.width, MAP_MAX_H / hall.depth)
        w, h = hall.width * scale, hall.depth * scale
        left = MARGIN + (CONTENT_W - w) / 2

        def at(x: float, y: float) -> tuple[float, float]:
            return left + x * scale, top - y * scale

        if "hall" not in self.drawn:
            c.beginForm("hall", lowerx=0, lowery=-h - 12 * mm, upperx=PAGE_W, uppery=12 * mm)
            self._hall(scale, left, w, h)
            c.endForm()
            self.drawn.add("hall")
        c.saveState()
        c.translate(0, top)
        c.doForm("hall")
        c.restoreState()
        visited = {s.stand_number: s.order for s in self.tour.stops}
        for stand in hall.stands:
            if stand.number not in visited:
                continue
            x, y = at(stand.x, stand.y)
            sw, sd = stand.width * scale, stand.depth * scale
            c.setLineWidth(0.5)
            c.setStrokeColorRGB(*BRAND)
            c.setFillColorRGB(*LIGHT)
            c.rect(x, y - sd, sw, sd, stroke=1, fill=1)
            c.setFillColorRGB(*BRAND)
            c.setFont(FONT_BOLD, 7.5)
            c.drawCentredString(x + sw / 2, y - sd - 8.5, stand.number)
        self._path([at(x, y) for x, y in self.tour.path(hall)])
        return top - h

    def _hall(self, scale: float, left: float, w: float, h: float) -> None:
        """Walls, floor plan image, every stand (unvisited look) and the doors, with the map's top at y = 0."""
        hall, c, top = self.hall, self.c, 0.0

        def at(x: float, y: float) -> tuple[float, float]:
            return left + x * scale, top - y * scale

        if hall.image:
            try:
                c.drawImage(ImageReader(io.BytesIO(hall.image)), left, top - h, w, h, mask="auto")
            except (OSError, UnidentifiedImageError, ValueError):
                pass  # an unreadable floor plan: the stands are still drawn
        c.setStrokeColorRGB(*INK)
        c.setLineWidth(1)
        c.rect(left, top - h, w, h, stroke=1, fill=0)
        for stand in hall.stands:
            x, y = at(stand.x, stand.y)
            sw, sd = stand.width * scale, stand.depth * scale
            c.setLineWidth(0.5)
            c.setStrokeColorRGB(*LINE)
            c.setFillColorRGB(1, 1, 1)
            c.rect(x, y - sd, sw, sd, stroke=1, fill=1)
            size = max(3.5, min(7.0, sw / max(1, len(stand.number)) * 1.4, sd * 0.45))
            c.setFillColorRGB(*MUTED)
            c.setFont(FONT, size)
            c.drawCentredString(x + sw / 2, y - sd / 2 - size * 0.35, stand.number)
        for door in hall.doors:
            x, y = at(door.x, door.y)
            c.setFillColorRGB(*DOOR)
            c.rect(x - 2.2 * mm, y - 2.2 * mm, 4.4 * mm, 4.4 * mm, stroke=0, fill=1)
            c.setFont(FONT_BOLD, 7)
            label = door.name or _("Entrance")
            lx = min(max(x, left + stringWidth(label, FONT_BOLD, 7) / 2), left + w - stringWidth(label, FONT_BOLD, 7) / 2)
            c.drawCentredString(lx, y + 3 * mm if y - 6 * mm < top - h else y - 5.5 * mm, label)

    def _path(self, points: list[tuple[float, float]]) -> None:
        c = self.c
        c.setStrokeColorRGB(*BRAND)
        c.setFillColorRGB(*BRAND)
        c.setLineWidth(1.6)
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            c.line(xa, ya, xb, yb)
            length = math.hypot(xb - xa, yb - ya)
            if length < 6 * mm:
                continue
            ux, uy = (xb - xa) / length, (yb - ya) / length
            mx, my = (xa + xb) / 2, (ya + yb) / 2
            size = 2.6 * mm
            head = c.beginPath()
            head.moveTo(mx + ux * size / 2, my + uy * size / 2)
            head.lineTo(mx - ux * size / 2 - uy * size / 2, my - uy * size / 2 + ux * size / 2)
            head.lineTo(mx - ux * size / 2 + uy * size / 2, my - uy * size / 2 - ux * size / 2)
            head.close()
            c.drawPath(head, stroke=0, fill=1)
        for n, (x, y) in enumerate(points[1:-1], start=1):
            c.setFillColorRGB(*BRAND)
            c.circle(x, y, 2.7 * mm, stroke=0, fill=1)
            c.setFillColorRGB(1, 1, 1)
            c.setFont(FONT_BOLD, 8)
            c.drawCentredString(x, y - 2.8, str(n))

    # -- the stops ----------------------------------------------------------------------------------

    def _columns(self) -> list[tuple[str, float, float]]:
        x, out = MARGIN, []
        for key, share in COLUMNS:
            out.append((key, x, CONTENT_W * share))
            x += CONTENT_W * share
        return out

    def _header_row(self, y: float) -> float:
        c = self.c
        names = {"order": "#", "time": _("Time"), "stand": _("Stand"), "startup": _("Startup"),
                 "pitch": _("Pitch")}
        c.setFillColorRGB(0.93, 0.95, 0.96)
        c.rect(MARGIN, y - HEADER_H, CONTENT_W, HEADER_H, stroke=0, fill=1)
        c.setFillColorRGB(*MUTED)
        c.setFont(FONT_BOLD, 8.5)
        for key, x, _width in self._columns():
            c.drawString(x + 1.2 * mm, y - 4.6 * mm, names[key])
        return y - HEADER_H

    def _table(self, y: float) -> None:
        y = self._header_row(y)
        for stop in self.tour.stops:
            if y - ROW_H < MARGIN + 8 * mm:
                self._footer()
                self.c.showPage()
                y = self._text(MARGIN, PAGE_H - MARGIN - 14, _("%(name)s (continued)", name=self.tour.name),
                               size=13, bold=True)
                y = self._header_row(y - 3 * mm)
            y = self._row(y, stop)
        if self.tour.table_meetings:
            self._table_meetings(y - 5 * mm)

    def _table_meetings(self, y: float) -> None:
        """The group's meetings at the tables of the meetings area that day, after the stops."""
        for n, line in enumerate(table_meeting_line(self.event, m, self.tour) for m in self.tour.table_meetings):
            if y - (40 if n == 0 else 24) < MARGIN + 8 * mm:  # the title stays with its first line
                self._footer()
                self.c.showPage()
                y = self._text(MARGIN, PAGE_H - MARGIN - 14, _("%(name)s (continued)", name=self.tour.name),
                               size=13, bold=True)
            if n == 0:
                y = self._text(MARGIN, y - 10, _("Meetings at the tables that day"), size=10, bold=True)
            y = self._text(MARGIN + 4 * mm, y, line, size=9)

    def _row(self, y: float, stop: Stop) -> float:
        """Two lines per stop: the stand's zone under its number, the pitch's first line over two lines."""
        c, event = self.c, self.event
        visit = stop.visit
        zone = localized(visit.stand, "zone") if visit.stand is not None else ""
        cells = {
            "order": [(str(stop.order), FONT_BOLD, 10)],
            "time": [(_hm(event, visit.starts_at) + "–" + _hm(event, visit.ends_at), FONT_BOLD, 9.5)],
            "stand": [(stop.stand_number, FONT_BOLD, 10)] + ([(zone, FONT, 7.5)] if zone else []),
        }
        widths = {key: width - 2.4 * mm for key, _x, width in self._columns()}
        cells["startup"] = [(line, FONT_BOLD, 9.5) for line in _two_lines(stop.startup_name, FONT_BOLD, 9.5,
                                                                         widths["startup"])]
        if stop.meeting is not None:  # a meeting on request: with whom says more than the pitch
            cells["pitch"] = [(line, FONT_BOLD, 8.5) for line in _two_lines(meeting_line(stop.meeting), FONT_BOLD, 8.5,
                                                                             widths["pitch"])]
        else:
            cells["pitch"] = [(line, FONT, 8.5) for line in _two_lines(stop.pitch_first_line, FONT, 8.5,
                                                                         widths["pitch"])]
        columns = self._columns()
        c.setFillColorRGB(*INK)
        for key, x, width in columns:
            line_y = y - 4.4 * mm
            for text, font, size in cells[key]:
                c.setFont(font, size)
                c.setFillColorRGB(*(INK if size > 8 or key == "pitch" else MUTED))
                c.drawString(x + 1.2 * mm, line_y, _fit(text, font, size, width - 2.4 * mm))
                line_y -= size * 1.25
        c.setStrokeColorRGB(*LINE)
        c.setLineWidth(0.5)
        c.line(MARGIN, y - ROW_H, MARGIN + CONTENT_W, y - ROW_H)
        return y - ROW_H

    def _footer(self) -> None:
        c = self.c
        c.setFont(FONT, 7.5)
        c.setFillColorRGB(*MUTED)
        text = f"Médiane · {localized(self.event, 'name')}"
        if self.version is not None:
            text += " · " + _("visit plan v%(version)d", version=self.version)
        c.drawString(MARGIN, MARGIN / 2, text)
