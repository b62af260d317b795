"""Editions: creation with validation, time zones, cloning for next year."""
from datetime import datetime

from sqlalchemy import func, select

from app.core.timefmt import local_to_utc
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from tests.conftest import login


def edition_form(**overrides):
    data = {"name": "Sommet 2028 Shawinigan", "slug": "shawinigan-2028", "city": "Shawinigan", "country": "CA",
            "venue": "Centre des arts", "timezone": "America/Toronto", "starts_on": "2028-09-12",
            "ends_on": "2028-09-14", "status": "open", "description": ""}
    data.update(overrides)
    return data


def test_staff_creates_an_edition_with_default_categories_and_themes(client, make_person):
    staff = make_person(is_staff=True)
    login(client, staff)
    response = client.submit("/manage/events/new", edition_form())
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.timezone == "America/Toronto"
    assert len(event.categories) == 7 and len(event.themes) >= 14


def test_edition_form_refuses_bad_dates_and_zones(client, make_person):
    login(client, make_person(is_staff=True))
    assert client.submit("/manage/events/new", edition_form(ends_on="2028-09-01")).status_code == 422
    assert client.submit("/manage/events/new", edition_form(timezone="Mars/Olympus")).status_code == 422
    assert client.submit("/manage/events/new", edition_form(starts_on="12/09/2028")).status_code == 422
    assert client.submit("/manage/events/new", edition_form(slug="Pas Bon!")).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_only_staff_create_editions(client, event, make_organiser):
    login(client, make_organiser(event))
    assert client.submit("/manage/events/new", edition_form()).status_code == 403


def test_clone_copies_setup_but_not_people(client, event, make_organiser, make_registration):
    make_registration(event)
    event.category("elu").capacity = 300
    event.themes[0].name_fr = "Cœurs de ville vivants"
    db.session.commit()
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/clone", edition_form(slug="sommet-2028", timezone="Europe/Paris"))
    assert response.status_code == 302
    clone = db.session.scalar(select(Event).where(Event.slug == "sommet-2028"))
    assert clone.category("elu").capacity == 300
    assert clone.themes[0].name_fr == "Cœurs de ville vivants"
    assert db.session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == clone.id)) == 0
    # The organiser who cloned it can run it.
    assert client.get(f"/manage/e/{clone.slug}/").status_code == 200


def test_times_are_shown_in_the_editions_zone(client, event, make_organiser, make_registration):
    registration = make_registration(event)
    registration.created_at = local_to_utc(datetime(2027, 3, 1).date(), datetime(2027, 3, 1, 10, 0).time(), "Europe/Paris")
    db.session.commit()
    assert registration.created_at.hour == 9  # stored in UTC
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/registrations").get_data(as_text=True)
    assert "10:00" in html and "09:00" not in html
