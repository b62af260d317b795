"""The organiser's meeting pages: the settings (who may request whom, acceptance, limits, tables, sessions) with
their refusals, and the list of every request with the counts per status."""
import re
from datetime import time

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.core.timefmt import to_local
from app.events.services import EventInput, a_year_later, clone_event
from app.extensions import db
from app.meetings.errors import MeetingError
from app.meetings.requests import rules, settings
from app.meetings.requests.models import (MeetingCategoryPair, MeetingRequest, MeetingSession, MeetingSettings,
                                          RequestStatus)
from tests.conftest import login
from tests.meetings.world import PAIRS, ask, category_ids, only_request


@pytest.fixture
def desk(app, event, make_organiser):
    client = app.test_client()
    login(client, make_organiser(event))
    return client


def form(event, **changes):
    ids = category_ids(event)
    data = {"is_open": "y", "acceptance": "needs_acceptance", "slot_minutes": "20", "max_per_session": "6",
            "expiry_days": "5", "tables": "25", "pairs": [f"{ids['startup']}:{ids['elu']}", f"{ids['elu']}:{ids['startup']}"]}
    data.update(changes)
    return data


def test_the_organiser_sets_up_meetings(desk, event):
    assert 'data-testid="not-set"' in desk.get(f"/manage/e/{event.slug}/meetings/settings").get_data(as_text=True)
    response = desk.submit(f"/manage/e/{event.slug}/meetings/settings", form(event))
    assert response.status_code == 302
    stored = db.session.get(MeetingSettings, event.id)
    assert (stored.is_open, stored.expiry_days, stored.slot_minutes) == (True, 5, 20)
    assert [t.name for t in settings.tables_of(event)][:2] == ["Table 1", "Table 2"] and len(settings.tables_of(event)) == 25
    ids = category_ids(event)
    assert {(p.from_category_id, p.to_category_id) for p in db.session.scalars(select(MeetingCategoryPair))} == {
        (ids["startup"], ids["elu"]), (ids["elu"], ids["startup"])}
    page = desk.get(f"/manage/e/{event.slug}/meetings/settings").get_data(as_text=True)
    assert re.search(r">\s*25</textarea>", page)
    assert f'id="pair-{ids["startup"]}-{ids["elu"]}" checked' in page
    assert f'id="pair-{ids["startup"]}-{ids["decideur"]}" >' in page
    # Named tables, fewer: the first keep their rows, renamed.
    first = settings.tables_of(event)[0].id
    assert desk.submit(f"/manage/e/{event.slug}/meetings/settings",
                       form(event, tables="Salon Vauban\nSalon Loire\n")).status_code == 302
    assert [(t.id == first, t.name) for t in settings.tables_of(event)] == [(True, "Salon Vauban"), (False, "Salon Loire")]
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "meetings.settings"))


@pytest.mark.parametrize("changes, text", [
    ({"slot_minutes": "90"}, "de 15 à 60"),
    ({"slot_minutes": "abc"}, "Durée d&#39;un créneau"),
    ({"tables": "0"}, "donnez un nombre de tables"),
    ({"tables": "Salon\nsalon"}, "figure deux fois"),
    ({"tables": "x" * 61}, "trop long"),
    ({"pairs": ["1:x"]}, "choisissez parmi les catégories"),
    ({"pairs": ["999:998"]}, "choisissez parmi les catégories"),
    ({"acceptance": "maybe"}, "Acceptation"),
])
def test_bad_settings_are_refused_naming_the_field_and_change_nothing(desk, event, changes, text):
    response = desk.submit(f"/manage/e/{event.slug}/meetings/settings", form(event, **changes))
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)
    assert db.session.get(MeetingSettings, event.id) is None and not settings.tables_of(event)


