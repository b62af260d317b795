"""Does the time of a refused login, or of a reset request, tell whether an account exists?

    python bench/bench_login_timing.py [--tries 100] [--hash scrypt] [--only login|reset]

Through the full Flask stack (test client, CSRF off), on a fresh SQLite file or on BENCH_DATABASE_URL
(emptied first). Each round sends one try of every path, in a shuffled order (fixed seed), so that a change in
the machine's load falls on all of them alike:

- login, known e-mail, wrong password          (an account with a password)
- login, unknown e-mail                        (no such person)
- login, known e-mail without a password       (registered, never chose a password)
- login, disabled account, wrong password
- password reset request, known / unknown e-mail

Passwords are hashed as in production (werkzeug's scrypt unless --hash says otherwise), not with the fast
hash of the tests. The failure limits are raised for the run so that every try reaches the password check
(the app's limits are unchanged). Jobs go to a huey queue in a temporary SQLite file, as with the demo's
worker, and are not run. Prints the median and 95th percentile of each path in ms, and the ratio of each to
the first path of its group.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchlib import fresh_app
from huey.storage import SqliteStorage

from app.auth.services import set_password
from app.extensions import db
from app.jobs.queue import huey
from app.people.models import Person

PASSWORD = "the right password"

LOGIN_PATHS = {
    "login: known e-mail, wrong password": ("known@bench.org", "login"),
    "login: unknown e-mail": ("nobody@bench.org", "login"),
    "login: known e-mail, no password set": ("nopassword@bench.org", "login"),
    "login: disabled account, wrong password": ("disabled@bench.org", "login"),
}
RESET_PATHS = {
    "reset request: known e-mail": ("known@bench.org", "reset"),
    "reset request: unknown e-mail": ("nobody@bench.org", "reset"),
}


def populate(app) -> None:
    with app.app_context():
        for email, enabled, password in [("known@bench.org", True, PASSWORD), ("nopassword@bench.org", True, None),
                                         ("disabled@bench.org", False, PASSWORD)]:
            person = Person(email=email, first_name="Bench", last_name="Person", is_enabled=enabled)
            db.session.add(person)
            if password:
                set_password(person, password)
        db.session.commit()


def one_try(client, email: str, kind: str) -> float:
    started = time.perf_counter()
    if kind == "login":
        response = client.post("/login", data={"email": email, "password": "a wrong password"})
        expected = (401,)
    else:
        response = client.post("/password/forgot", data={"email": email})
        expected = (302,)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in expected, (email, kind, response.status_code)
    return elapsed


def summary(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=100, help="tries of each path (default 100)")
    parser.add_argument("--hash", default="scrypt", help="werkzeug password hash method (default: scrypt)")
    parser.add_argument("--only", choices=("login", "reset"), help="time only these paths")
    args = parser.parse_args()

    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = fresh_app()
    huey.immediate = False  # the testing config runs tasks inline; the bench queues them as production does
    huey.storage = SqliteStorage(huey.name, filename=str(Path(tempfile.mkdtemp()) / "huey.db"))
    app.config.update(PASSWORD_HASH_METHOD=args.hash, LOGIN_MAX_FAILURES_PER_ACCOUNT=10**9,
                      LOGIN_MAX_FAILURES_PER_ADDRESS=10**9)
    populate(app)
    client = app.test_client()
    groups = [group for name, group in (("login", LOGIN_PATHS), ("reset", RESET_PATHS)) if args.only in (None, name)]
    paths = {label: path for group in groups for label, path in group.items()}
    for label, (email, kind) in paths.items():  # warm-up: templates compiled, connections open
        one_try(client, email, kind)
    timings: dict[str, list[float]] = {label: [] for label in paths}
    rng = random.Random(24)
    for _ in range(args.tries):
        for label in rng.sample(list(paths), len(paths)):
            email, kind = paths[label]
            timings[label].append(one_try(client, email, kind))

    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; {dialect}; hash {args.hash}; "
          f"{args.tries} alternated tries of each path")
    for group in groups:
        reference = None
        for label in group:
            median, p95 = summary(timings[label])
            reference = reference or median
            print(f"{label:<42} median {median:7.1f} ms   p95 {p95:7.1f} ms   "
                  f"median / first {median / reference:5.2f}")


if __name__ == "__main__":
    main()
