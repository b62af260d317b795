"""Declaring an endpoint of the public API: one decorator says its method, path, scope, schemas and example,
and the same declaration guards the view, validates what comes in, shapes what goes out, and writes the OpenAPI
document (app.api.contract.spec). No endpoint is documented beside its code."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from app.api.contract import auth, idempotency
from app.api.contract.errors import ApiError, reason, refusal
from app.audit import services as audit
from app.core.access import Access
from app.core.domain import DomainError
from app.core.jsonbody import read_json
from app.core.sentences import gettext as _
from app.events.models import Event
from app.extensions import csrf, db

PREFIX = "/api/v1"
REGISTRY_KEY = "mediane.api_operations"
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass
class Call:
    """What a view of the API receives: who calls, the edition of the URL, the validated query and body."""

    caller: auth.Caller
    event: Event | None
    query: Any = None
    body: Any = None


@dataclass
class Operation:
    method: str
    path: str                       # OpenAPI style, below /api/v1: /events/{slug}/registrations/{registration_id}
    endpoint: str
    summary: str
    description: str
    tag: str
    scope: str | None
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    example: dict | None
    errors: tuple[int, ...] = ()
    #: Other success statuses, with the same answer (a check-in already made: 200 beside 201).
    also: dict[int, str] = field(default_factory=dict)
    path_params: list[str] = field(default_factory=list)

    @property
    def write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


class Refusal(ApiError):
    """A view's own refusal with its message already in the reader's language (a service's DomainError)."""

    def __init__(self, status: int, code: str, text: str, field: str | None = None):
        super().__init__(status, code, field)
        self.text = text


def flask_rule(path: str) -> str:
    """/events/{slug}/x/{x_id} as a Flask rule: ids are bounded integers (a huge one is a 404, not a crash)."""
    def convert(match: re.Match) -> str:
        name = match.group(1)
        return f"<int(max=2147483647):{name}>" if name.endswith("_id") else f"<{name}>"
    return PREFIX + _PARAM.sub(convert, path)


def _field_of(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _validate(model: type[BaseModel], data: Any, *, where: str) -> BaseModel:
    """A query (text values, read leniently: "20" is a number) or a JSON body (bytes, read strictly: true is not 1,
    "12" is not a number, a date is an ISO text)."""
    try:
        if where == "body":
            return model.model_validate_json(data, strict=True)
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = _field_of(first["loc"])
        text = reason(first, where=where)
        code = "invalid_query" if where == "query" else "invalid_body"
        raise ApiError(400 if where == "query" else 422, code, name, name=name, reason=text) from None


def _load_event(slug: str, caller: auth.Caller) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or event.id != caller.event_id:
        raise ApiError(404, "not_found")  # another edition's objects are as good as unknown (S8)
    return event


def _answer(result: Any, status: int) -> tuple[int, Any]:
    if isinstance(result, tuple):
        result, status = result
    if result is None:
        return 204, None
    if isinstance(result, BaseModel):
        return status, result.model_dump(mode="json")
    return status, result


def _json(status: int, body: Any, *, replayed: bool = False) -> Response:
    response = Response(status=204) if body is None else jsonify(body)
    response.status_code = status
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


class ApiBlueprint:
    """A Flask blueprint of /api/v1 endpoints and their declarations."""

    def __init__(self, name: str, import_name: str):
        self.blueprint = Blueprint(name, import_name)
        self.operations: list[Operation] = []
        csrf.exempt(self.blueprint)  # bearer tokens, never cookies (S5)

    def operation(self, method: str, path: str, *, summary: str, tag: str, scope: str | None,
                  query: type[BaseModel] | None = None, body: type[BaseModel] | None = None,
                  response: type[BaseModel] | None = None, status: int = 200, example: dict | None = None,
                  errors: tuple[int, ...] = (), also: dict[int, str] | None = None) -> Callable:
        def decorate(view: Callable) -> Callable:
            op = Operation(method=method, path=path, endpoint=f"{self.blueprint.name}.{view.__name__}",
                           summary=summary, description=(view.__doc__ or "").strip(), tag=tag, scope=scope,
                           query=query, body=body, response=response, status=status, example=example,
                           errors=errors, also=also or {}, path_params=_PARAM.findall(path))
            self.operations.append(op)

            @wraps(view)
            def guarded(**kwargs):
                try:
                    return self._serve(op, view, kwargs)
                except Refusal as error:
                    return refusal(error, error.text)
                except ApiError as error:
                    return refusal(error)

            guarded.access = Access.API_TOKEN  # read by the access-matrix test
            guarded.accepts_json = True
            self.blueprint.add_url_rule(flask_rule(path), view.__name__, guarded, methods=[method])
            return guarded
        return decorate

    @staticmethod
    def _serve(op: Operation, view: Callable, kwargs: dict) -> Response:
        caller = auth.authenticate(request.headers.get("Authorization"))
        auth.throttle(caller)
        if op.scope is not None and op.scope not in caller.scopes:
            raise ApiError(403, "missing_scope", scope=op.scope)
        event = _load_event(kwargs.pop("slug"), caller) if "slug" in kwargs else None
        call = Call(caller=caller, event=event)
        if op.query is not None:
            call.query = _validate(op.query, request.args.to_dict(), where="query")
        elif request.args:
            name = next(iter(request.args))
            raise ApiError(400, "invalid_query", name, name=name, reason=_("unknown parameter"))
        if not op.write:
            return _json(*_answer(view(call, **kwargs), op.status))
        raw = request.get_data(cache=True)
        if op.body is not None:
            read_json()  # its checks: size, depth, UTF-8, finite numbers, no control characters (400/413)
            call.body = _validate(op.body, raw, where="body")
        key = request.headers.get("Idempotency-Key")
        if key is not None:
            idempotency.check_key(key)
        print_ = idempotency.fingerprint(op.method, request.path, raw)

        def write() -> tuple[int, Any]:
            try:
                status, body = _answer(view(call, **kwargs), op.status)
            except DomainError as error:
                if isinstance(error, ApiError):
                    raise
                raise Refusal(422, error.code, str(error.params.get("message") or error.code), error.field) \
                    from error
            audit.record("api.write", actor_id=caller.created_by_id, event_id=caller.event_id,
                         details={"token_id": caller.token_id, "operation": op.endpoint,
                                  "method": op.method, "path": request.path, "status": status})
            return status, body

        (status, body), replayed = idempotency.run_once(caller.token_id, key, print_, write)
        return _json(status, body, replayed=replayed)


def register(app: Flask, api: ApiBlueprint) -> None:
    app.register_blueprint(api.blueprint)
    app.extensions.setdefault(REGISTRY_KEY, []).extend(api.operations)


def operations(app: Flask | None = None) -> list[Operation]:
    return list((app or current_app).extensions.get(REGISTRY_KEY, []))
