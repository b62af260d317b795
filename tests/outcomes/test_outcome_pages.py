"""The outcome pages of the three sides: a stand records from its contacts, the official confirms or adds from
her own page, the organisers list, filter, add, change and delete; every refusal is a 4xx page that names the
field and changes nothing."""
import html
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.events.models import CategoryCode
from app.extensions import db
from app.outcomes import listing, services
from app.outcomes.errors import message
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus
from app.outcomes.services import OutcomeError, OutcomeInput
from tests.conftest import login
from tests.outcomes.outcome_world import build, scanned

BASE = "/e/sommet-2027"


@pytest.fixture
def world(event, make_registration, make_organiser):
    return build(event, make_registration, make_organiser)


def as_(app, registration_or_person):
    client = app.test_client()
    login(client, getattr(registration_or_person, "person", registration_or_person))
    return client


def counts() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Outcome.id))), db.session.scalar(select(func.count(AuditEntry.id)))


def pilot(**changes) -> dict:
    return {"kind": "pilot", "status": "in_progress", "status_on": "2027-09-15", "amount": "12000",
            "currency": "EUR", "notes": "Capteurs sur le parking de la gare", **changes}


def record(world, side=OutcomeSide.STARTUP, registration=None, stand=None, kind=OutcomeKind.PILOT, event=None):
    return services.record_outcome(event or world.event, OutcomeInput(kind, OutcomeStatus.PLANNED, date(2027, 6, 3)),
                                   stand=stand or world.stand, registration=registration or world.official,
                                   actor_id=None, side=side)


def test_a_team_member_records_a_pilot_from_her_contacts_and_sees_it_unconfirmed(app, world):
    client = as_(app, world.member)
    contacts = client.get(f"{BASE}/stand/").get_data(as_text=True)
    link = f"{BASE}/stand/outcomes/new/{world.official.id}"
    assert f'href="{link}"' in contacts and "Enregistrer une suite" in contacts
    form = client.get(link).get_data(as_text=True)
    assert "Anne Morel" in form and "Expérimentation (pilote)" in form and "Envisagé" in form
    response = client.submit(link, pilot())
    assert response.status_code == 302
    outcome = db.session.scalar(select(Outcome))
    assert (outcome.kind, outcome.status, outcome.status_on, outcome.amount) == (
        OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS, date(2027, 9, 15), 12000)
    assert (outcome.source, outcome.lead_id, outcome.recorded_side) == (OutcomeSource.SCAN, world.lead.id,
                                                                        OutcomeSide.STARTUP)
    assert outcome.organisation.name == "Sainte-Énimie" and outcome.startup.name == "Capteurs du Morvan"
    assert outcome.recorded_by_id == world.member.person_id
    page = client.get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    row = page.split('data-testid="outcome-row"')[1]
    assert "Expérimentation (pilote)" in row and "En cours" in row and "Pas encore confirmée" in row
    # The meeting has its outcome: no longer among those without one; the delegate's still is.
    open_meetings = page.split('data-testid="open-meetings"')[1]
    assert "Anne Morel" not in open_meetings and "Bruno Lefèvre" in open_meetings


REFUSALS = [
    ({"kind": ""}, "Ce qui est sorti de la rencontre"),
    ({"kind": "miracle"}, "Ce qui est sorti de la rencontre"),
    ({"status": "maybe"}, "Statut"),
    ({"status_on": ""}, "Indiquez la date du statut"),
    ({"status_on": "15/09/2027"}, "Date du statut"),
    ({"status_on": "2019-01-01"}, "Date du statut : indiquez une date du"),
    ({"status_on": "2099-01-01"}, "Date du statut : indiquez une date du"),
    ({"amount": "-5"}, "Montant (facultatif)"),
    ({"amount": str(2**31)}, "Montant (facultatif)"),
    ({"amount": "douze mille"}, "Montant (facultatif)"),
    ({"kind": "none", "amount": "100"}, "Montant : une suite « rien pour l’instant » n’a pas de montant"),
    ({"currency": "GBP"}, "Devise"),
    ({"notes": "x" * 4001}, "Notes (facultatif)"),
]


