"""Images in every shape for the upload tests: real ones, tampered ones, polyglots and bombs."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def picture(size=(64, 40), mode="RGB") -> Image.Image:
    """A small picture with some detail (a gradient and a dark square), in `mode`."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((20, 40, 160), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    return image.convert(mode)


def png(size=(64, 40), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    picture(size, mode).save(out, "PNG", **options)
    return out.getvalue()


def jpeg(size=(64, 40), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    picture(size, mode).save(out, "JPEG", **options)
    return out.getvalue()


def png_with_text(**texts: str) -> bytes:
    info = PngInfo()
    for key, value in texts.items():
        info.add_text(key, value)
    return png(pnginfo=info)


def jpeg_with_metadata(orientation: int = 1) -> bytes:
    """A JPEG carrying a GPS position, a camera, a comment and an orientation, like a phone's photo."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 29.0)  # GPSLatitude
    return jpeg(size=(60, 30), exif=exif.tobytes(), comment=b"secret comment", icc_profile=b"\0" * 128)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge picture: a decompression bomb if anyone decodes it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024 * 1024, 9)  # a megabyte of blank rows, the start of the picture
    return PNG_SIGNATURE + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
