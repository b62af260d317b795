"""The huey queue: Redis when REDIS_URL is set, else a SQLite file beside the database.

Huey binds tasks to one instance at import time, so the instance is built here from
the environment (the same variables config.py reads); create_app() only switches it
to immediate mode for tests.
"""
from __future__ import annotations

from pathlib import Path

from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from config import Config


def make_huey() -> Huey:
    if Config.REDIS_URL:
        return RedisHuey("mediane", url=Config.REDIS_URL)
    path = Path(Config.HUEY_SQLITE_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("mediane", filename=str(path))


huey = make_huey()
