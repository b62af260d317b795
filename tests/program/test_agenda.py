"""Agendas and workshop seats: the last seat once (R1), the waiting list, overlaps."""
import threading
from datetime import time

from sqlalchemy import func, select

from app.auth.services import set_password
from app.extensions import db
from app.mail.models import OutboxMessage
from app.program import agenda
from app.program.models import AgendaEntry, SeatStatus, SessionKind
from app.registrations.models import Registration
from tests.conftest import TEST_PASSWORD, login


def attendee(make_registration, event):
    registration = make_registration(event)
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    return registration


def seats(session_id, status):
    return db.session.scalar(select(func.count()).select_from(AgendaEntry).where(
        AgendaEntry.session_id == session_id, AgendaEntry.seat == status))


def test_last_seat_goes_once_and_the_waiting_list_moves_up(app, event, make_session, make_registration):
    workshop = make_session("Atelier données", kind=SessionKind.ATELIER, seat_limit=1, publish=True)
    first, second = attendee(make_registration, event), attendee(make_registration, event)
    one, two = app.test_client(), app.test_client()
    login(one, first.person)
    login(two, second.person)
    url = f"/e/{event.slug}/program/{workshop.id}"
    assert one.submit(f"{url}/agenda").status_code == 302
    assert two.submit(f"{url}/agenda").status_code == 302
    assert "Liste d'attente" in two.get(url).get_data(as_text=True)
    assert seats(workshop.id, SeatStatus.SEATED) == 1 and seats(workshop.id, SeatStatus.WAITING) == 1
    assert one.submit(f"{url}/agenda/remove").status_code == 302
    entry = db.session.scalar(select(AgendaEntry).where(AgendaEntry.registration_id == second.id))
    assert entry.seat == SeatStatus.SEATED and entry.promoted_at is not None
    notice = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "seat_promoted"))
    assert notice.recipient == second.person.email


def test_concurrent_sign_ups_for_the_last_seats(app, event, make_session, make_registration):
    workshop = make_session("Atelier", kind=SessionKind.ATELIER, seat_limit=3, publish=True)
    registration_ids = [make_registration(event).id for _ in range(12)]
    start = threading.Barrier(len(registration_ids))
    errors = []

    def sign_up(registration_id):
        with app.app_context():
            try:
                registration = db.session.get(Registration, registration_id)
                start.wait()
                agenda.add(workshop.id, registration)
            except Exception as exc:  # noqa: BLE001 - any error is a failure of R1
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in registration_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.expire_all()
    assert seats(workshop.id, SeatStatus.SEATED) == 3
    assert seats(workshop.id, SeatStatus.WAITING) == 9


def test_signing_up_twice_keeps_one_entry_and_overlaps_are_flagged(client, event, make_session, make_registration):
    morning = make_session("Plénière", start=time(9, 0), end=time(10, 30), publish=True)
    clash = make_session("Conférence", start=time(10, 0), end=time(11, 0), kind=SessionKind.CONFERENCE, publish=True)
    registration = attendee(make_registration, event)
    login(client, registration.person)
    client.submit(f"/e/{event.slug}/program/{morning.id}/agenda")
    client.submit(f"/e/{event.slug}/program/{morning.id}/agenda")
    response = client.submit(f"/e/{event.slug}/program/{clash.id}/agenda", follow_redirects=True,
                             headers={"Accept-Language": "en"})
    assert "overlaps another one" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AgendaEntry)) == 2
    page = client.get(f"/e/{event.slug}/agenda", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count("overlaps another session") == 2


def test_drafts_cancelled_sessions_and_strangers_are_refused(client, app, event, make_session, make_registration,
                                                             make_person):
    draft = make_session("Brouillon")
    registration = attendee(make_registration, event)
    login(client, registration.person)
    assert client.submit(f"/e/{event.slug}/program/{draft.id}/agenda").status_code == 404
    assert client.submit(f"/e/{event.slug}/program/999999/agenda").status_code == 404
    stranger = app.test_client()
    login(stranger, make_person())
    published = make_session("Publiée", start=time(14, 0), end=time(15, 0), publish=True)
    assert stranger.submit(f"/e/{event.slug}/program/{published.id}/agenda").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AgendaEntry)) == 0
