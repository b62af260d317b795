"""What the request benchmarks share: a fresh database, and timing a page through the Flask stack."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402


def fresh_app() -> Flask:
    """An app on a new SQLite file, or on BENCH_DATABASE_URL (its public schema is emptied first), migrated."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    return app


def timed(client, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and 95th percentile in ms of `repeat` GETs of `path`, and the size of the last body."""
    timings, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data())
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))], size
