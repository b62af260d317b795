"""Print the badges of the demo summit through the app (tokens, records, layout, PDF) and time it.

    python bench/bench_demo_badges.py [--sheet a6|a4x4]

Loads the demo into a fresh SQLite file (or BENCH_DATABASE_URL, emptied first); prints the number
of badges, the seconds, the PDF size and the peak memory. `bench/bench_badges.py` measures the
renderer alone against reportlab's own floor.
"""
from __future__ import annotations

import argparse
import resource
import time

from benchlib import fresh_app

from app.badging import services
from app.demo.generator import load_demo
from app.events.models import Event
from app.extensions import db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", choices=["a6", "a4x4"], default="a6")
    args = parser.parse_args()
    app = fresh_app()
    with app.app_context():
        load_demo(2018, "sommet-nevers-2027", password="bench password 1")
        event = db.session.scalar(db.select(Event).where(Event.slug == "sommet-nevers-2027"))
        started = time.perf_counter()
        run = services.print_badges(event, services.Selection(), args.sheet, actor_id=None)
        db.session.commit()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{run.num_badges} badges ({args.sheet}) in {seconds:.1f} s, PDF {len(run.pdf) / 1e6:.2f} MB, "
              f"peak memory {peak:.0f} MB (whole process, demo load included); 2-core machine")


if __name__ == "__main__":
    main()
