"""Médiane: the web app of the summit. `create_app` is the only way to get one."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, url_for
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import auth, backoffice, core, events, leads, models, registrations  # noqa: F401  (models: every table, for migrations)
from app.auth import routes as auth_routes
from app.events import cli as events_cli
from app.events import routes as event_routes
from app.events import team_routes
from app.core.i18n import select_locale
from app.badging import cli as badging_cli
from app.badging import routes as badging_routes
from app.demo import cli as demo_cli
from app.demonstrator import cli as visits_cli
from app.demonstrator import hall_routes, itinerary, plan_routes, realised_routes, visit_routes, wish_routes
from app.extensions import babel, csrf, db, login_manager, migrate
from app.jobs import cli as jobs_cli
from app.jobs import routes as job_routes
from app.jobs.queue import huey
from app.leads import api as leads_api
from app.leads import cli as leads_cli
from app.leads import manage_routes as leads_manage_routes
from app.leads import routes as leads_routes
from app.mail import bp as mail_bp
from app.program import cli as program_cli
from app.program import manage_routes as program_manage_routes
from app.program import routes as program_routes
from app.program.calendar_sources import CalendarSource, add_calendar_source
from app.registrations import manage_routes as registration_manage_routes
from app.registrations import routes as registration_routes
from app.registrations.imports import cli as import_cli
from app.registrations.imports import routes as import_routes
from config import CONFIGS, Config, ProductionConfig

APP_DIR = Path(__file__).resolve().parent


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """WAL, enforced foreign keys and a generous lock wait on SQLite; nothing elsewhere."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def create_app(config: str | type[Config] | None = None, overrides: dict | None = None) -> Flask:
    if config is None:
        config = os.environ.get("MEDIANE_CONFIG", "development")
    config_class = CONFIGS[config] if isinstance(config, str) else config
    if issubclass(config_class, ProductionConfig):
        config_class.check()

    app = Flask(__name__, instance_path=str(Path(os.environ.get("MEDIANE_INSTANCE", APP_DIR.parent / "instance"))))
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(p.relative_to(APP_DIR)) for p in sorted(APP_DIR.glob("*/**/translations")) + [APP_DIR / "translations"]
    )
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(APP_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    core.init_app(app)
    if app.config["HUEY_IMMEDIATE"]:
        huey.immediate = True  # tests run tasks inline
    _register_features(app)
    return app


def _register_features(app: Flask) -> None:
    for feature in (auth, events, registrations, leads, backoffice):
        feature.init_app(app)
    for blueprint in (
        auth_routes.bp,
        team_routes.bp,
        event_routes.bp,
        event_routes.manage_bp,
        registration_routes.bp,
        registration_manage_routes.manage_bp,
        job_routes.bp,
        mail_bp,
        import_routes.bp,
        program_routes.bp,
        program_manage_routes.bp,
        badging_routes.bp,
        badging_routes.public_bp,
        visit_routes.bp,
        hall_routes.bp,
        visit_routes.sheets_bp,
        plan_routes.bp,
        realised_routes.bp,
        leads_routes.bp,
        leads_manage_routes.bp,
        leads_api.bp,
        wish_routes.bp,
        wish_routes.manage_bp,
    ):
        app.register_blueprint(blueprint)
    jobs_cli.init_app(app)
    events_cli.init_app(app)
    import_cli.init_app(app)
    program_cli.init_app(app)
    demo_cli.init_app(app)
    badging_cli.init_app(app)
    visits_cli.init_app(app)
    leads_cli.init_app(app)
    add_calendar_source(app, CalendarSource(items=itinerary.calendar_items, page_url=_demonstrator_page_url))


def _demonstrator_page_url(registration) -> str:
    """Where the demonstrator's visits in a calendar feed link to: a startup's briefing, else the visitor's route."""
    endpoint = "visits.briefing" if itinerary.startup_of(registration) else "visits.route"
    return url_for(endpoint, slug=registration.event.slug, _external=True)
