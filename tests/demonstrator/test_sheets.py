"""Guides' route sheets: one A4 page per tour, read back by structure (pages, text), never by bytes."""
import io
import re
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.core.timefmt import utcnow
from app.demonstrator.plans import hall_map, itinerary, sheet_jobs, sheets, tour_list
from app.demonstrator.plans.models import SheetPart
from app.jobs.models import Job, JobStatus
from app.jobs.runner import execute_job
from app.jobs.sweep import sweep
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


def day_pdf(client, slug: str, day) -> bytes:
    """The day's sheets as an organiser gets them: the print job (run at once in the tests), then its PDF."""
    started = client.submit(f"/manage/e/{slug}/demonstrator/sheets/{day}/print")
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"], started.headers.get("Location")
    job = db.session.get(Job, int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1]), populate_existing=True)
    assert job.status == JobStatus.DONE, job.error
    response = client.get(job.result["download_url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


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


def test_sheets_page_lists_the_tours_per_day_and_prints_a_day_in_the_background(world, organiser_client):
    slug = world.event.slug
    html = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    assert 'data-testid="sheets-none"' in html
    response = organiser_client.submit(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}/print")
    assert response.status_code == 302  # nothing published: back to the page, which says so
    assert "No visit plan is published yet" in organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == sheet_jobs.KIND)) == 0

    plan = plan_and_publish(world)
    html = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    assert html.count('data-testid="sheet-tour"') == len(tours)
    assert html.count('data-testid="sheet-day"') == 1
    assert "Délégation de Bourges" in html
    assert 'data-testid="sheet-day-job"' not in html

    # The day's sheets: a job (run at once in the tests), its page with the download.
    started = organiser_client.submit(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}/print")
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    job_page = organiser_client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Route sheets of a day" in job_page and f"visit plan v{plan.version}" in job_page
    assert 'data-testid="job-download"' in job_page
    job = db.session.scalars(select(Job).where(Job.kind == sheet_jobs.KIND)).one()
    assert job.status == JobStatus.DONE and job.result["tours"] == job.result["pages"] == len(tours)
    day = organiser_client.get(job.result["download_url"])
    assert day.status_code == 200 and day.mimetype == "application/pdf"
    assert len(pdf_pages(day.data)) == len(tours)
    # The sheets page says so too, with the same download.
    html = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets").get_data(as_text=True)
    assert 'data-testid="sheet-day-download"' in html and job.result["download_url"] in html

    key = f"d{world.delegation.id}"
    index = next(k for v, k in tours if v == key)  # the solver picks the tour
    one = organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/{key}/{index}.pdf")
    assert one.status_code == 200
    (text,) = pdf_pages(one.data)
    assert "Délégation de Bourges" in text
    for visit in plan.visits:
        if visit.visitor_key == key:
            assert visit.stand.number in text


