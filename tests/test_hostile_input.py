"""R9: every route of the URL map, every method, with hostile values. No response is a 5xx, a refusal (4xx)
changes no row of the database, and no control character reaches it.

The walk reads the forms of every page (as the person who may open it) and sends each form back with hostile
values: no field at all, every field at once with one value, then each field alone, in a form otherwise filled
in, with a few values of different kinds (`hostile.field_values`), then JSON bodies. Pages get hostile values in
their path (huge ids, control characters) and in every query parameter the code reads. The scanner's API gets
hostile JSON from a paired device. Values are sampled per field, not crossed: the walk sends about 4,800
requests, in three parts that the test workers share.
"""
from __future__ import annotations

import inspect
import json
import sys
import time

import pytest
from werkzeug.datastructures import MultiDict

from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens import services as api_tokens
from app.core.access import Access
from app.core.converters import IdConverter
from app.extensions import db as _db
from app.leads import devices as lead_devices
from app.registrations.models import Registration
from tests import hostile
from tests.conftest import login
from tests.test_access_matrix import all_views, url_for_rule, world  # noqa: F401  (world is a fixture)

#: Walkers that send a bearer token (a paired device, an organiser's API token), never a cookie.
BEARERS = ("device", "api")
#: Who walks a view, by its declared level; every view is also probed once by an anonymous visitor.
WALKERS = {
    Access.PUBLIC: ["anonymous", "attendee"],
    Access.LOGIN: ["attendee"],
    Access.ATTENDEE: ["attendee"],
    Access.EXHIBITOR: ["exhibitor"],
    Access.ORGANISER: ["organiser"],
    Access.DOOR: ["door"],
    Access.STAFF: ["staff"],
    Access.NETWORK: ["network"],
    Access.DEVICE: ["device"],
    Access.API_TOKEN: ["api"],
}
#: Rows a request that succeeds may change but the rest of the walk needs as they were: the edition itself (a
#: new short name would make every later URL a 404, a closed category every registration form a 403).
PINNED = ("event", "category")
#: Views that end what the walk needs (the session, the attendee's registration): walked last, or anonymously.
LAST = ("remove", "delete", "cancel", "revoke")

DEEP_JSON = "[" * 5000 + "]" * 5000
JSON_BODIES = [
    DEEP_JSON,
    '{"code": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}",
    '{"code": "ABCD',                      # cut off
    "[1, 2, 3]",
    '"text"',
    '{"code": 1e400, "scans": 5}',
    '{"code": ' + "9" * 5000 + "}",          # past Python's digit limit for int()
    '{"code": ["a"], "scans": {"a": 1}, "name": {"x": 1}}',
    '{"code": "ABCD\\u0000EFGH", "name": "Nul\\u001b"}',
    "{}",
    "",
]


def scan(**fields) -> dict:
    return {"client_id": "walk-1", "code": "b_unknown", "scanned_at": "2027-06-02T09:00:00Z", **fields}


SCAN_BODIES = [
    {"scans": [scan(client_id=hostile.LONG)]},
    {"scans": [scan(code=hostile.LONG)]},
    {"scans": [scan(code=hostile.NUL)]},
    {"scans": [scan(notes=hostile.ESC, rating=int(hostile.HUGE))]},
    {"scans": [scan(rating=1e300, tags={"a": 1})]},
    {"scans": [scan(tags=[hostile.NUL, 5, None, ["x"]])]},
    {"scans": [scan(tags=["t" * 10_000])]},
    {"scans": [scan(scanned_at="9999-12-31T23:59:59-14:00")]},
    {"scans": [scan(scanned_at="0001-01-01T00:00:00+14:00")]},
    {"scans": [scan(scanned_at=12)]},
    {"scans": [scan(client_id=None, code=None, scanned_at=None, notes=None)]},
    {"scans": [[], 1, "x", None]},
    {"scans": [{}] * 3},
    {"scans": {"client_id": "a"}},
    {"scans": None},
]


