"""The generic re-pointing of a merge: the references come from the metadata, a table added later included, and a
unique constraint both records would break stops the merge before anything changes."""
from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, func, insert, select

from app.extensions import db
from app.people.merging import MergeConflict, organisation_references, person_references, repoint
from app.people.models import Organisation, OrganisationKind, Person


@pytest.fixture
def later_table(app):
    """A table a feature adds after this module was written, pointing to organisations (unique per label)."""
    table = Table("partner_badge", db.metadata,
                  Column("id", Integer, primary_key=True),
                  Column("label", String(20)),
                  Column("holder_id", ForeignKey("organisation.id"), nullable=False),
                  UniqueConstraint("label", "holder_id"))
    table.create(db.engine)
    yield table
    db.session.remove()
    table.drop(db.engine)
    db.metadata.remove(table)


def two_records():
    kept = Organisation(name="Captéo", kind=OrganisationKind.STARTUP, country="FR")
    dropped = Organisation(name="CAPTEO SAS", kind=OrganisationKind.STARTUP, country="FR",
                           website="https://capteo.example", pitch="Capteurs")
    db.session.add_all([kept, dropped])
    db.session.commit()
    return kept, dropped


def test_a_table_added_later_is_repointed_too(later_table):
    assert "partner_badge.holder_id" in {r.key for r in organisation_references()}
    kept, dropped = two_records()
    kept_id, dropped_id = kept.id, dropped.id
    db.session.execute(insert(later_table), [{"label": "or", "holder_id": dropped_id},
                                             {"label": "argent", "holder_id": kept_id}])
    moved = repoint(dropped, kept)
    db.session.commit()
    assert moved["partner_badge.holder_id"] == 1
    assert set(db.session.scalars(select(later_table.c.holder_id))) == {kept_id}
    kept = db.session.get(Organisation, kept_id)
    assert (kept.website, kept.pitch, kept.name) == ("https://capteo.example", "Capteurs", "Captéo")


def test_a_unique_row_both_records_hold_stops_the_merge_before_any_change(later_table):
    kept, dropped = two_records()
    kept_id, dropped_id = kept.id, dropped.id
    db.session.execute(insert(later_table), [{"label": "or", "holder_id": dropped_id},
                                             {"label": "or", "holder_id": kept_id}])
    db.session.commit()
    with pytest.raises(MergeConflict) as refused:
        repoint(dropped, kept)
    db.session.rollback()
    assert refused.value.table == "partner_badge"
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2
    assert db.session.get(Organisation, kept_id).website == ""


def test_an_organisation_is_not_merged_with_itself(db):
    kept, _ = two_records()
    with pytest.raises(ValueError):
        repoint(kept, kept)


@pytest.fixture
def later_person_table(app):
    """A table a feature adds after this module was written, pointing to people (one row per person and label)."""
    table = Table("mentor_note", db.metadata,
                  Column("id", Integer, primary_key=True),
                  Column("label", String(20)),
                  Column("mentor_id", ForeignKey("person.id"), nullable=False),
                  UniqueConstraint("label", "mentor_id"))
    table.create(db.engine)
    yield table
    db.session.remove()
    table.drop(db.engine)
    db.metadata.remove(table)


def two_people():
    kept = Person(email="m.dupont@ville.fr", first_name="Marie", last_name="Dupont", password_hash="kept-hash")
    dropped = Person(email="maire@ville.fr", first_name="MARIE", last_name="DUPONT", phone="03 86 00 00 00",
                     job_title="Maire", password_hash="dropped-hash")
    db.session.add_all([kept, dropped])
    db.session.commit()
    return kept, dropped


def test_a_table_added_later_pointing_to_people_is_repointed_too(later_person_table):
    assert "mentor_note.mentor_id" in {r.key for r in person_references()}
    assert "mentor_note.mentor_id" not in {r.key for r in organisation_references()}
    kept, dropped = two_people()
    kept_id, dropped_id = kept.id, dropped.id
    db.session.execute(insert(later_person_table), [{"label": "a", "mentor_id": dropped_id},
                                                    {"label": "b", "mentor_id": kept_id}])
    moved = repoint(dropped, kept)
    db.session.commit()
    assert moved["mentor_note.mentor_id"] == 1
    assert set(db.session.scalars(select(later_person_table.c.mentor_id))) == {kept_id}
    assert db.session.get(Person, dropped_id) is None
    kept = db.session.get(Person, kept_id)
    # The kept record keeps who it is and how it logs in; empty fields are filled from the other one.
    assert (kept.email, kept.first_name, kept.password_hash) == ("m.dupont@ville.fr", "Marie", "kept-hash")
    assert (kept.phone, kept.job_title) == ("03 86 00 00 00", "Maire")


def test_a_unique_row_both_people_hold_stops_the_merge_before_any_change(later_person_table):
    kept, dropped = two_people()
    kept_id, dropped_id = kept.id, dropped.id
    db.session.execute(insert(later_person_table), [{"label": "a", "mentor_id": dropped_id},
                                                    {"label": "a", "mentor_id": kept_id}])
    db.session.commit()
    with pytest.raises(MergeConflict) as refused:
        repoint(dropped, kept)
    db.session.rollback()
    assert (refused.value.table, refused.value.event_id) == ("mentor_note", None)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2
    assert db.session.get(Person, kept_id).phone == ""


def test_an_organisation_and_a_person_are_not_merged(db):
    kept, _ = two_records()
    person, _ = two_people()
    with pytest.raises(TypeError):
        repoint(person, kept)
