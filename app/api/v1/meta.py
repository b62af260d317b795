"""The API's contract, served: the OpenAPI document and a page that reads it for people (/api/v1/docs).

The page is drawn from the same document at each request, so that every endpoint declared with
`api.operation(...)` appears there with its scope, parameters, example and answers, and nothing is written twice."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template
from markupsafe import Markup, escape

from app.api.contract.framework import PREFIX
from app.api.contract.spec import openapi_document
from app.api.scopes import SCOPE_LABELS, SCOPES
from app.core.access import Access, requires

bp = Blueprint("api_docs", __name__, template_folder="../templates")

METHODS = ("get", "post", "put", "patch", "delete")
_TICKS = re.compile(r"`([^`]+)`")


@bp.app_template_filter("api_ticks")
def api_ticks(text: str) -> Markup:
    """The document's Markdown `code` spans as <code>, the rest escaped."""
    return Markup(_TICKS.sub(r"<code>\1</code>", str(escape(text or ""))))


def document() -> dict:
    return openapi_document(current_app._get_current_object(), server_url=current_app.config["PUBLIC_URL"])  # noqa: SLF001


@bp.get(f"{PREFIX}/openapi.json")
@requires(Access.PUBLIC)
def openapi_json():
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@dataclass
class Row:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class OperationView:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    scope: str | None
    parameters: list[Row]
    body: list[Row]
    body_name: str | None
    example: str | None
    responses: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: The fields of the success answer (and of its items): [(schema name, rows)].
    answer_models: list[tuple[str, list[Row]]] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def type_of(schema: dict, components: dict | None = None) -> str:
    """A JSON Schema's type in a few words: integer, string (date-time), RegistrationOut, array of X, X | null;
    a named list of values (an enum among `components`) with its values."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        target = (components or {}).get(name, {})
        return f"{name} ({', '.join(str(v) for v in target['enum'])})" if "enum" in target else name
    if "anyOf" in schema or "oneOf" in schema:
        parts = [type_of(s, components) for s in schema.get("anyOf") or schema.get("oneOf")]
        return " | ".join(dict.fromkeys(parts))
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}), components)}"
    if "enum" in schema:
        return f"{kind}: " + ", ".join(str(v) for v in schema["enum"])
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _fields(schema: dict, components: dict) -> list[Row]:
    required = set(schema.get("required", []))
    return [Row(name, "body", name in required, type_of(prop, components), prop.get("description", ""))
            for name, prop in schema.get("properties", {}).items()]


def _answer_models(schema: dict, components: dict) -> list[tuple[str, list[Row]]]:
    """The fields of a success answer's schema, and of the schema its lists hold (a page's items): [(name, rows)]."""
    if "$ref" not in schema:
        return []
    name = _ref_name(schema["$ref"])
    model = components.get(name, {})
    found = [(name, _fields(model, components))]
    for prop in model.get("properties", {}).values():
        items = prop.get("items", {}) if prop.get("type") == "array" else {}
        if "$ref" in items and "properties" in components.get(_ref_name(items["$ref"]), {}):
            item = _ref_name(items["$ref"])
            found.append((item, _fields(components[item], components)))
    return found


def _operation(path: str, method: str, op: dict, components: dict) -> OperationView:
    params = [Row(p["name"], p["in"], p.get("required", False), type_of(p.get("schema", {}), components),
                  p.get("description", "")) for p in op.get("parameters", [])]
    body, body_name, example = [], None, None
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content:
        schema = content.get("schema", {})
        if "$ref" in schema:
            body_name = _ref_name(schema["$ref"])
            schema = components.get(body_name, {})
        body = _fields(schema, components)
        if "example" in content:
            # In a shell's single quotes: an apostrophe (l'Yonne) closes them, so it is written '\''.
            example = json.dumps(content["example"], indent=2, ensure_ascii=False).replace("'", "'\\''")
    responses, models = [], []
    for code, answer in op.get("responses", {}).items():
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        responses.append((code, answer.get("description", ""), type_of(schema) if schema else None))
        if code.startswith("2") and schema:
            models = _answer_models(schema, components)
    return OperationView(anchor=op.get("operationId", f"{method}-{path}"), method=method.upper(), path=path,
                         summary=op.get("summary", ""), description=op.get("description", ""),
                         scope=op.get("x-scope"), parameters=params, body=body, body_name=body_name,
                         example=example, responses=responses, answer_models=models)


def operations_by_tag(doc: dict) -> list[tuple[str, list[OperationView]]]:
    """The document's operations grouped by tag, in the order of the document's tags."""
    components = doc.get("components", {}).get("schemas", {})
    groups: dict[str, list[OperationView]] = {t["name"]: [] for t in doc.get("tags", [])}
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["API"])[0]
                groups.setdefault(tag, []).append(_operation(path, method, op, components))
    return [(tag, ops) for tag, ops in groups.items() if ops]


@bp.get(f"{PREFIX}/docs")
@requires(Access.PUBLIC)
def docs():
    doc = document()
    webhooks_doc = Path(current_app.root_path).parent / "docs" / "webhooks.md"
    groups = operations_by_tag(doc)
    lists = [op.path for _tag, ops in groups for op in ops
             if op.method == "GET" and any(p.name == "cursor" for p in op.parameters)]
    return render_template("api_docs/docs.html", doc=doc, base_url=doc["servers"][0]["url"], groups=groups,
                           list_path=lists[0].replace("{slug}", "SLUG") if lists else None, scopes=SCOPES, scope_labels=SCOPE_LABELS,
                           per_minute=current_app.config["API_REQUESTS_PER_MINUTE"],
                           webhooks_doc=webhooks_doc.is_file(), webhooks=doc.get("webhooks", {}))
