"""What a column holds is checked before every flush: a value that does not fit is a refusal (422) naming the
field, the unit of work is rolled back; and an error page renders even after a failed statement."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.core.limits import ValueRefused
from app.demonstrator.hall.models import Stand
from app.extensions import db
from app.registrations.delegations import create_delegation
from app.registrations.models import Delegation
from tests.conftest import login


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_text_longer_than_its_column_is_refused_and_nothing_is_stored(event):
    with pytest.raises(ValueRefused) as refused:
        create_delegation(event, "Ville de " + "x" * 300, actor_id=None)
    assert (refused.value.code, refused.value.field, refused.value.params["max"]) == ("too_long", "name", 200)
    db.session.rollback()
    assert count(Delegation) == 0
    create_delegation(event, "Ville de Nevers", actor_id=None)
    assert count(Delegation) == 1


@pytest.mark.parametrize("changes, code, field", [
    ({"capacity": 2**31}, "out_of_range", "capacity"),
    ({"min_visits": -(2**31) - 1}, "out_of_range", "min_visits"),
    ({"x": float("nan")}, "not_finite", "x"),
    ({"width": float("inf")}, "not_finite", "width"),
    ({"number": "B" * 21}, "too_long", "number"),
])
def test_integers_past_32_bits_and_numbers_that_are_not_finite_are_refused(event, changes, code, field):
    stand = Stand(event_id=event.id, **{"number": "A1", "x": 1.0, "y": 1.0, "capacity": 1, **changes})
    db.session.add(stand)
    with pytest.raises(ValueRefused) as refused:
        db.session.flush()
    assert (refused.value.code, refused.value.field) == (code, field)
    db.session.rollback()


def test_a_refused_value_is_a_422_naming_the_field(app):
    with app.test_request_context("/manage/", headers={"Accept-Language": "en"}):
        response = app.make_response(app.handle_user_exception(
            ValueRefused("too_long", "reason", max=200, length=100_000)))
    assert response.status_code == 422
    assert "“reason” is too long: 100,000 characters, at most 200." in response.get_data(as_text=True)


def test_the_error_page_renders_after_a_failed_statement(app, client, event, make_organiser, monkeypatch):
    """On PostgreSQL a failed statement aborts the transaction: the page (which reads the visitor's roles)
    must not be rendered in it."""
    def broken_view(**kwargs):
        db.session.execute(text("SELECT * FROM no_such_table"))

    login(client, make_organiser(event))
    monkeypatch.setitem(app.view_functions, "backoffice.dashboard", broken_view)
    response = client.get("/manage/", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_a_row_stored_before_the_checks_can_still_be_changed_elsewhere(event):
    """Only what a flush changes is checked: an old, too long value does not block an update of another column."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite could have stored such a row")
    create_delegation(event, "Ville de Nevers", actor_id=None)
    db.session.execute(text("UPDATE delegation SET name = :name"), {"name": "x" * 300})
    db.session.commit()
    delegation = db.session.scalar(select(Delegation))
    db.session.refresh(delegation)
    delegation.organisation_id = None
    delegation.name = delegation.name  # not a change
    db.session.flush()
    delegation.name = "y" * 300
    with pytest.raises(ValueRefused):
        db.session.flush()
    db.session.rollback()