def test_a_day_is_drawn_in_parts_that_become_one_pdf(app, world, organiser_client, monkeypatch):
    plan = plan_and_publish(world)
    monkeypatch.setitem(app.config, "SHEETS_PRINT_PART", 1)
    organiser_client.get("/lang/en")
    slug = world.event.slug
    organiser_client.submit(f"/manage/e/{slug}/demonstrator/sheets/{world.event.starts_on}/print")
    job = db.session.scalars(select(Job).where(Job.kind == sheet_jobs.KIND)).one()
    tours = {f"{v.visitor_key}/{v.tour}" for v in plan.visits}
    assert job.status == JobStatus.DONE and len(tours) > 1
    (whole,) = sheet_jobs.parts_of(job.id)  # the parts, merged into one at the end
    assert sorted(whole.tours) == sorted(tours) and whole.num_pages == len(tours)
    body = organiser_client.get(job.result["download_url"]).data
    assert len(pdf_pages(body)) == len(tours)
    reader = PdfReader(io.BytesIO(body))  # one document that says its language and title, as each part did
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == f"Route sheets · {world.event.name}"
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_a_day_whose_worker_died_goes_on_from_the_stored_part(app, world):
    """The worker drew the first tour and died: the sweep runs the job again, which draws only the others."""
    plan = plan_and_publish(world)
    day = world.event.starts_on
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        hall = hall_map.hall_map(world.event)
        tours = itinerary.plan_tours(world.event, day, hall)
        first = sheets.render(world.event, tours[:1], hall, version=None)  # no plan version in its footer
    job = Job(kind=sheet_jobs.KIND, params={"day": day.isoformat(), "plan_id": plan.id, "version": plan.version},
              event_id=world.event.id, status=JobStatus.RUNNING, attempts=1, message=f"1/{len(tours)}",
              started_at=utcnow() - timedelta(minutes=2), lease_expires_at=utcnow() - timedelta(seconds=5),
              sent_at=utcnow() - timedelta(minutes=2))
    db.session.add(job)
    db.session.flush()
    db.session.add(SheetPart(event_id=world.event.id, job_id=job.id, plan_id=plan.id, day=day,
                             tours=[sheet_jobs.tour_key(tours[0])], num_pages=1, pdf=first))
    db.session.commit()
    assert sweep().requeued == [job.id]
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.result["pages"] == len(tours)
    with app.test_request_context("/"):
        pages = pdf_pages(sheet_jobs.job_pdf(world.event, job.id))
    assert len(pages) == len(tours)
    footer = f" v{plan.version}"  # the plan's version in the footer (in French: the job has no organiser)
    assert footer not in pages[0]  # the stored part, not drawn again
    assert all(footer in page for page in pages[1:])


def test_a_job_for_a_plan_no_longer_published_stops_and_says_why(app, world, organiser_client):
    plan = plan_and_publish(world)
    job = Job(kind=sheet_jobs.KIND, params={"day": world.event.starts_on.isoformat(), "plan_id": plan.id + 100,
                                            "version": 7}, event_id=world.event.id)
    db.session.add(job)
    db.session.commit()
    execute_job(job.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED and "a changé depuis" in job.error and "version 7" in job.error  # in French: no organiser started it
    assert sheet_jobs.parts_of(job.id) == []
    assert organiser_client.get(f"/manage/e/{world.event.slug}/demonstrator/sheets/jobs/{job.id}.pdf").status_code == 404


def test_unknown_tours_and_days_are_clear_refusals(world, organiser_client):
    plan_and_publish(world)
    slug = world.event.slug
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/r999/0.pdf").status_code == 404
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/d{world.delegation.id}/7.pdf").status_code == 404
    assert organiser_client.submit(f"/manage/e/{slug}/demonstrator/sheets/not-a-day/print").status_code == 404
    assert organiser_client.get(f"/manage/e/{slug}/demonstrator/sheets/jobs/999.pdf").status_code == 404
    empty_day = organiser_client.submit(f"/manage/e/{slug}/demonstrator/sheets/{world.event.ends_on}/print")
    assert empty_day.status_code == 302
    assert "has no tour on" in organiser_client.get(empty_day.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == sheet_jobs.KIND)) == 0


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


def test_the_sheets_list_shows_each_tour_as_its_sheet_does(app, world):
    """The list's light rows (tour_list) say what the sheets' tours say: who, when, which stands, in that order."""
    plan = plan_and_publish(world)
    world.officials[4].status = RegistrationStatus.CANCELLED  # a delegation with one member fewer
    db.session.commit()
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        tours = itinerary.plan_tours(world.event)
        rows = tour_list.tour_rows(world.event, plan.id)
    assert len(rows) == len(tours) > 1
    for row, tour in zip(rows, tours):
        assert (row.visitor_key, row.index, row.name, row.day, row.depart, row.back, row.slot_label,
                row.stand_numbers) == (tour.visitor_key, tour.index, tour.name, tour.day, tour.depart, tour.back,
                                       tour.slot_label, tour.stand_numbers)
        assert row.num_members == (len(tour.unit.members) if tour.unit.delegation is not None else None)
