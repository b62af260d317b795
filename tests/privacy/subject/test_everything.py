"""Issue 19, 'Done when': a person with data in every table; her export finds every row; her erasure leaves none
of her personal fields anywhere, while the edition's counts are unchanged."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import JSON, LargeBinary, String, Text, func, select

from app.audit.models import AuditEntry
from app.badging.models import BadgeToken
from app.core.timefmt import utcnow
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.people.models import Person
from app.privacy.subject import exports
from app.privacy.subject.erasure import erase_person, preview_erasure
from app.privacy.subject.people import SubjectError, subject
from app.privacy.subject.tables import RULES
from app.registrations.models import Mandate, Registration
from app.registrations.services import RegistrationInput, register
from tests.privacy.subject.everything import fill_every_table, rows_naming
from tests import test_access_matrix

world = test_access_matrix.world  # the access matrix's world, as a fixture of this module

COUNTED = ("check_in", "lead", "lead_scan", "planned_visit", "meeting_request", "meeting_participant", "outcome",
           "agenda_entry", "registration")


def edition_counts() -> dict[str, int]:
    return {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
            for name in COUNTED}


def texts_naming(needles: list[str]) -> list[str]:
    """Every text, JSON and file column of every table, searched for her needles (case aside)."""
    found = []
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON, LargeBinary))]
        for row in db.session.execute(select(*columns)) if columns else ():
            for column in columns:
                value = row._mapping[column.name]
                if value is None:
                    continue
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else (
                    json.dumps(value, ensure_ascii=False) if isinstance(column.type, JSON) else str(value))
                if any(n in text.lower() for n in lowered):
                    found.append(f"{table.name}.{column.name}: {text[:80]}")
    return found


@pytest.fixture
def her(world, make_event):
    people, values = world
    person = people["attendee"]
    person.phone = "+33 6 12 34 56 78"
    db.session.commit()
    # A second edition: one account, a registration in each.
    other = db.session.scalar(select(Event).where(Event.slug == "autre-edition"))
    register(other, RegistrationInput(category=CategoryCode.ELU, email=person.email, first_name=person.first_name,
                                      last_name=person.last_name, days=[other.starts_on], territory="Nevers",
                                      mandate=Mandate.MAIRE), source="test")
    db.session.commit()
    registration = db.session.get(Registration, values["registration_id"])
    missing = fill_every_table(person, registration.id, utcnow())
    assert missing == []
    return person


def registration_ids(person_id: int) -> list[int]:
    return list(db.session.scalars(select(Registration.id).where(Registration.person_id == person_id)))


def test_export_finds_every_row_and_erasure_leaves_nothing_of_her(app, her):
    person_id = her.id
    needles = [her.full_name, her.email, her.phone]
    regs = registration_ids(person_id)
    assert len(regs) == 2
    naming = rows_naming(person_id, regs)
    assert all(naming.values()), [k for k, n in naming.items() if not n]  # a row in every table that can name her
    assert len(texts_naming(needles)) > 40  # her name, address or phone in texts of many tables

    # The export: every row of hers in every table the map exports, in one ZIP.
    expected = {}
    for rule in RULES:
        table = db.metadata.tables[rule.table]
        key = table.primary_key.columns.keys()[0]
        if rule.export:
            expected.setdefault(rule.table, set()).update(
                row._mapping[key] for row in db.session.execute(select(table).where(rule.where(table, subject(person_id)))))
    export = exports.request_export(person_id, requested_by_id=person_id)
    db.session.refresh(export)
    assert exports.status_of(export) == "ready"
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert "summary.html" in archive.namelist()
    assert her.email in archive.read("summary.html").decode()
    hidden: dict[str, set[str]] = {}
    for rule in RULES:
        hidden.setdefault(rule.table, set()).update(rule.hidden)
    for table_name, keys in expected.items():
        if not keys:
            continue
        rows = json.loads(archive.read(f"data/{table_name}.json"))
        key = db.metadata.tables[table_name].primary_key.columns.keys()[0]
        assert keys <= {row[key] for row in rows}, table_name
        assert all(not hidden[table_name] & set(row) for row in rows), table_name  # no token, file or hash
    badges = json.loads(archive.read("data/badge_token.json"))
    assert badges and all("token_sha256" in b and "token" not in b for b in badges)

    before = edition_counts()
    preview = preview_erasure(person_id)
    assert edition_counts() == before and texts_naming(needles)  # the preview changes nothing

    counts = erase_person(person_id, actor_id=None, reason="test")
    db.session.expire_all()
    assert counts["badges revoked"] == preview["badges revoked"] >= 1
    assert counts["check-ins kept"] >= 1 and counts["leads anonymised"] >= 1 and counts["planned visits kept"] >= 1
    assert texts_naming(needles) == []
    assert edition_counts() == before
    person = db.session.get(Person, person_id)
    assert not person.is_enabled and person.password_hash is None and person.phone == ""
    assert db.session.scalar(select(func.count()).select_from(BadgeToken).where(
        BadgeToken.registration_id.in_(regs), BadgeToken.revoked_at.is_(None))) == 0
    # One audit row, counts only.
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert row.details["counts"] == counts and her.email not in json.dumps(row.details)
    with pytest.raises(SubjectError):
        erase_person(person_id, actor_id=None, reason="again")