#: Bodies for the public API's writes: each field of theirs with a value of the wrong kind or size.
API_BODIES = [
    {"category": "elu", "email": hostile.NUL, "first_name": hostile.ESC, "last_name": hostile.LONG, "days": [1]},
    {"category": "visiteur", "email": "walk@example.org", "first_name": "A", "last_name": "B",
     "days": ["9999-12-31"], "themes": [hostile.NUL], "country": hostile.LONG},
    {"days": ["2027-06-02"] * 10_000, "themes": None, "job_title": 5, "category": hostile.NUL},
    {"status": "confirmed", "reason": hostile.NUL},
    {"badge_code": hostile.LONG}, {"badge_code": hostile.NUL}, {"registration_id": int(hostile.HUGE)},
    {"registration_id": 1, "checked_in_at": "0001-01-01T00:00:00+14:00"},
    {"registration_id": 1, "checked_in_at": "9999-12-31T23:59:59-14:00", "gate": hostile.ESC},
]


def fill_values(values: dict, event) -> dict[str, str]:
    """What a person would type in an empty field, so that a form reaches its service with one hostile field."""
    day = event.starts_on.isoformat()
    return {
        "name": "Nouveau nom", "code": "nouveau-theme", "name_fr": "Nouveau", "name_en": "New", "number": "B2",
        "x": "5", "y": "5", "entrance-name": "Sud", "entrance-x": "2", "entrance-y": "0", "city": "Nevers",
        "email": "nouvelle@example.org", "first_name": "Ana", "last_name": "Lopez", "days": day, "day": day,
        "starts_on": day, "ends_on": day, "slug": "nouvelle-edition", "registration_id": str(values["startup_id"]),
        "visitor": values["visitor_key"], "start": "10:00", "end": "11:00", "at": "11:00", "capacity": "50",
        "reason": "Retard", "label": "Tour", "tags": "chaud", "territory": "Nevers", "job_title": "Maire",
        "time": "10:20", "ids": str(values["registration_id"]),
    }


class Walk:
    def __init__(self, app, clients: dict, headers: dict):
        self.app, self.clients, self.headers = app, clients, headers
        self.failures: list[str] = []
        self.requests = 0
        _db.session.rollback()  # the test's own reads hold no lock the walk's statements could wait for
        self.fingerprint = hostile.Fingerprint(_db.engine, _db.metadata)
        self.pinned = hostile.Pinned(_db.engine, _db.metadata, PINNED)
        self.state = self.fingerprint.read()

    def send(self, role: str, method: str, url: str, label: str, **kwargs):
        client = self.clients[role]
        if role in BEARERS:
            kwargs.setdefault("headers", {}).update(self.headers[role])
        self.requests += 1
        response = client.open(url, method=method, **kwargs)
        code = response.status_code
        where = f"{method} {short(url)} as {role}{' ' + label if label else ''}"
        if code >= 500:
            self.failures.append(f"{where}: {code}")
        after = self.fingerprint.read()
        if 400 <= code < 500 and after != self.state:
            self.failures.append(f"{where}: {code} but changed {hostile.changed_tables(self.state, after)}")
        if after != self.state and self.pinned.restore():
            after = self.fingerprint.read()
        self.state = after
        return response


def short(value: str, size: int = 90) -> str:
    text = repr(value)[1:-1]
    return text if len(text) <= size else f"{text[:size]}...({len(value)} chars)"


def hostile_paths(rule, values, number: int) -> list[tuple[str, str]]:
    """The rule's URL with each of its arguments replaced in turn by hostile values: every one for an id (each
    view looks its rows up), one in turn for a text segment (the same converter and loader serve every view)."""
    paths = []
    for argument in rule.arguments:
        if isinstance(rule._converters[argument], IdConverter):
            bad = hostile.PATH_INT_VALUES
        else:
            bad = hostile.sample(hostile.PATH_TEXT_VALUES, number, 1)
        for value in bad:
            paths.append((f"<{argument}>={short(value, 20)}", url_for_rule(rule, {**values, argument: value})))
    return paths


