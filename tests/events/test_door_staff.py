"""Door staff: an organiser gives the role from the team page; it opens the door and the arrivals, nothing else."""
import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import EventRole, RoleName
from app.badging import services as badging
from app.badging.models import format_short_code
from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.registrations.services import approve
from tests.conftest import login


def test_an_organiser_makes_a_volunteer_door_staff_who_checks_people_in_and_nothing_else(app, client, event,
                                                                                      make_organiser,
                                                                                      make_registration):
    attendee = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent")
    approve(event, [attendee.id], actor_id=None)
    code = format_short_code(badging.current_token(attendee).short_code)
    db.session.commit()
    login(client, make_organiser(event))
    team_url = f"/manage/e/{event.slug}/team/"
    response = client.submit(team_url, {"email": "benevole@nevers.fr", "first_name": "Chloé", "last_name": "Accueil",
                                        "role": "door"})
    assert response.status_code == 302
    page = client.get(team_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Chloé Accueil" in page.split("Door staff")[1]
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "benevole@nevers.fr"))
    assert f"/manage/e/{event.slug}/badges/checkin" in mail.body
    path = re.search(r"http://[^/]+(/password/reset/\S+)", mail.body).group(1)

    volunteer = app.test_client()
    volunteer.submit(path, {"password": "volunteer password", "confirm": "volunteer password"})
    volunteer.submit("/login", {"email": "benevole@nevers.fr", "password": "volunteer password"})
    assert volunteer.get("/manage/").headers["Location"].endswith(f"/manage/e/{event.slug}/badges/checkin")
    door = volunteer.submit(f"/manage/e/{event.slug}/badges/checkin", {"code": code.lower()},
                            headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Welcome" in door and "Benoît Laurent" in door
    assert "Registrations" not in door  # the menu holds the door and the arrivals only
    assert volunteer.get(f"/manage/e/{event.slug}/badges/arrivals").status_code == 200
    for path in ("/", "/registrations", "/badges/", "/team/", "/demonstrator/plans/"):
        assert volunteer.get(f"/manage/e/{event.slug}{path}").status_code == 403, path
    grants = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role.grant")).all()
    assert any(g.details == {"role": "door"} for g in grants)


def test_an_organiser_removes_door_staff_and_the_door_closes_to_them(client, event, make_organiser, make_person):
    volunteer = make_person()
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/team/", {"email": volunteer.email, "role": "door"})
    assert db.session.scalar(select(EventRole).where(EventRole.person_id == volunteer.id)).role is RoleName.DOOR_STAFF
    assert client.submit(f"/manage/e/{event.slug}/team/{volunteer.id}/remove").status_code == 404  # not an organiser
    assert client.submit(f"/manage/e/{event.slug}/team/{volunteer.id}/remove", {"role": "door"}).status_code == 302
    other = client.application.test_client()
    login(other, volunteer)
    assert other.get(f"/manage/e/{event.slug}/badges/checkin").status_code == 403


def test_a_made_up_role_is_refused_and_grants_nothing(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/team/", {"email": "x@nevers.fr", "first_name": "X",
                                                              "last_name": "Y", "role": "staff"})
    assert response.status_code == 422
    assert db.session.scalar(select(EventRole).where(EventRole.role == RoleName.EXHIBITOR)) is None
    assert len(db.session.scalars(select(EventRole)).all()) == 1  # the organiser's own
