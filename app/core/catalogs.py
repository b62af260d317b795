"""Translation catalogs live beside each feature (app/<feature>/translations); this compiles them all."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

APP_DIR = Path(__file__).resolve().parents[1]


def compile_catalogs() -> list[Path]:
    """Write a .mo beside every .po that is newer than it; return what was written."""
    written = []
    for po_path in sorted(APP_DIR.glob("**/translations/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written
