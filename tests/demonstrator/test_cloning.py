"""Cloning an edition for next year (issue 16): same weekdays, a clean address, the demonstrator's whole setup
and the organising team come along; the people do not."""
from datetime import date

from sqlalchemy import func, select

from app.auth.models import EventRole, RoleName
from app.demonstrator.hall.models import Entrance, Hall, Stand, StandBooking, TourSlot
from app.demonstrator.hall import services as hall_services
from app.events.models import Event
from app.events.services import a_year_later, next_edition_slug
from app.extensions import db
from app.registrations.models import Registration
from tests.conftest import login
from tests.demonstrator.conftest import utc


def test_next_year_falls_on_the_same_weekdays_and_moves_the_year_in_the_address():
    assert a_year_later(date(2027, 6, 2)) == date(2028, 5, 31)  # a Wednesday, like 2 June 2027
    assert a_year_later(date(2027, 6, 2)).weekday() == date(2027, 6, 2).weekday()
    assert a_year_later(date(2028, 2, 29)).weekday() == date(2028, 2, 29).weekday()
    assert abs((a_year_later(date(2026, 12, 30)) - date(2027, 12, 30)).days) <= 3
    assert next_edition_slug("sommet-nevers-2027", 2027, 2028) == "sommet-nevers-2028"
    assert next_edition_slug("sommet-nevers", 2027, 2028) == "sommet-nevers-2028"
    assert next_edition_slug("sommet-12027", 2027, 2028) == "sommet-12027-2028"


def test_the_clone_form_proposes_the_same_weekdays_and_a_clean_address(client, event, make_organiser):
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/clone").get_data(as_text=True)
    assert 'value="sommet-2028"' in html and "sommet-2027-2028" not in html
    assert 'value="2028-05-31"' in html and 'value="2028-06-02"' in html  # Wednesday to Friday again


def test_a_clone_keeps_the_hall_its_stands_entrances_tour_slots_settings_and_team(client, world, make_organiser):
    event = world.event
    hall = hall_services.get_hall(event)
    hall.width, hall.depth, hall.walking_speed, hall.weight_wish = 80.0, 50.0, 55.0, 7.5
    hall.image, hall.image_type = b"\x89PNG plan", "image/png"
    hall_services.save_entrance(event, "Entrée Agora", 0, 20, actor_id=None)
    stand = db.session.scalar(select(Stand).where(Stand.event_id == event.id, Stand.number == "A1"))
    stand.theme_id = event.themes[0].id
    db.session.commit()
    colleague = make_organiser(event)
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/clone", {
        "name": "Sommet 2028", "slug": "sommet-2028", "city": "Nevers", "country": "FR", "venue": "",
        "timezone": "Europe/Paris", "starts_on": "2028-05-31", "ends_on": "2028-06-02", "status": "draft"})
    assert response.status_code == 302
    clone = db.session.scalar(select(Event).where(Event.slug == "sommet-2028"))
    copied = db.session.scalar(select(Hall).where(Hall.event_id == clone.id))
    assert (copied.width, copied.depth, copied.walking_speed, copied.weight_wish) == (80.0, 50.0, 55.0, 7.5)
    assert copied.image == b"\x89PNG plan" and copied.image_type == "image/png"
    assert db.session.scalars(select(Entrance.name).where(Entrance.event_id == clone.id)).all() == ["Entrée Agora"]
    stands = {s.number: s for s in db.session.scalars(select(Stand).where(Stand.event_id == clone.id))}
    assert sorted(stands) == ["A1", "A2", "A3", "A4"]
    assert stands["A1"].theme.code == event.themes[0].code and stands["A1"].theme.event_id == clone.id
    # The startups holding the stands are people of the old edition: they stay behind.
    assert db.session.scalar(select(func.count()).select_from(StandBooking)
                             .where(StandBooking.stand_id.in_([s.id for s in stands.values()]))) == 0
    slots = db.session.execute(select(TourSlot.label, TourSlot.starts_at, TourSlot.ends_at)
                               .where(TourSlot.event_id == clone.id).order_by(TourSlot.starts_at)).all()
    day = clone.starts_on
    assert slots == [("Matin", utc(day, "10:00"), utc(day, "12:00")),
                     ("Après-midi", utc(day, "14:00"), utc(day, "16:00"))]
    team = set(db.session.scalars(select(EventRole.person_id).where(EventRole.event_id == clone.id,
                                                                    EventRole.role == RoleName.ORGANISER)))
    assert colleague.id in team
    assert db.session.scalar(select(func.count()).select_from(Registration)
                             .where(Registration.event_id == clone.id)) == 0