@pytest.mark.parametrize("changes, names", REFUSALS, ids=[str(list(c))[:30] for c, _ in REFUSALS])
def test_a_wrong_outcome_is_refused_with_its_field_named_and_nothing_stored(app, world, changes, names):
    client = as_(app, world.member)
    before = counts()
    response = client.submit(f"{BASE}/stand/outcomes/new/{world.official.id}", pilot(**changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert names in html.unescape(summary)
    assert counts() == before


def test_a_wrong_change_is_refused_and_leaves_the_outcome_as_it_was(app, world):
    outcome = record(world)
    client = as_(app, world.member)
    before = counts()
    response = client.submit(f"{BASE}/stand/outcomes/{outcome.id}", pilot(kind="none", amount="5"))
    assert response.status_code == 422 and "n’a pas de montant" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (outcome.kind, outcome.amount, outcome.confirmed_at) == (OutcomeKind.PILOT, None, None)
    assert counts() == before


def test_every_refusal_of_the_service_has_a_message_naming_what_is_wrong(app):
    codes = set(re.findall(r'OutcomeError\("(\w+)"', Path(services.__file__).read_text()))
    assert {"kind_invalid", "date_out_of_range", "own_outcome", "same_organisation"} <= codes
    with app.test_request_context():
        for code in codes:
            text = message(OutcomeError(code, "x", earliest=date(2026, 6, 2), latest=date(2030, 1, 1), max=10,
                                        length=11, currencies="EUR, CAD"))
            assert text != code and len(text) > 20, code


def test_the_service_refuses_a_person_met_who_is_not_on_the_city_side(app, world):
    before = counts()
    with pytest.raises(OutcomeError) as refused:
        record(world, registration=world.visitor)
    assert (refused.value.code, refused.value.field) == ("not_a_city_side", "registration")
    with pytest.raises(OutcomeError) as refused:
        record(world, stand=world.official)
    assert refused.value.code == "not_a_stand"
    assert counts() == before


def test_the_official_confirms_from_her_page_what_the_startup_recorded(app, world):
    outcome = record(world)
    client = as_(app, world.official)
    assert 'data-testid="my-outcomes"' in client.get(f"{BASE}/agenda").get_data(as_text=True)
    page = client.get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    assert "Capteurs du Morvan" in page and "Pas encore confirmée" in page
    assert client.submit(f"{BASE}/my/outcomes/{outcome.id}/confirm").status_code == 302
    db.session.expire_all()
    assert outcome.confirmed_by_id == world.official.person_id and outcome.confirmed_at is not None
    assert "Pas encore confirmée" not in client.get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    # The startup cannot confirm its own: a 422 that says why, and nothing changes.
    own = record(world, registration=world.delegate)
    stand = as_(app, world.member)
    before = counts()
    response = stand.submit(f"{BASE}/stand/outcomes/{own.id}/confirm")
    assert response.status_code == 422 and "seule l’autre partie" in response.get_data(as_text=True)
    db.session.expire_all()
    assert own.confirmed_at is None and counts() == before


def test_the_official_adds_an_outcome_for_a_meeting_and_the_stand_confirms_it(app, world):
    client = as_(app, world.official)
    url = f"{BASE}/my/outcomes/new/{world.stand.id}/{world.official.id}"
    assert f'href="{url}"' in client.get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    assert client.submit(url, pilot(kind="demo", amount="")).status_code == 302
    outcome = db.session.scalar(select(Outcome))
    assert (outcome.kind, outcome.recorded_side, outcome.amount) == (OutcomeKind.DEMO, OutcomeSide.CITY, None)
    stand = as_(app, world.member)
    assert 'data-testid="confirm-outcome"' in stand.get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    # The stand may not delete what the city recorded; it may change it, which confirms it.
    assert stand.submit(f"{BASE}/stand/outcomes/{outcome.id}/delete").status_code == 422
    assert stand.submit(f"{BASE}/stand/outcomes/{outcome.id}", pilot(status="done")).status_code == 302
    db.session.expire_all()
    assert outcome.status == OutcomeStatus.DONE and outcome.confirmed_by_id == world.member.person_id


def test_a_coordinator_sees_and_confirms_her_delegations_outcomes(app, world):
    outcome = record(world, registration=world.delegate)
    client = as_(app, world.official)
    page = client.get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    assert "Bruno Lefèvre" in page and "Capteurs du Morvan" in page
    assert client.submit(f"{BASE}/my/outcomes/{outcome.id}/confirm").status_code == 302
    # The delegate is no coordinator: she sees her own and her city's, not another city's.
    other = record(world, stand=world.other_stand, registration=world.other_official)
    delegate = as_(app, world.delegate)
    assert delegate.get(f"{BASE}/my/outcomes/{outcome.id}").status_code == 200
    assert delegate.get(f"{BASE}/my/outcomes/{other.id}").status_code == 404


def test_the_stand_deletes_its_own_outcome(app, world):
    outcome = record(world)
    client = as_(app, world.member)
    assert client.submit(f"{BASE}/stand/outcomes/{outcome.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(Outcome.id))) == 0
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outcome.delete")) is not None


def test_earlier_editions_are_read_across_editions_by_organisation(app, world, make_event, make_registration):
    earlier = make_event(slug="sommet-2026", name="Sommet 2026", starts_on=date(2026, 6, 3), ends_on=date(2026, 6, 5))
    stand = make_registration(earlier, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    official = make_registration(earlier, CategoryCode.ELU, territory="Sainte-Énimie")
    assert stand.organisation_id == world.stand.organisation_id
    # The same city (SQLite's lower() leaves "É" as it is, so registering does not always find it: merged).
    official.organisation_id = world.official.organisation_id
    db.session.commit()
    services.record_outcome(earlier, OutcomeInput(OutcomeKind.CONTRACT, OutcomeStatus.DONE, date(2026, 10, 1)),
                            stand=stand, registration=official, actor_id=None, side=OutcomeSide.STARTUP)
    stand_page = as_(app, world.member).get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    assert "Sommet 2026" in stand_page.split('data-testid="earlier-outcomes"')[1]
    city_page = as_(app, world.official).get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    assert "Sommet 2026" in city_page.split('data-testid="earlier-outcomes"')[1]
    other_page = as_(app, world.other_member).get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    assert "Sommet 2026" not in other_page


def test_organisers_list_filter_add_change_and_delete(app, world):
    first = record(world)
    services.confirm_outcome(first, actor_id=None, side=OutcomeSide.CITY)
    record(world, stand=world.other_stand, registration=world.other_official, kind=OutcomeKind.TENDER)
    client = as_(app, world.organiser)
    url = f"{BASE.replace('/e/', '/manage/e/')}/outcomes/"
    assert 'data-testid="outcomes-link"' in client.get("/manage/e/sommet-2027/contacts/").get_data(as_text=True)

    def startups(**args) -> list[str]:
        page = client.get(url, query_string=args).get_data(as_text=True)
        return sorted(n for n in ("Capteurs du Morvan", "Watt Ville") if n in page.split("<tbody>")[1])

    assert startups() == ["Capteurs du Morvan", "Watt Ville"]
    assert startups(kind="tender") == ["Watt Ville"]
    assert startups(confirmed="yes") == ["Capteurs du Morvan"]
    assert startups(confirmed="no") == ["Watt Ville"]
    assert startups(status="done") == []
    assert startups(q="sainte enimie") == ["Capteurs du Morvan"]     # accents and case aside
    assert startups(q="WATT bourges") == ["Watt Ville"]
    assert startups(kind="nonsense", confirmed="maybe") == ["Capteurs du Morvan", "Watt Ville"]  # ignored
    meetings = client.get(f"{url}meetings").get_data(as_text=True)
    add = f"{url}new/{world.stand.id}/{world.delegate.id}"
    assert f'href="{add}"' in meetings
    # Searched by name (accents and case aside): the others are not listed.
    found = client.get(f"{url}meetings", query_string={"q": world.delegate.person.last_name.upper()}).get_data(as_text=True)
    assert f'href="{add}"' in found and 'data-testid="meetings-count">1 ' in found
    assert f'href="{add}"' not in client.get(f"{url}meetings", query_string={"q": "zzzz"}).get_data(as_text=True)
    assert client.submit(add, pilot(kind="partnership")).status_code == 302
    added = db.session.scalar(select(Outcome).where(Outcome.registration_id == world.delegate.id))
    assert added.recorded_side == OutcomeSide.ORGANISER and added.source == OutcomeSource.SCAN
    assert client.submit(f"{url}{added.id}", pilot(kind="contract", amount="90000")).status_code == 302
    db.session.expire_all()
    assert (added.kind, added.amount) == (OutcomeKind.CONTRACT, 90000)
    assert client.submit(f"{url}{added.id}/delete").status_code == 302
    assert db.session.scalar(select(Outcome.id).where(Outcome.id == added.id)) is None
    # A meeting that never happened cannot get an outcome.
    assert client.get(f"{url}new/{world.other_stand.id}/{world.official.id}").status_code == 404


def test_the_date_range_follows_the_edition(app, world):
    too_early = world.event.starts_on - timedelta(days=400)
    client = as_(app, world.member)
    response = client.submit(f"{BASE}/stand/outcomes/new/{world.official.id}", pilot(status_on=too_early.isoformat()))
    assert response.status_code == 422


def test_a_visitor_scanned_at_the_stand_gets_no_outcome_link(app, world):
    scanned(world.stand, world.visitor, datetime(2027, 6, 2, 13))
    client = as_(app, world.member)
    contacts = client.get(f"{BASE}/stand/").get_data(as_text=True)
    assert "Denis Roux" in contacts
    assert f"/stand/outcomes/new/{world.visitor.id}" not in contacts
    assert f"/stand/outcomes/new/{world.official.id}" in contacts
    assert "Denis Roux" not in client.get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    # Sent anyway: refused, the person named, nothing stored.
    before = counts()
    response = client.submit(f"{BASE}/stand/outcomes/new/{world.visitor.id}", pilot())
    assert response.status_code == 422 and "Personne rencontrée" in response.get_data(as_text=True)
    assert counts() == before


def test_a_contacts_own_page_links_to_the_outcome_form(app, world):
    page = as_(app, world.member).get(f"{BASE}/stand/contacts/{world.lead.id}").get_data(as_text=True)
    assert f'href="{BASE}/stand/outcomes/new/{world.official.id}"' in page


def test_the_meetings_list_is_shown_a_page_at_a_time(app, world, monkeypatch):
    monkeypatch.setattr(listing, "MEETINGS_PAGE", 1)
    client = as_(app, world.organiser)
    url = f"{BASE.replace('/e/', '/manage/e/')}/outcomes/meetings"
    first, second = (client.get(url, query_string={"page": n}).get_data(as_text=True) for n in (1, 2))
    rows = [page.split("<tbody>")[1].split("</tbody>")[0] for page in (first, second)]
    assert rows[0] != rows[1] and rows[0].count("<tr>") == rows[1].count("<tr>") == 1
    assert 'rel="next"' in first or "page=2" in first
    last = client.get(url, query_string={"page": 999}).get_data(as_text=True)  # past the end: the last page
    assert last.split("<tbody>")[1].count("<tr>") == 1
