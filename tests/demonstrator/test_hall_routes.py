"""The organiser's hall pages: stands on the plan, entrances, the floor plan image, bookings, closures,
tour slots and the planning settings; every refusal is a 422 with its message, and nothing is stored."""

import pytest
from sqlalchemy import func, select

from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.queries import get_hall, stand_sort_key
from app.demonstrator.hall.models import Entrance, Stand, StandBooking, StandClosure, TourSlot
from app.events.models import CategoryCode
from app.extensions import db
from tests.conftest import login
from tests.core.image_files import HTML, PNG_SIGNATURE, decoded, jpeg_with_metadata, png
from tests.demonstrator.conftest import confirm, utc

PNG = png()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def organiser_client(client, event, make_organiser):
    login(client, make_organiser(event))
    return client


def base(event) -> str:
    return f"/manage/e/{event.slug}/demonstrator"


def stand_data(**overrides) -> dict:
    data = {"number": "B1", "x": "10", "y": "20", "width": "3", "depth": "3", "zone": "", "theme_id": "",
            "capacity": "1"}
    data.update(overrides)
    return data


# The hall page and stands ----------------------------------------------------------------------------------


def test_hall_page_draws_the_plan_to_scale_with_stands_holders_and_entrances(organiser_client, world):
    event = world.event
    hall_services.save_entrance(event, "Entrée nord", 30, 0, actor_id=None)
    db.session.commit()
    response = organiser_client.get(f"{base(event)}/hall")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'viewBox="-3.2 -2.6 65.6 46.2"' in html   # 60 x 40 m and the margins for the axes
    assert html.count('data-testid="plan-stand"') == 4
    assert "Startup mobilite" in html and "Entrée nord" in html
    assert 'href="/manage/e/sommet-2027/demonstrator/hall"' in html   # the organiser's navigation


def test_adding_a_stand(organiser_client, event):
    response = organiser_client.submit(f"{base(event)}/hall/stands", stand_data(x="12,5", capacity="3",
                                                                               zone="Mobilités"))
    assert response.status_code == 302
    stand = db.session.scalar(select(Stand))
    assert (stand.number, stand.x, stand.y, stand.capacity, stand.zone) == ("B1", 12.5, 20.0, 3, "Mobilités")
    html = organiser_client.get(f"{base(event)}/hall").get_data(as_text=True)
    assert "Stand B1 is placed." in html or "Le stand B1 est placé." in html


