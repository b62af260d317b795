"""Shared fixtures: one app and database per run, tables emptied after each test."""
from __future__ import annotations

import fcntl
import os
import pickle
import re
import threading
import time
from datetime import date, datetime, timezone

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, make_url, select, text
from werkzeug.serving import make_server

from app import create_app
from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.core.catalogs import compile_catalogs
from app.demo.generator import load_demo
from app.demo.placement import load_placement
from app.events.models import CategoryCode, Event, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db as _db
from app.network.library import search as project_search
from app.people.models import Person
from app.registrations.models import Mandate
from app.registrations.services import RegistrationInput, register
from config import TestingConfig

TEST_PASSWORD = "correct horse battery"

# The property tests draw the same examples on every run, so that the suite (and CI) cannot fail on a draw
# of its own; `HYPOTHESIS_PROFILE=explore ./scripts/test.sh tests/...` draws new ones, to hunt for bugs.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


class FormClient(FlaskClient):
    """A test client that can fill in the CSRF token the way a browser form does.

    Each request gets its own app context, as in production: otherwise it would reuse
    the test's, sharing `g` (the cached user and CSRF token) and the database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        html = self.get("/login").get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
            re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, "no CSRF token on the login page"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)



@pytest.fixture
def minute_to_spare():
    """Per-minute rate limits count requests within one clock minute: a test that makes a few and expects the
    last to be refused starts with 30 s left in the minute (or waits for the next one), or a minute's boundary
    falling between its requests would reset the count (seen once in a loaded run)."""
    left = 60 - datetime.now(timezone.utc).second
    if left < 30:
        time.sleep(left + 0.2)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogs()
    overrides = {}
    if TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = worker_database(TestingConfig.SQLALCHEMY_DATABASE_URI)
    app = create_app("testing", overrides)
    app.test_client_class = FormClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        # The schema comes from the migrations, so every run tests them too.
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


def worker_database(url: str) -> str:
    """With several test workers (pytest-xdist, `-n`), each gets a PostgreSQL database of its own, named after
    the one given (`test` -> `test_gw0`, `test_gw1`) and created on first use; alone, the one given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def db(app):
    """The database, emptied after each test (tests may commit, as the app does)."""
    with app.app_context():
        yield _db
        _db.session.remove()
        empty_tables()


def empty_tables() -> None:
    """Every table emptied, its identity counters back at 1."""
    # DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table costs most of a second (a new file per
    # table), a DELETE of a few rows a few milliseconds; the sequences start again at 1 as on SQLite.
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(text(f"DELETE FROM {table.name}"))
        connection.execute(text(f"DELETE FROM {project_search.TABLE}"))  # outside the models
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"))


def dump_tables() -> dict[str, list[dict]]:
    """Every row of every table, to put back with `restore_tables` (a loaded demo summit, for instance)."""
    with _db.engine.connect() as connection:
        return {table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in _db.metadata.sorted_tables}


def restore_tables(rows: dict[str, list[dict]]) -> None:
    """Empty the tables and put back what `dump_tables` read, identity counters following."""
    empty_tables()
    with _db.engine.begin() as connection:
        # Delegations and registrations point at each other: the foreign keys are checked at the end.
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in _db.metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
        if connection.dialect.name == "postgresql":
            for table in _db.metadata.sorted_tables:
                if "id" in table.c and rows[table.name]:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"(SELECT max(id) FROM {table.name}))"))
    # The library's full-text index is not a model: built again from the projects put back.
    project_search.rebuild()
    _db.session.commit()


@pytest.fixture
def client(app) -> FormClient:
    return app.test_client()


@pytest.fixture
def make_event(db):
    def make(**overrides):
        data = dict(name="Sommet des villes moyennes 2027", slug="sommet-2027", city="Nevers", country="FR",
                    venue="Maison de la Culture", timezone="Europe/Paris", starts_on=date(2027, 6, 2),
                    ends_on=date(2027, 6, 4), status=EventStatus.OPEN)
        data.update(overrides)
        event = create_event(EventInput(**data), actor_id=None)
        db.session.commit()
        return event
    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def make_person(db):
    counter = iter(range(1, 10_000))

    def make(email: str | None = None, *, password: str | None = TEST_PASSWORD, **fields):
        n = next(counter)
        person = Person(email=email or f"person{n}@example.org", first_name=fields.pop("first_name", "Camille"),
                        last_name=fields.pop("last_name", f"Durand{n}"), **fields)
        db.session.add(person)
        if password:
            set_password(person, password)
        db.session.commit()
        return person
    return make


@pytest.fixture
def make_organiser(make_person, db):
    def make(event, email: str | None = None):
        person = make_person(email)
        grant_role(person, event.id, RoleName.ORGANISER, actor_id=None)
        db.session.commit()
        return person
    return make