def test_sessions_are_added_within_the_edition_without_overlap(desk, event):
    url = f"/manage/e/{event.slug}/meetings/sessions"
    day = event.starts_on.isoformat()
    assert desk.submit(url, {"day": day, "start": "14:00", "end": "17:00"}).status_code == 302
    session = db.session.scalar(select(MeetingSession))
    assert (session.starts_at.hour, session.ends_at.hour) == (12, 15)  # Paris in June is UTC+2
    for data, text in [({"day": day, "start": "16:00", "end": "18:00"}, "chevauche"),
                       ({"day": "2027-07-01", "start": "10:00", "end": "11:00"}, "Choisissez un jour"),
                       ({"day": day, "start": "10:00", "end": "09:00"}, "doit finir après"),
                       ({"day": day, "start": "10:00", "end": "10:10"}, "plus courte qu&#39;un créneau"),
                       ({"day": day, "start": "25:61", "end": "10:10"}, "Indiquez une heure")]:
        response = desk.submit(url, data)
        assert response.status_code == 422 and text in response.get_data(as_text=True), data
    assert len(settings.sessions_of(event)) == 1
    assert desk.submit(f"{url}/{session.id}/remove").status_code == 302
    assert settings.sessions_of(event) == []
    assert desk.submit(f"{url}/{session.id}/remove").status_code == 404


def test_the_list_counts_every_status_and_filters(app, world, make_organiser):
    ask(app, world, world.startup, world.mayor)
    ask(app, world, world.company, world.director)
    declined = only_request()
    declined.status = RequestStatus.DECLINED
    db.session.commit()
    client = app.test_client()
    login(client, make_organiser(world.event))
    page = client.get(f"/manage/e/{world.event.slug}/meetings/").get_data(as_text=True)
    counts = page.split('data-testid="status-counts"')[1].split("</ul>")[0]
    assert '<span class="stat">2</span> <span class="stat-label">Tous' in counts
    assert 'data-testid="count-pending"><span class="stat">1</span>' in counts
    assert 'data-testid="count-declined"><span class="stat">1</span>' in counts
    assert 'data-testid="count-expired"><span class="stat">0</span>' in counts
    filtered = client.get(f"/manage/e/{world.event.slug}/meetings/?status=declined").get_data(as_text=True)
    assert filtered.count('data-testid="request-row"') == 1 and "Capteurs du Morvan" in filtered
    searched = client.get(f"/manage/e/{world.event.slug}/meetings/?q=energies").get_data(as_text=True)
    assert searched.count('data-testid="request-row"') == 1 and "Hugo Petit" in searched


def test_the_settings_service_refuses_what_the_form_would_not_send(event):
    with pytest.raises(MeetingError) as refused:
        settings.save_settings(event, settings.SettingsInput(True, "at_once", 5, 6, 7, "", ()), actor_id=None)
    assert (refused.value.code, refused.value.field) == ("out_of_bounds", "slot_minutes")
    with pytest.raises(MeetingError) as refused:
        settings.add_session(event, event.ends_on, time(9), time(9, 10), actor_id=None)
    assert refused.value.code == "shorter_than_slot"
    assert db.session.get(MeetingSettings, event.id) is None


def test_next_years_clone_gets_the_setup_closed_and_none_of_the_requests(app, world):
    ask(app, world, world.startup, world.mayor)
    event = world.event
    clone = clone_event(event, EventInput(name="Sommet 2028", slug="sommet-2028", city="Nevers", country="FR",
                                          venue="", timezone="Europe/Paris", starts_on=a_year_later(event.starts_on),
                                          ends_on=a_year_later(event.ends_on)), actor_id=world.mayor.person_id)
    copied = db.session.get(MeetingSettings, clone.id)
    assert copied is not None and not copied.is_open and copied.expiry_days == 7
    assert len(settings.tables_of(clone)) == 25
    codes = {c.id: c.code.value for c in clone.categories}
    assert {(codes[a], codes[b]) for a, b in rules.category_pairs(clone.id)} == set(PAIRS)
    [session] = settings.sessions_of(clone)
    assert to_local(session.starts_at, "Europe/Paris").time() == time(14) and \
        to_local(session.starts_at, "Europe/Paris").date() == clone.starts_on
    assert db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.event_id == clone.id)) == 0
