"""Every action the app's code records has a name on the audit pages, and no audit row holds a secret or text a
person typed (issue 19): the calls are read from the source (tests/privacy/audit_calls.py), and `record` itself
refuses such details at run time."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.network.members.manage import ACTIONS as MEMBERSHIP_ACTIONS
from app.network.models import Agreement
from app.privacy.auditlog.actions import ACTION_LABELS, EXPORT, action_label
from tests.privacy.audit_calls import audit_calls

#: The f-strings whose placeholder is a parameter of their function, and every value the code lets it take (the
#: routes and services that call them, read by hand: a new f-string is refused below until it is added here).
DYNAMIC = {
    # registrations.services.cancel(reason=...): "cancelled" by default, "declined" from the organiser's bulk action.
    "f'registration.{reason}'": {"registration.cancelled", "registration.declined"},
    # network.library.partners.answer(value): refused unless one of these.
    "f'network.project.partner.{value}'": {f"network.project.partner.{a.value}"
                                           for a in (Agreement.AGREED, Agreement.DECLINED)},
    # network.members.manage.change_membership(action): refused unless in ACTIONS.
    "f'network.membership.{action}'": {f"network.membership.{a}" for a in MEMBERSHIP_ACTIONS},
}


def recorded_actions() -> set[str]:
    actions = {EXPORT}
    for call in audit_calls():
        if call.unresolved:
            assert call.unresolved in DYNAMIC, f"{call.where}: say which actions {call.unresolved} can be in DYNAMIC"
            actions |= DYNAMIC[call.unresolved]
        actions |= call.actions
    return actions


def test_the_source_is_read_whole():
    calls = audit_calls()
    assert len(calls) > 100
    assert {"checkin", "lead.scan", "role.grant", "meetings.request.decline", "visits.publish"} <= recorded_actions()


def test_every_recorded_action_has_a_name():
    unnamed = sorted(recorded_actions() - set(ACTION_LABELS))
    assert unnamed == [], f"give these actions a label in app/privacy/auditlog/actions.py: {unnamed}"


def test_an_action_without_a_name_shows_its_code(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert action_label("checkin") == "Accueilli à l'entrée"
        assert action_label("some.old_action") == "some.old_action"


#: Keys that no `details=` of the code may spell: a secret, a contact detail, text or a file name a person typed.
FORBIDDEN_KEYS = {"url", "filename", "device_name", "note", "notes", "message", "comment", "body"}


def test_no_call_writes_a_secret_or_typed_text_under_a_key_of_its_details():
    found = []
    for call in audit_calls():
        for key in call.detail_keys or ():
            if key in FORBIDDEN_KEYS or audit.unsafe_keys({key: "code"}):  # a typed value is refused by record()
                found.append(f"{call.where}: {key}")
    assert found == []


@pytest.mark.parametrize("details", [
    {"token": "b_secret"}, {"api_token": "x"}, {"password": "x"}, {"email": "a@b.fr"}, {"contact_email": "a@b.fr"},
    {"phone": "0600000000"}, {"webhook_secret": "x"}, {"reason": "Mon agenda est complet ce jour-là."},
    {"note": "Très intéressée par nos capteurs"}, {"filename": "liste Dupont.csv"},
    {"kept": {"email": "a@b.fr"}}, {"steps": [{"reason": "Pas le moment"}]},
])
def test_record_refuses_details_holding_a_secret_or_typed_text(db, details):
    with pytest.raises(audit.UnsafeAuditDetails) as refused:
        audit.record("checkin", actor_id=None, details=details)
    assert "checkin" in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.id)) is None


@pytest.mark.parametrize("details", [
    {"token_id": 3}, {"code_sha256": "ab12"}, {"reason": "revoked"}, {"reason": "other_event"},
    {"with_reason": True}, {"reason": None}, {"kept": {"id": 2}}, {"host": "crm.example.org"},
    {"counts": {"badge tokens": 2, "phones": 1}},
])
def test_record_keeps_ids_hashes_flags_and_codes(db, details):
    entry = audit.record("checkin", actor_id=None, details=details)
    db.session.commit()
    assert db.session.get(AuditEntry, entry.id).details == details
