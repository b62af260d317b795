"""The organiser's landing pages: editions with their registration counts, and an edition's overview."""
import re

from app.events.models import CategoryCode
from app.extensions import db
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
