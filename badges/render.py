"""Badge records + a layout in, PDF bytes out (reportlab, qrcode)."""
from __future__ import annotations

import io
import math
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Sequence

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .documents import new_canvas
from .layouts import BADGE_HEIGHT_MM, BADGE_WIDTH_MM, code_box, sheet_positions, sheet_size, validate_layout
from .model import BadgeRecord, Box, Layout

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).with_name("fonts")


def _register_fonts() -> None:
    """Register the embedded fonts once per process (idempotent)."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file)))


_register_fonts()

#: Below a box's min_font_size, text keeps shrinking down to this rather than being cut.
FLOOR_FONT_SIZE = 5.0
#: Last resort for absurd inputs: shrink even further, still never cut.
ABSOLUTE_FLOOR = 2.0
LEADING = 1.15
PROGRESS_EVERY = 50
QUIET_ZONE_MODULES = 4
QR_MASK = 2
_TOKENS = re.compile(r"[^\s-]+-?|-")


def _words(text: str) -> list[str]:
    """Split at spaces and after hyphens; a piece ending in '-' joins the next without a space."""
    return _TOKENS.findall(text)


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        out += word if (not out or out.endswith("-")) else " " + word
    return out


def _wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    """Greedy wrap of one paragraph; None if a single word is wider than `width`."""
    lines: list[str] = []
    current: list[str] = []
    for word in _words(text):
        if pdfmetrics.stringWidth(word, font, size) > width:
            return None
        trial = current + [word]
        if current and pdfmetrics.stringWidth(_join(trial), font, size) > width:
            lines.append(_join(current))
            current = [word]
        else:
            current = trial
    if current:
        lines.append(_join(current))
    return lines


def _break_chars(text: str, font: str, size: float, width: float) -> list[str]:
    """Break anywhere (last resort for one giant word); every character is kept."""
    lines, current = [], ""
    for char in text:
        if current and pdfmetrics.stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + ([current] if current else [])


def fit_text(paragraphs: Sequence[str], box: Box, font: str) -> tuple[float, list[str]]:
    """Choose a size and lines for `paragraphs` in `box`: shrink, then wrap, then shrink below min; never cut.

    Returns (font size in points, lines).
    """
    paragraphs = [p for p in (p.strip() for p in paragraphs) if p]
    if not paragraphs:
        return box.font_size, []
    width, height = box.width * mm, box.height * mm

    def attempt(size: float, max_lines: int) -> list[str] | None:
        lines: list[str] = []
        for paragraph in paragraphs:
            wrapped = _wrap(paragraph, font, size, width)
            if wrapped is None:
                return None
            lines += wrapped
        if len(lines) > max_lines or len(lines) * size * LEADING > height + 0.01:
            return None
        return lines

    n = len(paragraphs)
    size = box.font_size
    # 1. Shrink without wrapping, down to min_font_size.
    while size >= box.min_font_size:
        lines = attempt(size, n)
        if lines is not None:
            return size, lines
        size -= 0.5
    # 2. Wrap at min size, up to max_lines (at least one line per paragraph).
    max_lines = max(box.max_lines, n)
    lines = attempt(box.min_font_size, max_lines)
    if lines is not None:
        return box.min_font_size, lines
    # 3. Keep shrinking below min, wrapped, rather than cutting.
    size = box.min_font_size - 0.5
    while size >= ABSOLUTE_FLOOR:
        lines = attempt(size, max_lines if size >= FLOOR_FONT_SIZE else 10_000)
        if lines is not None:
            return size, lines
        size -= 0.5
    # 4. Absurd input: break inside words at the smallest size; still every character is drawn.
    lines = [line for p in paragraphs for line in _break_chars(p, font, ABSOLUTE_FLOOR, width)]
    return ABSOLUTE_FLOOR, lines


def _qr_matrix(token: str) -> list[list[bool]]:
    # A fixed mask: any of the 8 masks is valid QR, and scoring all 8 (qrcode's default)
    # costs ~30 ms a code, most of the render time. Decoding is tested on every badge.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    qr.add_data(token)
    qr.make(fit=True)
    return qr.get_matrix()


def _hex_to_rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


class _BadgeDrawer:
    """Draws badges on a canvas; holds what is shared between badges (fonts, logo, colours)."""

    def __init__(self, canvas: Canvas, layout: Layout, page_height_mm: float) -> None:
        self.c = canvas
        self.layout = layout
        self.page_h = page_height_mm
        self.logo = ImageReader(io.BytesIO(layout.logo)) if layout.logo else None
        self.colors = {k: _hex_to_rgb(v) for k, v in layout.colors.items()}
        self.code_box = code_box(layout)

    def draw(self, record: BadgeRecord, ox: float, oy: float) -> None:
        """Draw one badge whose top-left corner is at (ox, oy) mm from the page's top-left."""
        self.ox, self.oy = ox, oy
        boxes = self.layout.boxes
        if "category" in boxes:
            self._band(record, boxes["category"])
        if "logo" in boxes and self.logo is not None:
            x, y, w, h = self._rect(boxes["logo"])
            self.c.drawImage(self.logo, x, y, w, h, preserveAspectRatio=True, anchor="nw", mask="auto")
        if "event" in boxes:
            self._text(boxes["event"], [record.event_name], (0.3, 0.3, 0.3))
        if "name" in boxes:
            self._text(boxes["name"], [record.first_name, record.last_name.upper()], (0, 0, 0))
        if "organisation" in boxes:
            self._text(boxes["organisation"], [record.organisation], (0.1, 0.1, 0.1))
        if "role" in boxes:
            self._text(boxes["role"], [record.role], (0.25, 0.25, 0.25))
        if "country" in boxes:
            country = record.country_name
            if record.country_code:
                country = f"{record.country_code.upper()} · {country}" if country else record.country_code.upper()
            self._text(boxes["country"], [country], (0.25, 0.25, 0.25))
        if "qr" in boxes:
            self._qr(record.token, boxes["qr"])
        if self.code_box is not None and record.short_code:
            self._text(self.code_box, [record.short_code], (0, 0, 0))

    def _rect(self, box: Box) -> tuple[float, float, float, float]:
        """The box in points, reportlab's way (bottom-left origin)."""
        x = (self.ox + box.x) * mm
        y = (self.page_h - self.oy - box.y - box.height) * mm
        return x, y, box.width * mm, box.height * mm

    def _text(self, box: Box, paragraphs: list[str], rgb: tuple[float, float, float]) -> None:
        font = FONT_BOLD if box.bold else FONT
        size, lines = fit_text(paragraphs, box, font)
        if not lines:
            return
        x, y, w, h = self._rect(box)
        c = self.c
        c.setFillColorRGB(*rgb)
        c.setFont(font, size)
        leading = size * LEADING
        # Centre the block vertically; the baseline sits ~0.8 em below the line's top.
        top = y + h - (h - leading * len(lines)) / 2
        for i, line in enumerate(lines):
            baseline = top - i * leading - size * 0.93
            if box.align == "left":
                c.drawString(x, baseline, line)
            elif box.align == "right":
                c.drawRightString(x + w, baseline, line)
            else:
                c.drawCentredString(x + w / 2, baseline, line)

    def _band(self, record: BadgeRecord, box: Box) -> None:
        x, y, w, h = self._rect(box)
        rgb = self.colors.get(record.category, (0.2, 0.2, 0.2))
        self.c.setFillColorRGB(*rgb)
        self.c.rect(x, y, w, h, stroke=0, fill=1)
        # The word, not only the colour, says the category.
        self._text(box, [record.category_label or record.category], (1, 1, 1))

    def _qr(self, token: str, box: Box) -> None:
        """Vector QR (one path of horizontal runs) in the box's largest centred square, with a quiet zone."""
        matrix = _qr_matrix(token)
        n = len(matrix)
        x, y, w, h = self._rect(box)
        side = min(w, h)
        module = side / n
        x0, y_top = x + (w - side) / 2, y + h - (h - side) / 2
        c = self.c
        quiet = QUIET_ZONE_MODULES * module
        c.setFillColorRGB(1, 1, 1)
        c.rect(x0 - quiet, y_top - side - quiet, side + 2 * quiet, side + 2 * quiet, stroke=0, fill=1)
        # One fill of integer rectangles in module units: formatting tens of thousands of
        # floats through reportlab's path API was the slowest part of a render.
        c.saveState()
        c.setFillColorRGB(0, 0, 0)
        c.transform(module, 0, 0, -module, x0, y_top)
        c.addLiteral(_qr_ops(matrix))
        c.restoreState()


