"""The organiser's search: accents, case and punctuation ignored, every word required, in any field."""
import pytest

from app.core.search import fold, search_words
from app.events.models import CategoryCode
from app.extensions import db
from tests.conftest import login


def test_fold_lowers_strips_accents_and_punctuation():
    assert fold("Benoît LAURENT-Gagné") == "benoit laurent gagne"
    assert fold("Zoé Bœuf, Œuvres") == "zoe boeuf oeuvres"
    assert fold("Łukasz  Wałęsa") == "lukasz walesa"
    assert fold("d’Auxerre") == "d auxerre"
    assert search_words("  %_ ") == []


@pytest.fixture
def people(event, make_registration):
    make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent", territory="Nevers",
                      email="b.laurent@mairie-nevers.fr")
    make_registration(event, CategoryCode.STARTUP, first_name="Hélène", last_name="Côté",
                      organisation_name="Énergies du Périgord")
    make_registration(event, CategoryCode.VISITEUR, first_name="Benoît", last_name="Moreau")


@pytest.mark.parametrize(("query", "found"), [
    ("benoit laurent", {"LAURENT"}),
    ("Benoît Laurent", {"LAURENT"}),
    ("LAURENT BENOIT", {"LAURENT"}),
    ("benoit", {"LAURENT", "MOREAU"}),
    ("benoit nevers", {"LAURENT"}),            # a name and a territory
    ("mairie-nevers.fr", {"LAURENT"}),          # the e-mail
    ("helene energies perigord", {"CÔTÉ"}),     # a name and the organisation
    ("cote", {"CÔTÉ"}),
    ("benoit cote", set()),                      # every word must match
    ("%", set()),
])
def test_search_ignores_accents_and_case_for_every_word(client, event, make_organiser, people, query, found):
    login(client, make_organiser(event))
    page = client.get(f"/manage/e/{event.slug}/registrations", query_string={"q": query}).get_data(as_text=True)
    shown = {name for name in ("LAURENT", "MOREAU", "CÔTÉ") if name in page}
    assert shown == found


def test_a_renamed_person_is_found_by_the_new_name(client, event, make_organiser, make_registration):
    registration = make_registration(event, first_name="Anne", last_name="Dupont")
    registration.person.last_name = "Lefèvre"
    db.session.commit()
    login(client, make_organiser(event))
    page = client.get(f"/manage/e/{event.slug}/registrations", query_string={"q": "anne lefevre"}).get_data(as_text=True)
    assert "LEFÈVRE" in page
