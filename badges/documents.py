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

from typing import BinaryIO

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
