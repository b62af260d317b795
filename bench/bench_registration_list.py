"""Time the organiser's registration list with 1,000 registrations.

    python bench/bench_registration_list.py [--rows 1000] [--repeat 20]

Uses a fresh SQLite file, or the database in BENCH_DATABASE_URL (it is emptied first).
Prints the median and 95th percentile of each request, through the full Flask stack.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import date

from benchlib import fresh_app, timed

from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.events.models import CategoryCode, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Mandate
from app.registrations.services import RegistrationInput, register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    app = fresh_app()
    with app.app_context():
        event = create_event(EventInput(name="Bench", slug="bench", city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 4),
                                        status=EventStatus.OPEN), actor_id=None)
        organiser = Person(email="orga@bench.org", first_name="O", last_name="B")
        db.session.add(organiser)
        set_password(organiser, "bench password")
        db.session.flush()
        grant_role(organiser, event.id, RoleName.ORGANISER, actor_id=None)
        rng = random.Random(1)
        categories = list(CategoryCode)
        started = time.perf_counter()
        for n in range(args.rows):
            category = rng.choice(categories)
            data = RegistrationInput(category=category, email=f"p{n}@bench.org", first_name=f"Prénom{n}",
                                     last_name=f"Nom{n}", organisation_name=f"Structure {n % 150}",
                                     days=[event.starts_on], theme_codes=["mobilite"], pitch="Pitch",
                                     mandate=Mandate.MAIRE, territory=f"Ville {n % 90}")
            register(event, data, source="bench", notify=False)
        db.session.commit()
        print(f"database: {db.engine.dialect.name}; {args.rows} registrations created in "
              f"{time.perf_counter() - started:.1f} s")

    client = app.test_client()
    client.post("/login", data={"email": "orga@bench.org", "password": "bench password"})
    base = "/manage/e/bench/registrations"
    for label, path in [("list, first page", base), ("list, page 10", f"{base}?page=10"),
                        ("search 'nom12'", f"{base}?q=nom12"), ("filter élus, pending", f"{base}?category=elu&status=pending"),
                        ("CSV export (all)", f"{base}/export.csv"), ("XLSX export (all)", f"{base}/export.xlsx")]:
        median, p95, _size = timed(client, path, args.repeat)
        print(f"{label:<24} median {median:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
