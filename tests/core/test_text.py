"""Control characters typed into a form or a query string are removed before any view reads them; tab, CR and
line feed are kept."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.text import first_control_character, has_control_characters, strip_control_characters
from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration
from tests.conftest import login

CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))


def test_what_counts_as_a_control_character():
    assert all(has_control_characters(ch) for ch in CONTROLS)
    assert not has_control_characters("Lefèvre-Hautecœur\t\r\n — ½ 東京")
    assert strip_control_characters(f"Ze{CONTROLS}ro\tok\r\n") == "Zero\tok\r\n"
    assert first_control_character("Nul\x1b") == "U+001B" and first_control_character("fine") is None


def test_the_public_registration_form_stores_names_without_control_characters(client, event):
    data = {"first_name": "Ze\x00ro", "last_name": "Nul\x1b", "email": "zero@example.org\x07", "country": "FR",
            "job_title": "Chargée\x0bde mission", "days": [event.starts_on.isoformat()]}
    response = client.submit(f"/e/{event.slug}/register/visiteur", data)
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "zero@example.org"))
    assert (person.first_name, person.last_name) == ("Zero", "Nul")
    assert db.session.scalar(select(Registration.job_title)) == "Chargéede mission"


def test_a_form_read_field_by_field_is_cleaned_too(client, event, make_organiser):
    """The team page reads request.form itself, without a form class."""
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/team/", {
        "email": "\x00nouvelle@example.org", "first_name": "Inès\x1b", "last_name": "Ba\x7fdri"})
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "nouvelle@example.org"))
    assert (person.first_name, person.last_name) == ("Inès", "Badri")


def test_line_breaks_and_tabs_of_a_text_area_are_kept(client, event, make_organiser):
    login(client, make_organiser(event))
    data = {"name": event.name, "slug": event.slug, "city": event.city, "country": "FR", "venue": "",
            "timezone": event.timezone, "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(), "status": "open", "description": "Ligne 1\r\n\tLigne\x002"}
    assert client.submit(f"/manage/e/{event.slug}/settings", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).description == "Ligne 1\r\n\tLigne2"


@pytest.mark.parametrize("query", ["q=Mor%00eau", "q=%1Bx&category=elu%00", "organisation=%7F"])
def test_a_search_with_control_characters_is_a_search(client, event, make_organiser, query):
    login(client, make_organiser(event))
    assert client.get(f"/manage/e/{event.slug}/registrations?{query}").status_code == 200
