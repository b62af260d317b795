"""The session form finds speakers by search (not a list of every registration); the grid draws
overlapping sessions side by side and publishing keeps the day."""
import re
from datetime import time, timedelta

from sqlalchemy import select

from app.events.models import CategoryCode
from app.extensions import db
from app.program.models import ProgramSession
from app.registrations.models import RegistrationStatus
from tests.conftest import login
from tests.program.test_editor import session_form


def test_the_speaker_search_answers_with_a_few_registrations_of_this_edition(client, event, make_event,
                                                                             make_organiser, make_registration):
    for n in range(25):
        make_registration(event, CategoryCode.INTERVENANT, first_name=f"Anne{n}", last_name="Martin")
    gone = make_registration(event, first_name="Annie", last_name="Martineau")
    gone.status = RegistrationStatus.CANCELLED
    other = make_event(slug="autre", name="Autre")
    make_registration(other, first_name="Annabelle", last_name="Martinez")
    db.session.commit()
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/program/speakers.json"
    data = client.get(url, query_string={"q": "martin"}).get_json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert all(r["label"].startswith("MARTIN Anne") for r in data["results"])
    narrow = client.get(url, query_string={"q": "anne7"}).get_json()
    assert [r["label"] for r in narrow["results"]] == ["MARTIN Anne7"] and narrow["more"] is False
    # Neither a cancelled registration nor another edition's people; one letter is not a search.
    assert client.get(url, query_string={"q": "martine"}).get_json()["results"] == []
    assert client.get(url, query_string={"q": "m"}).get_json() == {"results": [], "more": False}
    assert client.get(url, query_string={"q": "x" * 5000}).status_code == 200


def test_the_session_form_lists_only_chosen_speakers_and_searches_without_script(client, event, make_organiser,
                                                                                 make_registration, speaker):
    for n in range(30):
        make_registration(event, first_name=f"Personne{n}", last_name="Dupont")
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/program/sessions/new"
    html = client.get(url).get_data(as_text=True)
    assert "Dupont".upper() not in html and "TREMBLAY" not in html  # nobody listed before a search
    # The Search button of row 0 (no script): the list of that row now holds the matches, nothing is saved.
    found = client.submit(url, session_form(event, **{"speakers-0-find": "tremb", "find": "0"}))
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and "1 résultat" in page
    options = re.findall(r'<select[^>]*id="speakers-0-registration".*?</select>', page, re.S)[0]
    assert f'selected value="{speaker.id}"' in options and "TREMBLAY Jean" in options  # the only match, chosen
    assert db.session.scalar(select(ProgramSession)) is None
    # Then saving with the chosen person.
    saved = client.submit(url, session_form(event, **{"speakers-0-registration": str(speaker.id)}))
    assert saved.status_code == 302
    session = db.session.scalar(select(ProgramSession))
    assert [s.registration_id for s in session.speakers] == [speaker.id]
    edit = client.get(f"/manage/e/{event.slug}/program/sessions/{session.id}").get_data(as_text=True)
    assert "TREMBLAY Jean" in edit and "DUPONT" not in edit


def test_overlapping_sessions_of_a_room_are_side_by_side(client, event, make_organiser, make_room, make_session):
    room = make_room("Salle Loire")
    make_session("Atelier A", room=room, start=time(10, 0), end=time(11, 0))
    make_session("Atelier B", room=room, start=time(10, 30), end=time(11, 30))
    make_session("Atelier C", room=room, start=time(14, 0), end=time(15, 0))
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/program/").get_data(as_text=True)
    classes = {title: cls for cls, title in re.findall(r'<a class="block ([^"]*)"[^>]*>.*?</span>\s*(Atelier \w)',
                                                       html, re.S)}
    assert "ln-2-0" in classes["Atelier A"] and "ln-2-1" in classes["Atelier B"]
    assert "ln-" not in classes["Atelier C"]
    assert 'data-testid="room-head"' in html and "program-scroll" in html


def test_publishing_keeps_the_day_the_organiser_was_on(client, event, make_organiser, make_session):
    second_day = event.starts_on + timedelta(days=1)
    make_session("Jeudi", day=second_day)
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/program/publish", {"day": second_day.isoformat()})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"day={second_day.isoformat()}")
    other = client.submit(f"/manage/e/{event.slug}/program/publish", {"day": "1999-01-01"})
    assert other.headers["Location"].endswith("/program/")
