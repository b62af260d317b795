"""Merging two organisation records that are one: the duplicates page, the preview, the merge and its refusals."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role
from app.events.models import CategoryCode
from app.outcomes.models import Outcome
from app.outcomes.organisations import REFERENCE_LABELS, likeness_key
from app.people.merging import organisation_references
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.delegations import create_delegation
from app.registrations.models import Delegation, Registration
from tests.conftest import login
from tests.outcomes.organisation_rows import organisation, outcome


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot(db) -> tuple:
    return (sorted((o.id, o.name, o.city) for o in db.session.scalars(select(Organisation))),
            sorted((o.id, o.startup_id, o.organisation_id) for o in db.session.scalars(select(Outcome))),
            sorted((r.id, r.organisation_id) for r in db.session.scalars(select(Registration))),
            count(db, AuditEntry))


@pytest.fixture
def two_editions(make_event, make_registration, make_person, db):
    """The city of Nevers registered as a local authority in 2026 and, as an institution, in 2027; a startup met it
    in both editions; one person organises both."""
    e2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    e2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    mayor = make_registration(e2026, CategoryCode.ELU, territory="Ville de Nevers")
    director = make_registration(e2027, CategoryCode.DECIDEUR, organisation_name="VILLE DE NÉVERS")
    startup = make_registration(e2026, CategoryCode.STARTUP, organisation_name="Captéo")
    city_2026, city_2027 = mayor.organisation, director.organisation
    city_2026.city = ""
    city_2027.city = "Nevers"
    city_2027.population = 33_000
    create_delegation(e2027, "Délégation de Nevers", actor_id=None, organisation_id=city_2027.id)
    outcome(e2026.id, startup.organisation_id, city_2026.id)
    outcome(e2027.id, startup.organisation_id, city_2027.id)
    outcome(e2027.id, startup.organisation_id, city_2027.id)
    audit.record("organisation.edit", actor_id=None, obj=city_2027)
    db.session.commit()
    organiser = make_person()
    for edition in (e2026, e2027):
        grant_role(organiser, edition.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    return {"kept": city_2026.id, "dropped": city_2027.id, "startup": startup.organisation_id,
            "organiser": organiser, "events": (e2026, e2027)}


def test_every_reference_to_an_organisation_has_a_label():
    assert {reference.key for reference in organisation_references()} <= set(REFERENCE_LABELS)
    assert {"outcome.startup_id", "outcome.organisation_id", "registration.organisation_id"} <= set(REFERENCE_LABELS)


def test_likeness_sets_generic_words_aside():
    assert likeness_key("Ville de Nevers") == likeness_key("MAIRIE DE NÉVERS") == likeness_key("Nevers")
    assert likeness_key("Captéo SAS") == likeness_key("capteo")
    assert likeness_key("Ville de Nevers") != likeness_key("Ville de Vierzon")
    assert likeness_key("La Ville") == "laville"  # generic words alone are the name


def test_the_duplicates_page_lists_the_city_of_both_editions(client, two_editions):
    login(client, two_editions["organiser"])
    page = client.get("/manage/organisations/duplicates").get_data(as_text=True)
    assert "Ville de Nevers" in page and "VILLE DE NÉVERS" in page
    assert f"/manage/organisations/merge/{two_editions['kept']}/{two_editions['dropped']}" in page
    assert "Captéo" not in page  # alone of its kind


def test_the_preview_says_what_moves_per_edition_and_changes_nothing(client, two_editions, db):
    login(client, two_editions["organiser"])
    before = snapshot(db)
    response = client.get(f"/manage/organisations/merge/{two_editions['kept']}/{two_editions['dropped']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sommet 2027" in page and "Délégations" in page and "Inscriptions" in page
    assert "Résultats (en tant que ville ou organisation rencontrée)" in page
    assert "33000" in page or "33 000" in page or "33\u202f000" in page  # the population the kept record gains
    assert snapshot(db) == before


def test_the_merge_repoints_everything_fills_empty_fields_and_keeps_outcomes_and_audit(client, two_editions, db):
    login(client, two_editions["organiser"])
    kept, dropped = two_editions["kept"], two_editions["dropped"]
    num_audit = count(db, AuditEntry)
    response = client.submit("/manage/organisations/merge", {"kept_id": kept, "dropped_id": dropped})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, dropped) is None
    city = db.session.get(Organisation, kept)
    assert (city.name, city.city, city.population) == ("Ville de Nevers", "Nevers", 33_000)
    assert count(db, Outcome) == 3
    assert set(db.session.scalars(select(Outcome.organisation_id))) == {kept}
    assert db.session.scalar(select(Delegation.organisation_id)) == kept
    assert db.session.scalar(select(func.count()).where(Registration.organisation_id == kept)) == 2
    assert db.session.scalar(select(func.count()).where(Person.organisation_id == kept)) == 2
    assert count(db, AuditEntry) == num_audit + 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.merge"))
    assert entry.object_id == str(kept) and entry.actor_id == two_editions["organiser"].id
    assert entry.details["kept"]["name"] == "Ville de Nevers" and entry.details["dropped"]["name"] == "VILLE DE NÉVERS"
    assert entry.details["moved"]["outcome.organisation_id"] == 2
    assert "Ville de Nevers" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("form, status, message", [
    (lambda t: {"kept_id": t["kept"], "dropped_id": t["kept"]}, 400, "ne peut pas être fusionnée avec elle-même"),
    (lambda t: {"kept_id": t["kept"], "dropped_id": 999_999}, 404, "999999"),
    (lambda t: {"kept_id": "12abc", "dropped_id": t["dropped"]}, 400, "organisation gardée"),
    (lambda t: {"kept_id": t["kept"], "dropped_id": "-3"}, 400, "organisation fusionnée"),
    (lambda t: {"kept_id": t["kept"]}, 400, "Choisissez"),
])
def test_bad_merge_forms_are_refused_with_a_message_and_change_nothing(client, two_editions, db, form, status,
                                                                       message):
    login(client, two_editions["organiser"])
    before = snapshot(db)
    response = client.submit("/manage/organisations/merge", form(two_editions))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_a_bad_preview_address_is_refused_with_a_message(client, two_editions):
    login(client, two_editions["organiser"])
    kept = two_editions["kept"]
    same = client.get(f"/manage/organisations/merge/{kept}/{kept}")
    assert same.status_code == 400 and "elle-même" in same.get_data(as_text=True)
    unknown = client.get(f"/manage/organisations/merge/{kept}/424242")
    assert unknown.status_code == 404 and "424242" in unknown.get_data(as_text=True)


def test_an_organiser_of_one_edition_only_may_not_merge_records_of_another(client, two_editions, make_organiser, db):
    only_2027 = make_organiser(two_editions["events"][1])
    login(client, only_2027)
    before = snapshot(db)
    kept, dropped = two_editions["kept"], two_editions["dropped"]
    assert client.get(f"/manage/organisations/merge/{kept}/{dropped}").status_code == 403
    response = client.submit("/manage/organisations/merge", {"kept_id": kept, "dropped_id": dropped})
    assert response.status_code == 403 and "éditions que vous organisez" in response.get_data(as_text=True)
    assert snapshot(db) == before
    assert "VILLE DE NÉVERS" not in client.get("/manage/organisations/duplicates").get_data(as_text=True)


def test_staff_merge_any_two_records(client, two_editions, make_person, db):
    staff = make_person(is_staff=True)
    lone_id = organisation("Nevers", OrganisationKind.AUTRE).id  # in no edition
    db.session.commit()
    login(client, staff)
    assert "Nevers" in client.get("/manage/organisations/duplicates").get_data(as_text=True)
    response = client.submit("/manage/organisations/merge", {"kept_id": two_editions["kept"], "dropped_id": lone_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, lone_id) is None


def test_people_who_organise_nothing_are_refused(client, two_editions, make_person):
    login(client, make_person())
    assert client.get("/manage/organisations/duplicates").status_code == 403
