"""A database briefly away answers 503 with Retry-After, on pages and APIs; a bug in a query stays a 500 (R10)."""
import sqlite3

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select

from app.core.database_away import is_database_away
from app.extensions import db
from app.people.models import Person
from tests.conftest import login


def wrapped(kind, orig, **kwargs):
    """A DBAPI error as SQLAlchemy hands it to the app."""
    return kind("SELECT 1", {}, orig, **kwargs)


AWAY = {
    "connection refused": wrapped(sa_exc.OperationalError, psycopg.OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused')),
    "connection lost": wrapped(sa_exc.OperationalError, psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly")),
    "admin shutdown": wrapped(sa_exc.OperationalError, psycopg.errors.AdminShutdown(
        "terminating connection due to administrator command")),
    "starting up": wrapped(sa_exc.OperationalError, psycopg.errors.CannotConnectNow(
        "the database system is starting up")),
    "too many connections": wrapped(sa_exc.OperationalError, psycopg.errors.TooManyConnections(
        "sorry, too many clients already")),
    "invalidated": wrapped(sa_exc.InterfaceError, psycopg.InterfaceError("the connection is closed"),
                           connection_invalidated=True),
    "sqlite locked": wrapped(sa_exc.OperationalError, sqlite3.OperationalError("database is locked")),
    "pool ping failed": sa_exc.DisconnectionError("connection dropped while pinged"),
    "pool empty": sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
}
BUGS = {
    "missing table": wrapped(sa_exc.ProgrammingError, psycopg.errors.UndefinedTable('relation "x" does not exist')),
    "sqlite missing table": wrapped(sa_exc.OperationalError, sqlite3.OperationalError("no such table: x")),
    "syntax": wrapped(sa_exc.ProgrammingError, psycopg.errors.SyntaxError('syntax error at or near "FORM"')),
    "constraint": wrapped(sa_exc.IntegrityError, sqlite3.IntegrityError("UNIQUE constraint failed: scans.client_id")),
    "deadlock": wrapped(sa_exc.OperationalError, psycopg.errors.DeadlockDetected("deadlock detected")),
    "statement timeout": wrapped(sa_exc.OperationalError, psycopg.errors.QueryCanceled("canceling statement")),
    "pending rollback": sa_exc.PendingRollbackError("This Session's transaction has been rolled back"),
    "plain": ValueError("not a database error"),
}


@pytest.mark.parametrize("name", AWAY)
def test_a_database_away_is_told_from_its_errors(name):
    assert is_database_away(AWAY[name])


@pytest.mark.parametrize("name", BUGS)
def test_a_bug_or_a_refusal_is_not_taken_for_an_outage(name):
    assert not is_database_away(BUGS[name])


@pytest.fixture
def database_fails(monkeypatch):
    """Every query of the request's session raises `error`, as a database that went away does."""
    def fail_with(error):
        def raise_it(*args, **kwargs):
            raise error
        for method in ("get", "scalar", "scalars", "execute"):
            monkeypatch.setattr(db.session, method, raise_it)
    return fail_with


@pytest.mark.parametrize("name", ["connection lost", "admin shutdown", "sqlite locked"])
def test_a_page_answers_503_with_retry_after_when_the_database_is_away(client, event, database_fails, name):
    database_fails(AWAY[name])
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "base de données est injoignable" in html and "Réessayez dans quelques secondes" in html
    assert "équipe a été prévenue" not in html


def test_a_signed_in_visitor_gets_the_503_page_without_the_database(client, event, make_organiser, database_fails):
    organiser = make_organiser(event)
    login(client, organiser)
    assert organiser.full_name in client.get("/").get_data(as_text=True)
    database_fails(AWAY["connection lost"])  # loading the visitor fails too: the page is drawn without them
    response = client.get(f"/manage/e/{event.slug}/", headers={"Accept-Language": "en"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "The database cannot be reached just now" in html and organiser.full_name not in html


def test_the_scanner_api_answers_503_in_its_own_refusal_shape(client, database_fails):
    database_fails(AWAY["connection refused"])
    response = client.post("/api/leads/v1/scans", json={"scans": []}, headers={"Authorization": "Bearer d_x"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert set(response.json) == {"error", "code", "field", "status"}
    assert response.json["code"] == "database_unavailable" and response.json["status"] == 503


def test_the_public_api_answers_503_in_its_own_error_shape(client, database_fails):
    database_fails(AWAY["connection lost"])
    response = client.get("/api/v1/events", headers={"Authorization": "Bearer mk_x"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json["error"]["code"] == "database_unavailable"
    assert set(response.json["error"]) == {"code", "message", "field"}


@pytest.mark.parametrize("name", ["missing table", "sqlite missing table", "constraint", "deadlock"])
def test_a_query_bug_is_still_a_500(client, event, database_fails, name):
    database_fails(BUGS[name])
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_the_session_works_again_after_a_503(client, event, database_fails, monkeypatch):
    database_fails(AWAY["connection lost"])
    assert client.get("/").status_code == 503
    monkeypatch.undo()
    assert client.get("/").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Person)) >= 0


def test_a_connection_lost_while_the_session_closes_keeps_the_answer(client, event, monkeypatch):
    """The page was made; then, closing the request's session, the rollback finds the server gone (a restart
    between the last query and the end of the request). The visitor gets the page, not a 500."""
    from sqlalchemy.orm import Session

    real_close = Session.close
    calls = []

    def close_on_a_lost_connection(self):
        if not calls:
            calls.append(1)
            raise AWAY["connection lost"]
        return real_close(self)

    monkeypatch.setattr(Session, "close", close_on_a_lost_connection)
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert calls and response.status_code == 200
    monkeypatch.undo()
    assert client.get("/").status_code == 200


def test_a_bug_while_the_session_closes_is_not_hidden(client, event, monkeypatch):
    from sqlalchemy.orm import Session

    def close_with_a_bug(self):
        raise BUGS["missing table"]

    monkeypatch.setattr(Session, "close", close_with_a_bug)
    with pytest.raises(sa_exc.ProgrammingError):
        client.get("/")


def test_a_link_s_secret_is_masked_in_the_log_line(client, caplog, monkeypatch):
    """A survey link opens a page without a password: if it fails, the log says where, not the token."""
    from app.outcomes import survey_routes

    def fail(*_args, **_kwargs):
        raise AWAY["connection lost"]

    monkeypatch.setattr(survey_routes.survey, "invitation_for", fail)
    token = "s_" + "A1b2C3d4" * 5
    with caplog.at_level("WARNING"):
        response = client.get(f"/survey/{token}")
    assert response.status_code == 503
    assert token not in caplog.text and "/survey/[secret]" in caplog.text