@pytest.fixture
def make_registration(db):
    counter = iter(range(1, 10_000))

    def make(event, category: CategoryCode = CategoryCode.VISITEUR, **fields):
        n = next(counter)
        data = RegistrationInput(category=category, email=fields.pop("email", f"attendee{n}@example.org"),
                                 first_name=fields.pop("first_name", "Léa"), last_name=fields.pop("last_name", f"Martin{n}"),
                                 days=fields.pop("days", [event.starts_on]), **fields)
        if category == CategoryCode.ELU:
            data.mandate = data.mandate or Mandate.MAIRE
            data.territory = data.territory or "Nevers"
        if category == CategoryCode.STARTUP:
            data.pitch = data.pitch or "Capteurs de stationnement"
            data.organisation_name = data.organisation_name or f"Startup {n}"
        registration = register(event, data, source="test")
        db.session.commit()
        return registration
    return make


def login(client: FormClient, person: Person, password: str = TEST_PASSWORD):
    response = client.submit("/login", {"email": person.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free loopback port, for the browser tests.

    When the test ends, the views still running are waited for (a job runs inside its request in the tests):
    the tables are emptied after each test, and a view still writing then deadlocks with it. A body sent
    after its view returned (a file) is not waited for: Chromium may drop it without werkzeug closing it.
    """
    answering = [0]
    idle = threading.Condition()

    def tracked(environ, start_response):
        with idle:
            answering[0] += 1
        try:
            return app(environ, start_response)
        finally:
            with idle:
                answering[0] -= 1
                idle.notify_all()

    server = make_server("127.0.0.1", 0, tracked, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    with idle:
        idle.wait_for(lambda: answering[0] <= 0, timeout=120)


@pytest.fixture(scope="session")
def _demo_snapshots(app, tmp_path_factory):
    """The demo summit loaded once per test run (seed 2018): its rows before any plan ("unplanned"), and after a
    plan computed for 5 s and published with the meetings placed, as `scripts/demo.sh` does ("planned"). A test gets one back in
    a second or two (`demo_summit`, `planned_demo_summit`) instead of loading the demo for half a minute.

    Under pytest-xdist the first worker that needs it loads it and leaves the rows in a file beside the
    workers' temporary directories; the others wait for that file under a lock and read it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: its temporary root is shared by later runs
        return _load_demo_snapshots(app)
    shared = tmp_path_factory.getbasetemp().parent  # this run's, above every worker's own
    with app.app_context():
        path = shared / f"demo-snapshots-{_db.engine.dialect.name}.pickle"
    with open(shared / "demo-snapshots.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())
        snapshots = _load_demo_snapshots(app)
        path.write_bytes(pickle.dumps(snapshots))
    return snapshots


def _load_demo_snapshots(app):
    with app.app_context():
        empty_tables()
        summary = load_demo(2018, "demo-e2e", password=TEST_PASSWORD, plan_seconds=0)
        unplanned = dump_tables()
        event = _db.session.get(Event, summary.event_id)
        organiser_id = _db.session.scalar(select(Person.id).where(Person.email == summary.organiser_email))
        # As the demo does it: the routes computed with the meetings at the stands, the others placed at the
        # tables around them, both published.
        load_placement(event, 2018, plan_seconds=5, organiser_id=organiser_id)
        _db.session.commit()
        planned = dump_tables()
        _db.session.remove()
        empty_tables()
    return summary, {"unplanned": unplanned, "planned": planned}


@pytest.fixture
def demo_summit(db, _demo_snapshots):
    """The demo summit as `scripts/demo.sh --plan-seconds 0` leaves it: hall, wishes, program, no plan."""
    summary, rows = _demo_snapshots
    restore_tables(rows["unplanned"])
    return summary


@pytest.fixture
def planned_demo_summit(db, _demo_snapshots):
    """The demo summit with its visit plan and its meetings published, as `scripts/demo.sh` leaves it."""
    summary, rows = _demo_snapshots
    restore_tables(rows["planned"])
    return summary


#: The suite's longest tests (seconds on PostgreSQL, two workers), sent to the workers first: a long test left
#: for the end keeps one worker busy while the other has nothing left to do.
LONGEST_FIRST = (
    "tests/e2e/test_demonstrator_summit.py",  # 141
    "tests/demo/test_demo_cli.py",  # 83
    "tests/e2e/test_plan_page_flow.py",  # 81 + 18
    "tests/test_hostile_input.py",  # 3 parts of about 60
    "tests/e2e/test_accessibility_pages.py",  # 47
    "tests/demo/test_demo_network.py",  # 47
    "tests/e2e/test_network_flow.py",  # 26
    "tests/e2e/test_plans_flow.py",  # 21
    "tests/jobs/test_worker_crash.py",  # 2 x 20
    "tests/leads/test_scanner_under_load.py",  # 18
)


def pytest_collection_modifyitems(config, items):
    """The longest tests first (every worker collects the same order, as pytest-xdist requires)."""
    rank = {path: position for position, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))

