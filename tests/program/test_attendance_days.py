"""Agenda items and workshop seats on days the person did not register for: she is told, and so is the organiser."""
from app.auth.services import set_password
from app.events.models import CategoryCode
from app.extensions import db
from app.program.models import SessionKind
from tests.conftest import TEST_PASSWORD, login


def mayor(make_registration, event, days):
    registration = make_registration(event, CategoryCode.ELU, days=days, first_name="Claire")
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    return registration


def test_a_seat_on_a_day_she_does_not_attend_is_flagged(client, event, make_session, make_registration, day2):
    friday = event.ends_on
    registration = mayor(make_registration, event, [event.starts_on, day2])
    workshop = make_session("Atelier données ouvertes", day=friday, kind=SessionKind.ATELIER, seat_limit=10,
                            publish=True)
    kept = make_session("Plénière", day=day2, publish=True)
    login(client, registration.person)
    page = client.get(f"/e/{event.slug}/program/{workshop.id}").get_data(as_text=True)
    assert "un jour où vous n'êtes pas inscrit·e" in page and "vendredi 4 juin" in page
    booked = client.submit(f"/e/{event.slug}/program/{workshop.id}/agenda", follow_redirects=True)
    text = booked.get_data(as_text=True)
    assert "Votre place est réservée." in text
    assert "Attention : cette séance a lieu le vendredi 4 juin" in text
    assert "mercredi 2 juin et jeudi 3 juin" in text
    client.submit(f"/e/{event.slug}/program/{kept.id}/agenda")
    agenda = client.get(f"/e/{event.slug}/agenda").get_data(as_text=True)
    assert "1 élément de votre agenda tombe un jour où vous n'êtes pas inscrit·e." in agenda
    assert agenda.count('data-testid="off-day"') == 1


def test_no_warning_on_days_she_attends(client, event, make_session, make_registration):
    registration = mayor(make_registration, event, [event.starts_on])
    session = make_session("Plénière", day=event.starts_on, publish=True)
    login(client, registration.person)
    assert "day-warning" not in client.get(f"/e/{event.slug}/program/{session.id}").get_data(as_text=True)
    client.submit(f"/e/{event.slug}/program/{session.id}/agenda")
    assert "day-warning" not in client.get(f"/e/{event.slug}/agenda").get_data(as_text=True)


def test_the_organiser_sees_it_on_the_registration_page(client, event, make_session, make_registration,
                                                        make_organiser, day2):
    registration = mayor(make_registration, event, [event.starts_on, day2])
    workshop = make_session("Atelier données ouvertes", day=event.ends_on, kind=SessionKind.ATELIER, seat_limit=10,
                            publish=True)
    login(client, registration.person)
    client.submit(f"/e/{event.slug}/program/{workshop.id}/agenda")
    organiser = make_organiser(event)
    other = client.application.test_client()
    login(other, organiser)
    page = other.get(f"/manage/e/{event.slug}/registrations/{registration.id}").get_data(as_text=True)
    assert "Prévu des jours où cette personne n'est pas inscrite" in page
    assert "vendredi 4 juin — Agenda : Atelier données ouvertes (place réservée)" in page
    # Once the organiser adds Friday, the warning goes.
    other.submit(f"/manage/e/{event.slug}/registrations/{registration.id}", {
        "category": "elu", "job_title": "", "territory": "Nevers",
        "days": [event.starts_on.isoformat(), day2.isoformat(), event.ends_on.isoformat()]})
    assert "day-warning" not in other.get(f"/manage/e/{event.slug}/registrations/{registration.id}").get_data(as_text=True)


def test_her_route_page_says_so_too(client, event, make_session, make_registration, day2):
    registration = mayor(make_registration, event, [event.starts_on, day2])
    workshop = make_session("Atelier", day=event.ends_on, kind=SessionKind.ATELIER, seat_limit=10, publish=True)
    login(client, registration.person)
    client.submit(f"/e/{event.slug}/program/{workshop.id}/agenda")
    page = client.get(f"/e/{event.slug}/demonstrator/route").get_data(as_text=True)
    assert "1 élément de votre agenda tombe un jour où vous n'êtes pas inscrit·e." in page
    assert "Vous êtes inscrit·e pour : mercredi 2 juin et jeudi 3 juin." in page
