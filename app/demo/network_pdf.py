"""A project's one-page report as a PDF (reportlab), attached to some of the demo's projects."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.network.models import Project


def project_pdf(project: Project) -> bytes:
    """A page: the project's title, its city, summary, results and lessons learned (the same bytes for the same
    project: no creation date in the file)."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=project.title_fr, author=project.city.name,
                                 leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
                                 invariant=1, lang="fr")
    story = [Paragraph(escape(project.title_fr), styles["Title"]),
             Paragraph(escape(f"{project.city.name} — bilan du projet"), styles["Heading3"])]
    for heading, text in (("Le projet", project.summary_fr), ("Financement", project.funding),
                          ("Résultats mesurés", project.results), ("Ce qui a marché", project.lessons_worked),
                          ("Ce qui n'a pas marché", project.lessons_failed),
                          ("Ce que nous ferions autrement", project.lessons_differently)):
        if text:
            story += [Paragraph(heading, styles["Heading4"]), Paragraph(escape(text), styles["BodyText"]),
                      Spacer(1, 3 * mm)]
    document.build(story)
    return buffer.getvalue()
