"""Settings classes. Secrets come from the environment only."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MEDIANE_INSTANCE", BASE_DIR / "instance"))

#: The development key is public on purpose: production refuses to run with it.
DEV_SECRET_KEY = "dev-only-not-secret"
#: The public address when PUBLIC_URL is not set (development): where `flask run` listens.
DEV_PUBLIC_URL = "http://127.0.0.1:5000"


def host_names(value: str) -> list[str]:
    """A comma-separated list of host names, without blanks."""
    return [name.strip() for name in value.split(",") if name.strip()]


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
    #: A database briefly away (a restart, a lost connection, a SQLite write lock held longer than the busy timeout)
    #: answers 503 asking clients to send again after this many seconds (R10).
    DATABASE_RETRY_AFTER_SECONDS = int(os.environ.get("DATABASE_RETRY_AFTER_SECONDS", "5"))
    #: How long a SQLite connection waits for the write lock before the request is answered 503.
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "30000"))
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", str(INSTANCE_DIR / "huey.db"))
    HUEY_IMMEDIATE = False
    #: The queue's name: engineers and test runs that share one Redis (or queue file) each use their own.
    HUEY_NAME = os.environ.get("HUEY_NAME", "mediane")

    # Jobs that survive their worker (R10). A worker renews the lease of each job it runs (with each progress
    # report, and from a heartbeat meanwhile); a job whose lease ran out lost its worker (kill -9, a reboot) and
    # is ended or run again by the sweep, which the worker runs every JOBS_SWEEP_SECONDS and the site runs
    # when people look (at most every JOBS_LAZY_SWEEP_SECONDS per process). Lease + sweep < 60 s.
    JOBS_LEASE_SECONDS = float(os.environ.get("JOBS_LEASE_SECONDS", "30"))
    JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "10"))
    JOBS_SWEEP_SECONDS = float(os.environ.get("JOBS_SWEEP_SECONDS", "10"))
    JOBS_LAZY_SWEEP_SECONDS = float(os.environ.get("JOBS_LAZY_SWEEP_SECONDS", "1"))
    #: A queued job whose message is neither in the queue nor taken by a worker this long after it was sent
    #: (the worker died between taking the message and starting the job, or Redis lost it) is sent again.
    JOBS_RESEND_AFTER_SECONDS = float(os.environ.get("JOBS_RESEND_AFTER_SECONDS", "60"))
    #: A job that loses its worker this many times is not run again: it is failed (it may be what kills it).
    JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "3"))

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("fr", "en")
    #: The Babel locale dates are written in, per interface language: the English of the interface is British
    #: (organiser, programme), so are its dates (Wednesday 2 June, 14:05).
    FORMAT_LOCALES = {"en": "en_GB"}
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
    #: Password-reset mails to one account in an hour: more asks get the same answer and send nothing (no mail
    #: bombing of someone through the "forgot password" form).
    PASSWORD_RESET_MAILS_PER_HOUR = 3
    PASSWORD_RESET_MAX_AGE = 3600

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: A JSON body (the scanner's batches: 5,000 scans with notes) is refused past this size.
    JSON_MAX_BYTES = 8 * 1024 * 1024
    #: An import is one transaction: on SQLite it holds the write lock throughout (about 15 s per 1,000 rows).
    IMPORT_MAX_ROWS = 5000

    #: A print job stores its badges in parts of this many (a multiple of 4, the badges on an A4 sheet): a job whose
    #: worker dies keeps the parts it finished, and the organiser prints the rest.
    BADGE_PRINT_PART = int(os.environ.get("BADGE_PRINT_PART", "100"))
    #: Tours a day's route sheets job draws and stores at a time (a part survives its worker).
    SHEETS_PRINT_PART = int(os.environ.get("SHEETS_PRINT_PART", "20"))

    # Lead scanning: requests per device and minute (S6), scans per upload, characters of notes.
    LEADS_DEVICE_REQUESTS_PER_MINUTE = int(os.environ.get("LEADS_DEVICE_REQUESTS_PER_MINUTE", "120"))
    LEADS_MAX_BATCH = 5000
    LEADS_MAX_NOTES = 4000
    #: Days after an edition's last day that its contacts and scans are kept, then erased (S12). One of the
    #: retention kinds below (`flask data purge --kind leads`): a stand follows up its contacts within the year
    #: after the summit, and the outcomes survey asks about them a year on (the CNIL's guidance for prospects
    #: allows up to three years after the last contact; a year is what the purpose needs).
    LEADS_RETENTION_DAYS = int(os.environ.get("LEADS_RETENTION_DAYS", "365"))
    # A person's data export (issue 19): downloadable once, for this many days after it is ready.
    PRIVACY_EXPORT_DAYS = int(os.environ.get("PRIVACY_EXPORT_DAYS", "7"))

    # Retention of personal data (issue 19, S12): how long each kind is kept before the daily purge
    # (app.privacy.retention, `flask data purge`) erases it. A row exactly on its boundary is kept; erased the
    # moment after. The defaults are what a French public body's DPO would sign off, each with its reason.
    #: People not seen for this many years (their newest edition ended, their last login, their account's
    #: creation): erased through the person erasure. Three years after the last contact is the CNIL's reference
    #: for prospects and event contacts; a city that skips two summits is still invited to the third.
    RETENTION_PEOPLE_YEARS = int(os.environ.get("RETENTION_PEOPLE_YEARS", "3"))
    #: Days after an edition's end that its door check-ins keep their details (exact time, the volunteer who let
    #: the person in, the door): afterwards a check-in keeps only its hour, which the edition's figures count.
    #: Three months is the CNIL's reference for access-control logs.
    RETENTION_CHECKINS_DAYS = int(os.environ.get("RETENTION_CHECKINS_DAYS", "90"))
    #: Days a mail stays in the outbox (sent, failed or never sent): long enough to answer "I never got my
    #: badge" after the summit, short enough that the mails (links, names) do not pile up for years.
    RETENTION_OUTBOX_DAYS = int(os.environ.get("RETENTION_OUTBOX_DAYS", "180"))
    #: Days a person's data export (a ZIP of all the app holds about her) is kept after its link expired, when
    #: she never downloaded it (a download empties it at once): none, the link is the only way to it.
    RETENTION_EXPORTS_DAYS = int(os.environ.get("RETENTION_EXPORTS_DAYS", "0"))
    #: Days an attendee import (the uploaded file, its preview rows and its result) is kept: a month to check
    #: and correct an import; the audit keeps that it happened, with counts.
    RETENTION_IMPORTS_DAYS = int(os.environ.get("RETENTION_IMPORTS_DAYS", "30"))
    #: Days the audit trail is kept: the CNIL's recommendation on logging is six months to a year.
    RETENTION_AUDIT_DAYS = int(os.environ.get("RETENTION_AUDIT_DAYS", "365"))
    #: Days a finished background job (its parameters, result and error) is kept after it ended: a quarter,
    #: for an organiser to see what ran. A job that made files goes with its files (below).
    RETENTION_JOBS_DAYS = int(os.environ.get("RETENTION_JOBS_DAYS", "90"))
    #: Days after an edition's end that the files made for it (badge PDFs with names and QR codes, route
    #: sheets) and the jobs that made them are kept: a month for a late reprint or a claim, then they serve
    #: nobody. (Uploaded files that hold no personal data stay: a badge logo, a hall plan, a network project's
    #: documents, which are the network library's purpose and go with their project.)
    RETENTION_FILES_DAYS = int(os.environ.get("RETENTION_FILES_DAYS", "30"))
    #: Days a failed login (the e-mail typed and the network address) is kept: the throttle reads 15 minutes of
    #: them; a month lets an administrator look into an attack.
    RETENTION_LOGIN_FAILURES_DAYS = int(os.environ.get("RETENTION_LOGIN_FAILURES_DAYS", "30"))

    # The public API (/api/v1): requests per token and minute; the days a token lasts unless its creator says
    # otherwise (at most API_TOKEN_MAX_DAYS); the hours a write's idempotent answer is kept.
    API_REQUESTS_PER_MINUTE = int(os.environ.get("API_REQUESTS_PER_MINUTE", "600"))
    API_TOKEN_DEFAULT_DAYS = 90
    API_TOKEN_MAX_DAYS = 730
    API_IDEMPOTENCY_HOURS = 48
    #: Webhooks: seconds a receiver has to answer; deliveries retried with backoff for this many hours.
    WEBHOOK_TIMEOUT_SECONDS = 10
    WEBHOOK_RETRY_HOURS = 24
    #: Webhook addresses must be https on a public address; tests and the demo let http on loopback through.
    WEBHOOK_ALLOW_LOOPBACK = os.environ.get("WEBHOOK_ALLOW_LOOPBACK", "0") == "1"

    #: Searches the visit-route optimiser runs side by side (one per core is the most that helps);
    #: the plan is the best of them. 1 makes a plan repeatable from its seed.
    ROUTING_THREADS = int(os.environ.get("ROUTING_THREADS", "2"))
    #: Most seconds the tight bound spends on a stored plan's bound after its search (never more than the
    #: search itself took; 0 keeps the search's own bound).
    PLAN_BOUND_SECONDS = float(os.environ.get("PLAN_BOUND_SECONDS", "600"))

    # Outgoing mail: always written to the outbox table; also sent by SMTP when set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Médiane <no-reply@mediane.local>")

    #: Where people reach the site. Every link in an e-mail, a calendar, a PDF or a QR code is built from it,
    #: never from the request's Host (app.core.urls); in production it is also the only host the site answers
    #: to, and must be https. Without it (development), the address of `flask run`.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or DEV_PUBLIC_URL
    #: Production only: other host names the site answers to besides PUBLIC_URL's (comma-separated), such as
    #: an old domain that the proxy redirects, or the name a health check uses.
    EXTRA_TRUSTED_HOSTS = host_names(os.environ.get("EXTRA_TRUSTED_HOSTS", ""))

    #: The RGAA 4.1 grid the accessibility statement is computed from (docs/accessibility.md).
    ACCESSIBILITY_GRID = os.environ.get("ACCESSIBILITY_GRID", str(BASE_DIR / "docs" / "accessibility.md"))
    #: Who reads the reports sent from the accessibility statement's form; without it, the organisers of the
    #: newest open edition (else the platform's staff).
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
    #: Reports accepted per hour from one network address, and from everyone (the form cannot flood mailboxes).
    ACCESSIBILITY_REPORTS_PER_ADDRESS_PER_HOUR = int(os.environ.get("ACCESSIBILITY_REPORTS_PER_ADDRESS_PER_HOUR", "5"))
    ACCESSIBILITY_REPORTS_PER_HOUR = int(os.environ.get("ACCESSIBILITY_REPORTS_PER_HOUR", "60"))

    # Meetings on request: one person's attempts to send requests per hour, and the requests she may have waiting
    # for an answer at once (one account cannot flood the others); the days a request's e-mail link answers it.
    MEETING_REQUESTS_PER_HOUR = int(os.environ.get("MEETING_REQUESTS_PER_HOUR", "20"))
    MEETING_REQUESTS_MAX_PENDING = int(os.environ.get("MEETING_REQUESTS_MAX_PENDING", "10"))
    MEETING_LINK_MAX_AGE_DAYS = int(os.environ.get("MEETING_LINK_MAX_AGE_DAYS", "30"))

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
    JOBS_LAZY_SWEEP_SECONDS = 0.0
    ROUTING_THREADS = 1
    #: The tests check that a plan keeps the tighter bound (tests/demonstrator/test_planning.py), not how
    #: tight it gets in the plan's whole time: a second each keeps the suite's many plans quick.
    PLAN_BOUND_SECONDS = 1.0
    WTF_CSRF_ENABLED = True
    #: Fixed, whatever the shell exports: tests read links out of e-mails and calendars.
    PUBLIC_URL = "http://mediane.test"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing in tests only
    WEBHOOK_ALLOW_LOOPBACK = True  # the tests' receiver listens on 127.0.0.1


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
