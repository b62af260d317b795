"""Wish pages of officials and startups, the organiser's heat map, and availability changes."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.services import set_password
from app.demonstrator.wishes import services as preferences
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut, Wish, WishKind
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.models import Registration
from app.registrations.services import TeamMember
from tests.conftest import TEST_PASSWORD, login
from tests.demonstrator.conftest import confirm, utc


def signed_in(app, person):
    client = app.test_client()
    set_password(person, TEST_PASSWORD)
    db.session.commit()
    login(client, person)
    client.get("/lang/en")  # assertions below read the English texts
    return client


@pytest.fixture
def organiser_client(app, world, make_organiser):
    return signed_in(app, make_organiser(world.event))


def wishes_url(world, target=None):
    base = f"/e/{world.event.slug}/demonstrator/wishes"
    return base if target is None else f"{base}/{target.id}"


def manage_url(world, path):
    return f"/manage/e/{world.event.slug}/demonstrator/{path}"


def num_wishes():
    return db.session.scalar(select(func.count()).select_from(Wish))


def num_changes():
    return db.session.scalar(select(func.count()).select_from(AvailabilityChange))


# -- attendees ---------------------------------------------------------------------------------------

def test_an_official_sees_the_startups_with_stands_and_shared_themes_first(app, world):
    official = world.officials[0]  # themes mobilite + energie
    html = signed_in(app, official.person).get(wishes_url(world)).get_data(as_text=True)
    names = re.findall(r"<h2>(Startup [a-z-]+)</h2>", html)
    assert names[:2] == ["Startup energie", "Startup mobilite"]  # one shared theme each, then by name
    assert set(names) == {f"Startup {t}" for t in ("mobilite", "energie", "donnees-numerique", "sante")}
    assert "Stand A1" in html and "Capteurs de stationnement" in html  # stand number and pitch
    assert html.count('class="badge theme shared"') >= 2
    assert 'id="opt-out"' in html


def test_the_theme_filter_keeps_matching_startups_only(app, world):
    html = signed_in(app, world.officials[0].person).get(wishes_url(world) + "?theme=sante").get_data(as_text=True)
    assert re.findall(r"<h2>(Startup [a-z-]+)</h2>", html) == ["Startup sante"]


def test_an_official_wishes_refuses_and_clears_keeping_filter_and_anchor(app, world):
    official, startup = world.officials[0], world.startups[0]
    client = signed_in(app, official.person)
    response = client.submit(wishes_url(world, startup), {"kind": "want", "theme": "mobilite"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/wishes?theme=mobilite#r{startup.id}")
    assert preferences.wishes_of(official) == {startup.id: WishKind.WANT}
    html = client.get(wishes_url(world) + "?theme=mobilite").get_data(as_text=True)
    assert 'aria-pressed="true" data-testid="wish-want"' in html
    client.submit(wishes_url(world, startup), {"kind": "no"})
    assert preferences.wishes_of(official) == {startup.id: WishKind.NO}
    client.submit(wishes_url(world, startup), {"kind": "clear"})
    assert preferences.wishes_of(official) == {}


def test_a_wish_between_two_officials_is_refused_and_stores_nothing(app, world):
    client = signed_in(app, world.officials[0].person)
    response = client.submit(wishes_url(world, world.officials[1]), {"kind": "want"})
    assert response.status_code == 422
    assert "A wish goes from an official to a startup" in response.get_data(as_text=True)
    assert num_wishes() == 0


def test_a_wish_of_an_unknown_kind_is_refused(app, world):
    response = signed_in(app, world.officials[0].person).submit(wishes_url(world, world.startups[0]), {"kind": "maybe"})
    assert response.status_code == 422
    assert "I would like to meet" in response.get_data(as_text=True)
    assert num_wishes() == 0


def test_a_wish_about_someone_of_another_edition_is_a_404(app, world, make_event, make_registration):
    other = confirm(make_registration(make_event(slug="autre", name="Autre"), CategoryCode.STARTUP))
    client = signed_in(app, world.officials[0].person)
    assert client.submit(wishes_url(world, other), {"kind": "want"}).status_code == 404
    assert client.submit(f"{wishes_url(world)}/999999", {"kind": "want"}).status_code == 404
    assert num_wishes() == 0


def test_a_startup_sees_delegations_and_officials_and_wishes_for_one(app, world):
    startup, official = world.startups[0], world.officials[3]
    client = signed_in(app, startup.person)
    html = client.get(wishes_url(world)).get_data(as_text=True)
    assert "Délégation de Bourges" in html and "Officials visiting alone" in html
    assert "Mayor" in html and "Nevers" in html  # mandate and territory
    assert 'id="opt-out"' not in html  # startups hold stands: nothing to opt out of
    assert client.submit(wishes_url(world, official), {"kind": "want"}).status_code == 302
    assert preferences.wishes_of(startup) == {official.id: WishKind.WANT}
    assert client.submit(wishes_url(world, world.startups[1]), {"kind": "want"}).status_code == 422


def test_a_startup_team_member_states_wishes_for_the_startup(app, world, make_registration):
    lead = confirm(make_registration(world.event, CategoryCode.STARTUP, organisation_name="Startup équipe", team=[
        TeamMember(email="equipe@example.org", first_name="Jules", last_name="Roy")]))
    member = db.session.scalar(select(Registration).where(Registration.team_lead_id == lead.id))
    client = signed_in(app, member.person)
    assert client.submit(wishes_url(world, world.officials[0]), {"kind": "want"}).status_code == 302
    assert preferences.wishes_of(lead) == {world.officials[0].id: WishKind.WANT}


def test_other_attendees_are_told_the_visits_are_for_officials_and_startups(app, world, make_registration):
    visitor = confirm(make_registration(world.event, CategoryCode.VISITEUR))
    client = signed_in(app, visitor.person)
    response = client.get(wishes_url(world))
    assert response.status_code == 403
    assert "bring officials and decision makers to the startups" in response.get_data(as_text=True)
    assert client.submit(wishes_url(world, world.startups[0]), {"kind": "want"}).status_code == 403
    assert num_wishes() == 0


def test_an_official_opts_out_then_back_in(app, world):
    official = world.officials[3]  # in the delegation
    client = signed_in(app, official.person)
    response = client.submit(wishes_url(world) + "/opt-out", {"opt_out": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#opt-out")
    assert preferences.is_opted_out(official)
    html = client.get(wishes_url(world)).get_data(as_text=True)
    assert "You asked not to be routed" in html and "Délégation de Bourges visits without you" in html
    client.submit(wishes_url(world) + "/opt-out", {"opt_out": "0"})
    assert not preferences.is_opted_out(official)
    assert client.submit(wishes_url(world) + "/opt-out", {"opt_out": "perhaps"}).status_code == 422


def test_a_startup_cannot_opt_out(app, world):
    response = signed_in(app, world.startups[0].person).submit(wishes_url(world) + "/opt-out", {"opt_out": "1"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(RoutingOptOut)) == 0


# -- organisers: wishes and scores ------------------------------------------------------------------

def test_the_heat_map_shows_weights_counts_cells_and_the_mutual_wish(world, organiser_client):
    event, d3, startup = world.event, world.officials[3], world.startups[0]
    preferences.set_wish(event, d3, startup, WishKind.WANT, actor_id=None)
    preferences.set_wish(event, startup, d3, WishKind.WANT, actor_id=None)
    preferences.set_wish(event, world.officials[0], world.startups[1], WishKind.WANT, actor_id=None)
    preferences.set_wish(event, world.officials[1], world.startups[2], WishKind.NO, actor_id=None)
    db.session.commit()
    html = organiser_client.get(manage_url(world, "wishes")).get_data(as_text=True)
    assert re.search(r'data-testid="count-visitors">2<', html)
    assert re.search(r'data-testid="count-startups">1<', html)
    assert re.search(r'data-testid="count-mutual">1<', html)
    assert re.search(r'data-testid="count-refusals-visitors">1<', html)
    assert "A mutual wish</dt><dd>12</dd>" in html
    titles = re.findall(r'data-testid="heat-cell"><title>([^<]+)</title>', html)
    # delegation: official 4 shares "mobilite" (2) + a mutual wish of official 3 (12)
    assert "Délégation de Bourges × A1 · Startup mobilite: 14 (themes: Mobility; mutual wish)" in titles
    assert any("not interested" in t for t in titles) and 'class="refused"' in html
    assert 'class="lv6 mutual"' in html
    rows = re.findall(r'<tr data-testid="top-pair"><td>([^<]+)</td><td>([^<]+)</td><td class="num">([^<]+)</td>', html)
    assert rows[0] == ("Délégation de Bourges", "A1 · Startup mobilite", "14")
    assert "style=" not in html  # the CSP forbids inline styles


def test_the_heat_map_sorts_by_total_and_filters_by_theme(world, organiser_client):
    html = organiser_client.get(manage_url(world, "wishes") + "?theme=sante").get_data(as_text=True)
    labels = re.findall(r'class="col-label"[^>]*><title>[^<]*</title>([^<]+)</text>', html)
    assert labels == ["A4 · Startup sante"]
    html = organiser_client.get(manage_url(world, "wishes")).get_data(as_text=True)
    rows = re.findall(r'class="row-label"[^>]*><title>[^<]*total ([0-9.]+)</title>', html)
    assert [float(r) for r in rows] == sorted((float(r) for r in rows), reverse=True) and len(rows) == 4


def test_the_heat_map_names_visitors_without_any_stand_worth_a_visit(world, organiser_client, make_registration):
    lonely = confirm(make_registration(world.event, CategoryCode.ELU, theme_codes=[], first_name="Anne",
                                       last_name="Seule"))
    html = organiser_client.get(manage_url(world, "wishes")).get_data(as_text=True)
    assert re.search(r'data-testid="empty-rows">.*Anne Seule', html, re.S)
    assert lonely.id


# -- organisers: availability -----------------------------------------------------------------------

def row_windows(html, key):
    row = re.search(rf'data-key="{key}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(r'data-testid="windows">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell))


def test_availability_lists_every_routed_visitor_with_local_windows(world, organiser_client):
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 4
    delegation_key = f"d{world.delegation.id}"
    assert "10:00–12:00, 14:00–16:00" in row_windows(html, delegation_key)  # Paris time, stored UTC
    assert "Délégation de Bourges" in html


def test_a_block_for_a_delegation_is_added_shown_and_removed(world, organiser_client):
    key = f"d{world.delegation.id}"
    response = organiser_client.submit(manage_url(world, "availability/changes"), {
        "visitor": key, "available": "0", "day": world.event.starts_on.isoformat(), "start": "09:00",
        "end": "11:00", "reason": "Train en retard"})
    assert response.status_code == 302
    change = db.session.scalar(select(AvailabilityChange))
    assert (change.delegation_id, change.starts_at, change.ends_at, change.available) == (
        world.delegation.id, utc(world.event.starts_on, "09:00"), utc(world.event.starts_on, "11:00"), False)
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert "11:00–12:00, 14:00–16:00" in row_windows(html, key)
    assert "Train en retard" in html
    assert organiser_client.submit(manage_url(world, f"availability/changes/{change.id}/remove")).status_code == 302
    assert num_changes() == 0


def test_an_opening_for_one_official_over_a_session(world, organiser_client):
    official = world.officials[0]
    response = organiser_client.submit(manage_url(world, "availability/changes"), {
        "visitor": f"r{official.id}", "available": "1", "day": world.event.starts_on.isoformat(),
        "start": "13:00", "end": "14:30", "reason": ""})
    assert response.status_code == 302
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert "10:00–12:00, 14:00–16:00" in row_windows(html, f"r{official.id}")  # openings apply within tour slots


@pytest.mark.parametrize("changes, message", [
    ({"start": "11:00", "end": "09:00"}, "The end must come after the start."),
    ({"day": "2027-07-14"}, "Choose a day of the edition."),
    ({"start": "9h"}, "Write the time as HH:MM"),
    ({"visitor": "x1"}, "Choose an official or a delegation of this edition."),
    ({"visitor": "d999999"}, "Choose an official or a delegation of this edition."),
    ({"available": "maybe"}, "Choose whether the window blocks or opens visits."),
])
def test_a_bad_change_is_refused_with_a_message_and_stores_nothing(world, organiser_client, changes, message):
    data = {"visitor": f"d{world.delegation.id}", "available": "0", "day": world.event.starts_on.isoformat(),
            "start": "09:00", "end": "11:00", "reason": ""}
    data.update(changes)
    response = organiser_client.submit(manage_url(world, "availability/changes"), data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert num_changes() == 0


def test_a_startup_is_not_a_visitor(world, organiser_client):
    response = organiser_client.submit(manage_url(world, "availability/changes"), {
        "visitor": f"r{world.startups[0].id}", "available": "0", "day": world.event.starts_on.isoformat(),
        "start": "09:00", "end": "11:00"})
    assert response.status_code == 422
    assert "Only officials and decision makers" in response.get_data(as_text=True)
    assert num_changes() == 0


def test_late_until_eleven_and_absent_presets(world, organiser_client):
    key, day = f"d{world.delegation.id}", world.event.starts_on
    url = manage_url(world, "availability/on-the-day")
    assert organiser_client.submit(url, {"visitor": key, "day": day.isoformat(), "preset": "late",
                                         "at": "11:00"}).status_code == 302
    change = db.session.scalar(select(AvailabilityChange))
    assert change.ends_at == utc(day, "11:00") and change.reason == "Late until 11:00"
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert "11:00–12:00, 14:00–16:00" in row_windows(html, key)
    organiser_client.submit(url, {"visitor": key, "day": day.isoformat(), "preset": "absent_from", "at": "15:00"})
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert "11:00–12:00, 14:00–15:00" in row_windows(html, key)
    organiser_client.submit(url, {"visitor": key, "day": day.isoformat(), "preset": "absent_day"})
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert "no free window" in row_windows(html, key)
    last = db.session.scalars(select(AvailabilityChange).order_by(AvailabilityChange.id.desc())).first()
    assert last.ends_at - last.starts_at == timedelta(hours=24)


@pytest.mark.parametrize("data, message", [
    ({"preset": "late", "at": ""}, "Write the time as HH:MM"),
    ({"preset": "soon", "at": "11:00"}, "Choose late, absent from a time, or absent all day."),
    ({"preset": "late", "at": "11:00", "day": "2027-06-10"}, "Choose a day of the edition."),
])
def test_a_bad_preset_is_refused(world, organiser_client, data, message):
    data = {"visitor": f"d{world.delegation.id}", "day": world.event.starts_on.isoformat(), **data}
    response = organiser_client.submit(manage_url(world, "availability/on-the-day"), data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert num_changes() == 0


def test_removing_a_change_of_another_edition_is_a_404(world, organiser_client, make_event, make_registration):
    other_event = make_event(slug="autre", name="Autre")
    official = confirm(make_registration(other_event, CategoryCode.ELU))
    change = preferences.change_availability(other_event, starts_at=utc(other_event.starts_on, "09:00"),
                                             ends_at=utc(other_event.starts_on, "10:00"), available=False,
                                             registration=official, actor_id=None)
    db.session.commit()
    assert organiser_client.submit(manage_url(world, f"availability/changes/{change.id}/remove")).status_code == 404
    assert num_changes() == 1
    assert organiser_client.submit(
        manage_url(world, f"availability/opt-outs/{official.id}/remove")).status_code == 404


def test_the_organiser_sees_who_opted_out_and_routes_them_again(world, organiser_client):
    official = world.officials[0]
    preferences.set_opt_out(official, True, actor_id=None)
    db.session.commit()
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 3
    assert official.person.full_name in re.search(r'data-testid="opt-outs">(.*?)</ul>', html, re.S).group(1)
    response = organiser_client.submit(manage_url(world, f"availability/opt-outs/{official.id}/remove"))
    assert response.status_code == 302
    assert not preferences.is_opted_out(official)
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 4


def test_the_availability_search_finds_a_delegation_by_member_or_name(world, organiser_client):
    member = world.officials[4].person.full_name
    html = organiser_client.get(manage_url(world, "availability") + f"?q={member.upper()}").get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 1 and f'data-key="d{world.delegation.id}"' in html
    html = organiser_client.get(manage_url(world, "availability") + "?q=delegation de bourges").get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 1
    html = organiser_client.get(manage_url(world, "availability") + "?q=personne").get_data(as_text=True)
    assert html.count('data-testid="visitor-row"') == 0 and "Nobody matches this search." in html


def test_the_organiser_takes_an_absent_member_out_and_the_delegation_goes_on(world, organiser_client):
    member = world.officials[4]
    response = organiser_client.submit(manage_url(world, "availability/opt-outs"), {"visitor": f"r{member.id}"})
    assert response.status_code == 302
    assert preferences.is_opted_out(member)
    html = organiser_client.get(manage_url(world, "availability")).get_data(as_text=True)
    row = re.search(rf'data-key="d{world.delegation.id}">(.*?)</tr>', html, re.S).group(1)
    assert member.person.full_name not in row and world.officials[3].person.full_name in row
    for bad in ("", f"d{world.delegation.id}", f"r{world.startups[0].id}"):
        assert organiser_client.submit(manage_url(world, "availability/opt-outs"), {"visitor": bad}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(RoutingOptOut)) == 1
