"""Badge tokens (S1), printing by selection as a job, reprints, and the door check-in (S2, R2)."""
import io
import json
import re

import badges

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.badging import services
from app.badging.models import BadgeToken, CheckIn, PrintRun
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.services import start_job
from app.registrations.delegations import create_delegation, set_members
from app.registrations.services import approve
from app.core.images import ImageRefused
from tests.conftest import TEST_PASSWORD, login
from tests.core.image_files import HTML, PNG_SIGNATURE, declared_png, decoded, jpeg_with_metadata


def decoded_tokens(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    found = []
    for page in document:
        image = page.render(scale=3).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    return found


def confirmed(make_registration, event, category=CategoryCode.VISITEUR, **fields):
    registration = make_registration(event, category, **fields)
    if registration.status.value != "confirmed":
        approve(event, [registration.id], actor_id=None)
        db.session.commit()
    return registration


def test_tokens_are_random_prefixed_and_hold_no_personal_data(event, make_registration):
    registration = confirmed(make_registration, event, first_name="Amélie", last_name="Poulain")
    token = services.current_token(registration).token
    assert token.startswith("b_") and len(token) >= 2 + 22  # at least 128 bits of base64url
    assert "amelie" not in token.lower() and "poulain" not in token.lower() and str(registration.id) != token[2:]
    assert services.current_token(registration).token == token


def test_delegation_badges_print_as_a_job_with_each_persons_qr(client, event, make_organiser, make_registration):
    mayor = confirmed(make_registration, event, CategoryCode.ELU, first_name="Hélène", last_name="Gauthier")
    deputy = confirmed(make_registration, event, CategoryCode.ELU, first_name="Nguyễn", last_name="Thị Minh Khai")
    confirmed(make_registration, event, CategoryCode.ELU, last_name="Ailleurs")
    delegation = create_delegation(event, "Ville de Shawinigan", actor_id=None)
    set_members(event, delegation, [mayor.id, deputy.id], mayor.id, actor_id=None)
    db.session.commit()
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/print", {"delegation": str(delegation.id), "sheet": "a6"})
    assert response.status_code == 302
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.DONE and job.result["badges"] == 2
    pdf = client.get(job.result["download_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    expected = {services.current_token(r).token for r in (mayor, deputy)}
    assert set(decoded_tokens(pdf.get_data())) == expected
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(io.BytesIO(pdf.get_data())))
    assert "Hélène" in text and "Nguyễn" in text


def test_a_print_job_failing_at_its_last_step_stores_no_badge_despite_its_progress_reports(event, make_organiser,
                                                                                          make_registration,
                                                                                          monkeypatch):
    """Progress reports commit while the PDF is drawn: none of them may store half a print run. A failure
    at the last step (the run's audit row) leaves no token issued and no run."""
    organiser_id = make_organiser(event).id
    for _ in range(3):
        confirmed(make_registration, event)
    record = audit.record

    def fail_on_the_run(action, **kwargs):
        if action == "badge.print":
            raise RuntimeError("the audit table is full")
        return record(action, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_run)
    job_id = start_job("print_badges", params={"selection": services.Selection().as_dict(), "sheet": "a6"},
                       event_id=event.id, created_by_id=organiser_id).id
    db.session.remove()  # a fresh session sees only what was committed
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.FAILED and job.message == "3/3"  # the progress was reported, and committed
    assert db.session.scalar(select(func.count()).select_from(BadgeToken)) == 0
    assert db.session.scalar(select(func.count()).select_from(PrintRun)) == 0


def test_empty_selection_is_refused_and_starts_no_job(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/print", {"category": "presse", "sheet": "a6"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    assert client.submit(f"/manage/e/{event.slug}/badges/print", {"sheet": "a3"}).status_code == 422


def test_new_only_prints_what_was_never_printed(event, make_registration):
    first = confirmed(make_registration, event)
    services.print_badges(event, services.Selection(), "a6", actor_id=None)
    second = confirmed(make_registration, event)
    run = services.print_badges(event, services.Selection(new_only=True), "a4x4", actor_id=None)
    assert run.num_badges == 1
    assert decoded_tokens(run.pdf) == [services.current_token(second).token]
    assert first.id != second.id


def test_reprint_revokes_the_old_badge(client, event, make_organiser, make_registration):
    attendee = confirmed(make_registration, event)
    old = services.current_token(attendee).token
    db.session.commit()
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/registrations/{attendee.id}/reprint")
    assert response.mimetype == "application/pdf"
    new = decoded_tokens(response.get_data())
    assert new and new[0] != old
    refused = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": old})
    assert refused.status_code == 422
    assert client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": new[0]}).status_code == 200


def test_check_in_twice_says_when_and_by_whom(client, event, make_organiser, make_registration):
    attendee = confirmed(make_registration, event, first_name="Jean", last_name="Tremblay")
    token = services.current_token(attendee).token
    db.session.commit()
    organiser = make_organiser(event)
    login(client, organiser)
    first = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": token, "place": "Entrée nord"},
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Welcome" in first and "Jean Tremblay" in first
    again = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": token},
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Already checked in" in again and organiser.full_name in again and "Entrée nord" in again
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


@pytest.mark.parametrize("kind", ["unknown", "other_event", "malformed"])
def test_wrong_codes_are_refused_without_anyones_data_and_logged_hashed(client, event, make_event, make_organiser,
                                                                         make_registration, kind):
    other = make_event(slug="autre", name="Autre")
    stranger = confirmed(make_registration, other, first_name="Zoé", last_name="Secret")
    code = {"unknown": "b_" + "x" * 32, "other_event": services.current_token(stranger).token,
            "malformed": "DROP TABLE"}[kind]
    db.session.commit()
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": code})
    assert response.status_code == 422
    assert "Secret" not in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.refused"))
    assert entry.details["reason"] == kind and code not in str(entry.details)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_attendee_downloads_their_own_badge_once_confirmed(client, event, make_registration):
    from app.auth.services import set_password
    pending = make_registration(event, CategoryCode.ELU)
    set_password(pending.person, TEST_PASSWORD)
    db.session.commit()
    login(client, pending.person)
    assert client.get(f"/e/{event.slug}/badge.pdf").status_code == 403
    approve(event, [pending.id], actor_id=None)
    db.session.commit()
    response = client.get(f"/e/{event.slug}/badge.pdf")
    assert response.status_code == 200
    assert decoded_tokens(response.get_data()) == [services.current_token(pending).token]


def test_layout_refusals_store_nothing(client, event, make_organiser):
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/badges/layout"
    assert client.submit(url, {"sheet": "a6", "boxes": "{not json"}).status_code == 422
    assert client.submit(url, {"sheet": "a6", "boxes": '{"qr": {"x": 90, "y": 130, "width": 40, "height": 40}}'}
                         ).status_code == 422
    fake = (io.BytesIO(b"MZ this is an executable, not an image"), "logo.png")
    assert client.submit(url, {"sheet": "a6", "boxes": "{}", "logo": fake},
                         content_type="multipart/form-data").status_code == 422
    # A 3 MB logo, through the service: the test client would leave a 3 MB request body unclosed.
    with pytest.raises(ImageRefused) as refused:
        services.save_layout(event, {}, logo=b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024), remove_logo=False,
                             actor_id=None)
    assert refused.value.code == "image_too_large"
    db.session.rollback()
    from app.badging.models import BadgeLayoutRow
    assert db.session.scalar(select(func.count()).select_from(BadgeLayoutRow)) == 0


@pytest.mark.parametrize(("logo", "english", "french"), [
    (PNG_SIGNATURE + HTML, "This file starts like a PNG or JPEG image but cannot be read in full", "endommagé"),
    (b"GIF89a\x01\x00\x01\x00", "This file is not a PNG or JPEG image.", "pas une image PNG ou JPEG."),
    (declared_png(100_000, 100_000), "The image has too many pixels", "trop de pixels"),
])
def test_a_logo_that_is_not_a_whole_image_is_refused_in_the_readers_language(client, event, make_organiser, logo,
                                                                             english, french):
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/badges/layout"
    for language, text in (("en", english), ("fr", french)):
        response = client.submit(url, {"sheet": "a6", "boxes": "{}", "logo": (io.BytesIO(logo), "logo.png")},
                                 content_type="multipart/form-data", headers={"Accept-Language": language})
        assert response.status_code == 422
        assert text in response.get_data(as_text=True)
    assert services.layout_for(event).logo is None


def test_a_logo_is_stored_as_its_pixels_alone(client, event, make_organiser):
    login(client, make_organiser(event))
    boxes = json.dumps(badges.layout_to_dict(badges.default_layout())["boxes"])
    response = client.submit(f"/manage/e/{event.slug}/badges/layout",
                             {"sheet": "a6", "boxes": boxes, "logo": (io.BytesIO(jpeg_with_metadata() + HTML), "logo.jpg")},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    logo = services.layout_for(event).logo
    assert decoded(logo).size == (60, 30)
    assert HTML not in logo and b"PhoneMaker" not in logo and b"secret comment" not in logo


def test_a_20_mb_logo_is_refused_as_too_large(client, event, make_organiser):
    login(client, make_organiser(event))
    huge = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (20 * 1024 * 1024)), "huge.png")
    response = client.submit(f"/manage/e/{event.slug}/badges/layout", {"sheet": "a6", "boxes": "{}", "logo": huge},
                             content_type="multipart/form-data")
    assert response.status_code == 413
    response.request.environ["wsgi.input"].close()  # the refused body was never read, so nobody closed it


def test_cli_prints_a_category(app, event, make_registration, tmp_path):
    confirmed(make_registration, event, CategoryCode.PRESSE, organisation_name="Le Journal du Centre")
    confirmed(make_registration, event)
    out = tmp_path / "presse.pdf"
    result = app.test_cli_runner().invoke(args=["badges", "print", "--event", event.slug, "--category", "presse",
                                                "--layout", "a4x4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(decoded_tokens(out.read_bytes())) == 1
    assert app.test_cli_runner().invoke(args=["badges", "print", "--event", "nope", "-o", str(out)]).exit_code == 2
    empty = app.test_cli_runner().invoke(args=["badges", "print", "--event", event.slug, "--category", "elu",
                                               "-o", str(out)])
    assert empty.exit_code == 1 and "nothing printed" in empty.output
    assert re.search(r"\d+ badges", result.output)
    assert db.session.scalar(select(func.count()).select_from(PrintRun)) == 1
    assert db.session.scalar(select(func.count()).select_from(BadgeToken)) == 1
