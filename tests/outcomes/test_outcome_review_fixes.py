"""What a review of the outcomes found: an official not yet approved reads no city's outcomes; a meeting's
outcome is not stored twice (from the pages or the survey); a change by the side that recorded an outcome asks
the other side again; the report's rankings leave "nothing for now" out."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.auth.services import set_password
from app.events.models import CategoryCode
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus
from app.outcomes.services import OutcomeError, OutcomeInput
from app.outcomes.survey_jobs import send_surveys
from app.report.figures import ranking
from tests.conftest import TEST_PASSWORD, login
from tests.outcomes.outcome_world import build
from tests.outcomes.survey_world import build_world, survey_path

MAYOR = "anne.morel@nevers.example"


def record(world, kind=OutcomeKind.PILOT, side=OutcomeSide.STARTUP, person=None):
    return services.record_outcome(world.event, OutcomeInput(kind, OutcomeStatus.IN_PROGRESS, date(2027, 6, 20),
                                                             notes="secret note"),
                                   stand=world.stand, registration=person or world.official,
                                   source=OutcomeSource.SCAN, actor_id=None, side=side)


def num_outcomes() -> int:
    return db.session.scalar(select(func.count(Outcome.id)))


@pytest.fixture
def world(event, make_registration, make_organiser):
    return build(event, make_registration, make_organiser)


def test_an_official_not_yet_approved_reads_and_confirms_none_of_her_city_s_outcomes(app, world, make_registration):
    pilot = record(world)
    # Someone registers as an official of the same city: her registration waits for the organisers.
    newcomer = make_registration(world.event, CategoryCode.ELU, first_name="Zoé", last_name="Intruse",
                                 territory="Sainte-Énimie")
    assert newcomer.organisation_id == world.official.organisation_id
    set_password(newcomer.person, TEST_PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, newcomer.person)
    page = client.get(f"/e/{world.event.slug}/my/outcomes/")
    assert page.status_code == 403 and "secret note" not in page.get_data(as_text=True)
    confirm = client.submit(f"/e/{world.event.slug}/my/outcomes/{pilot.id}/confirm")
    assert confirm.status_code in (403, 404)
    db.session.refresh(pilot)
    assert pilot.confirmed_at is None


def test_the_same_kind_of_outcome_of_one_meeting_is_refused_the_second_time(world):
    record(world)
    with pytest.raises(OutcomeError) as refused:
        record(world, side=OutcomeSide.CITY)
    assert refused.value.code == "already_recorded" and num_outcomes() == 1
    record(world, kind=OutcomeKind.CONTRACT, side=OutcomeSide.CITY)  # another kind is another outcome
    assert num_outcomes() == 2


def test_a_change_by_the_recording_side_asks_the_other_side_again(world):
    pilot = record(world)
    services.confirm_outcome(pilot, actor_id=world.official.person_id, side=OutcomeSide.CITY)
    assert pilot.confirmed_at is not None
    # The notes only: the city's confirmation holds.
    services.update_outcome(pilot, OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS, date(2027, 6, 20),
                                                notes="parking de la mairie"), actor_id=None,
                            side=OutcomeSide.STARTUP)
    assert pilot.confirmed_at is not None
    # What it says: a contract of 900,000 the city never saw is not confirmed any more.
    services.update_outcome(pilot, OutcomeInput(OutcomeKind.CONTRACT, OutcomeStatus.DONE, date(2027, 9, 1),
                                                amount=900_000), actor_id=None, side=OutcomeSide.STARTUP)
    db.session.refresh(pilot)
    assert pilot.confirmed_at is None and pilot.confirmed_by_id is None


def test_nothing_for_now_does_not_rank_a_startup_or_a_city(world):
    record(world, kind=OutcomeKind.NONE)
    record(world, kind=OutcomeKind.NONE, person=world.delegate)
    assert ranking(world.event, Outcome.startup_id, None) == []
    record(world, kind=OutcomeKind.CONTRACT)
    [startup] = ranking(world.event, Outcome.startup_id, None)
    assert startup.outcomes == 1


def test_the_mayor_who_confirms_and_also_answers_the_same_kind_stores_one_outcome(client, event, make_registration):
    survey = build_world(event, make_registration)
    pilot = services.record_outcome(event, OutcomeInput(OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS,
                                                        date(2027, 6, 20)),
                                    stand=survey.stand, registration=survey.mayor, source=OutcomeSource.SCAN,
                                    actor_id=survey.stand.person_id, side=OutcomeSide.STARTUP)
    send_surveys(date(2027, 7, 4))
    stand = survey.stand.id
    response = client.submit(survey_path(MAYOR), {f"confirm_{pilot.id}": "y", f"kind_{stand}": "pilot",
                                                  f"status_{stand}": "in_progress", f"on_{stand}": "2027-06-20"})
    assert response.status_code == 303
    db.session.refresh(pilot)
    assert num_outcomes() == 1 and pilot.confirmed_by_id == survey.mayor.person_id
