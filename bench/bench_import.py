"""Time the attendee import on a realistic 1,000-row file.

    python bench/bench_import.py [--rows 1000]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/scratch python bench/bench_import.py

Always runs on a fresh SQLite database in a temporary folder; also on DATABASE_URL when it is
set (there, everything the run creates carries a unique tag and is deleted at the end).
Prints the preview time (parse + checks against the database, what the upload page does), the
import time (the job: re-parse, register every row in one transaction, commit) and the time of
a second import of the same file (every row already registered, nothing changes).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.events.models import Event, EventStatus  # noqa: E402
from app.events.services import EventInput, create_event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs.models import Job, JobStatus  # noqa: E402
from app.jobs.queue import huey  # noqa: E402
from app.jobs.services import start_job  # noqa: E402
from app.people.models import Organisation, Person  # noqa: E402
from app.registrations.imports.jobs import KIND  # noqa: E402
from app.registrations.imports.services import check_file, dedupe_key, store_batch  # noqa: E402
from app.registrations.models import Registration  # noqa: E402
from config import DevelopmentConfig, normalise_database_url  # noqa: E402

FIRST = ["Camille", "Hélène", "François", "Geneviève", "Noël", "Inès", "Zoé", "Jérôme", "Anaïs", "Benoît", "Léa",
         "Théo", "Chloé", "Raphaël", "Maëlle", "Éric", "Céline", "Gaëtan", "Aurélie", "Stéphane"]
LAST = ["Martin", "Dupré", "Lefèvre", "Côté", "Garçon", "Benali", "Tremblay", "Bouchard", "Gagné", "Lemaître",
        "Pétillon", "Moreau", "Fournier", "Girard", "Bérubé", "N'Diaye", "Diallo", "Ouellet", "Faure", "Müller"]
CITIES = [("Nevers", "FR"), ("Châlons-en-Champagne", "FR"), ("Saint-Brieuc", "FR"), ("Trois-Rivières", "Québec"),
          ("Sherbrooke", "CA"), ("Namur", "Belgique"), ("Mons", "BE"), ("Neuchâtel", "CH"), ("Sion", "Suisse"),
          ("Thiès", "SN"), ("Sousse", "TN"), ("Béziers", "France"), ("Périgueux", "FR"), ("Rimouski", "CA")]
MANDATES = ["Maire", "Adjoint au maire", "adjointe au maire", "Conseillère municipale", "conseiller_communautaire",
            "Président de l'intercommunalité", "Conseiller départemental"]
THEMES = ["mobilite", "sante", "Énergie", "habitat", "Urbanisme", "donnees-numerique", "commerce", "tourisme"]
HEADER = ["Courriel", "Prénom", "Nom", "Catégorie", "Organisation", "Fonction", "Téléphone", "Pays", "Mandat",
          "Territoire", "Thèmes", "Jours", "Délégation", "Statut", "Pitch", "Annuaire"]


def make_csv(num_rows: int, tag: str, days: list[date], seed: int = 7) -> bytes:
    """A file as an organiser exports it from Excel: Windows-1252, semicolons, French headers."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(num_rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, country = rng.choice(CITIES)
        email = f"{first.lower()[:3]}.{n}@{tag}.example"
        kind = rng.choices(["Élu", "Décideur", "Startup / exposant", "Entreprise", "Visiteur", "Presse",
                            "intervenant"], weights=[25, 20, 10, 10, 25, 5, 5])[0]
        row = [email, first, last, kind, "", "", f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00", country,
               "", "", "|".join(rng.sample(THEMES, rng.randint(0, 3))),
               " ".join(d.isoformat() for d in sorted(rng.sample(days, rng.randint(1, len(days))))),
               "", rng.choice(["", "", "confirmé", "en attente"]), "", rng.choice(["oui", "non", ""])]
        if kind == "Élu":
            row[8], row[9] = rng.choice(MANDATES), city
            row[12] = f"Ville de {city} {tag}" if rng.random() < 0.6 else ""
        elif kind == "Décideur":
            row[4], row[5] = f"Ville de {city}", rng.choice(["DGS", "Directrice de l'innovation", "Chef de projet"])
        elif kind == "Startup / exposant":
            row[4], row[14] = f"Startup {n % 60} {tag}", "Capteurs urbains et données ouvertes pour les centres-villes"
        elif kind in ("Entreprise", "Presse"):
            row[4] = f"Société {n % 40} {tag}"
        writer.writerow(row)
    return buffer.getvalue().encode("cp1252")


class Clock:
    """Wall time and this process's CPU time (the latter is steadier on a busy shared machine)."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, Clock(time.perf_counter() - wall, time.process_time() - cpu)


def bench(url: str, num_rows: int, label: str) -> None:
    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    tag = f"bench{int(time.time())}"
    huey.immediate = True  # the job runs here, as the worker would run it
    with app.app_context():
        upgrade()
        event = create_event(EventInput(name=f"Bench {tag}", slug=tag, city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 4),
                                        status=EventStatus.OPEN), actor_id=None)
        db.session.commit()
        content = make_csv(num_rows, tag, event.days)
        try:
            check, preview_s = timed(lambda: check_file(event, content, "participants.csv"))
            assert not check.parsed.errors, check.parsed.errors[:5]

            def run_job() -> Job:
                batch = store_batch(event, content, "participants.csv", check_file(event, content, "p.csv"),
                                    actor_id=None)
                db.session.commit()
                return start_job(KIND, params={"batch_id": batch.id}, event_id=event.id, created_by_id=None,
                                 dedupe_key=dedupe_key(batch))

            job, import_s = timed(run_job)
            job = db.session.get(Job, job.id)
            assert job.status == JobStatus.DONE, job.error
            created = db.session.scalar(select(func.count()).select_from(Registration)
                                        .where(Registration.event_id == event.id))
            again, again_s = timed(run_job)
            again = db.session.get(Job, again.id)
            print(f"{label}: {num_rows} rows, {len(content) // 1024} KB | preview {preview_s} | "
                  f"import (job, one transaction) {import_s}, {created} created | "
                  f"re-import {again_s}, {again.result['created']} created, {again.result['unchanged']} unchanged")
        finally:
            db.session.rollback()
            db.session.execute(delete(Event).where(Event.slug == tag))
            db.session.execute(delete(Person).where(Person.email.like(f"%@{tag}.example")))
            db.session.execute(delete(Organisation).where(Organisation.name.like(f"%{tag}")))
            db.session.commit()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{Path(folder) / 'bench.db'}", args.rows, "SQLite")
    if os.environ.get("DATABASE_URL"):
        bench(os.environ["DATABASE_URL"], args.rows, "PostgreSQL")


if __name__ == "__main__":
    main()
