"""The stand's scanner takes the short code printed on a badge as typed; the contacts search ignores accents."""
from sqlalchemy import func, select

from app.badging import services as badging
from app.badging.models import format_short_code
from app.extensions import db
from app.leads.models import Lead
from app.registrations.models import Registration
from tests.conftest import login
from tests.leads.conftest import scan, upload


def short_code_of(registration_id: int) -> str:
    return badging.current_token(db.session.get(Registration, registration_id)).short_code


def test_the_scanner_api_accepts_a_typed_short_code_in_any_case(client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, device_token = make_device(stand)
    visitor, token = make_badge(first_name="Benoît", last_name="Laurent")
    code = short_code_of(visitor.id)
    db.session.commit()
    typed = format_short_code(code).lower()
    first = upload(client, device_token, [scan(typed, "typed-1")])
    assert first.status_code == 200 and first.json["stored"] == 1
    assert first.json["results"][0]["contact"]["name"] == "Benoît Laurent"
    # Typed without the dash, then scanned by its QR code: one contact.
    assert upload(client, device_token, [scan(code, "typed-2"), scan(token, "qr-3")]).json["stored"] == 2
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 1
    refused = upload(client, device_token, [scan("2345-6789", "typed-4")]).json["results"][0]
    assert refused["status"] == "refused"


def test_the_contacts_search_ignores_accents_and_case_for_every_word(client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, device_token = make_device(stand)
    benoit, token = make_badge(first_name="Benoît", last_name="Laurent", organisation_name="Ville de Nevers")
    _, other = make_badge(first_name="Hélène", last_name="Côté")
    upload(client, device_token, [scan(token, "s-1", notes="Intéressé par l'éclairage"), scan(other, "s-2")])
    login(client, stand.person)
    contacts = f"/e/{stand.event.slug}/stand/"
    for query, found in (("benoit laurent", True), ("LAURENT benoît", True), ("nevers benoit", True),
                         ("eclairage", True), ("benoit helene", False), ("cote", False)):
        page = client.get(contacts, query_string={"q": query}).get_data(as_text=True)
        assert ("Benoît Laurent" in page) is found, query
    assert "Hélène Côté" in client.get(contacts, query_string={"q": "helene cote"}).get_data(as_text=True)
