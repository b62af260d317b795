"""Time the program pages and calendar feeds on the demo summit (about 135 sessions, 1,000 registrations).

    python bench/bench_program.py [--repeat 20]

Loads the demo into a fresh SQLite file (or BENCH_DATABASE_URL, emptied first), then times requests
through the whole Flask stack and prints the median and 95th percentile of each.
"""
from __future__ import annotations

import argparse
import time

from benchlib import fresh_app, timed
from sqlalchemy import func, select

from app.auth.services import set_password
from app.demo.generator import load_demo
from app.extensions import db
from app.program.models import AgendaEntry, ProgramSession
from app.registrations.models import Registration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    app = fresh_app()
    with app.app_context():
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
