"""Error pages in the visitor's language; JSON for API clients."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return _render(500, None)


def _render(code: int, message: str | None, *, reason: str | None = None, field: str | None = None):
    message = message or _messages().get(code, _messages()[400 if code < 500 else 500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        body = {"error": message, "status": code}
        if reason:
            body.update(code=reason, field=field)
        return body, code
    return render_template("error.html", code=code, message=message), code
