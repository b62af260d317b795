"""Across editions: an organisation's timeline and the network's outcomes per edition, each organiser seeing the
editions she organises (platform staff: all)."""
import re
from datetime import date
from html import unescape

import pytest

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.demonstrator.realised import report as realised
from app.events.models import CategoryCode
from app.extensions import db
from app.outcomes.models import OutcomeKind, OutcomeStatus
from app.outcomes.services import city_organisation
from tests.conftest import login
from tests.demonstrator.conftest import confirm
from tests.report.conftest import add_outcome


def _text(html: str) -> str:
    """The page's text from its heading on (the edition's name is in the menu above it)."""
    html = html.split("<h1", 1)[-1]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def editions(summit, make_event, make_registration):
    """The summit (2027) and the previous edition (2026), where the same startup met the same city and a
    third edition (2025) that another team organises, where the startup signed a contract."""
    edition, _visits = summit
    previous = make_event(slug="sommet-2026", name="Sommet 2026", starts_on=date(2026, 6, 3), ends_on=date(2026, 6, 5))
    elsewhere = make_event(slug="sommet-2025", name="Sommet 2025", starts_on=date(2025, 6, 3), ends_on=date(2025, 6, 5))
    startup_name = edition.startups[0].organisation.name
    for event in (previous, elsewhere):
        stand = confirm(make_registration(event, CategoryCode.STARTUP, organisation_name=startup_name))
        mayor = confirm(make_registration(event, CategoryCode.DECIDEUR, organisation_name="Bourges"))
        assert stand.organisation_id == edition.startups[0].organisation_id  # the same startup across editions
        assert city_organisation(mayor).id == city_organisation(edition.cities[0]).id
        kind = OutcomeKind.TENDER if event is previous else OutcomeKind.CONTRACT
        add_outcome(event, stand, mayor, kind, OutcomeStatus.DONE,
                    on=event.starts_on)
    return edition, previous, elsewhere


def test_a_startups_timeline_lists_the_editions_she_organises(app, client, editions, make_organiser):
    edition, previous, elsewhere = editions
    organiser = make_organiser(edition.event)
    grant_role(organiser, previous.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    login(client, organiser)
    client.get("/lang/en")
    startup = edition.startups[0].organisation
    response = client.get(f"/manage/e/{edition.event.slug}/report/organisations/{startup.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "Sommet 2026" in text and "Sommet des villes moyennes 2027" in text
    assert "Sommet 2025" not in text  # another team's edition
    assert text.index("Sommet 2026") < text.index("Sommet des villes moyennes 2027")  # the oldest first
    assert "Bourges Call for tenders Achieved" in text and "Bourges Pilot (experiment) In progress" in text
    assert "Namur Demonstration Achieved" in text
    assert 'data-testid="timeline-chart"' in html and '<th scope="row">' in html
    # Its meetings in 2027: the published plan's visits to its stand, realised as the edition's matching says.
    with app.test_request_context():
        visits = [v for v in realised.report(edition.event).visits if v.visit.startup_id == edition.startups[0].id]
    planned, done = len(visits), sum(1 for v in visits if v.realised)
    assert planned and f"Sommet des villes moyennes 2027 1 {planned} {done} 2" in text
    assert "Sommet 2026 1 0 0 1" in text  # no plan published that year
    # The city's timeline: the same outcomes seen from the other side.
    city = city_organisation(edition.cities[0])
    text = _text(client.get(f"/manage/e/{edition.event.slug}/report/organisations/{city.id}").get_data(as_text=True))
    assert f"{startup.name} Call for tenders Achieved" in text and f"{startup.name} Pilot (experiment) In progress" in text


def test_staff_see_every_edition_and_an_unknown_organisation_is_a_404(client, editions, make_person,
                                                                      organiser_client):
    edition, _previous, _elsewhere = editions
    startup = edition.startups[0].organisation
    url = f"/manage/e/{edition.event.slug}/report"
    organiser_client.get("/lang/en")
    text = _text(organiser_client.get(f"{url}/organisations/{startup.id}").get_data(as_text=True))
    assert "Sommet 2026" not in text and "Sommet 2025" not in text  # she organises 2027 only
    assert organiser_client.get(f"{url}/organisations/999999").status_code == 404
    stranger = city_organisation(confirm(edition.cities[2]))
    assert organiser_client.get(f"{url}/organisations/{stranger.id}").status_code == 200  # registered in 2027
    login(client, make_person(is_staff=True))
    client.get("/lang/en")
    text = _text(client.get(f"{url}/organisations/{startup.id}").get_data(as_text=True))
    assert "Sommet 2025" in text and "Sommet 2026" in text and "Bourges Contract Achieved" in text


def test_the_network_counts_outcomes_per_edition_she_sees(client, editions, make_organiser, make_person):
    edition, previous, _elsewhere = editions
    organiser = make_organiser(edition.event)
    grant_role(organiser, previous.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    login(client, organiser)
    client.get("/lang/en")
    html = client.get(f"/manage/e/{edition.event.slug}/report/network").get_data(as_text=True)
    table = _text(html.split('data-testid="network"')[1].split("</table>")[0])
    # Kinds: followed up, demo, pilot, tender, contract, partnership, none; total; done.
    assert "Sommet 2026 0 0 0 1 0 0 0 1 1" in table
    assert "Sommet des villes moyennes 2027 0 1 1 0 1 0 0 3 2" in table
    assert "Sommet 2025" not in table
    assert 'data-testid="network-chart"' in html
    login(client, make_person(is_staff=True))
    client.get("/lang/en")
    table = _text(client.get(f"/manage/e/{edition.event.slug}/report/network").get_data(as_text=True)
                  .split('data-testid="network"')[1].split("</table>")[0])
    assert "Sommet 2025 0 0 0 0 1 0 0 1 1" in table