def _qr_ops(matrix: list[list[bool]]) -> str:
    """PDF operators filling each horizontal run of dark modules (row r spans y r..r+1)."""
    ops = []
    n = len(matrix)
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                ops.append(f"{start} {r} {col - start} 1 re")
            else:
                col += 1
    ops.append("f")
    return "\n".join(ops)


def _cut_marks(c: Canvas, positions: Sequence[tuple[float, float]], page_h: float) -> None:
    """Short thin ticks along the edges at every badge corner."""
    c.setStrokeColorRGB(0.4, 0.4, 0.4)
    c.setLineWidth(0.3)
    tick = 4 * mm
    corners = set()
    for ox, oy in positions:
        for cx in (ox, ox + BADGE_WIDTH_MM):
            for cy in (oy, oy + BADGE_HEIGHT_MM):
                corners.add((cx * mm, (page_h - cy) * mm))
    for cx, cy in sorted(corners):
        c.line(cx - tick, cy, cx + tick, cy)
        c.line(cx, cy - tick, cx, cy + tick)


_RENDER_LOCK = threading.Lock()


@contextmanager
def _binary_streams():
    """Compressed streams without ASCII85 (reportlab's default; pure Python and +25% size).

    rl_config is process-wide, so renders are serialised while it is switched.
    """
    with _RENDER_LOCK:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def render(
    records: Sequence[BadgeRecord],
    layout: Layout,
    *,
    progress: Callable[[int, int], None] | None = None,
    title: str = "Badges",
    language: str = "fr",
) -> bytes:
    """Render `records` with `layout` into PDF bytes; A6 pages, or A4 pages of 4 badges with cut marks.

    The document carries `title` and `language` (badges.documents: reportlab writes no tagged PDF, so the
    attendee's badge also has an HTML page of the same content).

    Raises LayoutError for a bad layout and ValueError("no badge to print") for no record.
    `progress(done, total)` is called every ~50 badges and once at the end.
    """
    validate_layout(layout)
    if not records:
        raise ValueError("no badge to print")
    with _binary_streams():
        return _render(records, layout, progress, title, language)


def _render(
    records: Sequence[BadgeRecord], layout: Layout, progress: Callable[[int, int], None] | None, title: str,
    language: str,
) -> bytes:
    page_w, page_h = sheet_size(layout.sheet)
    positions = sheet_positions(layout.sheet)
    out = io.BytesIO()
    c = new_canvas(out, pagesize=(page_w * mm, page_h * mm), title=title, language=language,
                   creator="Médiane badges")
    drawer = _BadgeDrawer(c, layout, page_h)
    total = len(records)
    per_page = len(positions)
    for start in range(0, total, per_page):
        for (ox, oy), record in zip(positions, records[start : start + per_page]):
            drawer.draw(record, ox, oy)
            done = start + positions.index((ox, oy)) + 1
            if progress is not None and done % PROGRESS_EVERY == 0 and done != total:
                progress(done, total)
        if per_page > 1:
            _cut_marks(c, positions, page_h)
        c.showPage()
    c.save()
    if progress is not None:
        progress(total, total)
    return out.getvalue()


def num_pages(num_badges: int, sheet: str) -> int:
    """How many pages `num_badges` badges take on `sheet`."""
    return math.ceil(num_badges / len(sheet_positions(sheet)))
