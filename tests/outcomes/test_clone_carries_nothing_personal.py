"""Cloning an edition carries its setup and organising team, nothing personal: no registration, delegation, role,
outcome or survey; the organisations stay shared (not copied), and the history is read across editions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.events.models import CategoryCode, Event
from app.events.services import EventInput, clone_event
from app.extensions import db
from app.outcomes.models import Outcome, OutcomeSide, SurveyInvitation, SurveyOptOut
from app.people.models import Organisation
from app.registrations.delegations import create_delegation
from tests.outcomes.organisation_rows import outcome

PERSONAL_TARGETS = {"person", "registration", "organisation", "delegation", "lead", "outcome_survey"}


def rows_of(table, event_id: int) -> int:
    query = select(func.count()).select_from(table).where(table.c.event_id == event_id)
    if table.name == "event_role":  # the organising team is carried on purpose
        query = query.where(table.c.role != RoleName.ORGANISER.value)
    return db.session.scalar(query)


def test_a_clone_carries_no_personal_row(event, make_registration, make_organiser, make_person):
    organiser = make_organiser(event)
    mayor = make_registration(event, CategoryCode.ELU, territory="Ville de Nevers")
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Captéo")
    delegation = create_delegation(event, "Délégation de Nevers", actor_id=None, organisation_id=mayor.organisation_id)
    mayor.delegation = delegation
    grant_role(make_person(), event.id, RoleName.EXHIBITOR, actor_id=None, organisation_id=stand.organisation_id)
    pilot = outcome(event.id, stand.organisation_id, mayor.organisation_id)
    pilot.stand_id, pilot.registration_id = stand.id, mayor.id
    db.session.add(SurveyInvitation(event_id=event.id, person_id=mayor.person_id, registration_id=mayor.id,
                                    side=OutcomeSide.CITY, wave=1, token_hash="0" * 64,
                                    expires_at=datetime(2027, 9, 1)))
    db.session.add(SurveyOptOut(person_id=stand.person_id))
    db.session.commit()
    num_organisations = db.session.scalar(select(func.count()).select_from(Organisation))

    clone = clone_event(event, EventInput(name="Sommet 2028", slug="sommet-2028", city="Nevers", country="FR",
                                          venue="Maison de la Culture", timezone="Europe/Paris",
                                          starts_on=date(2028, 6, 7), ends_on=date(2028, 6, 9)), actor_id=organiser.id)
    db.session.commit()

    for model in (Outcome, SurveyInvitation):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.event_id == clone.id)) == 0
    # Every table of an edition that points to a person, a registration, an organisation or a contact: nothing of
    # the clone's (a table added later is checked too).
    personal = [table for table in db.metadata.sorted_tables if "event_id" in table.c and table.name != "audit_entry"
                and any(fk.column.table.name in PERSONAL_TARGETS for fk in table.foreign_keys)]
    assert {"registration", "delegation", "event_role", "outcome", "outcome_survey"} <= {t.name for t in personal}
    assert {table.name: rows_of(table, clone.id) for table in personal if rows_of(table, clone.id)} == {}
    # The source edition keeps its own rows; organisations are shared, not copied.
    assert db.session.scalar(select(func.count()).select_from(Outcome).where(Outcome.event_id == event.id)) == 1
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == num_organisations
    assert db.session.scalar(select(func.count()).select_from(SurveyOptOut)) == 1
    assert db.session.get(Event, clone.id).categories  # the setup came along
