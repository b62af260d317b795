"""The plain values the app hands to the badge renderer (no Flask, no SQLAlchemy)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BadgeRecord:
    """One person's badge. `token` is the only thing the QR code holds."""

    token: str
    first_name: str
    last_name: str
    organisation: str = ""
    #: Mandate or position, e.g. "Maire de Nevers", "Directrice générale des services".
    role: str = ""
    country_code: str = ""
    country_name: str = ""
    #: Category code (elu, decideur, startup, entreprise, intervenant, presse, visiteur) and its printed word.
    category: str = "visiteur"
    category_label: str = "Visiteur"
    event_name: str = ""
    #: The short code printed for typing at the door when the QR code cannot be read, e.g. "K7M4-9QXR".
    short_code: str = ""


@dataclass(frozen=True)
class Box:
    """A rectangle on the badge, in millimetres from the badge's top-left corner."""

    x: float
    y: float
    width: float
    height: float
    font_size: float = 10.0
    #: The smallest size a text may shrink to before it wraps onto more lines.
    min_font_size: float = 7.0
    bold: bool = False
    align: str = "center"  # left, center, right
    max_lines: int = 2


@dataclass(frozen=True)
class Layout:
    """A badge layout as data. `sheet` is "a6" (one badge per A6 page) or "a4x4" (four A6 badges per A4, cut marks)."""

    sheet: str = "a6"
    #: name, organisation, role, country, category, event, logo, qr, code (the short code; under the QR when absent)
    boxes: dict[str, Box] = field(default_factory=dict)
    #: Category code -> "#RRGGBB" band colour.
    colors: dict[str, str] = field(default_factory=dict)
    logo: bytes | None = None
