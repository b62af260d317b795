"""The map of personal data covers every table with a person or registration column (issue 19, 'Done when')."""
from app.extensions import db
from app.privacy.subject.messages import KIND_LABELS
from app.privacy.subject.tables import RULES, Erase, covered_columns


def person_columns() -> set[tuple[str, str]]:
    """Every column of every table that points at a person or a registration, from the metadata."""
    return {(table.name, fk.parent.name) for table in db.metadata.tables.values() for fk in table.foreign_keys
            if fk.column.table.name in ("person", "registration")}


def test_every_person_or_registration_column_is_covered_by_export_and_erasure(app):
    columns = person_columns()
    assert len({table for table, _ in columns}) >= 47  # about 50 tables, some with several columns
    missing = sorted(columns - covered_columns())
    assert missing == [], f"not in the map of personal data (app/privacy/subject/tables): {missing}"
    for rule in RULES:
        assert isinstance(rule.erase, Erase) and isinstance(rule.export, bool), rule
    undecided = [r for r in RULES if r.export is False and not r.why and r.erase != Erase.DELETE]
    assert undecided == [], "a rule that does not export her rows says why"


def test_every_rule_names_real_tables_and_columns(app):
    for rule in RULES:
        table = db.metadata.tables[rule.table]
        for name in (*rule.columns, *rule.blank, *rule.hidden, *rule.hashed):
            assert name in table.c, f"{rule.table}.{name}"
        if rule.erase == Erase.UNLINK:
            assert all(table.c[c].nullable for c in rule.columns), rule


def test_tables_without_a_person_column_that_hold_personal_data_are_mapped(app):
    mapped = {rule.table for rule in RULES}
    for table in ("outbox_message", "login_failure", "audit_entry", "accessibility_report"):
        assert table in mapped


def test_every_kind_an_erasure_counts_is_named_in_the_readers_language(app):
    """The preview she reads before erasing says each kind in words, not as a code ("jobs started")."""
    kinds = {rule.kind for rule in RULES} | {"badge prints deleted", "route sheets deleted", "imported files emptied",
                                              "mentions scrubbed"}
    assert sorted(kinds - set(KIND_LABELS)) == []
