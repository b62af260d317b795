"""A print job in parts that survive its worker (R10): a print stopped half way keeps what it printed, says
how far it got, and the organiser prints the rest; no badge is printed twice."""
import io
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
import zxingcpp
from sqlalchemy import func, select, update

from app.badging import jobs as print_jobs
from app.badging import services
from app.badging.models import BadgeToken, PrintRun
from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.services import start_job
from app.jobs.sweep import sweep
from app.registrations.services import approve
from tests.conftest import login


def decoded_tokens(pdf: bytes) -> list[str]:
    found = []
    for page in pdfium.PdfDocument(io.BytesIO(pdf)):
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
    return found


@pytest.fixture
def attendees(event, make_registration):
    registrations = [make_registration(event) for _ in range(7)]
    approve(event, [r.id for r in registrations], actor_id=None)
    db.session.commit()
    return registrations


@pytest.fixture
def parts_of_three(app, monkeypatch):
    monkeypatch.setitem(app.config, "BADGE_PRINT_PART", 3)


class WorkerKilled(BaseException):
    """kill -9: nothing of the job's code runs after it (no except clause, no failure recorded)."""


def start_print(event, organiser_id, **params):
    return start_job("print_badges", params={"selection": services.Selection().as_dict(), "sheet": "a6", **params},
                     event_id=event.id, created_by_id=organiser_id)


def kill_after_parts(monkeypatch, num_parts: int) -> None:
    stored = []
    part = services.print_part

    def part_then_die(*args, **kwargs):
        if len(stored) == num_parts:
            raise WorkerKilled()
        stored.append(1)
        return part(*args, **kwargs)

    monkeypatch.setattr(services, "print_part", part_then_die)


def test_a_print_job_stores_its_badges_in_parts_and_gives_one_pdf(client, event, attendees, parts_of_three,
                                                                  make_organiser):
    organiser = make_organiser(event)
    job_id = start_print(event, organiser.id).id
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.DONE and job.result["badges"] == 7
    assert [run.num_badges for run in print_jobs.runs_of(job_id)] == [3, 3, 1]
    login(client, organiser)
    pdf = client.get(job.result["download_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert sorted(decoded_tokens(pdf.get_data())) == sorted(services.current_token(r).token for r in attendees)
    merged = PdfReader(io.BytesIO(pdf.get_data()))  # one PDF from three parts, still saying its language
    assert len(merged.pages) == 7 and merged.trailer["/Root"]["/Lang"] == "fr" and merged.metadata.title


def test_a_print_whose_worker_died_says_how_far_it_got_and_the_rest_is_printed_once(
        client, app, event, attendees, parts_of_three, make_organiser, monkeypatch):
    organiser = make_organiser(event)
    kill_after_parts(monkeypatch, 2)
    with pytest.raises(WorkerKilled):
        start_print(event, organiser.id)
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "BADGE_PRINT_PART", 3)
    db.session.rollback()
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.RUNNING and job.message == "6/7"  # left running by the dead worker
    db.session.execute(update(Job).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    login(client, organiser)
    page = client.get(f"/manage/e/{event.slug}/jobs/{job.id}").get_data(as_text=True)  # the page sweeps
    db.session.expire_all()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Impression arrêtée à 6 badges sur 7")
    assert job.result["badges"] == 6 and job.result["rest"] == 1 and 'data-testid="job-continue"' in page
    first_pdf = client.get(job.result["download_url"]).get_data()
    first = decoded_tokens(first_pdf)
    assert len(first) == 6

    response = client.submit(job.result["continue_url"])
    assert response.status_code == 302
    rest_job = db.session.scalar(select(Job).where(Job.id != job.id))
    assert rest_job.status == JobStatus.DONE and rest_job.result["badges"] == 1
    again = client.submit(job.result["continue_url"])  # a second click follows the same job
    assert again.headers["Location"].endswith(f"/jobs/{rest_job.id}")
    rest = decoded_tokens(client.get(rest_job.result["download_url"]).get_data())
    everyone = sorted(services.current_token(r).token for r in attendees)
    assert sorted(first + rest) == everyone  # each badge printed once, none reissued
    assert db.session.scalar(select(func.count()).select_from(BadgeToken)) == 7
    assert db.session.scalar(select(func.count()).select_from(Job)) == 2


def test_nothing_left_to_print_is_said_plainly(client, event, attendees, make_organiser):
    organiser = make_organiser(event)
    job = start_print(event, organiser.id)
    login(client, organiser)
    response = client.submit(f"/manage/e/{event.slug}/badges/jobs/{job.id}/rest", follow_redirects=True)
    assert "rien à imprimer" in response.get_data(as_text=True).lower()
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert client.submit(f"/manage/e/{event.slug}/badges/jobs/999/rest").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(PrintRun)) == 1
