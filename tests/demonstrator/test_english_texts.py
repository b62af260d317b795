"""The demonstrator's texts in English: organisers write tour slots, entrances and stand labels in both
languages, startups their pitch; an official's route and calendar show the English ones on the English page,
and the French ones when no English text was written."""
import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.auth.services import set_password
from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.models import Entrance, Stand, TourSlot
from app.extensions import db
from tests.conftest import TEST_PASSWORD, login
from tests.demonstrator.test_visit_routes import plan_and_publish, visits_of, wishes  # noqa: F401


@pytest.fixture
def organiser_client(client, event, make_organiser):
    login(client, make_organiser(event))
    return client


def base(event) -> str:
    return f"/manage/e/{event.slug}/demonstrator"


def test_organisers_write_tour_slots_entrances_and_stand_labels_in_english(organiser_client, world):
    event = world.event
    response = organiser_client.submit(f"{base(event)}/slots", {
        "day": event.days[1].isoformat(), "start": "09:30", "end": "11:00", "label": "Jeudi matin",
        "label_en": "Thursday morning"})
    assert response.status_code == 302
    slot = db.session.scalar(select(TourSlot).where(TourSlot.label == "Jeudi matin"))
    assert slot.label_en == "Thursday morning"
    assert "Thursday morning" in organiser_client.get(f"{base(event)}/slots").get_data(as_text=True)

    url = f"{base(event)}/hall/entrances"
    data = {"entrance-name": "Porte A", "entrance-name_en": "Gate A", "entrance-x": "0", "entrance-y": "20"}
    assert organiser_client.submit(url, data).status_code == 302
    # Moving it by its French name keeps the English one.
    assert organiser_client.submit(url, {**data, "entrance-name_en": "", "entrance-x": "2"}).status_code == 302
    entrance = db.session.scalar(select(Entrance))
    assert (entrance.x, entrance.name_en) == (2.0, "Gate A")
    assert organiser_client.submit(url, {**data, "entrance-name_en": "G" * 61}).status_code == 422

    stand = world.stands[0]
    page = organiser_client.get(f"{base(event)}/hall/stands/{stand.id}").get_data(as_text=True)
    assert 'name="zone_en"' in page
    response = organiser_client.submit(f"{base(event)}/hall/stands/{stand.id}", {
        "number": stand.number, "x": "5", "y": "10", "width": "3", "depth": "3", "capacity": "1",
        "zone": "Mobilités", "zone_en": "Mobility", "theme_id": ""})
    assert response.status_code == 302
    db.session.refresh(stand)
    assert (stand.zone, stand.zone_en) == ("Mobilités", "Mobility")


def test_an_officials_route_reads_in_english_with_french_where_nothing_was_translated(app, world, wishes):
    event = world.event
    slots = db.session.scalars(select(TourSlot).order_by(TourSlot.starts_at)).all()
    slots[0].label_en = "Morning"  # the afternoon slot keeps its French label only
    hall_services.save_entrance(event, "Entrée principale", 30.0, 40.0, name_en="Main entrance", actor_id=None)
    for stand in db.session.scalars(select(Stand)):
        stand.zone, stand.zone_en = "Mobilités", "Mobility"
    startups = world.startups
    startups[0].organisation.pitch_en = "Parking sensors that guide drivers."
    db.session.commit()
    plan = plan_and_publish(world)
    official = world.officials[0]
    mine = visits_of(plan, f"r{official.id}")
    assert mine
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, official.person)
    url = f"/e/{event.slug}/demonstrator/route"

    french = client.get(url).get_data(as_text=True)
    client.get("/lang/en")
    html = client.get(url).get_data(as_text=True)
    assert "Entrée principale" in french and "Mobilités" in french and "Parking sensors" not in french
    assert "Main entrance" in html and "Mobility" in html and "Entrée principale" not in html
    for slot in slots:  # the morning slot reads in English, the afternoon one (no English label) in French
        if any(slot.starts_at <= v.starts_at < slot.ends_at for v in mine):
            assert f"· {slot.label_en or slot.label}</span>" in html and f"· {slot.label}</span>" in french
    visited = {v.startup_id for v in mine}
    assert startups[0].id in visited  # the mutual wish
    assert "Parking sensors that guide drivers." in html
    for startup in startups[1:]:  # no English pitch: the French one
        if startup.id in visited:
            assert startup.organisation.pitch in html

    feed = Calendar.from_ical(client.get(f"/e/{event.slug}/agenda.ics").data)
    places = {str(e["LOCATION"]) for e in feed.walk("VEVENT") if "LOCATION" in e}
    assert any("(Mobility)" in p for p in places)
