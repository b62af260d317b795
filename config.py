"""Settings classes. Secrets come from the environment only."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MEDIANE_INSTANCE", BASE_DIR / "instance"))

#: The development key is public on purpose: production refuses to run with it.
DEV_SECRET_KEY = "dev-only-not-secret"


def normalise_database_url(url: str) -> str:
    """Map postgres URLs to the psycopg 3 driver; leave others as they are."""
    # Heroku-style URLs and plain "postgresql://" both go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'mediane.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", str(INSTANCE_DIR / "huey.db"))
    HUEY_IMMEDIATE = False

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("fr", "en")
    WTF_I18N_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    HSTS = False
    IS_PRODUCTION = False

    # Login throttling: failed attempts allowed in the window, per account and per address.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    PASSWORD_RESET_MAX_AGE = 3600

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: A JSON body (the scanner's batches: 5,000 scans with notes) is refused past this size.
    JSON_MAX_BYTES = 8 * 1024 * 1024
    #: An import is one transaction: on SQLite it holds the write lock throughout (about 15 s per 1,000 rows).
    IMPORT_MAX_ROWS = 5000

    # Lead scanning: requests per device and minute (S6), scans per upload, characters of notes.
    LEADS_DEVICE_REQUESTS_PER_MINUTE = int(os.environ.get("LEADS_DEVICE_REQUESTS_PER_MINUTE", "120"))
    LEADS_MAX_BATCH = 5000
    LEADS_MAX_NOTES = 4000
    #: Days after an edition's last day that its contacts and scans are kept, then erased (S12).
    LEADS_RETENTION_DAYS = int(os.environ.get("LEADS_RETENTION_DAYS", "365"))

    #: Searches the visit-route optimiser runs side by side (one per core is the most that helps);
    #: the plan is the best of them. 1 makes a plan repeatable from its seed.
    ROUTING_THREADS = int(os.environ.get("ROUTING_THREADS", "2"))

    # Outgoing mail: always written to the outbox table; also sent by SMTP when set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Médiane <no-reply@mediane.local>")

    #: Where people reach the site; used for links in mail sent outside a request.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # Behind a reverse proxy (gunicorn behind nginx): how many proxies to trust.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    # Tests never touch DATABASE_URL: they empty the tables they use.
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.db'}")
    )
    HUEY_IMMEDIATE = True
    ROUTING_THREADS = 1
    WTF_CSRF_ENABLED = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing in tests only


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    IS_PRODUCTION = True
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "1"))

    @classmethod
    def check(cls) -> None:
        """Refuse to start on a missing, default or short secret key."""
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEV_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
