"""PDFs people read: the badge PDF says its language and title (reportlab writes no tagged PDF), and the
attendee's badge has an HTML page with the same content, linked next to the PDF."""
import io
import re
from html import unescape

from pypdf import PdfReader

from app.auth.services import set_password
from app.badging import services
from app.badging.models import format_short_code
from app.events.models import CategoryCode
from app.extensions import db
from tests.badges.conftest import PdfPages
from tests.badging.test_badging import confirmed
from tests.conftest import TEST_PASSWORD, login


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _official(client, event, make_registration):
    official = confirmed(make_registration, event, CategoryCode.ELU, first_name="Hélène", last_name="Bréhat",
                         organisation_name="Ville de Nevers")
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()
    login(client, official.person)
    return official


def test_the_badge_pdf_says_its_language_and_title(client, event, make_registration):
    _official(client, event, make_registration)
    response = client.get(f"/e/{event.slug}/badge.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == f"Badge · Hélène Bréhat · {event.name}"
    assert reader.metadata.author == "Médiane"


def test_the_badge_page_shows_what_the_printed_badge_shows(client, event, make_registration):
    official = _official(client, event, make_registration)
    pdf = PdfPages(client.get(f"/e/{event.slug}/badge.pdf").get_data())
    try:
        printed = " ".join(pdf.text(0).split())
    finally:
        pdf.close()
    code = format_short_code(services.current_token(official).short_code)
    response = client.get(f"/e/{event.slug}/badge")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), _text(response)
    record = services.own_badge_record(official)
    for shown in ("Hélène", "Bréhat", "Ville de Nevers", record.role, record.category_label, code):
        assert shown.upper() in printed.upper() and shown in text, shown  # the PDF prints the last name in capitals
    assert "mercredi 2 juin" in text  # the days of attendance
    assert f'href="/e/{event.slug}/badge.pdf"' in html
    assert 'data-testid="badge-category">Élu' in html  # a French page: no lang of its own on the badge's words
    mine = client.get("/me").get_data(as_text=True)
    assert f'href="/e/{event.slug}/badge.pdf"' in mine and f'href="/e/{event.slug}/badge"' in mine


def test_on_an_english_page_the_badge_words_are_marked_french(client, event, make_registration):
    _official(client, event, make_registration)
    client.get("/lang/en")
    html = client.get(f"/e/{event.slug}/badge").get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>My badge</h1>" in html
    assert re.search(r'data-testid="badge-category" lang="fr">[^<]+<', html)


def test_the_badge_page_waits_for_a_confirmed_registration(client, event, make_registration):
    pending = make_registration(event, CategoryCode.ELU)
    set_password(pending.person, TEST_PASSWORD)
    db.session.commit()
    login(client, pending.person)
    assert client.get(f"/e/{event.slug}/badge").status_code == 403