@pytest.mark.parametrize("data, field_id, message", [
    (stand_data(x="58"), "x", "The stand is outside the hall (60 × 40 m)."),
    (stand_data(x="5", y="10"), "x", "The stand overlaps stand A1."),
    (stand_data(number="A2", x="50"), "number", "Another stand already has the number A2."),
    (stand_data(width="0"), "width", "The width and the depth must be more than 0 m."),
    (stand_data(capacity="30"), "capacity", "The capacity must be between 1 and 20 groups."),
    (stand_data(x="douze"), "x", "Write a number, like 12.5."),
    (stand_data(number=""), "number", "This field is required."),
    (stand_data(visit_minutes="0"), "visit_minutes", "A visit lasts at least 1 minute."),
    (stand_data(min_visits="-1"), "min_visits", "This number cannot be negative."),
    (stand_data(theme_id="999999"), "theme_id", "Unknown theme."),
])
def test_refused_stands_say_why_next_to_the_field(organiser_client, world, data, field_id, message):
    organiser_client.get("/lang/en")
    before = count(Stand)
    response = organiser_client.submit(f"{base(world.event)}/hall/stands", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<div id="{field_id}-err"><p class="error">{message}</p></div>' in html  # tied to the field
    assert f'aria-describedby="{field_id}-err"' in html
    assert count(Stand) == before


def test_refusals_are_in_french_too(organiser_client, world):
    response = organiser_client.submit(f"{base(world.event)}/hall/stands", stand_data(x="58"))
    assert "Le stand est en dehors du hall (60 × 40 m)" in response.get_data(as_text=True)
    response = organiser_client.submit(f"{base(world.event)}/hall/stands", stand_data(x="6", y="11"))
    assert "Le stand chevauche le stand A1" in response.get_data(as_text=True)


def test_editing_a_stand(organiser_client, world):
    stand = world.stands[0]
    url = f"{base(world.event)}/hall/stands/{stand.id}"
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.submit(url, stand_data(number="A1", x="5", y="30", capacity="2"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (stand.y, stand.capacity) == (30.0, 2)


def test_editing_a_stand_onto_another_is_refused(organiser_client, world):
    organiser_client.get("/lang/en")
    stand = world.stands[0]
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{stand.id}", stand_data(number="A1", x="13", y="10"))
    assert response.status_code == 422
    assert "The stand overlaps stand A2." in response.get_data(as_text=True)
    db.session.expire_all()
    assert stand.x == 5.0


def test_deleting_a_stand_takes_its_bookings(organiser_client, world):
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{world.stands[0].id}/remove")
    assert response.status_code == 302
    assert count(Stand) == 3 and count(StandBooking) == 3


def test_a_stand_of_another_edition_is_not_found(organiser_client, world, make_event):
    other = make_event(slug="autre", name="Autre")
    stand = hall_services.save_stand(other, hall_services.StandInput("Z1", 1, 1), actor_id=None)
    db.session.commit()
    assert organiser_client.get(f"{base(world.event)}/hall/stands/{stand.id}").status_code == 404
    assert organiser_client.submit(f"{base(world.event)}/hall/stands/{stand.id}/remove").status_code == 404
    assert count(Stand) == 5


# Entrances and the image -------------------------------------------------------------------------------------


def test_entrances_are_saved_refused_and_removed(organiser_client, event):
    organiser_client.get("/lang/en")
    url = f"{base(event)}/hall/entrances"
    assert organiser_client.submit(url, {"entrance-name": "Porte A", "entrance-x": "0", "entrance-y": "20"}).status_code == 302
    response = organiser_client.submit(url, {"entrance-name": "Porte B", "entrance-x": "61",
                                             "entrance-y": "20"})
    assert response.status_code == 422
    assert "The entrance is outside the hall (60 × 40 m)." in response.get_data(as_text=True)
    assert count(Entrance) == 1
    entrance = db.session.scalar(select(Entrance))
    assert organiser_client.submit(f"{url}/{entrance.id}/remove").status_code == 302
    assert count(Entrance) == 0


def test_floor_plan_image_is_stored_served_and_removed(organiser_client, event):
    import io
    url = f"{base(event)}/hall/image"
    assert organiser_client.get(url).status_code == 404
    response = organiser_client.submit(url, {"image": (io.BytesIO(PNG + HTML), "plan.png")},
                                       content_type="multipart/form-data")
    assert response.status_code == 302
    served = organiser_client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert decoded(served.data).tobytes() == decoded(PNG).tobytes() and HTML not in served.data  # re-encoded
    assert 'data-testid="plan-image"' in organiser_client.get(f"{base(event)}/hall").get_data(as_text=True)
    assert organiser_client.submit(f"{url}/remove").status_code == 302
    assert get_hall(event).image is None


@pytest.mark.parametrize("upload, message", [
    ((b"GIF89a....", "plan.gif"), "The floor plan must be a PNG or JPEG image."),
    (None, "Choose an image file."),
    ((PNG_SIGNATURE + HTML, "plan.png"), "This file starts like a PNG or JPEG image but cannot be read in full"),
    ((PNG[:-30], "plan.png"), "cannot be read in full: it is damaged, truncated or not an image."),
])
def test_a_bad_image_is_refused(organiser_client, event, upload, message):
    import io
    organiser_client.get("/lang/en")
    data = {"image": (io.BytesIO(upload[0]), upload[1])} if upload else {}
    response = organiser_client.submit(f"{base(event)}/hall/image", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert get_hall(event).image is None


def test_a_phone_photo_of_the_floor_plan_is_stored_upright_without_its_metadata(organiser_client, event):
    import io
    response = organiser_client.submit(f"{base(event)}/hall/image",
                                       {"image": (io.BytesIO(jpeg_with_metadata(orientation=6)), "plan.jpg")},
                                       content_type="multipart/form-data")
    assert response.status_code == 302
    hall = get_hall(event)
    assert hall.image_type == "image/jpeg" and decoded(hall.image).size == (30, 60)
    assert b"PhoneMaker" not in hall.image and b"Exif" not in hall.image


def test_a_refused_image_is_worded_in_french_and_keeps_the_previous_one(organiser_client, event):
    import io
    hall_services.set_image(event, PNG, actor_id=None)
    before = get_hall(event).image
    response = organiser_client.submit(f"{base(event)}/hall/image", {"image": (io.BytesIO(PNG[:-30]), "plan.png")},
                                       content_type="multipart/form-data", headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    assert "endommagé" in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_hall(event).image == before


# Bookings and closures ---------------------------------------------------------------------------------------


@pytest.fixture
def free_stand(world):
    stand = hall_services.save_stand(world.event, hall_services.StandInput("C1", x=40, y=30), actor_id=None)
    db.session.commit()
    return stand


@pytest.fixture
def newcomer(world, make_registration):
    return confirm(make_registration(world.event, CategoryCode.STARTUP, organisation_name="Zéphyr Robotique"))


def test_booking_a_stand_for_a_day(organiser_client, world, free_stand, newcomer):
    day = world.event.starts_on
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{free_stand.id}/bookings", {
        "registration_id": str(newcomer.id), "day": day.isoformat(), "start": "10:00", "end": "13:00"})
    assert response.status_code == 302
    booking = db.session.scalar(select(StandBooking).where(StandBooking.stand_id == free_stand.id))
    assert (booking.starts_at, booking.ends_at) == (utc(day, "10:00"), utc(day, "13:00"))
    html = organiser_client.get(f"{base(world.event)}/hall/stands/{free_stand.id}").get_data(as_text=True)
    assert "Zéphyr Robotique" in html


def test_booking_for_the_whole_edition_books_each_day(organiser_client, world, free_stand, newcomer):
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{free_stand.id}/bookings", {
        "registration_id": str(newcomer.id), "day": "", "start": "09:00", "end": "18:00"})
    assert response.status_code == 302
    bookings = db.session.scalars(select(StandBooking).where(StandBooking.stand_id == free_stand.id)
                                  .order_by(StandBooking.starts_at)).all()
    assert [(b.starts_at, b.ends_at) for b in bookings] == [(utc(d, "09:00"), utc(d, "18:00"))
                                                            for d in world.event.days]


@pytest.mark.parametrize("case, message", [
    ("taken", "Stand A1 is already held by Startup mobilite at that time."),
    ("has_stand", "This startup already holds stand A2 then."),
    ("ends_first", "The end must come after the start."),
    ("not_startup", "Choose a confirmed startup of this edition."),
    ("whole_edition_clash", "This startup already holds stand A2 then."),
])
def test_refused_bookings(organiser_client, world, free_stand, case, message):
    organiser_client.get("/lang/en")
    day = world.event.starts_on.isoformat()
    stand, data = free_stand, {"registration_id": str(world.startups[1].id), "day": day, "start": "10:00",
                               "end": "11:00"}
    if case == "taken":
        stand, data["registration_id"] = world.stands[0], str(world.startups[1].id)
    elif case == "ends_first":
        data.update(start="11:00", end="10:00")
    elif case == "not_startup":
        data["registration_id"] = str(world.officials[0].id)
    elif case == "whole_edition_clash":
        data["day"] = ""
    before = count(StandBooking)
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{stand.id}/bookings", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(StandBooking) == before


def test_a_whole_edition_booking_refused_on_its_last_day_stores_no_day(organiser_client, world, free_stand, newcomer):
    """One unit of work: the first days are booked before the last one clashes, and the refusal undoes them."""
    last = world.event.days[-1]
    other = hall_services.save_stand(world.event, hall_services.StandInput("C2", x=50, y=30), actor_id=None)
    hall_calendar.book_stand(world.event, other, newcomer, utc(last, "09:00"), utc(last, "18:00"), actor_id=None)
    other_id, newcomer_id = other.id, newcomer.id
    organiser_client.get("/lang/en")
    response = organiser_client.submit(f"{base(world.event)}/hall/stands/{free_stand.id}/bookings", {
        "registration_id": str(newcomer.id), "day": "", "start": "09:00", "end": "18:00"})
    assert response.status_code == 422
    assert "This startup already holds stand C2 then." in response.get_data(as_text=True)
    db.session.remove()  # what another request would read
    assert db.session.scalars(select(StandBooking.stand_id).where(StandBooking.registration_id == newcomer_id)
                              ).all() == [other_id]


def test_removing_a_booking(organiser_client, world):
    booking = world.stands[0].bookings[0]
    response = organiser_client.submit(f"{base(world.event)}/hall/bookings/{booking.id}/remove")
    assert response.status_code == 302
    assert count(StandBooking) == 3


def test_free_stands_for_startups_without_one(organiser_client, world, make_registration):
    event = world.event
    for number, x in (("D10", 30), ("D2", 40)):
        hall_services.save_stand(event, hall_services.StandInput(number, x=x, y=30), actor_id=None)
    db.session.commit()
    first = confirm(make_registration(event, CategoryCode.STARTUP, organisation_name="Alpha Énergie"))
    second = confirm(make_registration(event, CategoryCode.STARTUP, organisation_name="Bêta Santé"))
    third = confirm(make_registration(event, CategoryCode.STARTUP, organisation_name="Gamma Data"))
    organiser_client.get("/lang/en")
    response = organiser_client.submit(f"{base(event)}/hall/assign-free-stands", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "2 startups got a free stand for the whole edition." in html
    assert "1 startup is still without a stand: add stands." in html
    held = {b.registration_id: b.stand.number for b in db.session.scalars(select(StandBooking))}
    assert held[first.id] == "D2" and held[second.id] == "D10" and third.id not in held
    assert count(StandBooking) == 4 + 2 * len(event.days)


def test_closures_are_added_refused_and_removed(organiser_client, world):
    organiser_client.get("/lang/en")
    stand = world.stands[0]
    url = f"{base(world.event)}/hall/stands/{stand.id}/closures"
    day = world.event.starts_on.isoformat()
    response = organiser_client.submit(url, {"day": day, "start": "12:30", "end": "13:30", "reason": "Déjeuner"})
    assert response.status_code == 302
    closure = db.session.scalar(select(StandClosure))
    assert (closure.starts_at, closure.reason) == (utc(world.event.starts_on, "12:30"), "Déjeuner")
    response = organiser_client.submit(url, {"day": day, "start": "14:00", "end": "13:00"})
    assert response.status_code == 422 and "The end must come after the start." in response.get_data(as_text=True)
    response = organiser_client.submit(url, {"day": "2027-07-01", "start": "12:00", "end": "13:00"})
    assert response.status_code == 422 and "Choose a day of the edition." in response.get_data(as_text=True)
    assert count(StandClosure) == 1
    assert organiser_client.submit(f"{base(world.event)}/hall/closures/{closure.id}/remove").status_code == 302
    assert count(StandClosure) == 0


# Tour slots ----------------------------------------------------------------------------------------------


def test_tour_slots_page_lists_each_day(organiser_client, world):
    html = organiser_client.get(f"{base(world.event)}/slots").get_data(as_text=True)
    assert html.count('data-testid="slot-row"') == 2
    assert "10:00–12:00" in html and "Matin" in html


def test_adding_and_removing_a_tour_slot(organiser_client, world):
    day = world.event.days[1]
    response = organiser_client.submit(f"{base(world.event)}/slots", {
        "day": day.isoformat(), "start": "09:30", "end": "11:00", "label": "Jeudi matin"})
    assert response.status_code == 302
    slot = db.session.scalar(select(TourSlot).where(TourSlot.label == "Jeudi matin"))
    assert (slot.starts_at, slot.ends_at) == (utc(day, "09:30"), utc(day, "11:00"))
    assert organiser_client.submit(f"{base(world.event)}/slots/{slot.id}/remove").status_code == 302
    assert count(TourSlot) == 2


@pytest.mark.parametrize("data, message", [
    ({"start": "12:00", "end": "11:00"}, "The end must come after the start."),
    ({"start": "11:00", "end": "13:00"}, "This slot overlaps the slot of Wednesday 2 June, 10:00–12:00."),
    ({"day": "2027-06-09"}, "Choose a day of the edition."),
    ({"start": "25:00"}, "Give a time, like 10:00."),
])
def test_refused_tour_slots(organiser_client, world, data, message):
    organiser_client.get("/lang/en")
    form = {"day": world.event.starts_on.isoformat(), "start": "17:00", "end": "18:00", "label": ""}
    form.update(data)
    response = organiser_client.submit(f"{base(world.event)}/slots", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(TourSlot) == 2


# Settings ------------------------------------------------------------------------------------------------


SETTINGS = {"width": "80", "depth": "50", "walking_speed": "35", "visit_minutes": "12", "min_visits": "2",
            "weight_base": "1", "weight_theme": "2,5", "weight_wish": "5", "weight_mutual": "12",
            "shortfall_penalty": "4", "change_penalty": "3", "min_route_visits": "2"}


def test_saving_the_settings(organiser_client, event):
    url = f"{base(event)}/settings"
    assert organiser_client.get(url).status_code == 200
    assert organiser_client.submit(url, SETTINGS).status_code == 302
    hall = get_hall(event)
    db.session.refresh(hall)
    assert (hall.width, hall.walking_speed, hall.visit_minutes, hall.weight_theme) == (80.0, 35.0, 12, 2.5)


@pytest.mark.parametrize("change, message", [
    ({"width": "0"}, "The hall must measure more than 0 m and at most 2,000 m each way."),
    ({"walking_speed": "2"}, "The walking pace must be between 5 and 200 m per minute."),
    ({"visit_minutes": "0"}, "A visit lasts between 1 and 120 minutes."),
    ({"weight_wish": "-1"}, "This value cannot be negative."),
    ({"width": "20"}, "Stand A3 would be outside a hall this small."),
    ({"depth": ""}, "This field is required."),
    ({"min_route_visits": "0"}, "Shortest tour (stands): give a number from 1 to 20."),
])
def test_refused_settings(organiser_client, world, change, message):
    organiser_client.get("/lang/en")
    response = organiser_client.submit(f"{base(world.event)}/settings", {**SETTINGS, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    hall = get_hall(world.event)
    db.session.refresh(hall)
    assert (hall.width, hall.depth, hall.walking_speed) == (60.0, 40.0, 40.0)


def test_demonstrator_navigation_lists_only_registered_pages(organiser_client, event, app):
    html = organiser_client.get(f"{base(event)}/slots").get_data(as_text=True)
    assert f"{base(event)}/hall" in html
    for endpoint in ("wishes_manage.index", "plans.index"):
        if endpoint not in app.view_functions:
            assert endpoint not in html


def test_stand_numbers_sort_as_numbers():
    assert sorted(["A10", "A2", "B1", "A1"], key=stand_sort_key) == ["A1", "A2", "A10", "B1"]
