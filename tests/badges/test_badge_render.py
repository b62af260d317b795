"""Rendering: QR codes decode back to the token, names are on the page whole, fonts are embedded."""
from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badges import BadgeRecord, Box, badges_per_sheet, default_layout, fit_text, render, sheet_positions

REPO = Path(__file__).resolve().parents[2]

PEOPLE = [
    ("Marie-Hélène", "de La Tour-d'Auvergne-Lauraguais", "Ville de Clermont-Ferrand", "Maire", "elu", "Élue"),
    ("Nguyễn Thị", "Minh Khai", "Hà Nội Smart City", "Directrice de l'innovation", "decideur", "Décideuse"),
    ("Abd al-Rahman", "ibn Khaldūn", "Tunis Lab", "Fondateur", "startup", "Startup"),
    ("Jean-François", "Lévesque-Gagnon", "Ville de Trois-Rivières (Québec)", "Conseiller municipal", "elu", "Élu"),
    ("Łukasz", "Wałęsa", "", "", "visiteur", "Visiteur"),
    ("Ayşe", "Çağlar", "Presse régionale", "Journaliste", "presse", "Presse"),
    ("Zoé", "Bœuf", "Œuvres Communes SA", "Directrice générale des services", "entreprise", "Entreprise"),
]


def make_records(n: int) -> list[BadgeRecord]:
    records = []
    for i in range(n):
        first, last, org, role, category, label = PEOPLE[i % len(PEOPLE)]
        records.append(
            BadgeRecord(
                token=f"b_{i:04d}_{'k' * 20}{i:06x}",
                first_name=first,
                last_name=last,
                organisation=org,
                role=role,
                country_code="fr",
                country_name="France",
                category=category,
                category_label=label,
                event_name="Médiane 2026 — Sommet des villes moyennes",
            )
        )
    return records


def flat(text: str) -> str:
    """Page text with wrapped lines joined back (after a hyphen without a space).

    pdfium reports a hyphen that ends a line as U+FFFE (its soft-hyphen marker).
    """
    text = text.replace("\ufffe", "-\n")
    text = re.sub(r"-\s*\r?\n", "-", text)
    return " ".join(text.split()).casefold()


def name_on_page(record: BadgeRecord, text: str) -> bool:
    page = flat(text)
    first = " ".join(record.first_name.split()).casefold()
    last = " ".join(record.last_name.upper().split()).casefold()
    return first in page and last in page


def test_a6_each_page_decodes_to_its_token_and_shows_the_name(read_pdf):
    records = make_records(len(PEOPLE))
    pdf = read_pdf(render(records, default_layout("a6")))
    assert len(pdf) == len(records)
    for i, record in enumerate(records):
        assert pdf.qr_codes(i) == [record.token]
        text = pdf.text(i)
        assert name_on_page(record, text), text
        assert record.category_label in text  # the word, not only the colour


def test_a4x4_four_distinct_tokens_per_page_and_page_count(read_pdf):
    records = make_records(9)
    pdf = read_pdf(render(records, default_layout("a4x4")))
    assert badges_per_sheet("a4x4") == 4
    assert len(pdf) == math.ceil(len(records) / 4)
    for page in range(len(pdf)):
        expected = [r.token for r in records[page * 4 : page * 4 + 4]]
        assert sorted(pdf.qr_codes(page, scale=3, quadrants=True)) == sorted(expected)
        for record in records[page * 4 : page * 4 + 4]:
            assert name_on_page(record, pdf.text(page))


def test_sheets_and_positions():
    assert badges_per_sheet("a6") == 1
    assert sheet_positions("a6") == ((0.0, 0.0),)
    assert len(set(sheet_positions("a4x4"))) == 4


def test_fonts_are_embedded_with_latin_extended_glyphs(read_pdf):
    record = BadgeRecord(token="b_fonts", first_name="Nguyễn ū ł ğ œ", last_name="Łódź")
    pdf_bytes = render([record], default_layout())
    assert b"/FontFile2" in pdf_bytes
    assert b"DejaVuSans" in pdf_bytes
    text = read_pdf(pdf_bytes).text(0)
    for char in "ễūłğœ":
        assert char in text


