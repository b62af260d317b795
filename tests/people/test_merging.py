"""The generic re-pointing of a merge: the references come from the metadata, a table added later included, and a
unique constraint both records would break stops the merge before anything changes."""
from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, func, insert, select

from app.extensions import db
from app.people.merging import MergeConflict, organisation_references, repoint
from app.people.models import Organisation, OrganisationKind


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
