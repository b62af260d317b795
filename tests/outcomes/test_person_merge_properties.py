"""Property: merging two people keeps every registration, outcome and audit row, and leaves nothing pointing to the
person removed."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.events.models import Category
from app.auth.models import EventRole, RoleName
from app.extensions import db
from app.outcomes.models import Outcome
from app.outcomes.organisations import MergeRefused
from app.outcomes.people_merge import merge_people
from app.people.merging import person_references
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import empty_tables
from tests.outcomes.organisation_rows import organisation, outcome

EDITIONS = 3

worlds = st.integers(min_value=2, max_value=4).flatmap(lambda n: st.fixed_dictionaries({
    # Each person's editions (registered there once at most, as the unique constraint wants).
    "registered": st.lists(st.sets(st.integers(0, EDITIONS - 1), max_size=EDITIONS), min_size=n, max_size=n),
    "outcomes": st.lists(st.tuples(st.integers(0, EDITIONS - 1), st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=6),
    "acted": st.lists(st.tuples(st.integers(0, EDITIONS - 1), st.integers(0, n - 1)), max_size=5),
    "roles": st.lists(st.tuples(st.integers(0, EDITIONS - 1), st.integers(0, n - 1)), max_size=3, unique=True),
    "pair": st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True),
}))


def _clashes(world) -> bool:
    """Both people of the pair hold the same unique row (a registration or a role in one edition)."""
    kept, dropped = world["pair"]
    roles = {(edition, who) for edition, who in world["roles"]}
    return bool(world["registered"][kept] & world["registered"][dropped]) or any(
        (edition, kept) in roles for edition, who in roles if who == dropped)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_a_person_merge_keeps_every_registration_outcome_and_audit_row(make_event, world):
    empty_tables()
    events = [make_event(slug=f"sommet-{2025 + i}", name=f"Sommet {2025 + i}") for i in range(EDITIONS)]
    staff = Person(email="staff@example.org", first_name="Sam", last_name="Staff", is_staff=True)
    people = [Person(email=f"p{i}@example.org", first_name="Marie", last_name="Dupont")
              for i in range(len(world["registered"]))]
    db.session.add_all([staff, *people])
    city, startup = organisation("Nevers"), organisation("Captéo")
    db.session.flush()
    for who, editions in enumerate(world["registered"]):
        for edition in editions:
            category = db.session.scalar(select(Category).where(Category.event_id == events[edition].id))
            db.session.add(Registration(event_id=events[edition].id, person_id=people[who].id,
                                        category_id=category.id, status=RegistrationStatus.CONFIRMED))
    for edition, recorder, confirmer in world["outcomes"]:
        row = outcome(events[edition].id, startup.id, city.id)
        row.recorded_by_id, row.confirmed_by_id = people[recorder].id, people[confirmer].id
    for edition, who in world["acted"]:
        audit.record("outcome.edit", actor_id=people[who].id, event_id=events[edition].id)
    for edition, who in world["roles"]:
        db.session.add(EventRole(event_id=events[edition].id, person_id=people[who].id, role=RoleName.EXHIBITOR))
    db.session.commit()
    kept_id, dropped_id = (people[i].id for i in world["pair"])
    moved_to = {dropped_id: kept_id}
    registrations = {r.id: (r.event_id, r.person_id) for r in db.session.scalars(select(Registration))}
    outcomes = {o.id: (o.recorded_by_id, o.confirmed_by_id) for o in db.session.scalars(select(Outcome))}
    audit_before = {a.id: (a.action, a.actor_id) for a in db.session.scalars(select(AuditEntry))}
    clash = _clashes(world)

    try:
        merge_people(db.session.get(Person, staff.id), kept_id, dropped_id)
    except MergeRefused as refused:
        assert clash, refused
        assert refused.code == "conflict"
        moved_to = {}
    else:
        assert not clash
    db.session.expire_all()

    assert {r.id: (r.event_id, r.person_id) for r in db.session.scalars(select(Registration))} == {
        i: (e, moved_to.get(p, p)) for i, (e, p) in registrations.items()}
    assert {o.id: (o.recorded_by_id, o.confirmed_by_id) for o in db.session.scalars(select(Outcome))} == {
        i: (moved_to.get(r, r), moved_to.get(c, c)) for i, (r, c) in outcomes.items()}
    audit_after = {a.id: (a.action, a.actor_id) for a in db.session.scalars(select(AuditEntry))}
    assert {i: audit_after[i] for i in audit_before} == {
        i: (action, moved_to.get(actor, actor)) for i, (action, actor) in audit_before.items()}
    new = [audit_after[i] for i in audit_after.keys() - audit_before.keys()]
    if clash:
        assert new == [] and db.session.get(Person, dropped_id) is not None
        return
    assert new == [("person.merge", staff.id)]
    for reference in person_references():
        assert db.session.scalar(select(func.count()).where(reference.column == dropped_id)) == 0, reference.key
    assert db.session.get(Person, dropped_id) is None
    assert db.session.get(Person, kept_id).email == f"p{world['pair'][0]}@example.org"
