"""Time the program pages and calendar feeds on the demo summit (about 135 sessions, 1,000 registrations).

    python bench/bench_program.py [--repeat 20]

Loads the demo into a fresh SQLite file (or BENCH_DATABASE_URL, emptied first), then times requests
through the whole Flask stack and prints the median and 95th percentile of each.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import set_password  # noqa: E402
from app.demo.generator import load_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.program.models import AgendaEntry, ProgramSession  # noqa: E402
from app.registrations.models import Registration  # noqa: E402


def timed(client, path: str, repeat: int) -> tuple[float, float, int]:
    timings = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data())
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        summary = load_demo(2018, "sommet-nevers-2027", password="bench password 1")
        sessions = db.session.scalar(select(func.count()).select_from(ProgramSession))
        busiest = db.session.execute(select(AgendaEntry.registration_id, func.count()).group_by(
            AgendaEntry.registration_id).order_by(func.count().desc()).limit(1)).first()
        attendee = db.session.get(Registration, busiest[0])
        set_password(attendee.person, "bench password 2")
        email = attendee.person.email
        db.session.commit()
        print(f"database: {db.engine.dialect.name}; demo loaded in {time.perf_counter() - started:.1f} s: "
              f"{summary.num_registrations} registrations, {sessions} sessions; attendee with {busiest[1]} agenda entries")

    slug = "sommet-nevers-2027"
    public = app.test_client()
    attendee_client = app.test_client()
    attendee_client.post("/login", data={"email": email, "password": "bench password 2"})
    organiser = app.test_client()
    organiser.post("/login", data={"email": "organisation@mediane.demo", "password": "bench password 1"})
    rows = [
        ("program page, day 2 (public)", public, f"/e/{slug}/program?day=2027-06-03"),
        ("program page, day 2 (attendee)", attendee_client, f"/e/{slug}/program?day=2027-06-03"),
        ("program page, filtered by theme", public, f"/e/{slug}/program?day=2027-06-03&theme=mobilite"),
        ("my agenda page", attendee_client, f"/e/{slug}/agenda"),
        ("personal .ics", attendee_client, f"/e/{slug}/agenda.ics"),
        ("whole program .ics", public, f"/e/{slug}/program.ics"),
        ("frab XML", public, f"/e/{slug}/schedule.xml"),
        ("organiser grid, day 2", organiser, f"/manage/e/{slug}/program/?day=2027-06-03"),
    ]
    for label, client, path in rows:
        median, p95, size = timed(client, path, args.repeat)
        print(f"{label:<34} median {median:7.1f} ms   p95 {p95:7.1f} ms   {size / 1024:6.1f} KiB")


if __name__ == "__main__":
    main()
