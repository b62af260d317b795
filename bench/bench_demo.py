"""Time `load_demo` on a fresh SQLite database, and on PostgreSQL when DATABASE_URL is set.

    python bench/bench_demo.py [--seed 2018] [--repeat 1]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mediane_demo python bench/bench_demo.py

On PostgreSQL the schema is migrated and the edition `bench-demo` is loaded with reset (the
database is not emptied). Prints wall time, CPU time and the counts.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generator import load_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from config import normalise_database_url  # noqa: E402

SLUG = "bench-demo"


def bench(url: str, label: str, seed: int, repeat: int) -> None:
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    with app.app_context():
        upgrade()
        for run in range(1, repeat + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            summary = load_demo(seed, SLUG, reset=True, password="bench-password")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{label} run {run}: {wall:.1f} s wall, {cpu:.1f} s CPU, {summary.num_registrations} registrations")
        print("  by category:", ", ".join(f"{k} {v}" for k, v in summary.by_category.items()))
        print("  by status:", ", ".join(f"{k} {v}" for k, v in summary.by_status.items()))
        print("  by country:", ", ".join(f"{k} {v}" for k, v in summary.by_country.items()))
        print(f"  startups {summary.num_startups}, delegations {summary.num_delegations}, "
              f"fingerprint {summary.fingerprint[:16]}")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args.seed, args.repeat)
    if os.environ.get("DATABASE_URL"):
        bench(os.environ["DATABASE_URL"], "PostgreSQL", args.seed, args.repeat)


if __name__ == "__main__":
    main()
