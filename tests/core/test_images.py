"""Uploaded images are decoded in full and re-encoded from their pixels, or refused with a reason (R9)."""
from __future__ import annotations

import io
import time

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageStat

from app.core.images import ImageRefused, clean_image, refusal_text
from tests.core.image_files import (
    HTML,
    PNG_SIGNATURE,
    declared_png,
    decoded,
    jpeg,
    jpeg_with_metadata,
    png,
    png_with_text,
)

MB = 1024 * 1024


def refusal(content: bytes, **limits) -> ImageRefused:
    with pytest.raises(ImageRefused) as refused:
        clean_image(content, max_bytes=limits.pop("max_bytes", 5 * MB), **limits)
    return refused.value


def test_a_png_and_a_jpeg_come_back_as_the_same_pictures():
    for content, mimetype, tolerance in ((png(), "image/png", 0), (jpeg(), "image/jpeg", 1.5)):
        image = clean_image(content, max_bytes=MB)
        assert (image.mimetype, image.width, image.height) == (mimetype, 64, 40)
        difference = ImageStat.Stat(ImageChops.difference(decoded(image.data), decoded(content))).mean
        assert max(difference) <= tolerance  # JPEG: encoded again at the original's quality
    photo = jpeg(size=(600, 400), quality=70)
    assert len(clean_image(photo, max_bytes=MB).data) <= len(photo) * 1.1


@pytest.mark.parametrize("content", [
    PNG_SIGNATURE + HTML,                               # a PNG by its first bytes only
    b"\xff\xd8\xff\xe0" + HTML,                         # a JPEG by its first bytes only
    png()[:-40],                                        # truncated
    png()[:60] + bytes([png()[60] ^ 0xFF]) + png()[61:],  # a flipped byte: the checksum fails
])
def test_a_file_that_only_starts_like_an_image_is_refused(content):
    assert refusal(content).code == "image_unreadable"


def test_a_real_image_followed_by_html_is_stored_without_the_html():
    image = clean_image(png() + HTML, max_bytes=MB)
    assert HTML not in image.data and b"<html" not in image.data
    assert decoded(image.data).size == (64, 40)


@pytest.mark.parametrize("content", [b"GIF89a\x01\x00\x01\x00", b"%PDF-1.7\n", HTML, b"", b"BM" + bytes(60)])
def test_other_files_are_not_images(content):
    assert refusal(content).code == "image_type"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    started = time.perf_counter()
    huge = refusal(declared_png(100_000, 100_000))
    large = refusal(declared_png(6_001, 4_000))
    assert time.perf_counter() - started < 1
    assert huge.code == large.code == "image_too_many_pixels"
    assert (large.params["width"], large.params["height"], large.params["max_megapixels"]) == (6001, 4000, 24)
    assert refusal(png(size=(40, 30)), max_pixels=1000).code == "image_too_many_pixels"


def test_a_file_over_the_limit_is_refused_unread():
    refused = refusal(png(), max_bytes=100)
    assert refused.code == "image_too_large" and refused.params == {"size": len(png()), "max": 100}


def test_metadata_is_dropped_and_a_photo_is_turned_upright():
    photo = clean_image(jpeg_with_metadata(orientation=6), max_bytes=MB)  # 6: rotate 90° clockwise to view
    image = decoded(photo.data)
    assert (photo.width, photo.height) == image.size == (30, 60)
    for leak in (b"PhoneMaker", b"secret comment", b"Exif", b"ICC_PROFILE"):
        assert leak not in photo.data
    assert not {"exif", "comment", "icc_profile"} & set(image.info)
    upright = clean_image(jpeg_with_metadata(orientation=1), max_bytes=MB)
    assert (upright.width, upright.height) == (60, 30) and b"PhoneMaker" not in upright.data
    text = clean_image(png_with_text(Author="Jean Dupont", Comment="<script>"), max_bytes=MB)
    assert b"Jean Dupont" not in text.data and b"<script>" not in text.data


def test_transparency_and_palettes_survive_and_cmyk_becomes_rgb():
    for mode in ("P", "RGBA", "LA", "L", "1"):
        source = png(mode=mode, **({"transparency": 0} if mode == "P" else {}))
        image = decoded(clean_image(source, max_bytes=MB).data)
        assert image.mode == mode and image.tobytes() == decoded(source).tobytes()
        assert ("transparency" in image.info) == (mode == "P")
    cmyk = clean_image(jpeg(mode="CMYK"), max_bytes=MB)
    assert cmyk.mimetype == "image/jpeg" and decoded(cmyk.data).mode == "RGB"
    out = io.BytesIO()
    Image.new("I;16", (20, 10), 32_768).save(out, "PNG")  # a 16-bit grey scan, half-way between black and white
    grey = decoded(clean_image(out.getvalue(), max_bytes=MB).data)
    assert grey.mode == "L" and grey.getextrema() == (128, 128)


def test_refusals_are_worded_in_french_and_english(app):
    cases = [refusal(PNG_SIGNATURE + HTML), refusal(HTML), refusal(png(), max_bytes=100),
             refusal(declared_png(6_001, 4_000)), refusal(declared_png(100_000, 100_000))]
    with app.test_request_context():
        with force_locale("en"):
            english = [refusal_text(error) for error in cases]
        with force_locale("fr"):
            french = [refusal_text(error) for error in cases]
    assert english[0].startswith("This file starts like a PNG or JPEG image but cannot be read in full")
    assert english[1] == "This file is not a PNG or JPEG image."
    assert english[2] == "The image weighs 0.1 MB; the limit is 0 MB."
    assert english[3].startswith("The image is 6001 × 4000 pixels; the limit is 24 million pixels.")
    assert english[4].startswith("The image has too many pixels; the limit is 24 million pixels.")
    assert all(fr != en for fr, en in zip(french, english)), french
    assert french[1] == "Ce fichier n'est pas une image PNG ou JPEG."


@settings(max_examples=150, deadline=None)
@given(source=st.sampled_from([png(), jpeg(), png(mode="P"), png(mode="RGBA")]),
       edits=st.lists(st.tuples(st.integers(0, 2_000), st.binary(min_size=0, max_size=8)), max_size=4),
       tail=st.binary(max_size=64))
def test_a_damaged_image_is_refused_or_cleaned_never_a_crash(source, edits, tail):
    """Bytes replaced, inserted or added anywhere in a real image: ImageRefused or a clean image, nothing else."""
    content = bytearray(source)
    for position, data in edits:
        position %= len(content) + 1
        content[position:position + len(data) // 2] = data
    try:
        image = clean_image(bytes(content) + tail, max_bytes=MB)
    except ImageRefused as refused:
        assert refused.code in {"image_type", "image_unreadable", "image_too_many_pixels"}
    else:
        reopened = decoded(image.data)
        assert reopened.size == (image.width, image.height) and reopened.format in ("PNG", "JPEG")
        assert image.data.endswith(b"IEND\xaeB`\x82" if reopened.format == "PNG" else b"\xff\xd9")


@settings(max_examples=100, deadline=None)
@given(content=st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: PNG_SIGNATURE + b),
                         st.binary(max_size=300).map(lambda b: b"\xff\xd8\xff" + b)))
def test_any_bytes_are_refused_or_cleaned(content):
    try:
        image = clean_image(content, max_bytes=MB)
    except ImageRefused:
        return
    assert Image.open(io.BytesIO(image.data)).format in ("PNG", "JPEG")
