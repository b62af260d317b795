"""Layouts as data: validation names the problem, the JSON form round-trips and refuses junk."""
from __future__ import annotations

import dataclasses
import io
import json

import pytest
from PIL import Image

from badges import (
    BadgeRecord,
    Box,
    LayoutError,
    default_layout,
    layout_from_dict,
    layout_to_dict,
    render,
    validate_layout,
)


def png_logo(size=(200, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (31, 78, 140, 255)).save(out, format="PNG")
    return out.getvalue()


def with_box(name: str, **changes) -> object:
    layout = default_layout()
    boxes = dict(layout.boxes)
    boxes[name] = dataclasses.replace(boxes[name], **changes)
    return dataclasses.replace(layout, boxes=boxes)


def test_default_layouts_are_valid_and_have_a_big_enough_qr():
    for sheet in ("a6", "a4x4"):
        layout = default_layout(sheet)
        validate_layout(layout)
        qr = layout.boxes["qr"]
        assert min(qr.width, qr.height) >= 32


@pytest.mark.parametrize(
    ("layout", "code", "box"),
    [
        (lambda: dataclasses.replace(default_layout(), sheet="letter"), "unknown_sheet", None),
        (lambda: with_box("name", x=20, width=90), "box_outside", "name"),
        (lambda: with_box("role", y=140, height=10), "box_outside", "role"),
        (lambda: with_box("organisation", x=-1), "box_outside", "organisation"),
        (lambda: with_box("organisation", width=0), "bad_size", "organisation"),
        (lambda: with_box("role", height=-3), "bad_size", "role"),
        (lambda: with_box("name", min_font_size=30, font_size=20), "bad_font_size", "name"),
        (lambda: with_box("qr", width=24, height=24), "qr_too_small", "qr"),
        (lambda: with_box("name", align="justify"), "bad_align", "name"),
        (lambda: with_box("name", max_lines=0), "bad_max_lines", "name"),
        (lambda: dataclasses.replace(default_layout(), colors={"elu": "blue"}), "bad_color", None),
        (lambda: dataclasses.replace(default_layout(), colors={"elu": "#12345"}), "bad_color", None),
        (lambda: dataclasses.replace(default_layout(), logo=b"%PDF-1.4 not an image"), "logo_not_image", "logo"),
        (
            lambda: dataclasses.replace(default_layout(), logo=b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
            "logo_not_image",
            "logo",
        ),
        (
            lambda: dataclasses.replace(default_layout(), logo=b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024)),
            "logo_too_large",
            "logo",
        ),
    ],
)
def test_validation_names_the_problem(layout, code, box):
    bad = layout()
    with pytest.raises(LayoutError) as err:
        validate_layout(bad)
    assert err.value.code == code
    assert err.value.box == box
    assert isinstance(err.value, ValueError)
    if box:
        assert box in str(err.value)
    # render refuses it the same way: nothing is produced.
    with pytest.raises(LayoutError):
        render([BadgeRecord(token="b_x", first_name="A", last_name="B")], bad)


def test_a_logo_is_drawn_and_the_qr_still_reads(read_pdf):
    layout = dataclasses.replace(default_layout(), logo=png_logo())
    validate_layout(layout)
    pdf = read_pdf(render([BadgeRecord(token="b_logo", first_name="Ana", last_name="Lima")], layout))
    assert pdf.qr_codes(0) == ["b_logo"]


def test_json_round_trip():
    layout = dataclasses.replace(default_layout("a4x4"), logo=png_logo())
    data = json.loads(json.dumps(layout_to_dict(layout)))
    assert layout_from_dict(data) == layout


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: "not a dict", "layout"),
        (lambda d: {**d, "paper": "a6"}, "paper"),
        (lambda d: {**d, "sheet": 4}, "sheet"),
        (lambda d: {**d, "boxes": []}, "boxes"),
        (lambda d: {**d, "boxes": {**d["boxes"], "name": "big"}}, "boxes.name"),
        (lambda d: {**d, "boxes": {**d["boxes"], "name": {**d["boxes"]["name"], "x": "ten"}}}, "boxes.name.x"),
        (lambda d: {**d, "boxes": {**d["boxes"], "qr": {**d["boxes"]["qr"], "bold": "yes"}}}, "boxes.qr.bold"),
        (lambda d: {**d, "boxes": {**d["boxes"], "qr": {**d["boxes"]["qr"], "width": True}}}, "boxes.qr.width"),
        (lambda d: {**d, "boxes": {**d["boxes"], "qr": {"x": 1, "y": 1, "width": 30}}}, "boxes.qr.height"),
        (lambda d: {**d, "boxes": {**d["boxes"], "qr": {**d["boxes"]["qr"], "colour": 1}}}, "boxes.qr.colour"),
        (lambda d: {**d, "colors": ["#000000"]}, "colors"),
        (lambda d: {**d, "logo": 12}, "logo"),
        (lambda d: {**d, "logo": "%%%not base64"}, "logo"),
        (lambda d: {**d, "boxes": {**d["boxes"], "stamp": d["boxes"]["qr"]}}, "stamp"),
    ],
)
def test_from_dict_refuses_junk_naming_the_key(mutate, needle):
    data = mutate(layout_to_dict(default_layout()))
    with pytest.raises(LayoutError) as err:
        layout_from_dict(data)
    assert needle in str(err.value)


def test_from_dict_validates_the_result():
    data = layout_to_dict(default_layout())
    data["boxes"]["qr"]["width"] = 10
    with pytest.raises(LayoutError) as err:
        layout_from_dict(data)
    assert err.value.code == "qr_too_small"


def test_a_layout_without_a_qr_is_refused():
    layout = default_layout()
    boxes = {k: v for k, v in layout.boxes.items() if k != "qr"}
    with pytest.raises(LayoutError) as err:
        validate_layout(dataclasses.replace(layout, boxes=boxes))
    assert err.value.box == "qr"


def test_box_is_plain_data():
    assert Box(1, 2, 3, 4).align == "center"
