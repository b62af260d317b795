"""The refusals of the public API, in one shape: {"error": {"code", "message", "field"}}."""
from __future__ import annotations

from flask import Response, jsonify

from app.core.domain import DomainError
from app.core.sentences import gettext as _


class ApiError(DomainError):
    """A refused API request; `status` is its HTTP status."""

    def __init__(self, status: int, code: str, field: str | None = None, **params):
        super().__init__(code, field, **params)
        self.status = status


def message(code: str, params: dict) -> str:
    """The refusal in the reader's language (Accept-Language), naming what is wrong."""
    p = params
    texts = {
        "token_missing": lambda: _("Send an API token in the Authorization header: \"Bearer mk_...\"."),
        "token_invalid": lambda: _("This API token is not valid."),
        "token_expired": lambda: _("This API token expired on %(date)s: ask an organiser for a new one.",
                                   date=p.get("date", "")),
        "token_revoked": lambda: _("This API token was revoked."),
        "stand_closed": lambda: _("This startup's registration is not confirmed: its token reads nothing."),
        "missing_scope": lambda: _("This token lacks the scope %(scope)s needed here.", scope=p.get("scope", "")),
        "not_found": lambda: _("Not found in this token's edition."),
        "program_not_published": lambda: _("This edition's program is not published."),
        "plan_not_published": lambda: _("No visit plan of this edition is published yet."),
        "rate_limited": lambda: _("Too many requests with this token (limit %(limit)d per minute): "
                                  "retry in %(seconds)d seconds.", limit=p.get("limit", 0),
                                  seconds=p.get("retry_after", 60)),
        "invalid_query": lambda: _("Query parameter %(name)s: %(reason)s", name=p.get("name", ""),
                                   reason=p.get("reason", "")),
        "invalid_body": lambda: _("%(name)s: %(reason)s", name=p.get("name", "body"),
                                  reason=p.get("reason", "")),
        "cursor_invalid": lambda: _("This cursor is not one the API gave: start again without it."),
        "idempotency_key_invalid": lambda: _("Idempotency-Key must be 1 to 100 visible ASCII characters."),
        "idempotency_key_reused": lambda: _("This Idempotency-Key was already used for another request: "
                                            "use a new key for a new request."),
    }
    text = texts.get(code)
    return text() if text else str(p.get("message") or code)


def reason(error: dict, *, where: str) -> str:
    """Why a value was refused (one of pydantic's errors), in the reader's language where the kind of error is a
    common one; pydantic's own words otherwise."""
    kind, ctx = error["type"], error.get("ctx") or {}
    texts = {
        "missing": lambda: _("required"),
        "extra_forbidden": lambda: _("unknown parameter") if where == "query" else _("unknown field"),
        "string_type": lambda: _("must be text"),
        "int_type": lambda: _("must be a whole number"),
        "int_parsing": lambda: _("must be a whole number"),
        "int_from_float": lambda: _("must be a whole number"),
        "bool_type": lambda: _("must be true or false"),
        "bool_parsing": lambda: _("must be true or false"),
        "list_type": lambda: _("must be a list"),
        "dict_type": lambda: _("must be an object"),
        "model_type": lambda: _("must be an object"),
        "string_too_long": lambda: _("at most %(max)d characters", max=ctx.get("max_length", 0)),
        "string_too_short": lambda: _("must not be empty"),
        "too_long": lambda: _("at most %(max)d items", max=ctx.get("max_length", 0)),
        "greater_than_equal": lambda: _("must be at least %(min)s", min=ctx.get("ge", "")),
        "less_than_equal": lambda: _("must be at most %(max)s", max=ctx.get("le", "")),
        "enum": lambda: _("must be one of %(values)s", values=ctx.get("expected", "")),
        "literal_error": lambda: _("must be one of %(values)s", values=ctx.get("expected", "")),
        "date_type": lambda: _("must be a date such as 2027-06-02"),
        "date_parsing": lambda: _("must be a date such as 2027-06-02"),
        "date_from_datetime_parsing": lambda: _("must be a date such as 2027-06-02"),
        "datetime_type": lambda: _("must be a time with its zone, such as 2027-06-02T09:15:00Z"),
        "datetime_parsing": lambda: _("must be a time with its zone, such as 2027-06-02T09:15:00Z"),
    }
    if kind == "value_error" and "email" in error["msg"]:
        return _("not a valid e-mail address")
    text = texts.get(kind)
    return text() if text else error["msg"]


def error_body(code: str, text: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": text, "field": field}}


def refusal(error: ApiError, text: str | None = None) -> Response:
    response = jsonify(error_body(error.code, text or message(error.code, error.params), error.field))
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="mediane-api"'
    if error.code == "rate_limited":
        response.headers["Retry-After"] = str(error.params.get("retry_after", 60))
    return response


#: The code of an error the app's handlers answer under /api/v1 (an unknown address, a wrong method...).
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
              429: "rate_limited", 500: "server_error", 503: "unavailable"}


def shape(status: int, text: str, reason: str | None, field: str | None) -> dict:
    """The body of an error the app's own handlers answer on an API address (app.core.errors.add_error_shape)."""
    return error_body(reason or HTTP_CODES.get(status, "error"), text, field)
