"""Whole numbers the code reads itself: a query string's nonsense is ignored, a form's is refused by name."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.auth.routes import load_user
from app.core.params import BadParameter, form_ids, form_int, parse_int, query_int
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.delegations import create_delegation
from app.registrations.models import Registration
from tests.conftest import login

HUGE = "9" * 30


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), (" 7 ", 7), ("-3", None), ("0", None), ("", None), (None, None), ("abc", None), ("1.5", None),
    ("\u00b2", None), ("\u0663", None), (HUGE, None), (str(2**31), None), ("1_000", None), ("+4", None),
])
def test_parse_int_takes_ascii_whole_numbers_within_bounds(raw, expected):
    assert parse_int(raw, low=1, high=2**31 - 1) == expected


def test_a_query_gives_the_default_for_nonsense_and_a_form_names_the_field(app):
    assert query_int(MultiDict({"page": HUGE}), "page", default=1) == 1
    assert query_int(MultiDict({"page": "3"}), "page", default=1) == 3
    assert form_int(MultiDict({"rank": ""}), "rank", default=999) == 999
    assert form_ids(MultiDict([("ids", "4"), ("ids", ""), ("ids", "5")]), "ids") == [4, 5]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(BadParameter) as refused:
            form_int(MultiDict({"rank": "\u00b2"}), "rank", default=None, low=0, high=999)
        assert refused.value.code == 400 and refused.value.field == "rank"
        assert refused.value.description == "“rank”: give a whole number from 0 to 999."


@pytest.mark.parametrize("query", [f"page={HUGE}", f"delegation={HUGE}", "page=\u00b2", "delegation=\u00b2",
                                   f"page={2**63}", "delegation=-4"])
def test_the_registration_list_and_export_ignore_nonsense_numbers(client, event, make_organiser, make_registration,
                                                                     query):
    make_registration(event, CategoryCode.VISITEUR, last_name="Moreau")
    login(client, make_organiser(event))
    page = client.get(f"/manage/e/{event.slug}/registrations?{query}")
    assert page.status_code == 200 and "MOREAU" in page.get_data(as_text=True)
    assert client.get(f"/manage/e/{event.slug}/registrations/export.csv?{query}").status_code == 200


def test_a_delegation_rank_that_is_not_a_number_is_refused_naming_the_member(client, event, make_organiser,
                                                                            make_registration):
    member = make_registration(event, CategoryCode.ELU, first_name="Anne", last_name="Morel")
    delegation = create_delegation(event, "Ville de Nevers", actor_id=None)
    db.session.commit()
    login(client, make_organiser(event))
    url = f"/manage/e/{event.slug}/delegations/{delegation.id}"
    assert client.submit(url, {"add": str(member.id)}, headers={"Accept-Language": "en"}).status_code == 302
    for rank in ("abc", "\u00b2", HUGE):
        response = client.submit(url, {f"rank-{member.id}": rank}, headers={"Accept-Language": "en"})
        assert response.status_code == 422
        assert "Protocol order of Anne Morel: give a whole number from 0 to 999." in response.get_data(as_text=True)
    refused = client.submit(url, {"add": HUGE}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "“add”" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Registration.delegation_id).where(Registration.id == member.id)) == delegation.id


@pytest.mark.parametrize("value", ["\u00b2", HUGE])
def test_badge_printing_refuses_a_delegation_that_is_not_an_id(client, event, make_organiser, value):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/print", {"delegation": value, "sheet": "a6"},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "“delegation”: give a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("ids", [[HUGE], ["\u00b2"], ["1", str(2**40)]])
def test_a_bulk_action_on_ids_that_are_not_ids_is_refused(client, event, make_organiser, make_registration, ids):
    registration = make_registration(event, CategoryCode.ELU)
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/registrations/bulk", {"action": "approve", "ids": ids},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "“ids”" in response.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.status.value == "pending"


@pytest.mark.parametrize("session_id", ["\u00b2:token", f"{HUGE}:token", "-1:token", ":token", "abc"])
def test_a_session_naming_no_possible_person_is_anonymous(app, session_id):
    """The session is signed, so this takes a leaked key; still, the loader never fails on it."""
    with app.test_request_context():
        assert load_user(session_id) is None
