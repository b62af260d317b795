"""Telling a database that is briefly away from a bug (R10).

A PostgreSQL restart, a dropped connection, a server refusing connections while it starts or shuts down,
a pool with no connection to give, or a SQLite file whose write lock another process held longer than the
busy timeout: the request could not be served now and may be sent again in a few seconds (503 with
Retry-After). Anything else the database says (a constraint, a syntax error, a missing table, a deadlock
that survived its retries) is a bug or a refusal, and stays what it is.
"""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import exc as sa_exc

from config import Config

#: Errors that may say the database is away; `is_database_away` looks closer at the DBAPI ones.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sa_exc.DBAPIError, sa_exc.DisconnectionError, sa_exc.TimeoutError)

#: PostgreSQL SQLSTATEs of a server that is away for a moment, besides class 08 (connection exceptions):
#: admin_shutdown, crash_shutdown, cannot_connect_now (starting or recovering), too_many_connections.
AWAY_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})

#: What SQLite says when another connection held the write lock for longer than the busy timeout.
SQLITE_LOCKED = ("database is locked", "database table is locked", "database is busy")


def is_database_away(error: BaseException) -> bool:
    """True when `error` says the database cannot be reached or used just now, not that the request is wrong."""
    if isinstance(error, (sa_exc.DisconnectionError, sa_exc.TimeoutError)):
        return True  # the pool could not hand out a live connection in time
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True  # SQLAlchemy recognised a lost connection (and dropped it from the pool)
    if not isinstance(error, sa_exc.OperationalError):
        return False
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in AWAY_SQLSTATES
    module = type(orig).__module__
    if module.startswith("sqlite3"):
        return str(orig).lower().startswith(SQLITE_LOCKED)
    # psycopg's own errors without a SQLSTATE are the client's: it could not connect, or lost the connection.
    return module.startswith("psycopg")


def sqlite_busy_timeout_ms() -> int:
    """How long a SQLite connection waits for another's write lock before it is "database is locked" (503)."""
    if has_app_context():
        return int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
    return Config.SQLITE_BUSY_TIMEOUT_MS
