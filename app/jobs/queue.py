"""The huey queue: Redis when REDIS_URL is set, else a SQLite file beside the database.

Huey binds tasks to one instance at import time, so the instance is built here from
the environment (the same variables config.py reads); create_app() only switches it
to immediate mode for tests.

The queue only wakes a worker up: the job table is what is true (app.jobs.runner takes a job once, and
app.jobs.sweep sends again what a lost message leaves waiting), so a message delivered twice is harmless.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import redis
from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.exceptions import HueyException

from config import Config

#: What a queue that cannot be reached raises: Redis down, refusing or too slow; the SQLite queue file
#: locked or unreadable (huey's SQLite storage raises sqlite3's own errors); huey's own.
QUEUE_ERRORS: tuple[type[Exception], ...] = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                                             sqlite3.OperationalError, sqlite3.DatabaseError, HueyException)


class QueueUnavailable(Exception):
    """The job queue cannot be reached: nothing was handed to it."""


def make_huey(name: str | None = None, redis_url: str | None = None, sqlite_path: str | None = None) -> Huey:
    """The queue named `name` (HUEY_NAME), on Redis at `redis_url` (REDIS_URL), else in a SQLite file."""
    name = name or Config.HUEY_NAME
    redis_url = redis_url if redis_url is not None else Config.REDIS_URL
    if redis_url:
        # A Redis that does not answer must fail a request quickly, not hang it.
        pool = redis.ConnectionPool.from_url(redis_url, socket_connect_timeout=3, socket_timeout=10)
        return RedisHuey(name, connection_pool=pool)
    path = Path(sqlite_path or Config.HUEY_SQLITE_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path))


def check_queue() -> None:
    """Raise QueueUnavailable unless the queue answers (a cheap question: how many messages wait)."""
    try:
        huey.storage.queue_size()
    except QUEUE_ERRORS as error:
        raise QueueUnavailable(str(error)) from error


huey = make_huey()