def discover_forms(app, walk: Walk, values: dict) -> dict[str, list[tuple[str, hostile.Form]]]:
    """The POST forms of every page, by the endpoint they post to, with the role that saw them."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict] = {}
    for rule in all_views(app):
        if "GET" not in rule.methods:
            continue
        access = app.view_functions[rule.endpoint].access
        for role in WALKERS[access]:
            if role in BEARERS:
                continue
            url = url_for_rule(rule, values)
            response = walk.clients[role].get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            for form in hostile.forms_of(url, response.get_data(as_text=True)):
                endpoint, _args = adapter.match(form.action, method="POST")
                found.setdefault(endpoint, {}).setdefault(form.key, (role, form))
    return {endpoint: list(forms.values())[:2] for endpoint, forms in found.items()}


def reads_query(app, rule) -> bool:
    """Whether the module of the view reads query parameters (then every hostile value goes in every one)."""
    source = inspect.getsource(sys.modules[app.view_functions[rule.endpoint].__module__])
    return any(mark in source for mark in ("request.args", "request.values", "from_args(", "filters_from("))


def walk_order(rule) -> tuple:
    """Pages first, then forms; those that remove things last; the attendee's cancellation at the very end."""
    return (rule.endpoint == "registrations.cancel_mine", any(word in rule.endpoint for word in LAST),
            "GET" not in rule.methods, rule.endpoint, rule.rule)


@pytest.fixture
def walkers(app, world, monkeypatch):
    people, values = world
    monkeypatch.setattr("app.jobs.services.run_job_task", lambda job_id: None)  # jobs are stored, not run
    monkeypatch.setitem(app.config, "LEADS_DEVICE_REQUESTS_PER_MINUTE", 1_000_000)
    monkeypatch.setitem(app.config, "MEETING_REQUESTS_PER_HOUR", 1_000_000)  # the walk reaches the request service
    clients = {"anonymous": app.test_client(), "device": app.test_client(), "api": app.test_client()}
    for role in ("attendee", "exhibitor", "door", "organiser", "staff", "network"):
        clients[role] = app.test_client()
        login(clients[role], people[role])
    stand = _db.session.get(Registration, values["startup_id"])
    pairing = lead_devices.start_pairing(stand, "Walk", actor_id=None)
    _device, token = lead_devices.pair(pairing.code)
    api_token = api_tokens.create_token(stand.event, name="Walk", scopes=list(ORGANISER_SCOPES), expires_on=None,
                                        actor_id=None).secret
    _db.session.commit()
    return clients, {"device": {"Authorization": f"Bearer {token}"},
                     "api": {"Authorization": f"Bearer {api_token}"}}, values


#: The walk in parts, each on a world of its own: the test workers share them (one walk took three minutes on
#: PostgreSQL, the suite's longest test). Every route is in one part, walked in the same order as in a whole walk.
PARTS = 3


@pytest.mark.parametrize("part", range(PARTS))
def test_no_hostile_value_crashes_a_route_or_changes_data_on_refusal(app, walkers, event, part):
    clients, headers, values = walkers
    started = time.monotonic()
    walk = Walk(app, clients, headers)
    try:
        walk_every_route(app, walk, values, fill_values(values, event), part=part, parts=PARTS)
    finally:
        _db.session.rollback()
        walk.fingerprint.close()
    elapsed = time.monotonic() - started
    print(f"hostile walk, part {part + 1} of {PARTS}: {walk.requests} requests in {elapsed:.1f} s "
          f"on {_db.engine.dialect.name}")
    assert not walk.failures, f"{len(walk.failures)} failures:\n" + "\n".join(walk.failures)
    assert hostile.stored_control_characters(_db.engine, _db.metadata) == []


