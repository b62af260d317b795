"""Uploaded images (the hall's floor plan, the badge logo): decoded in full, re-encoded, or refused.

A file is not trusted for its first bytes: a PNG signature followed by HTML is not a floor plan. Every
upload is opened by Pillow as PNG or JPEG only, checked (chunk checksums), bounded in pixels before it is
decoded (a small file can declare a huge picture: a decompression bomb), decoded in full, and written
again from its pixels alone. What is stored is that new file: no trailing bytes, no EXIF (GPS position,
camera), no comments, text chunks or colour profiles from the original.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

from flask_babel import format_decimal
from PIL import Image, ImageOps

from app.core.domain import DomainError
from app.core.sentences import gettext as _

#: Pixels an upload may have (width x height): 6,000 x 4,000, a 24-megapixel photograph. Decoding it takes
#: about 100 MB of memory; a larger picture is refused before it is decoded.
MAX_PIXELS = 24_000_000
#: The formats read, by Pillow's names (MPO is how Pillow names a camera's JPEG with a preview inside).
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}
MIMETYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
EXIF_ORIENTATION = 0x0112
JPEG_QUALITY = 90


class ImageRefused(DomainError):
    """An upload that is not a readable PNG or JPEG within the limits. Codes: image_too_large (size, max:
    bytes), image_type, image_unreadable, image_too_many_pixels (width, height, max_megapixels)."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mimetype: str
    width: int
    height: int


def clean_image(content: bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS) -> CleanImage:
    """The upload `content` re-encoded from its pixels (PNG stays PNG, JPEG stays JPEG), or ImageRefused."""
    if len(content) > max_bytes:
        raise ImageRefused("image_too_large", size=len(content), max=max_bytes)
    limit = {"max_megapixels": max_pixels // 1_000_000}
    try:
        with Image.open(io.BytesIO(content), formats=["PNG", "JPEG"]) as image:
            image.verify()  # checksums and structure; the image cannot be used afterwards
        with Image.open(io.BytesIO(content), formats=["PNG", "JPEG"]) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRefused("image_too_many_pixels", width=width, height=height, **limit)
            image.load()
            return _reencode(image)
    except ImageRefused:
        raise
    except Image.UnidentifiedImageError:
        # Pillow names no format for a PNG signature followed by something else: say it is damaged.
        raise ImageRefused("image_unreadable" if content.startswith(SIGNATURES) else "image_type") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own bound (far above ours) stops the file before its size is known to us.
        raise ImageRefused("image_too_many_pixels", width=0, height=0, **limit) from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, struct.error... for broken files
        raise ImageRefused("image_unreadable") from exc


def _reencode(image: Image.Image) -> CleanImage:
    kind = FORMATS[image.format]
    clean = image
    if image.getexif().get(EXIF_ORIENTATION, 1) != 1:  # a phone's photo, upright as it was taken
        clean = ImageOps.exif_transpose(image)
    if kind == "JPEG" and clean.mode not in ("L", "RGB"):
        clean = clean.convert("RGB")  # CMYK, YCCK...
    elif kind == "PNG" and clean.mode.startswith("I"):
        clean = clean.convert("I").point(lambda value: value / 256).convert("L")  # 16-bit grey, scaled to 8 bits
    elif kind == "PNG" and clean.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        clean = clean.convert("RGBA")  # other rare modes
    transparency = clean.info.get("transparency")
    clean.info = {}  # every piece of metadata: EXIF, text, comments, colour profile, dpi
    out = io.BytesIO()
    if kind == "PNG":
        clean.save(out, "PNG", **({"transparency": transparency} if transparency is not None else {}))
    elif clean is image and image.format == "JPEG":
        clean.save(out, "JPEG", quality="keep")  # the original's quality: no loss, no bigger file
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    return CleanImage(out.getvalue(), MIMETYPES[kind], clean.width, clean.height)


def refusal_text(error: DomainError) -> str:
    """An ImageRefused (or a feature's error carrying its code and parameters) in the reader's language."""
    p = error.params
    if error.code == "image_too_large":
        return _("The image weighs %(size)s MB; the limit is %(max)s MB.",
                 size=_megabytes(math.ceil(p.get("size", 0) / 104_857.6) * 104_857.6), max=_megabytes(p.get("max", 0)))
    if error.code == "image_too_many_pixels":
        if p.get("width"):
            # Dimensions read as one figure, ungrouped ("6001 × 4000", as image editors show them): %(...)s.
            return _("The image is %(width)s × %(height)s pixels; the limit is %(max)d million pixels. "
                     "Export it smaller and try again.", width=p["width"], height=p["height"],
                     max=p.get("max_megapixels", 0))
        return _("The image has too many pixels; the limit is %(max)d million pixels. Export it smaller and "
                 "try again.", max=p.get("max_megapixels", 0))
    if error.code == "image_unreadable":
        return _("This file starts like a PNG or JPEG image but cannot be read in full: it is damaged, "
                 "truncated or not an image. Export it again as PNG or JPEG and try again.")
    return _("This file is not a PNG or JPEG image.")


def _megabytes(size: float) -> str:
    return format_decimal(size / 1_048_576, format="#,##0.#")
