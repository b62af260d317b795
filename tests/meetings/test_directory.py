"""The directory of people open to meetings: only the categories the reader may ask, only people who agreed to
appear (a withdrawn consent or an opt-out takes effect on the next read), what each shares, accent-insensitive
search, filters and pages."""
from app.extensions import db
from app.meetings.requests import directory
from app.meetings.requests.directory import DirectoryFilters, directory_page
from app.meetings.requests.services import set_opt_in
from app.people.models import Organisation
from app.registrations.services import update_consents
from tests.meetings.world import client_of


def names(world, viewer, **filters):
    found = directory_page(world.event, viewer, DirectoryFilters(**filters), 1)
    return sorted(entry.registration.person.last_name for entry in found.entries)


def test_a_startup_sees_the_officials_and_decision_makers_who_agreed(world):
    assert names(world, world.startup) == ["Girard", "Lefèvre", "Moreau"]  # not Discrète: not in the list
    assert names(world, world.mayor) == ["Blanc", "Leroy"]  # officials ask startups
    assert names(world, world.visitor) == []


def test_a_withdrawn_consent_or_an_opt_out_takes_her_out_at_once(world):
    update_consents(world.mayor, directory=False, share_contact=False, actor_id=world.mayor.person_id)
    db.session.commit()
    assert "Lefèvre" not in names(world, world.startup)
    update_consents(world.mayor, directory=True, share_contact=False, actor_id=world.mayor.person_id)
    db.session.commit()
    set_opt_in(world.deputy, False, actor=world.deputy.person)
    assert names(world, world.startup) == ["Lefèvre", "Moreau"]


def test_position_and_themes_only_once_she_opted_in_herself(app, world, event):
    world.director.themes = [event.themes[0]]
    db.session.commit()
    client = client_of(app, world.startup)
    url = f"/e/{event.slug}/meetings/directory"
    page = client.get(url).get_data(as_text=True)
    assert "Directrice générale des services" not in page and event.themes[0].name_fr not in page.split("<ul")[-1]
    # A theme filter finds only those who share their themes.
    assert names(world, world.startup, theme=event.themes[0].code) == []
    set_opt_in(world.director, True, actor=world.director.person)
    page = client.get(url).get_data(as_text=True)
    assert "Directrice générale des services" in page
    assert names(world, world.startup, theme=event.themes[0].code) == ["Moreau"]
    # An official shares her mandate's title.
    world.mayor.mandate_title = "Mairesse"
    set_opt_in(world.mayor, True, actor=world.mayor.person)
    assert "<strong>Marie Lefèvre</strong> · Ville de Nevers · Mairesse" in client.get(url).get_data(as_text=True)
    # Her position is searched once she shares it, not before.
    assert names(world, world.startup, q="generale") == ["Moreau"]
    assert names(world, world.startup, q="adjoint") == []


def test_search_ignores_accents_and_case_and_filters_combine(world):
    assert names(world, world.startup, q="LEFEVRE") == ["Lefèvre"]
    assert names(world, world.startup, q="ines moreau") == ["Moreau"]
    assert names(world, world.startup, category="decideur") == ["Moreau"]
    assert names(world, world.startup, organisation="nevers") == ["Girard", "Lefèvre", "Moreau"]
    world.mayor.organisation.country = "BE"  # the city of the mayor and her deputy
    db.session.commit()
    assert names(world, world.startup, country="BE") == ["Girard", "Lefèvre"]
    assert names(world, world.startup, q="nevers", country="FR") == ["Moreau"]


def test_pages_and_the_request_state_shown(app, world, event, make_registration, monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 2)
    found = directory_page(event, world.startup, DirectoryFilters(), 2)
    assert (found.total, found.pages, len(found.entries)) == (3, 2, 1)
    client = client_of(app, world.startup)
    client.submit(f"/e/{event.slug}/meetings/request/{world.mayor.id}", {"reason": "discover"})
    page = client.get(f"/e/{event.slug}/meetings/directory?q=lefevre").get_data(as_text=True)
    assert "En attente de réponse" in page and 'data-testid="request-link"' not in page
    # A page past the last shows the last; a nonsense page number the first.
    assert client.get(f"/e/{event.slug}/meetings/directory?page=99").status_code == 200
    assert client.get(f"/e/{event.slug}/meetings/directory?page=abc").status_code == 200


def test_a_startup_is_listed_under_its_name(app, world, event):
    page = client_of(app, world.mayor).get(f"/e/{event.slug}/meetings/directory").get_data(as_text=True)
    assert "<strong>Capteurs du Morvan</strong> · Sam Leroy" in page
    assert db.session.get(Organisation, world.startup.organisation_id).name == "Capteurs du Morvan"


def test_opting_out_and_in_from_her_meetings_page(app, world, event):
    client = client_of(app, world.mayor)
    url = f"/e/{event.slug}/meetings/opt-in"
    assert client.submit(url, {"accepts": "0"}).status_code == 302
    assert "Lefèvre" not in names(world, world.startup)
    assert "ne recevez pas" in client.get(f"/e/{event.slug}/meetings/").get_data(as_text=True)
    response = client.submit(url, {"accepts": "maybe"})
    assert response.status_code == 422 and "Dites si vous recevez" in response.get_data(as_text=True)
    assert client.submit(url, {"accepts": "1"}).status_code == 302
    assert "Lefèvre" in names(world, world.startup)
