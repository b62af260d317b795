"""Merging two people who are one (the same mayor registered in 2026 and 2027 with two e-mails): the duplicates
page, the preview, the merge and its refusals."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import EventRole, RoleName
from app.auth.services import grant_role, set_password
from app.events.models import CategoryCode
from app.outcomes.models import Outcome, SurveyOptOut
from app.outcomes.people_merge import REFERENCE_LABELS
from app.people.merging import person_references
from app.people.models import Person
from app.registrations.models import Registration
from tests.conftest import TEST_PASSWORD, login
from tests.outcomes.organisation_rows import outcome


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot(db) -> tuple:
    return (sorted((p.id, p.email, p.phone) for p in db.session.scalars(select(Person))),
            sorted((o.id, o.recorded_by_id, o.confirmed_by_id) for o in db.session.scalars(select(Outcome))),
            sorted((r.id, r.person_id) for r in db.session.scalars(select(Registration))),
            sorted((r.id, r.person_id) for r in db.session.scalars(select(EventRole))),
            sorted((a.id, a.actor_id) for a in db.session.scalars(select(AuditEntry))))


@pytest.fixture
def mayor(make_event, make_registration, make_person, db):
    """Marie Dupont, mayor of Nevers, registered in 2026 as m.dupont@ville.fr and in 2027 as maire@ville.fr, where
    she recorded and confirmed an outcome with a startup; one person organises both editions."""
    e2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    e2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    first = make_registration(e2026, CategoryCode.ELU, email="m.dupont@ville.fr", first_name="Marie",
                              last_name="Dupont", territory="Ville de Nevers")
    second = make_registration(e2027, CategoryCode.ELU, email="maire@ville.fr", first_name="MARIE",
                               last_name="DUPONT ", territory="Ville de Nevers", phone="03 86 00 00 00")
    startup = make_registration(e2027, CategoryCode.STARTUP, organisation_name="Captéo")
    row = outcome(e2027.id, startup.organisation_id, second.organisation_id)
    row.recorded_by_id = row.confirmed_by_id = second.person_id
    audit.record("outcome.confirm", actor_id=second.person_id, event_id=e2027.id, obj=row)
    set_password(first.person, TEST_PASSWORD)
    set_password(second.person, TEST_PASSWORD)
    first.person.phone = ""
    db.session.commit()
    organiser = make_person()
    for edition in (e2026, e2027):
        grant_role(organiser, edition.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    return {"kept": first.person_id, "dropped": second.person_id, "organiser": organiser, "events": (e2026, e2027),
            "startup": startup.person_id}


def test_every_reference_to_a_person_has_a_label():
    assert {reference.key for reference in person_references()} <= set(REFERENCE_LABELS)


def test_the_duplicates_page_lists_both_records_with_their_emails_and_editions(client, mayor):
    login(client, mayor["organiser"])
    page = client.get("/manage/people/duplicates").get_data(as_text=True)
    assert "m.dupont@ville.fr" in page and "maire@ville.fr" in page
    assert "Sommet 2026" in page and "Sommet 2027" in page and "Ville de Nevers" in page
    assert f"/manage/people/merge/{mayor['kept']}/{mayor['dropped']}" in page
    assert "Captéo" not in page  # the startup's founder is alone of her name


def test_the_preview_shows_what_moves_per_edition_and_changes_nothing(client, mayor, db):
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.get(f"/manage/people/merge/{mayor['kept']}/{mayor['dropped']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "m.dupont@ville.fr" in page and "maire@ville.fr" in page
    assert "Sommet 2027" in page and "Inscriptions" in page and "Résultats enregistrés" in page
    assert "Résultats confirmés" in page and "Journal d&#39;audit (en tant qu&#39;auteur)" in page
    assert "03 86 00 00 00" in page  # the phone the kept record gains
    assert snapshot(db) == before


def test_the_merge_keeps_the_login_moves_everything_and_ends_the_dropped_sessions(app, client, mayor, db):
    kept, dropped = mayor["kept"], mayor["dropped"]
    other = app.test_client()
    login(other, db.session.get(Person, dropped))
    assert other.get("/manage/people/duplicates").status_code == 403  # signed in, organises nothing
    login(client, mayor["organiser"])
    num_audit = count(db, AuditEntry)
    response = client.submit("/manage/people/merge", {"kept_id": kept, "dropped_id": dropped})
    assert response.status_code == 302
    assert "maire@ville.fr" not in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, dropped) is None
    person = db.session.get(Person, kept)
    assert (person.email, person.phone) == ("m.dupont@ville.fr", "03 86 00 00 00")
    assert db.session.scalar(select(func.count()).where(Registration.person_id == kept)) == 2
    row = db.session.scalar(select(Outcome))
    assert (row.recorded_by_id, row.confirmed_by_id) == (kept, kept)
    assert count(db, AuditEntry) == num_audit + 1
    assert db.session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "outcome.confirm")) == kept
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.merge"))
    assert (entry.details["kept"]["id"], entry.details["dropped"]["id"]) == (kept, dropped)
    assert entry.actor_id == mayor["organiser"].id and entry.object_id == str(kept)
    assert "@" not in str(entry.details)
    # Her old sessions end; she logs in with the kept record's e-mail.
    assert other.get("/manage/people/duplicates").status_code == 302
    login(app.test_client(), person)


@pytest.mark.parametrize("form, status, message", [
    (lambda t: {"kept_id": t["kept"], "dropped_id": t["kept"]}, 400, "ne peut pas être fusionnée avec elle-même"),
    (lambda t: {"kept_id": t["kept"], "dropped_id": 999_999}, 404, "999999"),
    (lambda t: {"kept_id": "12abc", "dropped_id": t["dropped"]}, 400, "personne gardée"),
    (lambda t: {"kept_id": t["kept"], "dropped_id": "-3"}, 400, "personne fusionnée"),
    (lambda t: {"dropped_id": t["dropped"]}, 400, "Choisissez"),
])
def test_bad_merge_forms_are_refused_with_a_message_and_change_nothing(client, mayor, db, form, status, message):
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/people/merge", form(mayor))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_a_bad_preview_address_is_refused_with_a_message(client, mayor):
    login(client, mayor["organiser"])
    kept = mayor["kept"]
    same = client.get(f"/manage/people/merge/{kept}/{kept}")
    assert same.status_code == 400 and "elle-même" in same.get_data(as_text=True)
    unknown = client.get(f"/manage/people/merge/{kept}/424242")
    assert unknown.status_code == 404 and "424242" in unknown.get_data(as_text=True)


def test_two_people_registered_in_the_same_edition_are_not_merged(client, mayor, make_registration, db):
    make_registration(mayor["events"][1], CategoryCode.VISITEUR, email="m.dupont@ville.fr")
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": mayor["dropped"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Inscriptions" in page and "Sommet 2027" in page
    assert snapshot(db) == before
    # The preview says so before she tries, and offers no merge button.
    preview = client.get(f"/manage/people/merge/{mayor['kept']}/{mayor['dropped']}").get_data(as_text=True)
    assert "ne peuvent pas encore être fusionnées" in preview and "Sommet 2027" in preview
    assert 'data-testid="merge"' not in preview


def test_two_survey_opt_outs_are_a_conflict_too(client, mayor, db):
    db.session.add_all([SurveyOptOut(person_id=mayor["kept"]), SurveyOptOut(person_id=mayor["dropped"])])
    db.session.commit()
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": mayor["dropped"]})
    assert response.status_code == 409
    assert "Désinscription des enquêtes de suivi" in response.get_data(as_text=True)
    assert snapshot(db) == before and count(db, SurveyOptOut) == 2


def test_an_organiser_of_one_edition_only_may_not_merge_people_of_another(client, mayor, make_organiser, db):
    only_2027 = make_organiser(mayor["events"][1])
    login(client, only_2027)
    before = snapshot(db)
    assert client.get(f"/manage/people/merge/{mayor['kept']}/{mayor['dropped']}").status_code == 403
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": mayor["dropped"]})
    assert response.status_code == 403 and "éditions que vous organisez" in response.get_data(as_text=True)
    assert snapshot(db) == before
    assert "maire@ville.fr" not in client.get("/manage/people/duplicates").get_data(as_text=True)


def test_a_staff_account_is_merged_away_by_staff_only_and_into_staff_only(client, mayor, make_person, db):
    staff = make_person(is_staff=True, first_name="Marie", last_name="Dupont")
    grant_role(staff, mayor["events"][0].id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    other_staff = make_person(is_staff=True)
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": staff.id})
    assert response.status_code == 403 and "équipe de la plateforme" in response.get_data(as_text=True)
    login(client, other_staff)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": staff.id})
    assert response.status_code == 409 and "équipe de la plateforme" in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_staff_merge_any_two_people(client, mayor, make_person, db):
    login(client, make_person(is_staff=True))
    assert "maire@ville.fr" in client.get("/manage/people/duplicates").get_data(as_text=True)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["dropped"], "dropped_id": mayor["kept"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, mayor["kept"]) is None
    assert db.session.get(Person, mayor["dropped"]).email == "maire@ville.fr"


def test_people_who_organise_nothing_are_refused(client, mayor, make_person):
    login(client, make_person())
    assert client.get("/manage/people/duplicates").status_code == 403


def test_an_organiser_cannot_merge_her_own_account_away(client, mayor, db):
    login(client, mayor["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/people/merge", {"kept_id": mayor["kept"], "dropped_id": mayor["organiser"].id})
    assert response.status_code == 409 and "votre propre compte" in response.get_data(as_text=True)
    assert snapshot(db) == before
