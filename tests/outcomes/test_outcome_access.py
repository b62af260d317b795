"""S8 for outcomes: a stand's team never sees or changes another stand's outcomes, an official never another's
(404, as if they did not exist); pages of another side are refused by their access level (403)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeStatus
from app.outcomes.services import OutcomeInput
from tests.conftest import login
from tests.outcomes.outcome_world import build

BASE = "/e/sommet-2027"
FORM = {"kind": "contract", "status": "done", "status_on": "2027-07-01", "currency": "EUR", "notes": "pwned"}


@pytest.fixture
def world(event, make_registration, make_organiser):
    return build(event, make_registration, make_organiser)


@pytest.fixture
def outcome(world):
    """Capteurs du Morvan's pilot with Anne Morel (Sainte-Énimie), recorded by the stand."""
    return services.record_outcome(world.event, OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.PLANNED, date(2027, 6, 3)),
                                   stand=world.stand, registration=world.official, actor_id=None,
                                   side=OutcomeSide.STARTUP)


def client_of(app, registration):
    client = app.test_client()
    login(client, registration.person)
    return client


def snapshot():
    row = db.session.scalars(select(Outcome)).all()
    return ([(o.id, o.kind, o.notes, o.confirmed_at) for o in row],
            db.session.scalar(select(func.count(AuditEntry.id))))


def test_another_stands_team_gets_a_404_on_every_outcome_url(app, world, outcome):
    client = client_of(app, world.other_member)
    before = snapshot()
    assert client.get(f"{BASE}/stand/outcomes/{outcome.id}").status_code == 404
    assert client.submit(f"{BASE}/stand/outcomes/{outcome.id}", FORM).status_code == 404
    assert client.submit(f"{BASE}/stand/outcomes/{outcome.id}/confirm").status_code == 404
    assert client.submit(f"{BASE}/stand/outcomes/{outcome.id}/delete").status_code == 404
    # Nor may it record one with a person it never met.
    assert client.get(f"{BASE}/stand/outcomes/new/{world.official.id}").status_code == 404
    assert client.submit(f"{BASE}/stand/outcomes/new/{world.official.id}", FORM).status_code == 404
    assert "Sainte-Énimie" not in client.get(f"{BASE}/stand/outcomes/").get_data(as_text=True)
    db.session.expire_all()
    assert snapshot() == before


def test_another_official_gets_a_404_on_every_outcome_url(app, world, outcome):
    client = client_of(app, world.other_official)
    before = snapshot()
    assert client.get(f"{BASE}/my/outcomes/{outcome.id}").status_code == 404
    assert client.submit(f"{BASE}/my/outcomes/{outcome.id}", FORM).status_code == 404
    assert client.submit(f"{BASE}/my/outcomes/{outcome.id}/confirm").status_code == 404
    assert client.submit(f"{BASE}/my/outcomes/{outcome.id}/delete").status_code == 404
    # A meeting of someone else: not hers to add to.
    url = f"{BASE}/my/outcomes/new/{world.stand.id}/{world.official.id}"
    assert client.get(url).status_code == 404 and client.submit(url, FORM).status_code == 404
    assert "Capteurs du Morvan" not in client.get(f"{BASE}/my/outcomes/").get_data(as_text=True)
    db.session.expire_all()
    assert snapshot() == before


def test_the_wrong_side_is_refused_by_the_access_level(app, world, outcome):
    before = snapshot()
    visitor = client_of(app, world.visitor)
    assert visitor.get(f"{BASE}/my/outcomes/").status_code == 403        # no meetings to follow up
    assert visitor.get(f"{BASE}/stand/outcomes/").status_code == 403     # on no stand
    member = client_of(app, world.member)
    assert member.get(f"{BASE}/my/outcomes/").status_code == 403         # a startup is not the city side
    assert member.get("/manage/e/sommet-2027/outcomes/").status_code == 403
    assert member.submit(f"/manage/e/sommet-2027/outcomes/{outcome.id}/delete").status_code == 403
    official = client_of(app, world.official)
    assert official.get(f"{BASE}/stand/outcomes/{outcome.id}").status_code == 403
    assert official.submit(f"{BASE}/stand/outcomes/{outcome.id}/delete").status_code == 403
    db.session.expire_all()
    assert snapshot() == before


def test_an_outcome_of_another_edition_is_unknown_to_this_one(app, world, outcome, make_event):
    other = make_event(slug="sommet-2028", name="Sommet 2028", starts_on=date(2028, 6, 7), ends_on=date(2028, 6, 9))
    grant_role(world.organiser, other.id, RoleName.ORGANISER, actor_id=None)   # organises both
    db.session.commit()
    organiser = app.test_client()
    login(organiser, world.organiser)
    assert organiser.get(f"/manage/e/sommet-2027/outcomes/{outcome.id}").status_code == 200
    assert organiser.get(f"/manage/e/{other.slug}/outcomes/{outcome.id}").status_code == 404
    assert organiser.submit(f"/manage/e/{other.slug}/outcomes/{outcome.id}/delete").status_code == 404
    assert db.session.scalar(select(func.count(Outcome.id))) == 1