def walk_every_route(app, walk: Walk, values: dict, fill: dict, *, part: int = 0, parts: int = 1) -> None:
    """Every route whose place in the walk's order is `part` modulo `parts`."""
    query_names, form_names = hostile.names_read_in_code()
    forms = discover_forms(app, walk, values)
    tokens = {role: client.csrf_token() for role, client in walk.clients.items() if role not in BEARERS}
    walk.state = walk.fingerprint.read()  # what opening the pages wrote (a feed token) is not the first request's
    for number, rule in enumerate(sorted(all_views(app), key=walk_order)):
        if number % parts != part:
            continue
        access = app.view_functions[rule.endpoint].access
        roles = [r for r in WALKERS[access] if not (r != "anonymous" and rule.endpoint == "auth.logout")]
        url = url_for_rule(rule, values)
        for method in [m for m in ("GET", "POST", "PATCH") if m in rule.methods]:
            # Anyone: hostile path values are refused before the view, whoever asks.
            for label, path in hostile_paths(rule, values, number):
                for role in dict.fromkeys(["anonymous", roles[0]]):
                    walk.send(role, method, path, label)
            # A public form is walked once, anonymously: the signed-in attendee's pages are walked as theirs.
            for role in roles if method == "GET" or access is not Access.PUBLIC else roles[:1]:
                if method == "GET":
                    count = len(hostile.QUERY_VALUES) if reads_query(app, rule) else 2
                    for value in hostile.sample(hostile.QUERY_VALUES, number, count):
                        walk.send(role, "GET", url, f"query={short(value, 20)}",
                                  query_string={name: value for name in query_names})
                elif role in BEARERS or rule.endpoint == "leads_api.pair":
                    walk_json_api(walk, role, method, url, rule.endpoint)
                else:
                    walk_post(walk, role, url, forms.get(rule.endpoint, []), tokens[role], fill, form_names,
                              start=number)


def walk_post(walk: Walk, role: str, url: str, forms: list, token: str, fill: dict, form_names: set, *,
              start: int):
    """The forms seen for this view, field by field; else every field name the code reads, all at once (a view
    without a form on any page is a button: it reads few fields, if any). Then JSON bodies."""
    known = [form for seen_by, form in forms if seen_by == role]
    for index, form in enumerate(known):
        walk_form(walk, role, url, form, token, fill, start=start + index)
    if not known:
        for value in hostile.EVERY_KIND:
            walk.send(role, "POST", url, f"every field read={short(value, 20)}",
                      data={"csrf_token": token, **{name: value for name in form_names}})
    for body in hostile.sample(JSON_BODIES, start, 3):
        walk.send(role, "POST", url, f"json={short(body, 20)}", data=body,
                  headers={"X-CSRFToken": token, "Content-Type": "application/json"})


def walk_form(walk: Walk, role: str, url: str, form: hostile.Form, token: str, fill: dict, *, start: int):
    csrf = [(name, token) for name, _ in form.fields if name.endswith("csrf_token")]
    fields = [(name, value) for name, value in form.fields if not name.endswith("csrf_token")]
    names = list(dict.fromkeys([n for n, _ in fields] + [n for n in form.names if not n.endswith("csrf_token")]))
    filled = [(name, value or fill.get(name, "")) for name, value in fields]
    filled += [(name, fill[name]) for name in names if name in fill and name not in dict(filled)]
    walk.send(role, "POST", url, "no fields", data=dict(csrf))
    for value in hostile.sample(hostile.TEXT_VALUES, start, 2):
        walk.send(role, "POST", url, f"every field={short(value, 20)}",
                  data=MultiDict([*csrf, *((name, value) for name in names)]))
    first_of_its_kind: dict[str, str] = {}
    for name in names:
        first_of_its_kind.setdefault(hostile.same_field(name), name)
    for position, name in enumerate(first_of_its_kind.values()):
        for value in hostile.field_values(start + position, dict(filled).get(name, "")):
            data = MultiDict([*csrf, *((n, v) for n, v in filled if n != name), (name, value)])
            walk.send(role, "POST", url, f"{name}={short(value, 20)}", data=data)


def walk_json_api(walk: Walk, role: str, method: str, url: str, endpoint: str):
    bodies = list(JSON_BODIES)
    if endpoint == "leads_api.upload_scans":
        bodies += [json.dumps(body) for body in SCAN_BODIES]
    if role == "api":
        bodies += [json.dumps(body) for body in API_BODIES]
    for body in bodies:
        walk.send(role, method, url, f"json={short(body, 30)}", data=body, content_type="application/json")
    walk.send(role, method, url, "form body", data={"code": hostile.NUL, "scans": "1"})
