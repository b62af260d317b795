"""The short code printed under each badge's QR code: random, unique, typed at the door and at the stands,
and found by the organiser's search; a reprint replaces it like the token."""
import re

from sqlalchemy import func, select

from app.badging import services
from app.badging.models import SHORT_CODE_ALPHABET, BadgeToken, CheckIn, format_short_code, parse_short_code
from app.events.models import CategoryCode
from app.extensions import db
from tests.badging.test_badging import confirmed, decoded_tokens
from tests.badges.conftest import PdfPages
from tests.conftest import login


def test_short_codes_are_random_readable_and_distinct(event, make_registration):
    people = [confirmed(make_registration, event, first_name="Amélie", last_name=f"Poulain{i}") for i in range(30)]
    codes = [services.current_token(r).short_code for r in people]
    db.session.commit()
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(f"[{SHORT_CODE_ALPHABET}]{{8}}", code)
        assert not set(code) & set("01OILUV")  # no look-alikes
    assert "POULAIN" not in "".join(codes)
    assert format_short_code("K7M49QXR") == "K7M4-9QXR"
    assert parse_short_code(" k7m4-9qxr ") == parse_short_code("K7M4 9QXR") == parse_short_code("k7m49qxr") == "K7M49QXR"
    assert parse_short_code("K7M4-9QX0") is None and parse_short_code("b_abc") is None


def test_the_badge_pdf_prints_the_short_code_and_its_qr_keeps_the_long_token(client, event, make_organiser,
                                                                             make_registration):
    attendee = confirmed(make_registration, event, first_name="Benoît", last_name="Laurent")
    db.session.commit()
    login(client, make_organiser(event))
    pdf = client.submit(f"/manage/e/{event.slug}/badges/registrations/{attendee.id}/reprint").get_data()
    token = db.session.scalar(select(BadgeToken).where(BadgeToken.registration_id == attendee.id,
                                                       BadgeToken.revoked_at.is_(None)))
    assert decoded_tokens(pdf) == [token.token]
    pages = PdfPages(pdf)
    try:
        assert format_short_code(token.short_code) in pages.text(0)
    finally:
        pages.close()


def test_the_door_accepts_the_short_code_typed_in_any_case_with_or_without_the_dash(client, event, make_organiser,
                                                                                   make_registration):
    attendee = confirmed(make_registration, event, first_name="Jean", last_name="Tremblay")
    other = confirmed(make_registration, event, first_name="Marie", last_name="Gagnon")
    code, other_code = services.current_token(attendee).short_code, services.current_token(other).short_code
    db.session.commit()
    login(client, make_organiser(event))
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    page = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": typed},
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Welcome" in page and "Jean Tremblay" in page
    again = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": code},
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Already checked in" in again
    assert client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": other_code.lower()}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 2


def test_a_reprint_replaces_the_short_code_and_the_old_one_is_refused(client, event, make_organiser,
                                                                      make_registration):
    attendee = confirmed(make_registration, event)
    old = services.current_token(attendee).short_code
    db.session.commit()
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/badges/registrations/{attendee.id}/reprint")
    new = services.current_token(attendee).short_code
    assert new != old
    refused = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": old},
                            headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "replaced by a reprint" in refused.get_data(as_text=True)
    assert client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": new}).status_code == 200


def test_a_short_code_of_another_edition_or_made_up_is_refused(client, event, make_event, make_organiser,
                                                               make_registration):
    other = make_event(slug="autre", name="Autre")
    stranger = confirmed(make_registration, other, first_name="Zoé", last_name="Secret")
    foreign = services.current_token(stranger).short_code
    db.session.commit()
    login(client, make_organiser(event))
    for code, reason in ((foreign, "other_event"), ("2345-6789", "unknown")):
        response = client.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": code})
        assert response.status_code == 422 and "Secret" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_an_organiser_finds_a_person_by_the_code_on_their_badge(client, event, make_organiser, make_registration):
    attendee = confirmed(make_registration, event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent")
    confirmed(make_registration, event, first_name="Paul", last_name="Autre")
    code = format_short_code(services.current_token(attendee).short_code)
    db.session.commit()
    login(client, make_organiser(event))
    for typed in (code, code.lower(), code.replace("-", "")):
        page = client.get(f"/manage/e/{event.slug}/registrations", query_string={"q": typed}).get_data(as_text=True)
        assert "LAURENT" in page and "AUTRE" not in page, typed
