"""The organiser's landing pages: editions with their registration counts, and an edition's overview."""
import re

from sqlalchemy import insert

from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from app.registrations.queries import registration_counts
from app.registrations.services import cancel
from tests.conftest import login


def _registrations(event, make_registration):
    """Two confirmed visitors (one then cancelled) and a pending official."""
    visitors = [make_registration(event), make_registration(event)]
    make_registration(event, CategoryCode.ELU)
    cancel(event, [visitors[1].id], actor_id=None)
    db.session.commit()


def test_counts_leave_out_cancelled_registrations_and_keep_empty_editions(event, make_event, make_registration):
    _registrations(event, make_registration)
    empty = make_event(slug="sommet-2028", name="Sommet 2028")
    counts = registration_counts([event.id, empty.id])
    assert counts[event.id].num_registered == 2
    assert counts[event.id].by_status == {"pending": 1, "confirmed": 1, "waitlisted": 0, "cancelled": 1}
    assert counts[event.id].by_category[event.category("visiteur").id] == {"confirmed": 1, "cancelled": 1}
    assert counts[empty.id].num_registered == 0 and counts[empty.id].by_category == {}


def test_dashboard_lists_the_editions_with_their_registrations(client, event, make_event, make_registration,
                                                               make_person):
    _registrations(event, make_registration)
    make_event(slug="sommet-2028", name="Sommet 2028")
    login(client, make_person(is_staff=True))
    html = client.get("/manage/").get_data(as_text=True)
    rows = {re.search(r'">([^<]+)</a></td>', row).group(1):
            re.search(r'data-testid="registration-count">([^<]+)<', row).group(1) for row in html.split("<tr>")[2:]}
    assert rows == {event.name: "2 inscriptions actives (1 annulée ou refusée non comptée)",
                    "Sommet 2028": "0 inscription active"}


def test_the_count_is_the_same_sentence_on_every_page(client, event, make_organiser, make_registration):
    """The editions list, the edition's overview and the registrations page give one count, with its meaning;
    the registrations page also says how many rows it lists, cancelled ones included."""
    _registrations(event, make_registration)
    login(client, make_organiser(event))
    sentence = "2 inscriptions actives (1 annulée ou refusée non comptée)"
    for path in ("/manage/", f"/manage/e/{event.slug}/", f"/manage/e/{event.slug}/registrations"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r'data-testid="registration-count">([^<]+)<', html).group(1) == sentence, path
    listing = client.get(f"/manage/e/{event.slug}/registrations").get_data(as_text=True)
    assert "3 listées, annulées et refusées comprises" in listing
    filtered = client.get(f"/manage/e/{event.slug}/registrations?status=confirmed").get_data(as_text=True)
    assert "1 listée avec ces filtres" in filtered


def test_overview_counts_by_status_and_category(client, event, make_organiser, make_registration):
    _registrations(event, make_registration)
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    totals = dict(re.findall(r'data-testid="total-(\w+)">(\d+)<', html))
    assert totals == {"confirmed": "1", "pending": "1", "waitlisted": "0", "cancelled": "1"}


def test_counts_of_a_thousand_and_more_read_with_the_language_s_separator(client, event, make_organiser):
    """The overview's figures and a translated count ("1 234 e-mails.") are grouped the reader's way."""
    people = list(db.session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), [
        dict(email=f"v{i}@bulk.example.org", first_name="Val", last_name=f"V{i}") for i in range(1234)]))
    db.session.execute(insert(Registration), [
        dict(event_id=event.id, person_id=p, category_id=event.category("visiteur").id,
             status=RegistrationStatus.CONFIRMED, days=[event.starts_on.isoformat()]) for p in people])
    db.session.execute(insert(OutboxMessage), [
        dict(event_id=event.id, recipient=f"v{i}@bulk.example.org", subject="Bienvenue", body="Bonjour")
        for i in range(1234)])
    db.session.commit()
    login(client, make_organiser(event))
    for language, grouped, sentence in (("fr", "1\u202f234", "1\u202f234 e-mails."), ("en", "1,234", "1,234 e-mails.")):
        client.get(f"/lang/{language}")
        html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
        assert f'data-testid="total-confirmed">{grouped}</div>' in html
        assert f"<td>{grouped}</td>" in html  # the visitors' row of the table by category
        assert "1234" not in html
        html = client.get(f"/manage/e/{event.slug}/outbox").get_data(as_text=True)
        assert f'data-testid="outbox-count">{sentence}</p>' in html
