"""Badge PDF rendering: badge records and a layout in, PDF bytes out. No Flask, no SQLAlchemy."""
from .layouts import (
    DEFAULT_COLORS,
    LayoutError,
    badges_per_sheet,
    default_layout,
    layout_from_dict,
    layout_to_dict,
    sheet_positions,
    validate_layout,
)
from .model import BadgeRecord, Box, Layout
from .render import fit_text, num_pages, render

__all__ = [
    "DEFAULT_COLORS",
    "BadgeRecord",
    "Box",
    "Layout",
    "LayoutError",
    "badges_per_sheet",
    "default_layout",
    "fit_text",
    "layout_from_dict",
    "layout_to_dict",
    "num_pages",
    "render",
    "sheet_positions",
    "validate_layout",
]
