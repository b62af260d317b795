"""Error pages in the visitor's language; JSON for API clients."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.database_away import DATABASE_ERRORS, is_database_away
from app.core.limits import ValueRefused
from app.core.sentences import gettext as _
from app.extensions import db, login_manager

log = logging.getLogger(__name__)

#: A path segment that looks like a secret (a survey link's token, a calendar feed's, a reset link's).
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-]{24,}")


def loggable_path() -> str:
    """The request's path for a log line, its secret-looking segments masked: a link that opens a page without
    a password must not end up readable in the logs."""
    if not has_request_context():
        return "a command"
    return _TOKEN_LIKE.sub("[secret]", request.path)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. The team has been told."),
    }


def refusal_message(error: ValueRefused) -> str:
    """A value that does not fit its column, naming the field."""
    p = error.params
    if error.code == "too_long":
        return _("“%(field)s” is too long: %(length)d characters, at most %(max)d.", field=error.field,
                 length=p.get("length", 0), max=p.get("max", 0))
    if error.code == "out_of_range":
        return _("“%(field)s” is out of range.", field=error.field)
    return _("“%(field)s” must be a number.", field=error.field)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("Your form expired or was sent from elsewhere. Reload the page and try again.")
        return _render(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # A description given to abort() is shown; werkzeug's English defaults are not.
        message = error.description if error.description != type(error).description else None
        return _render(error.code or 500, message, reason=getattr(error, "reason", None),
                       field=getattr(error, "field", None))

    @app.errorhandler(ValueRefused)
    def value_refused(error: ValueRefused):
        db.session.rollback()  # a unit of work rolls back; a flush outside one must not linger either
        return _render(422, refusal_message(error), reason=error.code, field=error.field)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s", loggable_path())
        db.session.rollback()  # the page is rendered with the session: not in a failed transaction
        return _render(500, None)

    def database_error(error: Exception):
        """The database briefly away (a restart, a lost connection, a lock held too long): 503 with Retry-After,
        which browsers and the scanner's queue read as "send again"; any other database error is a bug (500)."""
        if not is_database_away(error):
            return unexpected_error(error)
        log.warning("the database cannot be reached on %s: %s", loggable_path(), error)
        return database_away_response()

    for error_class in DATABASE_ERRORS:
        app.register_error_handler(error_class, database_error)

    @app.teardown_appcontext
    def end_session(exc: BaseException | None) -> None:  # noqa: ARG001
        """Close the request's session before Flask-SQLAlchemy does (the last teardown registered runs first).

        Closing rolls back the connection's transaction; when the database went away after the answer was
        made, that rollback fails, and Flask-SQLAlchemy's own teardown would turn an answered request into a
        500. The lost connection is already dropped from the pool: forget the session and go on."""
        try:
            db.session.remove()
        except DATABASE_ERRORS as error:
            if not is_database_away(error):
                raise
            log.warning("the database went away while a session closed on %s: %s",
                        loggable_path(), error)
            try:
                db.session.registry().invalidate()
            except DATABASE_ERRORS:
                pass
            db.session.registry.clear()


def database_away_response():
    """503, Retry-After, and a page drawn without the database: the session is rolled back (its connection may
    be dead: the pool drops it and pings the next one) and the visitor is not looked up."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection that died mid-rollback is dropped by the pool
        log.warning("rollback failed while the database is away", exc_info=True)
    g._login_user = login_manager.anonymous_user()  # noqa: SLF001 - Flask-Login's per-request user
    message = _("The database cannot be reached just now: your request was not completed. "
                "Try again in a few seconds.")
    body, code = _render(503, message, reason="database_unavailable", database_away=True)
    return body, code, {"Retry-After": str(current_app.config["DATABASE_RETRY_AFTER_SECONDS"])}


#: The JSON shape of errors under a URL prefix, as a feature declares it: (prefix, shaper), where the shaper
#: makes the body from the status, message, reason and field.
ERROR_SHAPES = "mediane.error_shapes"
ErrorShaper = Callable[[int, str, str | None, str | None], dict]


def add_error_shape(app: Flask, prefix: str, shaper: ErrorShaper) -> None:
    """Errors of every URL under `prefix` (a 404 of an unknown address included) get the body `shaper` makes."""
    app.extensions.setdefault(ERROR_SHAPES, []).append((prefix, shaper))


def _render(code: int, message: str | None, *, reason: str | None = None, field: str | None = None,
            database_away: bool = False):
    message = message or _messages().get(code, _messages()[400 if code < 500 else 500])
    for prefix, shaper in current_app.extensions.get(ERROR_SHAPES, []):
        if request.path.startswith(prefix):
            return shaper(code, message, reason, field), code
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        body = {"error": message, "status": code}
        if reason:  # the shape of the scanning API's refusals (app.leads.errors): error, code, field, status
            body.update(code=reason, field=field)
        return body, code
    return render_template("error.html", code=code, message=message, database_away=database_away), code


def error_response(code: int, message: str, *, headers: dict[str, str] | None = None):
    """The error page (or JSON for API clients) with `message`, for the error handlers features register."""
    body, code = _render(code, message)
    return body, code, headers or {}
