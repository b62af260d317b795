"""Counting the SQL statements a page costs, to check it does not grow with the rows it lists."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from tests.network.replication_world import client_of


@contextmanager
def counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_of(app, person, url: str) -> int:
    client = client_of(app, person)
    client.get(url)  # warm up: the session, the first queries of a request that do not depend on the data
    db.session.expire_all()
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)
