"""The API's contract, served: the OpenAPI document and a page that reads it for people."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from app.api.contract.framework import PREFIX
from app.api.contract.spec import openapi_document
from app.core.access import Access, requires

bp = Blueprint("api_docs", __name__, template_folder="../templates")


def document() -> dict:
    return openapi_document(current_app._get_current_object(), server_url=current_app.config["PUBLIC_URL"])  # noqa: SLF001


@bp.get(f"{PREFIX}/openapi.json")
@requires(Access.PUBLIC)
def openapi_json():
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
