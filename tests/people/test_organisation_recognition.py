"""The same organisation is recognised across editions and registrations: case, accents, spaces and punctuation
aside, in the same country and of the same kind."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.people.models import Organisation, OrganisationKind, organisation_key
from app.people.services import find_organisation
from app.registrations.imports.services import import_file, check_file
from tests.registrations.imports.import_files import HEADER_EN, csv_bytes


def num_organisations(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


@pytest.mark.parametrize("name", ["Ville de Nevers", "ville de  nevers", "VILLE DE NÉVERS", " Ville-de-Nevers ",
                                  "Ville de Nevers.", "ville\tde nevers"])
def test_variants_of_a_name_have_one_key(name):
    assert organisation_key(name) == "villedenevers"


def test_different_names_keep_different_keys():
    assert organisation_key("Ville de Nevers") != organisation_key("Ville de Never")
    assert organisation_key("Cœur de Loire") == organisation_key("COEUR DE LOIRE")


def test_the_same_city_registered_in_two_editions_with_other_spellings_is_one_record(make_event, make_registration, db):
    edition_2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    edition_2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    first = make_registration(edition_2026, CategoryCode.ELU, territory="Ville de Nevers")
    again = make_registration(edition_2027, CategoryCode.ELU, territory="VILLE DE NÉVERS")
    spaced = make_registration(edition_2027, CategoryCode.ELU, territory="ville de  nevers")
    assert first.organisation_id == again.organisation_id == spaced.organisation_id
    assert num_organisations(db) == 1
    assert db.session.get(Organisation, first.organisation_id).name == "Ville de Nevers"  # the first spelling stays


def test_the_same_startup_across_editions_keeps_one_record(make_event, make_registration, db):
    edition_2026 = make_event(slug="sommet-2026", name="Sommet 2026")
    edition_2027 = make_event(slug="sommet-2027", name="Sommet 2027")
    first = make_registration(edition_2026, CategoryCode.STARTUP, organisation_name="Captéo")
    again = make_registration(edition_2027, CategoryCode.STARTUP, organisation_name="CAPTEO")
    assert first.organisation_id == again.organisation_id


def test_a_city_of_the_same_name_in_another_country_is_another_city(event, make_registration, db):
    french = make_registration(event, CategoryCode.ELU, territory="Laval", country="FR")
    quebec = make_registration(event, CategoryCode.ELU, territory="Laval", country="CA")
    assert french.organisation_id != quebec.organisation_id
    assert {o.country for o in db.session.scalars(select(Organisation))} == {"FR", "CA"}


def test_a_startup_named_like_a_city_is_not_the_city(event, make_registration, db):
    city = make_registration(event, CategoryCode.ELU, territory="Nevers")
    startup = make_registration(event, CategoryCode.STARTUP, organisation_name="NEVERS")
    assert city.organisation_id != startup.organisation_id


def test_find_organisation_picks_the_oldest_of_two_records_that_are_one(db):
    older = Organisation(name="Ville de Nevers", kind=OrganisationKind.COLLECTIVITE, country="FR")
    db.session.add(older)
    db.session.flush()
    db.session.add(Organisation(name="VILLE DE NÉVERS", kind=OrganisationKind.COLLECTIVITE, country="FR"))
    db.session.commit()
    assert find_organisation("ville de nevers", OrganisationKind.COLLECTIVITE, "FR") is older
    assert find_organisation("ville de nevers", OrganisationKind.COLLECTIVITE, "BE") is None
    assert find_organisation("  ", OrganisationKind.COLLECTIVITE, "FR") is None


def test_renaming_an_organisation_updates_its_key(db):
    organisation = Organisation(name="Captéo", kind=OrganisationKind.STARTUP, country="FR")
    db.session.add(organisation)
    db.session.commit()
    organisation.name = "Captéo Mobilité"
    db.session.commit()
    assert db.session.scalar(select(Organisation.name_key)) == "capteomobilite"


def test_an_import_recognises_the_same_organisation_in_its_rows_and_in_the_database(app, event, make_registration, db):
    make_registration(event, CategoryCode.STARTUP, organisation_name="Captéo", email="known@capteo.example")
    def row(email: str, name: str, country: str) -> list[str]:
        return [email, "Inès", email.split("@")[0], "startup", name, "", country, "", "", "", "", "", "", "Capteurs"]

    rows = [row(f"p{i}@capteo.example", name, "FR") for i, name in enumerate(["CAPTEO", "captéo ", "Capteo"])]
    rows.append(row("p9@other.example", "Capteo", "BE"))
    content = csv_bytes(rows, header=HEADER_EN)
    with app.test_request_context():
        import_file(event, content, "liste.csv", check_file(event, content, "liste.csv"), actor_id=None, notify=False)
    assert sorted((o.name, o.country) for o in db.session.scalars(select(Organisation))) == [("Capteo", "BE"),
                                                                                            ("Captéo", "FR")]
