"""Mandates for women and men, in France, Belgium, Québec and Africa; the title a person writes is the one shown."""
from sqlalchemy import select

from app.badging.models import BadgeToken
from app.badging.services import badge_record
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.labels import mandate_title
from app.registrations.models import Mandate, Registration
from tests.conftest import login


def official(event, **overrides):
    data = {"first_name": "Claire", "last_name": "Dubois", "email": "claire@ville.be", "country": "BE",
            "mandate": "echevin", "mandate_title": "Échevine de la Transition", "territory": "Namur",
            "days": [event.starts_on.isoformat()]}
    data.update(overrides)
    return data


def test_the_form_offers_feminine_and_regional_titles(client, event):
    page = client.get(f"/e/{event.slug}/register/elu").get_data(as_text=True)
    for title in ("Mairesse", "Adjointe au maire", "Conseillère municipale", "Députée", "Sénatrice", "Bourgmestre",
                  "Échevine", "Préfète", "Maire de commune", "Présidente de conseil régional", "Gouverneure"):
        assert f'<option value="{title}">' in page, title
    assert "Échevin·e (Belgique)" in page and "Préfet·e de MRC (Québec)" in page
    assert 'list="mandate-titles"' in page


def test_the_title_she_typed_is_kept_shown_and_printed(client, event, make_organiser):
    assert client.submit(f"/e/{event.slug}/register/elu", official(event)).status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.mandate == Mandate.ECHEVIN
    assert registration.mandate_title == "Échevine de la Transition"
    token = BadgeToken(registration_id=registration.id, token="b_test-token-for-the-record", short_code="K7M49QXR")
    assert badge_record(event, registration, token).role == "Échevine de la Transition · Namur"
    organiser = make_organiser(event)
    login(client, organiser)
    assert "Échevine de la Transition" in client.get(f"/manage/e/{event.slug}/registrations").get_data(as_text=True)
    page = client.get(f"/manage/e/{event.slug}/registrations/{registration.id}").get_data(as_text=True)
    assert 'value="Échevine de la Transition"' in page


def test_without_a_typed_title_the_mandate_name_stands_in(event, make_registration):
    registration = make_registration(event, CategoryCode.ELU, mandate=Mandate.CONSEILLER_MUNICIPAL)
    assert registration.mandate_title == ""
    assert mandate_title(registration) == "Conseiller·ère municipal·e"


def test_an_organiser_corrects_the_title(client, event, make_registration, make_organiser):
    registration = make_registration(event, CategoryCode.ELU, mandate=Mandate.MAIRE)
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/registrations/{registration.id}", {
        "category": "elu", "job_title": "", "territory": "Nevers", "days": [event.starts_on.isoformat()],
        "mandate_title": "  Mairesse  "})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).mandate_title == "Mairesse"


def test_a_title_too_long_is_refused_by_name(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", official(event, mandate_title="x" * 121))
    assert response.status_code == 422
    assert db.session.scalar(select(Registration)) is None
