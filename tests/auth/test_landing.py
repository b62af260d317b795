"""Where a login lands (issue 16): an organiser on the back office, an attendee on her own pages, anyone on a
safe `next` page when one is given."""
import pytest

from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.extensions import db
from tests.conftest import TEST_PASSWORD


def _log_in(client, person, next_page=None):
    url = "/login" if next_page is None else f"/login?next={next_page}"
    response = client.submit(url, {"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


def test_an_organiser_of_one_edition_lands_on_it(client, event, make_organiser):
    assert _log_in(client, make_organiser(event)) == f"/manage/e/{event.slug}/"


def test_an_organiser_of_several_editions_and_staff_land_on_the_editions_list(client, event, make_event,
                                                                              make_organiser, make_person):
    organiser = make_organiser(event)
    other = make_event(slug="sommet-2028", name="Sommet 2028")
    grant_role(organiser, other.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    assert _log_in(client, organiser) == "/manage/"
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert _log_in(client, make_person(is_staff=True)) == "/manage/"


def test_door_staff_land_on_the_door(client, event, make_person):
    volunteer = make_person()
    set_password(volunteer, TEST_PASSWORD)
    grant_role(volunteer, event.id, RoleName.DOOR_STAFF, actor_id=None)
    db.session.commit()
    door = _log_in(client, volunteer)
    assert door.startswith(f"/manage/e/{event.slug}/") and client.get(door).status_code == 200
    assert 'id="code"' in client.get(door).get_data(as_text=True)


def test_a_registered_attendee_lands_on_her_own_pages_and_the_edition_says_she_is_registered(
        client, event, make_registration):
    registration = make_registration(event)
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    assert _log_in(client, registration.person) == "/me"
    page = client.get(f"/e/{event.slug}/").get_data(as_text=True)
    assert 'data-testid="my-registration"' in page and f"/e/{event.slug}/register" not in page
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="my-registration"' in home


def test_someone_with_no_role_lands_on_the_home_page(client, make_person):
    assert _log_in(client, make_person()) == "/"


@pytest.mark.parametrize(("next_page", "expected"), [
    ("/e/sommet-2027/program", "/e/sommet-2027/program"),
    ("https://evil.example/", "/manage/e/sommet-2027/"),
    ("//evil.example/", "/manage/e/sommet-2027/"),
    ("/\\evil.example/", "/manage/e/sommet-2027/"),
])
def test_a_safe_next_page_wins_and_an_unsafe_one_is_ignored(client, event, make_organiser, next_page, expected):
    assert _log_in(client, make_organiser(event), next_page) == expected
