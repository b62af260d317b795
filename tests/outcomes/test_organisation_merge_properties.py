"""Property: a merge keeps every outcome and every audit row, and leaves nothing pointing to the record removed."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import EventRole, RoleName
from app.extensions import db
from app.outcomes.models import Outcome
from app.outcomes.organisations import merge_organisations
from app.people.merging import organisation_references
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Delegation
from tests.conftest import empty_tables
from tests.outcomes.organisation_rows import organisation, outcome

KINDS = list(OrganisationKind)

worlds = st.integers(min_value=2, max_value=4).flatmap(lambda n: st.fixed_dictionaries({
    "kinds": st.lists(st.sampled_from(KINDS), min_size=n, max_size=n),
    "outcomes": st.lists(st.tuples(st.integers(0, 1), st.integers(0, n - 1), st.integers(0, n - 1)), max_size=8),
    "audited": st.lists(st.integers(0, n - 1), max_size=4),
    "members": st.lists(st.integers(0, n - 1), max_size=4),
    "delegations": st.lists(st.tuples(st.integers(0, 1), st.integers(0, n - 1)), max_size=3),
    "staff_of": st.lists(st.tuples(st.integers(0, 1), st.integers(0, n - 1)), max_size=3),
    "pair": st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True),
}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_a_merge_keeps_every_outcome_and_audit_row_and_leaves_nothing_on_the_removed_record(make_event, world):
    empty_tables()
    events = [make_event(slug="sommet-2026", name="Sommet 2026"), make_event(slug="sommet-2027", name="Sommet 2027")]
    staff = Person(email="staff@example.org", first_name="Sam", last_name="Staff", is_staff=True)
    db.session.add(staff)
    organisations = [organisation(f"Nevers {i}", kind, city="" if i % 2 else "Nevers")
                     for i, kind in enumerate(world["kinds"])]
    for edition, startup, city in world["outcomes"]:
        outcome(events[edition].id, organisations[startup].id, organisations[city].id)
    for index in world["audited"]:
        audit.record("organisation.edit", actor_id=None, obj=organisations[index])
    for n, index in enumerate(world["members"]):
        db.session.add(Person(email=f"m{n}@example.org", first_name="M", last_name=str(n),
                              organisation_id=organisations[index].id))
    for n, (edition, index) in enumerate(world["delegations"]):
        db.session.add(Delegation(event_id=events[edition].id, name=f"D{n}", organisation_id=organisations[index].id))
    for n, (edition, index) in enumerate(world["staff_of"]):
        person = Person(email=f"s{n}@example.org", first_name="S", last_name=str(n))
        db.session.add(person)
        db.session.flush()
        db.session.add(EventRole(event_id=events[edition].id, person_id=person.id, role=RoleName.EXHIBITOR,
                                 organisation_id=organisations[index].id))
    db.session.commit()
    kept_id, dropped_id = (organisations[i].id for i in world["pair"])
    outcomes_before = {o.id: (o.startup_id, o.organisation_id) for o in db.session.scalars(select(Outcome))}
    audit_before = {a.id: (a.action, a.object_type, a.object_id) for a in db.session.scalars(select(AuditEntry))}
    moved = sum(1 for pair in outcomes_before.values() for side in pair if side == dropped_id)

    merge_organisations(db.session.get(Person, staff.id), kept_id, dropped_id)
    db.session.expire_all()

    moved_to = {dropped_id: kept_id}
    assert {o.id: (o.startup_id, o.organisation_id) for o in db.session.scalars(select(Outcome))} == {
        i: (moved_to.get(s, s), moved_to.get(c, c)) for i, (s, c) in outcomes_before.items()}
    audit_after = {a.id: (a.action, a.object_type, a.object_id) for a in db.session.scalars(select(AuditEntry))}
    assert {i: audit_after[i] for i in audit_before} == audit_before
    new = [audit_after[i] for i in audit_after.keys() - audit_before.keys()]
    assert new == [("organisation.merge", "organisation", str(kept_id))]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.merge"))
    assert (entry.details["kept"]["id"], entry.details["dropped"]["id"]) == (kept_id, dropped_id)
    assert entry.details["moved"].get("outcome.startup_id", 0) + entry.details["moved"].get(
        "outcome.organisation_id", 0) == moved
    for reference in organisation_references():
        assert db.session.scalar(select(func.count()).where(reference.column == dropped_id)) == 0, reference.key
    assert db.session.get(Organisation, dropped_id) is None
    # An empty city is filled from the other record; a filled one stays.
    assert db.session.get(Organisation, kept_id).city == ("Nevers" if any(i % 2 == 0 for i in world["pair"]) else "")
