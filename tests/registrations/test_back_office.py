"""The organiser's lists, bulk decisions, exports (S11) and delegations."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.mail.models import OutboxMessage
from app.registrations import delegations, services
from app.registrations.models import Delegation, Registration, RegistrationStatus
from tests.conftest import login


def test_list_searches_and_filters(client, event, make_organiser, make_registration):
    make_registration(event, CategoryCode.ELU, last_name="Gagnon", territory="Shawinigan", country="CA")
    make_registration(event, CategoryCode.VISITEUR, last_name="Moreau")
    login(client, make_organiser(event))
    base = f"/manage/e/{event.slug}/registrations"
    assert "Gagnon" in client.get(f"{base}?q=shawin").get_data(as_text=True)
    assert "Moreau" not in client.get(f"{base}?q=shawin").get_data(as_text=True)
    by_category = client.get(f"{base}?category=visiteur").get_data(as_text=True)
    assert "MOREAU" in by_category and "GAGNON" not in by_category
    assert "GAGNON" in client.get(f"{base}?country=CA").get_data(as_text=True)
    assert "GAGNON" in client.get(f"{base}?status=pending").get_data(as_text=True)
    # Nonsense filters are ignored, not errors.
    assert client.get(f"{base}?status=zzz&category=zzz&page=-3").status_code == 200


def test_bulk_approval_confirms_and_mails(client, event, make_organiser, make_registration):
    pending = [make_registration(event, CategoryCode.ELU) for _ in range(3)]
    login(client, make_organiser(event))
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    response = client.submit(f"/manage/e/{event.slug}/registrations/bulk",
                             {"action": "approve", "ids": [r.id for r in pending[:2]]})
    assert response.status_code == 302
    statuses = db.session.scalars(select(Registration.status).order_by(Registration.id)).all()
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING]
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds == ["registration_confirmed", "registration_confirmed"]


def test_a_bulk_approval_is_stored_whole_or_not_at_all(event, make_organiser, make_registration, monkeypatch):
    """approve() is the commit point of the decision: a mail that fails for the third registration leaves
    all three pending, without mail or audit row; without the failure the service stores everything."""
    event_id, organiser_id = event.id, make_organiser(event).id
    ids = [make_registration(event, CategoryCode.ELU).id for _ in range(3)]
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    send_mail, recipients = services.send_mail, []

    def fail_the_third(recipient, **kwargs):
        recipients.append(recipient)
        if len(recipients) == 3:
            raise RuntimeError("the mail server's template is broken")
        return send_mail(recipient, **kwargs)

    monkeypatch.setattr(services, "send_mail", fail_the_third)
    with pytest.raises(RuntimeError):
        services.approve(event, ids, actor_id=organiser_id)
    db.session.remove()  # a fresh session sees only what was committed
    assert set(db.session.scalars(select(Registration.status))) == {RegistrationStatus.PENDING}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "registration.approve")) == 0

    monkeypatch.undo()
    assert services.approve(db.session.get(Event, event_id), ids, actor_id=organiser_id).num_changed == 3
    db.session.remove()
    assert set(db.session.scalars(select(Registration.status))) == {RegistrationStatus.CONFIRMED}
    assert db.session.scalars(select(OutboxMessage.kind)).all() == ["registration_confirmed"] * 3


def test_bulk_action_ignores_other_editions_registrations(client, event, make_event, make_organiser, make_registration):
    other_event = make_event(slug="autre-2027", name="Autre")
    foreign = make_registration(other_event, CategoryCode.ELU)
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/registrations/bulk", {"action": "approve", "ids": [foreign.id]})
    db.session.refresh(foreign)
    assert foreign.status == RegistrationStatus.PENDING


def test_bulk_with_bad_input_changes_nothing(client, event, make_organiser, make_registration):
    registration = make_registration(event, CategoryCode.ELU)
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/registrations/bulk"
    assert client.submit(url, {"action": "approve", "ids": ["1; DROP TABLE"]}).status_code == 400
    assert client.submit(url, {"action": "explode", "ids": [registration.id]}).status_code == 302
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.PENDING


def test_cancelling_promotes_the_waiting_list(client, event, make_organiser, make_registration):
    event.category("visiteur").capacity = 1
    db.session.commit()
    first = make_registration(event)
    waiting = make_registration(event)
    assert waiting.status == RegistrationStatus.WAITLISTED
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/registrations/{first.id}/cancel")
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == waiting.person.email,
                                                         OutboxMessage.kind == "registration_confirmed"))


def test_declined_registration_gets_a_declined_mail(client, event, make_organiser, make_registration):
    registration = make_registration(event, CategoryCode.ELU)
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/registrations/{registration.id}/decline")
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CANCELLED and registration.cancel_reason == "declined"
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "registration_cancelled"))
    assert mail is not None


def test_exports_neutralise_spreadsheet_formulas(client, event, make_organiser, make_registration):
    make_registration(event, first_name="=HYPERLINK(\"http://evil\")", last_name="+33 1 23", organisation_name="@SUM(A1)")
    login(client, make_organiser(event))
    response = client.get(f"/manage/e/{event.slug}/registrations/export.csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["last_name", "first_name", "email"]
    assert rows[1][0] == "'+33 1 23" and rows[1][1].startswith("'=") and rows[1][6] == "'@SUM(A1)"
    xlsx = client.get(f"/manage/e/{event.slug}/registrations/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_delegation_with_coordinator_and_protocol_order(client, event, make_organiser, make_registration):
    mayor = make_registration(event, CategoryCode.ELU, last_name="Maire")
    deputy = make_registration(event, CategoryCode.ELU, last_name="Adjoint")
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/delegations", {"name": "Ville de Nevers"})
    assert response.status_code == 302
    url = response.headers["Location"]
    response = client.submit(url, {"add": [deputy.id, mayor.id], "coordinator": ""})
    assert response.status_code == 302
    response = client.submit(url, {f"rank-{mayor.id}": "1", f"rank-{deputy.id}": "2", "coordinator": str(deputy.id)})
    assert response.status_code == 302
    db.session.refresh(mayor)
    delegation = mayor.delegation
    assert [m.id for m in delegation.members] == [mayor.id, deputy.id]
    assert delegation.coordinator_id == deputy.id


def test_a_delegation_is_saved_whole_or_not_at_all(event, make_registration, monkeypatch):
    """set_members() moves the members, ranks them and names the coordinator as one change."""
    event_id = event.id
    mayor, deputy = (make_registration(event, CategoryCode.ELU).id for _ in range(2))
    delegation_id = delegations.create_delegation(event, "Ville de Nevers", actor_id=None).id
    db.session.commit()
    record = audit.record

    def fail_on_the_audit(action, **kwargs):
        if action == "delegation.members":
            raise RuntimeError("the audit table is full")
        return record(action, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_audit)
    with pytest.raises(RuntimeError):
        delegations.set_members(event, db.session.get(Delegation, delegation_id), [mayor, deputy], deputy,
                                actor_id=None)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.delegation_id.is_not(None) | Registration.protocol_rank.is_not(None))) == 0
    assert db.session.get(Delegation, delegation_id).coordinator_id is None

    monkeypatch.undo()
    delegations.set_members(db.session.get(Event, event_id), db.session.get(Delegation, delegation_id),
                            [mayor, deputy], deputy, actor_id=None)
    db.session.remove()
    saved = db.session.get(Delegation, delegation_id)
    assert [m.id for m in saved.members] == [mayor, deputy] and saved.coordinator_id == deputy


def test_a_member_cannot_join_two_delegations(client, event, make_organiser, make_registration):
    mayor = make_registration(event, CategoryCode.ELU)
    login(client, make_organiser(event))
    first = client.submit(f"/manage/e/{event.slug}/delegations", {"name": "Nevers"}).headers["Location"]
    second = client.submit(f"/manage/e/{event.slug}/delegations", {"name": "Lourdes"}).headers["Location"]
    client.submit(first, {"add": [mayor.id]})
    response = client.submit(second, {"add": [mayor.id]})
    assert response.status_code == 422
    db.session.refresh(mayor)
    assert mayor.delegation.name == "Nevers"
    assert client.submit(f"/manage/e/{event.slug}/delegations", {"name": "Nevers"}).status_code == 422


def test_confirmed_startup_people_become_its_exhibitor_staff(client, event, make_organiser, make_registration):
    from app.core.access import Access, event_roles
    startup = make_registration(event, CategoryCode.STARTUP)
    assert Access.EXHIBITOR not in event_roles(startup.person, event)  # pending approval
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/registrations/{startup.id}/approve")
    db.session.expire_all()
    assert Access.EXHIBITOR in event_roles(startup.person, event)
    client.submit(f"/manage/e/{event.slug}/registrations/{startup.id}/cancel")
    db.session.expire_all()
    assert Access.EXHIBITOR not in event_roles(startup.person, event)


def test_organiser_edits_a_registration_and_bad_values_change_nothing(client, event, make_organiser, make_registration):
    registration = make_registration(event)
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/registrations/{registration.id}"
    good = {"category": "decideur", "job_title": "DGS", "territory": "Nevers", "days": [d.isoformat() for d in event.days],
            "themes": ["sante"]}
    for field, bad in [("category", "astronaute"), ("days", ["2031-01-01"]), ("days", []), ("themes", ["nope"])]:
        response = client.submit(url, {**good, field: bad})
        assert response.status_code == 422, (field, bad)
        db.session.refresh(registration)
        assert registration.category.code == CategoryCode.VISITEUR and registration.job_title == ""
    assert client.submit(url, good).status_code == 302
    db.session.refresh(registration)
    assert registration.category.code == CategoryCode.DECIDEUR and [t.code for t in registration.themes] == ["sante"]
    assert len(registration.days) == 3