def test_empty_records_is_refused():
    with pytest.raises(ValueError, match="no badge to print"):
        render([], default_layout())


def test_progress_is_reported_for_a_background_job():
    calls = []
    render(make_records(120), default_layout("a4x4"), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_a_very_long_name_is_shrunk_and_wrapped_never_cut(read_pdf):
    box = default_layout().boxes["name"]
    first = "Marie-Hélène-Geneviève-Bernadette"
    last = "de La Tour-d'Auvergne-Lauraguais de Montmorency-Laval et Saint-Aignan"
    size, lines = fit_text([first, last.upper()], box, "DejaVuSans-Bold")
    assert size < box.font_size
    assert len(lines) > 2
    record = BadgeRecord(token="b_long", first_name=first, last_name=last)
    pdf = read_pdf(render([record], default_layout()))
    assert name_on_page(record, pdf.text(0))
    assert pdf.qr_codes(0) == ["b_long"]


def test_fitting_steps_shrink_then_wrap_then_below_min():
    box = Box(0, 0, 40, 20, font_size=20, min_font_size=10, max_lines=2)
    assert fit_text(["Ana"], box, "DejaVuSans") == (20, ["Ana"])
    size, lines = fit_text(["Bartholomew"], box, "DejaVuSans")
    assert box.min_font_size <= size < 20 and lines == ["Bartholomew"]
    size, lines = fit_text(["Jean-Baptiste Dupont-Aignan"], box, "DejaVuSans")
    assert size == 10 and len(lines) == 2
    size, lines = fit_text(["Anticonstitutionnellement-Extraordinairement"], box, "DejaVuSans")
    assert size < 10 and "".join(lines) == "Anticonstitutionnellement-Extraordinairement"


LATIN = st.characters(
    min_codepoint=0x41, max_codepoint=0x17F, categories=("Lu", "Ll")
)
WORD = st.text(LATIN, min_size=1, max_size=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(WORD, min_size=1, max_size=4).map(" ".join).filter(lambda s: len(s) <= 60),
    last=st.lists(WORD, min_size=1, max_size=6).map("-".join).filter(lambda s: len(s) <= 120),
)
def test_any_latin_name_appears_whole(read_pdf, first, last):
    record = BadgeRecord(token="b_prop", first_name=first, last_name=last)
    text = flat(read_pdf(render([record], default_layout())).text(0))
    for word in re.split(r"[\s-]+", first) + re.split(r"[\s-]+", last.upper()):
        assert word.casefold() in text, (word, text)


def test_importing_badges_pulls_no_web_stack():
    code = (
        "import sys, badges\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'app', 'werkzeug')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_one_giant_word_is_broken_not_cut(read_pdf):
    last = "Wolfeschlegelsteinhausenbergerdorff" * 3 + "ąęłńśźżŭŵ"
    record = BadgeRecord(token="b_giant", first_name="Hubert", last_name=last)
    text = "".join(read_pdf(render([record], default_layout())).text(0).split())
    assert last.upper() in text


def test_the_short_code_is_printed_under_the_qr_code_which_keeps_the_token(read_pdf):
    records = [dataclasses.replace(r, short_code=f"K7M4-9QX{c}") for r, c in zip(make_records(4), "ABCD")]
    for sheet in ("a6", "a4x4"):
        pdf = read_pdf(render(records, default_layout(sheet)))
        text = " ".join(pdf.text(page) for page in range(len(pdf)))
        assert all(r.short_code in text for r in records)
        assert sorted(code for page in range(len(pdf)) for code in pdf.qr_codes(page, scale=3, quadrants=sheet != "a6")) \
            == sorted(r.token for r in records)


def test_a_layout_saved_without_a_code_box_still_prints_the_code_and_its_qr_still_reads(read_pdf):
    layout = default_layout()
    boxes = {name: box for name, box in layout.boxes.items() if name != "code"}
    boxes["qr"] = Box(36.5, 92, 32, 32)  # the layout of the days before short codes
    record = dataclasses.replace(make_records(1)[0], short_code="K7M4-9QXR")
    pdf = read_pdf(render([record], dataclasses.replace(layout, boxes=boxes)))
    assert "K7M4-9QXR" in pdf.text(0)
    assert pdf.qr_codes(0) == [record.token]
