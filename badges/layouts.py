"""Layouts as data: the default layout, sheets, validation and the JSON form."""
from __future__ import annotations

import base64
import io
import re
from typing import Any

from .model import Box, Layout

#: An A6 badge, in millimetres.
BADGE_WIDTH_MM = 105.0
BADGE_HEIGHT_MM = 148.0

#: Sheet -> (page width mm, page height mm, badge origins (x, y) in mm from the page's top-left).
SHEETS: dict[str, tuple[float, float, tuple[tuple[float, float], ...]]] = {
    "a6": (105.0, 148.0, ((0.0, 0.0),)),
    # Two by two on A4 (210 x 297): the 1 mm left over is split top and bottom.
    "a4x4": (210.0, 297.0, ((0.0, 0.5), (105.0, 0.5), (0.0, 148.5), (105.0, 148.5))),
}

BOX_NAMES = ("name", "organisation", "role", "country", "category", "event", "logo", "qr", "code")
MIN_QR_MM = 25.0
MAX_LOGO_BYTES = 2 * 1024 * 1024
ALIGNS = ("left", "center", "right")

DEFAULT_COLORS = {
    "elu": "#1f4e8c",
    "decideur": "#2e7d32",
    "startup": "#e0752d",
    "entreprise": "#6a1b9a",
    "intervenant": "#c62828",
    "presse": "#455a64",
    "visiteur": "#00838f",
}

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class LayoutError(ValueError):
    """A layout the renderer refuses. `code` is machine-readable; `box` names the box at fault, if any."""

    def __init__(self, code: str, message: str, *, box: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.box = box
        self.message = message


def badges_per_sheet(sheet: str) -> int:
    """How many badges one page of `sheet` holds (1 for a6, 4 for a4x4)."""
    return len(sheet_positions(sheet))


def sheet_positions(sheet: str) -> tuple[tuple[float, float], ...]:
    """The top-left corner of each badge on a page of `sheet`, in mm from the page's top-left."""
    if sheet not in SHEETS:
        raise LayoutError("unknown_sheet", f"Unknown sheet {sheet!r}: use one of {', '.join(SHEETS)}.")
    return SHEETS[sheet][2]


def sheet_size(sheet: str) -> tuple[float, float]:
    """The page size of `sheet` in mm (width, height)."""
    sheet_positions(sheet)
    return SHEETS[sheet][0], SHEETS[sheet][1]


def default_layout(sheet: str = "a6") -> Layout:
    """A sensible layout: event small on top, logo top-left, big name, QR centred, colour band at the bottom."""
    sheet_positions(sheet)
    boxes = {
        "logo": Box(5, 4, 22, 14, font_size=1, min_font_size=1),
        "event": Box(29, 5, 71, 12, font_size=9, min_font_size=6, align="right", max_lines=2),
        "name": Box(6, 22, 93, 36, font_size=26, min_font_size=14, bold=True, max_lines=4),
        "organisation": Box(6, 59, 93, 12, font_size=13, min_font_size=8, max_lines=2),
        "role": Box(6, 71, 93, 9, font_size=11, min_font_size=7, max_lines=2),
        "country": Box(6, 80, 93, 5.5, font_size=10, min_font_size=7, max_lines=1),
        "qr": Box(36.5, 90, 32, 32),
        # Under the QR code's quiet zone (4 modules, 4.4 mm), above the band.
        "code": Box(6, 126.6, 93, 7, font_size=15, min_font_size=9, bold=True, max_lines=1),
        "category": Box(0, 134, 105, 14, font_size=18, min_font_size=9, bold=True, max_lines=1),
    }
    return Layout(sheet=sheet, boxes=boxes, colors=dict(DEFAULT_COLORS), logo=None)


def code_box(layout: Layout) -> Box | None:
    """Where the short code goes: its own box, else a small line in the QR code's quiet zone, one module under
    the code (a layout saved before badges had a short code still prints it)."""
    if "code" in layout.boxes:
        return layout.boxes["code"]
    qr = layout.boxes.get("qr")
    if qr is None:
        return None
    side = min(qr.width, qr.height)
    module = side / 29  # a badge token's QR code is 29 modules wide; its quiet zone is 4 modules
    top = qr.y + (qr.height + side) / 2 + module
    height = min(2.8 * module, BADGE_HEIGHT_MM - top)
    return Box(qr.x, top, qr.width, height, font_size=9, min_font_size=5, bold=True, max_lines=1) if height > 2 else None


def _check_logo(logo: bytes) -> None:
    if len(logo) > MAX_LOGO_BYTES:
        raise LayoutError(
            "logo_too_large",
            f"The logo weighs {len(logo) / 1_048_576:.1f} MB; the limit is 2 MB.",
            box="logo",
        )
    if not (logo.startswith(b"\x89PNG\r\n\x1a\n") or logo.startswith(b"\xff\xd8\xff")):
        raise LayoutError("logo_not_image", "The logo is not a PNG or JPEG image.", box="logo")
    from PIL import Image  # pillow comes with reportlab

    try:
        with Image.open(io.BytesIO(logo)) as im:
            im.verify()
        with Image.open(io.BytesIO(logo)) as im:
            im.load()
    except Exception as exc:  # pillow raises many types for broken files
        raise LayoutError("logo_not_image", f"The logo cannot be read as an image ({exc}).", box="logo") from exc


def validate_layout(layout: Layout) -> None:
    """Raise LayoutError naming the first problem of `layout`, or return None."""
    sheet_positions(layout.sheet)
    for name, box in layout.boxes.items():
        if name not in BOX_NAMES:
            raise LayoutError("unknown_box", f"Unknown box {name!r}: use {', '.join(BOX_NAMES)}.", box=name)
        if box.width <= 0 or box.height <= 0:
            raise LayoutError("bad_size", f"Box {name!r} must have a positive width and height.", box=name)
        if box.font_size <= 0 or box.min_font_size <= 0:
            raise LayoutError("bad_font_size", f"Box {name!r} must have positive font sizes.", box=name)
        if box.min_font_size > box.font_size:
            raise LayoutError(
                "bad_font_size", f"Box {name!r}: min_font_size is larger than font_size.", box=name
            )
        if box.max_lines < 1:
            raise LayoutError("bad_max_lines", f"Box {name!r}: max_lines must be at least 1.", box=name)
        if box.align not in ALIGNS:
            raise LayoutError("bad_align", f"Box {name!r}: align must be left, center or right.", box=name)
        eps = 1e-6
        if box.x < -eps or box.y < -eps or box.x + box.width > BADGE_WIDTH_MM + eps or (
            box.y + box.height > BADGE_HEIGHT_MM + eps
        ):
            raise LayoutError(
                "box_outside",
                f"Box {name!r} goes outside the {BADGE_WIDTH_MM:g} x {BADGE_HEIGHT_MM:g} mm badge.",
                box=name,
            )
    qr = layout.boxes.get("qr")
    if qr is None:
        raise LayoutError("missing_box", "The layout has no 'qr' box.", box="qr")
    if min(qr.width, qr.height) < MIN_QR_MM:
        raise LayoutError(
            "qr_too_small", f"Box 'qr': the QR code must be at least {MIN_QR_MM:g} mm wide and high.", box="qr"
        )
    for category, colour in layout.colors.items():
        if not isinstance(colour, str) or not _COLOR.match(colour):
            raise LayoutError("bad_color", f"Colour of {category!r} must be #RRGGBB, not {colour!r}.")
    if layout.logo is not None:
        if not isinstance(layout.logo, (bytes, bytearray)):
            raise LayoutError("logo_not_image", "The logo must be image bytes.", box="logo")
        _check_logo(bytes(layout.logo))


_BOX_FIELDS: dict[str, tuple[type, ...]] = {
    "x": (int, float),
    "y": (int, float),
    "width": (int, float),
    "height": (int, float),
    "font_size": (int, float),
    "min_font_size": (int, float),
    "bold": (bool,),
    "align": (str,),
    "max_lines": (int,),
}
_REQUIRED_BOX_FIELDS = ("x", "y", "width", "height")


def layout_to_dict(layout: Layout) -> dict[str, Any]:
    """The JSON-ready form of `layout` (the logo as base64)."""
    return {
        "sheet": layout.sheet,
        "boxes": {
            name: {key: getattr(box, key) for key in _BOX_FIELDS} for name, box in layout.boxes.items()
        },
        "colors": dict(layout.colors),
        "logo": base64.b64encode(layout.logo).decode("ascii") if layout.logo is not None else None,
    }


def _box_from_dict(name: str, data: Any) -> Box:
    if not isinstance(data, dict):
        raise LayoutError("bad_type", f"boxes.{name} must be an object.", box=name)
    for key in data:
        if key not in _BOX_FIELDS:
            raise LayoutError("unknown_key", f"boxes.{name}.{key} is not a box setting.", box=name)
    for key in _REQUIRED_BOX_FIELDS:
        if key not in data:
            raise LayoutError("missing_key", f"boxes.{name}.{key} is missing.", box=name)
    for key, value in data.items():
        types = _BOX_FIELDS[key]
        # bool is an int in Python: refuse true/false where a number is expected.
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise LayoutError("bad_type", f"boxes.{name}.{key} has the wrong type ({value!r}).", box=name)
    return Box(**{k: (float(v) if _BOX_FIELDS[k] == (int, float) else v) for k, v in data.items()})


def layout_from_dict(data: Any) -> Layout:
    """Rebuild and validate a layout stored as JSON; LayoutError names the faulty key."""
    if not isinstance(data, dict):
        raise LayoutError("bad_type", "A layout must be an object.")
    for key in data:
        if key not in ("sheet", "boxes", "colors", "logo"):
            raise LayoutError("unknown_key", f"{key!r} is not a layout setting.")
    sheet = data.get("sheet", "a6")
    if not isinstance(sheet, str):
        raise LayoutError("bad_type", "sheet must be a string.")
    boxes_data = data.get("boxes", {})
    if not isinstance(boxes_data, dict):
        raise LayoutError("bad_type", "boxes must be an object.")
    boxes = {str(name): _box_from_dict(str(name), box) for name, box in boxes_data.items()}
    colors = data.get("colors", {})
    if not isinstance(colors, dict) or not all(isinstance(k, str) for k in colors):
        raise LayoutError("bad_type", "colors must be an object of category -> #RRGGBB.")
    logo_data = data.get("logo")
    logo: bytes | None = None
    if logo_data is not None:
        if not isinstance(logo_data, str):
            raise LayoutError("bad_type", "logo must be a base64 string.", box="logo")
        try:
            logo = base64.b64decode(logo_data, validate=True)
        except ValueError as exc:
            raise LayoutError("bad_type", "logo is not valid base64.", box="logo") from exc
    layout = Layout(sheet=sheet, boxes=boxes, colors=dict(colors), logo=logo)
    validate_layout(layout)
    return layout
