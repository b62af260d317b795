"""The scanner: its page and service worker, and the JSON API a paired device talks to with its bearer token."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from app.core.access import Access, DeviceRefused, requires
from app.core.i18n import localized
from app.core.jsonbody import accepts_json, read_json
from app.core.params import query_int
from app.core.security import READER_CSP
from app.extensions import csrf, db
from app.leads import devices, recent, recording, services
from app.leads.errors import LeadError, message, refusal_response
from app.leads.models import Device

bp = Blueprint("leads_api", __name__, template_folder="templates")

API = "/api/leads/v1"

#: The scanner page compiles the QR reader's WebAssembly (the polyfill, served from our own origin).
SCANNER_CSP = READER_CSP


def authenticate_device(authorization: str | None) -> devices.DeviceRef:
    """The device a request comes from, counted against its rate limit; else its JSON refusal (registered with
    `app.core.access` for the views that require `Access.DEVICE`)."""
    try:
        device = devices.authenticate(authorization)
        devices.throttle(device)
    except LeadError as error:
        raise DeviceRefused(refusal_response(error)) from error
    return device


@bp.get("/scan/")
@requires(Access.PUBLIC)
def scanner():
    response = Response(render_template("leads/scanner.html", api_prefix=API))
    response.headers["Content-Security-Policy"] = SCANNER_CSP
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/scan/sw.js")
@requires(Access.PUBLIC)
def service_worker():
    """Served under /scan/ so that it may keep the scanner page for offline reloads (R5)."""
    body = (Path(current_app.static_folder) / "leads" / "sw.js").read_bytes()
    return Response(body, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


def _device_json(device: Device) -> dict:
    stand = device.stand
    return {"device": {"id": device.id, "name": device.name},
            "stand": {"id": stand.id, "name": services.stand_name(stand), "tags": services.tags_of(stand)},
            "event": {"slug": stand.event.slug, "name": localized(stand.event, "name")}}


@bp.post(f"{API}/pair")
@requires(Access.PUBLIC)
@csrf.exempt
@accepts_json
def pair():
    """A pairing code for a device token: the code is the credential, no cookie is involved."""
    body = read_json()
    if not isinstance(body, dict):
        return refusal_response(LeadError("pairing_code_required", "code"))
    try:
        device, token = devices.pair(str(body.get("code") or ""))
    except LeadError as error:
        return refusal_response(error)
    return jsonify({"token": token, **_device_json(device)}), 201


@bp.get(f"{API}/device")
@requires(Access.DEVICE)
def device_info(device: devices.DeviceRef):
    return jsonify(_device_json(db.session.get(Device, device.id)))


@bp.get(f"{API}/scans")
@requires(Access.DEVICE)
def recent_scans(device: devices.DeviceRef):
    """The device's latest scans (`?limit=`, 30 by default, at most 100), newest first, as the scanner's list
    shows them (name and organisation, no e-mail or phone), so that a reloaded scanner lists them again."""
    limit = query_int(request.args, "limit", default=recent.DEFAULT_RECENT, high=recent.MAX_RECENT)
    return jsonify({"scans": recent.recent_scans(device, limit=limit)})


@bp.post(f"{API}/kept")
@requires(Access.DEVICE)
@csrf.exempt
@accepts_json
def kept_scans(device: devices.DeviceRef):
    """{"client_ids": [...]} (`?limit=` as for the list): the scans the phone keeps. The answer lists what it may keep (the device's latest
    scans and those of its ids the stand still has, as the list shows them: never an e-mail or a phone) and
    which ids to forget (`drop`). A revoked device gets the 401 of every call and wipes what it kept."""
    try:
        client_ids = recent.parse_kept(read_json())
    except LeadError as error:
        return refusal_response(error)
    limit = query_int(request.args, "limit", default=recent.DEFAULT_RECENT, high=recent.MAX_RECENT)
    return jsonify(recent.kept(device, client_ids, limit=limit))


@bp.get(f"{API}/scans/<client_id>")
@requires(Access.DEVICE)
def scan_detail(device: devices.DeviceRef, client_id: str):
    """One of the device's scans, reopened: the contact as consent allows now, shown by the phone, not kept."""
    try:
        return jsonify(recent.scan_detail(device, client_id))
    except LeadError as error:
        return refusal_response(error)


@bp.post(f"{API}/scans")
@requires(Access.DEVICE)
@csrf.exempt
@accepts_json
def upload_scans(device: devices.DeviceRef):
    """A batch {"scans": [...]}; each result says stored, updated, duplicate or refused (with why). A body that
    is not JSON, too large or too deep is refused whole by read_json (400/413, with its message); control
    characters are judged scan by scan (recording.py): a bad id or code refuses that scan, notes are cleaned."""
    body = read_json(check_text=False)
    scans = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(scans, list):  # the refused request still counts: throttle() committed the count (S6)
        return refusal_response(LeadError("scans_not_a_list", "scans"))
    try:
        results = recording.record_scans(device, scans)
    except LeadError as error:  # refused before anything was written
        return refusal_response(error)
    counts = {status: sum(1 for r in results if r.status == status)
              for status in ("stored", "updated", "duplicate", "refused")}
    return jsonify({
        **counts,
        "results": [{"index": r.index, "client_id": r.client_id, "status": r.status,
                     **({"error": message(r.error), "code": r.error.code, "field": r.error.field} if r.error else {}),
                     **({"contact": r.contact} if r.contact else {})} for r in results],
    })
