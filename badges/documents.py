"""Every PDF that people read (badges, route sheets, and those to come) is started here, so that the choice
below is made once.

reportlab (the open-source toolkit every PDF of Médiane is drawn with) cannot write a tagged PDF: it has no
structure tree and no marked content, so a screen reader meets the text of its pages in drawing order, without
headings, tables or reading order (RGAA 13.3, WCAG 1.3.1). What it can do is done here: the document's language
(the catalog's /Lang), its title, author and subject, and a viewer shows the title rather than the file name. And
every PDF is offered with an HTML version of the same content, linked next to it, which is where its structure
lives: the attendee's badge page, the guides' route sheets as a page. A new PDF starts with `new_canvas` and
gets its HTML twin.
"""
from __future__ import annotations

import io
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

AUTHOR = "Médiane"


def new_canvas(out: BinaryIO, *, pagesize: tuple[float, float], title: str, language: str, subject: str = "",
               creator: str = AUTHOR) -> Canvas:
    """A canvas writing to `out` whose document says its language (an RFC 5646 tag: "fr", "en"...), title and
    subject, with compressed pages and without time stamps (the same content gives the same bytes)."""
    if not title.strip() or not language.strip():
        raise ValueError("a PDF people read needs a title and a language")
    canvas = Canvas(out, pagesize=pagesize, pageCompression=1, invariant=1, lang=language)
    canvas.setTitle(title)
    canvas.setAuthor(AUTHOR)
    canvas.setSubject(subject or title)
    canvas.setCreator(creator)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    return canvas


def merge_pdfs(parts: list[bytes]) -> bytes:
    """PDFs drawn in parts (a background job's) as one, which says its language and title as the first does."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    first = PdfReader(io.BytesIO(parts[0]))
    if first.metadata:
        writer.add_metadata({key: str(value) for key, value in first.metadata.items()})
    language = first.trailer["/Root"].get("/Lang")
    if language is not None:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(language))
    writer.create_viewer_preferences().display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
