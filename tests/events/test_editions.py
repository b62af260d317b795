"""Editions: creation with validation, time zones, cloning for next year; categories and themes."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import EventRole
from app.core.timefmt import local_to_utc
from app.events.models import Category, Event, Theme
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


@pytest.mark.parametrize("use_case", ["create", "clone"])
def test_an_edition_whose_organiser_cannot_be_named_is_not_stored_at_all(client, event, make_person, monkeypatch,
                                                                         use_case):
    """The edition and its creator's organiser role are one change: a failure on the role leaves neither."""
    login(client, make_person(is_staff=True))
    event_id = event.id
    record = audit.record

    def fail_on_the_role(action, **kwargs):
        if action == "role.grant":
            raise RuntimeError("the role cannot be stored")
        return record(action, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_role)
    url = "/manage/events/new" if use_case == "create" else f"/manage/e/{event.slug}/clone"
    assert client.submit(url, edition_form(slug="sommet-2028")).status_code == 500
    db.session.remove()  # a fresh session sees only what was committed
    assert db.session.scalar(select(Event.id).where(Event.slug == "sommet-2028")) is None
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    assert db.session.scalar(select(func.count()).select_from(Category).where(Category.event_id != event.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(EventRole)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(["event.create", "event.clone"]), AuditEntry.event_id != event_id)) == 0


def test_organisers_set_categories_and_themes(client, event, make_organiser):
    login(client, make_organiser(event))
    form = {}
    for n, category in enumerate(event.categories):
        form[f"categories-{n}-capacity"] = "120" if category.code.value == "elu" else ""
        form[f"categories-{n}-is_open"] = "y"
    assert client.submit(f"/manage/e/{event.slug}/categories", form).status_code == 302
    db.session.expire_all()
    assert event.category("elu").capacity == 120 and not event.category("elu").requires_approval
    response = client.submit(f"/manage/e/{event.slug}/themes", {"code": "sante", "name_fr": "Santé", "name_en": "Health"})
    assert response.status_code == 422 and "Another theme of this edition already uses this code." in \
        client.submit(f"/manage/e/{event.slug}/themes", {"code": "sante", "name_fr": "Santé", "name_en": "Health"},
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.submit(f"/manage/e/{event.slug}/themes",
                         {"code": "sport", "name_fr": " Sport ", "name_en": "Sport"}).status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.event_id == event.id, Theme.code == "sport"))
    assert theme.name_fr == "Sport" and theme.position == len(event.themes) - 1
    assert client.submit(f"/manage/e/{event.slug}/themes/{theme.id}/delete").status_code == 302
    assert client.submit(f"/manage/e/{event.slug}/themes/{theme.id}/delete").status_code == 404
    db.session.expire_all()
    assert "sport" not in {t.code for t in event.themes}
