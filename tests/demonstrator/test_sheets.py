"""Guides' route sheets: one A4 page per tour, read back by structure (pages, text), never by bytes."""
import re

import pypdfium2 as pdfium
import pytest

from app.demonstrator.plans import hall_map, itinerary, sheets
from app.demonstrator.hall import services as hall_services
from app.extensions import db
from app.registrations.models import RegistrationStatus
from tests.conftest import login
from tests.demonstrator.test_visit_routes import plan_and_publish


def pdf_pages(body: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(body)
    try:
        texts = []
        for page in pdf:
            text = page.get_textpage()
            texts.append(" ".join(text.get_text_range().split()))  # lines wrapped in a cell join again
            text.close()
            page.close()
        return texts
    finally:
        pdf.close()


def page_size_mm(body: bytes) -> tuple[int, int]:
    pdf = pdfium.PdfDocument(body)
    try:
        width, height = pdf[0].get_size()
        return round(width / 72 * 25.4), round(height / 72 * 25.4)
    finally:
        pdf.close()


@pytest.fixture
def organiser_client(app, world, make_organiser):
    client = app.test_client()
    login(client, make_organiser(world.event))
    client.get("/lang/en")
    return client


def test_one_a4_page_per_tour_with_the_stops_and_the_checklist(app, world):
    hall_services.save_entrance(world.event, "Porte Nord", 30, 0, actor_id=None)
    db.session.commit()
    plan = plan_and_publish(world)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        hall = hall_map.hall_map(world.event)
        tours = itinerary.plan_tours(world.event, hall=hall)
        body = sheets.render(world.event, tours, hall, version=plan.version)
    assert body.startswith(b"%PDF")
    pages = pdf_pages(body)
    assert len(pages) == len(tours) == len({(v.visitor_key, v.tour) for v in plan.visits})
    assert page_size_mm(body) == (210, 297)
    for tour, text in zip(tours, pages):
        assert tour.name in text
        assert "Guide's checklist" in text
        assert "Porte Nord" in text  # where the group meets, on the checklist and the map
        for stop in tour.stops:
            assert stop.stand_number in text
            assert stop.startup_name in text
            assert stop.pitch_first_line in text
    delegation_page = next(t for t, tour in zip(pages, tours) if tour.unit.delegation is not None)
    assert world.officials[3].person.full_name in delegation_page
    assert world.officials[4].person.full_name in delegation_page
    assert f"visit plan v{plan.version}" in pages[0]


def test_a_long_tour_goes_on_to_a_second_page(app, world):
    plan_and_publish(world)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        hall = hall_map.hall_map(world.event)
        tour = itinerary.plan_tours(world.event, hall=hall)[0]
        tour.stops = [itinerary.Stop(n, tour.stops[0].visit, tour.unit) for n in range(1, 21)]
        pages = pdf_pages(sheets.render(world.event, [tour], hall))
    assert len(pages) == 2
    assert "(continued)" in pages[1]
    rows = [int(n) for n in re.findall(r"(?<![\d:–])(\d{1,2}) \d\d:\d\d–", " ".join(pages))]
    assert rows == list(range(1, 21))  # every stop once, in order, its number in full


def test_nothing_to_render_is_refused(app, world):
    with app.test_request_context("/", headers={"Accept-Language": "en"}), pytest.raises(ValueError):
        sheets.render(world.event, [], hall_map.hall_map(world.event))


def test_sheets_page_lists_the_tours_per_day_with_pdf_links(world, organiser_client):
    slug = world.event.slug
    html = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    assert 'data-testid="sheets-none"' in html
    response = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}.pdf")
    assert response.status_code == 302  # nothing published: back to the page, which says so
    assert "No visit plan is published yet" in organiser_client.get(response.headers["Location"]).get_data(as_text=True)

    plan = plan_and_publish(world)
    html = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    assert html.count('data-testid="sheet-tour"') == len(tours)
    assert html.count('data-testid="sheet-day"') == 1
    assert "Délégation de Bourges" in html

    day = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}.pdf")
    assert day.status_code == 200 and day.mimetype == "application/pdf"
    assert len(pdf_pages(day.data)) == len(tours)

    key = f"d{world.delegation.id}"
    index = next(k for v, k in tours if v == key)  # the solver picks the tour
    one = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{key}/{index}.pdf")
    assert one.status_code == 200
    (text,) = pdf_pages(one.data)
    assert "Délégation de Bourges" in text
    for visit in plan.visits:
        if visit.visitor_key == key:
            assert visit.stand.number in text


def test_unknown_tours_and_days_are_clear_refusals(world, organiser_client):
    plan_and_publish(world)
    slug = world.event.slug
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/r999/0.pdf").status_code == 404
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/d{world.delegation.id}/7.pdf").status_code == 404
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/not-a-day.pdf").status_code == 404
    empty_day = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{world.event.ends_on}.pdf")
    assert empty_day.status_code == 302
    assert "has no tour on" in organiser_client.get(empty_day.headers["Location"]).get_data(as_text=True)


def test_a_member_who_cancelled_is_not_on_the_sheet(app, world):
    plan_and_publish(world)
    world.officials[4].status = RegistrationStatus.CANCELLED
    db.session.commit()
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        hall = hall_map.hall_map(world.event)
        tours = itinerary.plan_tours(world.event, hall=hall, visitor_key=f"d{world.delegation.id}")
        (text,) = pdf_pages(sheets.render(world.event, tours, hall))
    assert world.officials[3].person.full_name in text
    assert world.officials[4].person.full_name not in text
