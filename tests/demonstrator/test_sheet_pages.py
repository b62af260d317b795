"""Route sheets for people who cannot read the PDF: the PDF says its language and title (reportlab writes no
tagged PDF), and each sheet has an HTML page with the same tours, linked next to its PDF."""
import io
import re
from html import unescape

from pypdf import PdfReader

from tests.demonstrator.test_sheets import day_pdf, organiser_client, pdf_pages  # noqa: F401  (a fixture)
from tests.demonstrator.test_visit_routes import plan_and_publish


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_sheets_pdf_says_its_language_and_title(world, organiser_client):  # noqa: F811
    plan_and_publish(world)
    body = day_pdf(organiser_client, world.event.slug, world.event.starts_on)  # drawn by a job, in her language
    reader = PdfReader(io.BytesIO(body))
    assert reader.trailer["/Root"]["/Lang"] == "en"  # the organiser reads the site in English
    assert reader.metadata.title == f"Route sheets · {world.event.name}"
    organiser_client.get("/lang/fr")
    body = day_pdf(organiser_client, world.event.slug, world.event.starts_on)
    reader = PdfReader(io.BytesIO(body))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title == f"Fiches de parcours · {world.event.name}"


def test_each_sheet_has_an_html_page_with_the_same_tours(world, organiser_client):  # noqa: F811
    plan_and_publish(world)
    slug, day = world.event.slug, world.event.starts_on
    index = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    tour_links = re.findall(r'href="(/manage/e/[^"]+/sheets/([^/"]+)/(\d+))\.pdf"', index)
    assert tour_links
    for base, _key, _n in tour_links:
        assert f'href="{base}.html"' in index  # the HTML version next to each PDF
    assert f'href="/manage/e/{slug}/demonstrator/sheets/{day}.html"' not in index  # a day is its tours' pages

    # Each tour's page says what its printed sheet says: the day's PDF is the tours' sheets in the list's order.
    printed_day = pdf_pages(day_pdf(organiser_client, slug, day))
    assert len(printed_day) == len(tour_links)
    for printed, (base, _key, _n) in zip(printed_day, tour_links):
        response = organiser_client.get(f"{base}.html")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('data-testid="sheet-page-tour"') == 1
        section = html.split('data-testid="sheet-page-tour"')[1]
        text = _text(section)
        name = re.search(r"<h2>([^<]+)</h2>", section).group(1)
        assert unescape(name) in printed
        times = re.findall(r"\d{2}:\d{2}–\d{2}:\d{2}", text)
        stands = re.findall(r'<th scope="row">([^<]+)', section)
        assert times and stands
        for time in times + stands:
            assert time in printed
        assert "Guide's checklist" in text and "Meeting point" in text
        assert "<caption>" in section and '<th scope="col">' in section



def test_unknown_sheet_pages_are_clear_refusals(world, organiser_client):  # noqa: F811
    slug = world.event.slug
    response = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/r1/0.html")
    assert response.status_code == 302  # no published plan yet
    plan_and_publish(world)
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/r999/0.html").status_code == 404
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}.html").status_code == 404
