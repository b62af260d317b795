"""The OpenAPI 3.1 document, drawn from the endpoints' own declarations (app.api.contract.framework) and their
pydantic schemas, whose JSON Schema (2020-12) is OpenAPI 3.1's own: nothing here is written beside the code."""
from __future__ import annotations

from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api.contract.errors import HTTP_CODES
from app.api.contract.framework import PREFIX, Operation, operations
from app.api.scopes import SCOPES

REF = "#/components/schemas/{model}"

ERROR_SCHEMA = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "description": "Every refusal has this shape: a machine-readable code, a message in the language the request "
                   "asks for (Accept-Language: fr or en), and the field at fault when there is one.",
    "properties": {"error": {"type": "object", "required": ["code", "message", "field"], "properties": {
        "code": {"type": "string", "examples": ["missing_scope"]},
        "message": {"type": "string"},
        "field": {"type": ["string", "null"]},
    }}},
}

#: What every operation may answer besides its own answer.
COMMON_ERRORS = {401: "No token, or a token that is not valid, expired or revoked.",
                 403: "The token lacks the scope this operation needs.",
                 404: "Nothing of that id in the token's edition.",
                 429: "Too many requests with this token: wait the seconds of Retry-After."}
QUERY_ERROR = "A query parameter or the cursor is not valid: the error names it."
WRITE_ERRORS = {400: "The body is not JSON, holds a control character, or the Idempotency-Key is not valid.",
                413: "The body is too large.",
                422: "The body is refused (the error names the field and why), or the Idempotency-Key was used for "
                     "another request."}


def _schemas(ops: list[Operation]) -> tuple[dict, dict]:
    """The components' schemas and, per (model, mode), the reference to it."""
    wanted: list[tuple[type[BaseModel], str]] = []
    for op in ops:
        for model, mode in ((op.query, "validation"), (op.body, "validation"), (op.response, "serialization")):
            if model is not None and (model, mode) not in wanted:
                wanted.append((model, mode))
    refs, top = models_json_schema(wanted, ref_template=REF) if wanted else ({}, {})
    return top.get("$defs", {}), refs


def _parameters(op: Operation, components: dict, refs: dict) -> list[dict]:
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1} if name.endswith("_id") else {"type": "string"},
               "description": "The edition's slug." if name == "slug" else None}
              for name in op.path_params]
    params = [{k: v for k, v in p.items() if v is not None} for p in params]
    if op.query is not None:
        schema = components[refs[(op.query, "validation")]["$ref"].rsplit("/", 1)[1]]
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            entry = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if "description" in prop:
                entry["description"] = prop["description"]
            params.append(entry)
    if op.write:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "schema": {"type": "string", "maxLength": 100},
                       "description": "Any unique text (a UUID): the same key and body again get the stored "
                                      "answer back, with the header Idempotent-Replayed: true, and nothing is "
                                      "written twice. Kept 48 hours."})
    return params


def _operation(op: Operation, components: dict, refs: dict) -> dict:
    doc: dict[str, Any] = {
        "operationId": op.endpoint.replace(".", "_"),
        "summary": op.summary,
        "tags": [op.tag],
        "security": [{"bearer": [op.scope] if op.scope else []}],
        "parameters": _parameters(op, components, refs),
    }
    if op.description:
        doc["description"] = op.description
    if op.scope:
        doc["x-scope"] = op.scope
    if op.body is not None:
        content: dict[str, Any] = {"schema": refs[(op.body, "validation")]}
        if op.example is not None:
            content["example"] = op.example
        doc["requestBody"] = {"required": True, "content": {"application/json": content}}
    responses: dict[str, Any] = {}
    for status, text in {op.status: op.summary, **op.also}.items():
        responses[str(status)] = {"description": text}
        if op.response is not None:
            responses[str(status)]["content"] = {"application/json": {
                "schema": refs[(op.response, "serialization")]}}
    errors = dict(COMMON_ERRORS)
    if op.query is not None:
        errors[400] = QUERY_ERROR
    if op.write:
        errors.update(WRITE_ERRORS)
    errors.update({code: HTTP_CODES.get(code, "error") for code in op.errors if code not in errors})
    for code, text in sorted(errors.items()):
        responses[str(code)] = {"description": text, "content": {"application/json": {
            "schema": {"$ref": REF.format(model="Error")}}}}
        if code == 429:
            responses[str(code)]["headers"] = {"Retry-After": {
                "description": "Seconds to wait before the next request.", "schema": {"type": "integer"}}}
    doc["responses"] = responses
    return doc


def openapi_document(app: Flask, *, server_url: str) -> dict:
    ops = operations(app)
    components, refs = _schemas(ops)
    components["Error"] = ERROR_SCHEMA
    paths: dict[str, dict] = {}
    for op in ops:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, components, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Médiane API",
            "version": "1.0.0",
            "description": "The summit's data for its other tools: a CRM, a newsletter, the venue's signage, a door "
                           "system. Every request carries an edition's API token (`Authorization: Bearer mk_...`), "
                           "created by an organiser in the back office with the scopes it needs. Lists are pages "
                           "ordered by last change: pass `next_cursor` as `cursor`, and `updated_since` for an "
                           "incremental sync. Times are UTC (ISO 8601 with Z).",
        },
        "servers": [{"url": server_url.rstrip("/") + PREFIX}],
        "tags": [{"name": tag} for tag in sorted({op.tag for op in ops})],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "An API token. Scopes: " + "; ".join(f"`{k}`: {v}" for k, v in SCOPES.items()) + "."}},
        },
    }
