"""Médiane: the web app of the summit. `create_app` is the only way to get one."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    accessibility, api, auth, backoffice, badging, core, demo, demonstrator, events, jobs, leads, mail, meetings, network,
    outcomes, privacy, program, registrations, report,
)
from app import models  # noqa: F401  (every table, for migrations)
from app.core.database_away import sqlite_busy_timeout_ms
from app.core.i18n import select_locale
from app.extensions import babel, csrf, db, login_manager, migrate
from app.jobs.queue import huey
from app.network.library.search import include_object
from config import CONFIGS, Config, ProductionConfig

APP_DIR = Path(__file__).resolve().parent


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """WAL, enforced foreign keys and a generous lock wait (SQLITE_BUSY_TIMEOUT_MS) on SQLite; nothing elsewhere."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={sqlite_busy_timeout_ms()}")
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
    migrate.init_app(app, db, directory=str(APP_DIR / "migrations"), render_as_batch=True,
                    include_object=include_object)  # the library's full-text index is not a model
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    core.init_app(app)
    if app.config["HUEY_IMMEDIATE"]:
        huey.immediate = True  # tests run tasks inline
    _register_features(app)
    return app


#: Each feature's init_app registers its blueprints, commands, access hooks and huey tasks.
FEATURES = (auth, events, registrations, jobs, mail, program, badging, leads, demonstrator, meetings, outcomes,
            report, backoffice, api, network, privacy, demo, accessibility)


def _register_features(app: Flask) -> None:
    for feature in FEATURES:
        feature.init_app(app)
