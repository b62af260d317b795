"""Organisers build the program: warnings, hard refusals, publication and its notices."""
from datetime import time

from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.program.models import ProgramSession, Room
from tests.conftest import login


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def session_form(event, room_row=None, **overrides):
    data = {"kind": "conference", "title_fr": "Mobilités douces", "title_en": "Soft mobility",
            "day": event.starts_on.isoformat(), "start": "10:00", "end": "11:00",
            "room": str(room_row.id) if room_row else "", "seat_limit": "", "speakers-0-registration": "",
            "speakers-0-role": "intervenant"}
    data.update(overrides)
    return data


def test_grid_warns_about_a_room_booked_twice_and_a_speaker_in_two_places(client, event, make_organiser,
                                                                            make_room, make_session, speaker):
    room, other = make_room("Salle Bérégovoy"), make_room("Salle Colbert")
    make_session("Atelier A", room=room, speakers=[speaker], start=time(10, 0), end=time(11, 0))
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/program/sessions/new",
                             session_form(event, room, **{"speakers-0-registration": str(speaker.id)}),
                             headers={"Accept-Language": "en"})
    assert response.status_code == 302  # saved, with warnings
    grid = client.get(f"/manage/e/{event.slug}/program/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Salle Bérégovoy is booked twice" in grid
    assert "Tremblay" in grid and "two places at once" in grid
    # Moving the second session to another room leaves only the speaker warning.
    second = db.session.scalar(select(ProgramSession).where(ProgramSession.title_fr == "Mobilités douces"))
    client.submit(f"/manage/e/{event.slug}/program/sessions/{second.id}",
                  session_form(event, other, **{"speakers-0-registration": str(speaker.id)}))
    grid = client.get(f"/manage/e/{event.slug}/program/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "booked twice" not in grid and "two places at once" in grid


def test_hard_errors_are_refused_and_store_nothing(client, event, make_event, make_organiser, make_room,
                                                   make_registration):
    other_event = make_event(slug="autre", name="Autre")
    foreign_room = Room(event_id=other_event.id, name="Ailleurs")
    db.session.add(foreign_room)
    db.session.commit()
    outsider = make_registration(other_event, CategoryCode.INTERVENANT)
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/program/sessions/new"
    for bad in ({"end": "09:00"}, {"room": str(foreign_room.id)}, {"speakers-0-registration": str(outsider.id)},
                {"seat_limit": "0"}, {"day": "2031-01-01"}, {"start": "25:99"}, {"title_fr": ""}, {"kind": "bal"}):
        response = client.submit(url, session_form(event, **bad))
        assert response.status_code == 422, bad
    assert count(ProgramSession) == 0


def test_seat_limit_cannot_go_below_the_seats_taken(client, event, make_organiser, make_room, make_session,
                                                    make_registration):
    from app.program import agenda
    room = make_room()
    workshop = make_session("Atelier", room=room, seat_limit=3, publish=True)
    for _ in range(2):
        agenda.add(workshop.id, make_registration(event))
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/program/sessions/{workshop.id}",
                             session_form(event, room, title_fr="Atelier", seat_limit="1"))
    assert response.status_code == 422
    db.session.refresh(workshop)
    assert workshop.seat_limit == 3


def test_attendees_see_only_the_published_program(client, event, make_session, make_organiser):
    make_session("Plénière publiée", publish=True)
    make_session("Atelier en brouillon", start=time(14, 0), end=time(15, 0))
    page = client.get(f"/e/{event.slug}/program").get_data(as_text=True)
    assert "Plénière publiée" in page and "Atelier en brouillon" not in page


def test_publishing_changes_notifies_speakers_and_attendees(client, event, make_organiser, make_room, make_session,
                                                           speaker, make_registration):
    from app.program import agenda
    room = make_room()
    plenary = make_session("Plénière", room=room, speakers=[speaker], publish=True)
    attendee = make_registration(event)
    agenda.add(plenary.id, attendee)
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/program/sessions/{plenary.id}",
                  session_form(event, room, title_fr="Plénière", start="11:00", end="12:00",
                               **{"speakers-0-registration": str(speaker.id)}))
    assert count(OutboxMessage) == 0  # nothing goes out before publication
    assert client.submit(f"/manage/e/{event.slug}/program/publish").status_code == 302
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {speaker.person.email, attendee.person.email}
    db.session.refresh(plenary)
    assert plenary.sequence == 1 and plenary.published["starts_at"].endswith("09:00:00")  # 11:00 Paris = 09:00 UTC


def test_removing_a_published_session_cancels_it(client, event, make_organiser, make_session):
    session = make_session(publish=True)
    draft = make_session("Brouillon", start=time(15, 0), end=time(16, 0))
    draft_id = draft.id
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/program/sessions/{draft.id}/remove")
    client.submit(f"/manage/e/{event.slug}/program/sessions/{session.id}/remove")
    client.submit(f"/manage/e/{event.slug}/program/publish")
    db.session.expire_all()
    assert db.session.get(ProgramSession, draft_id) is None
    db.session.refresh(session)
    assert session.is_cancelled and session.published["cancelled"]


def test_rooms_with_availability_and_bad_lines(client, event, make_organiser):
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/program/rooms"
    bad = client.submit(url, {"name": "Salle A", "capacity": "40", "availability": "demain matin"})
    assert bad.status_code == 422 and count(Room) == 0
    good = client.submit(url, {"name": "Salle A", "capacity": "40", "is_accessible": "y",
                               "availability": f"{event.starts_on.isoformat()} 08:30-12:00"})
    assert good.status_code == 302
    room = db.session.scalar(select(Room))
    assert room.availability[0].starts_at.hour == 6  # 08:30 in Paris in June is 06:30 UTC
