"""Time the program library on generated programs of 150 and 1,000 sessions.

    python bench/bench_schedules.py [--sizes 150 1000] [--repeat 15] [--seed 7]

Prints the median and the worst run of find_conflicts, program_calendar, frab_xml,
frab_json and program_csv. No database, no Flask: plain values in, bytes out.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schedules import (
    EventInfo,
    Room,
    Session,
    Speaker,
    find_conflicts,
    frab_json,
    frab_xml,
    program_calendar,
    program_csv,
)

KINDS = ("pleniere", "conference", "atelier", "table_ronde", "visite", "pause")


def generate(num_sessions: int, seed: int) -> tuple[EventInfo, list[Room], list[Session]]:
    rng = random.Random(seed)
    days = tuple(date(2027, 6, 2) + timedelta(days=i) for i in range(3))
    event = EventInfo("bench", "Médiane Bench", "Lyon", "Centre des congrès", "Europe/Paris", days)
    rooms = [Room(i, f"Salle {i}", capacity=rng.choice((20, 60, 200))) for i in range(max(4, num_sessions // 25))]
    speakers = [Speaker(i, f"Intervenant·e {i}", organisation="Ville") for i in range(max(10, num_sessions // 2))]
    tz = ZoneInfo(event.tz)
    sessions = []
    for i in range(num_sessions):
        day = rng.choice(days)
        start = datetime(day.year, day.month, day.day, 8, tzinfo=tz) + timedelta(minutes=15 * rng.randrange(40))
        end = start + timedelta(minutes=rng.choice((30, 45, 60, 90)))
        sessions.append(Session(
            id=i + 1, kind=rng.choice(KINDS), title_fr=f"Séance {i} & villes", title_en=f"Session {i}",
            start=start.astimezone(UTC), end=end.astimezone(UTC),
            room_id=rng.choice(rooms).id, description_fr="Une description." * 5, description_en="A description." * 5,
            speakers=tuple(rng.sample(speakers, rng.randint(0, 3))), themes=("mobilité",),
            seat_limit=rng.choice((None, 30, 80)), cancelled=rng.random() < 0.03, url=f"https://x.example/s/{i}"))
    return event, rooms, sessions


def measure(fn, program, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn(program)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 1000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'sessions':>8}  {'function':<17} {'median ms':>10} {'max ms':>8}")
    for size in args.sizes:
        event, rooms, sessions = generate(size, args.seed)
        program = (event, rooms, sessions)
        cases = {
            "find_conflicts": lambda p: find_conflicts(*p),
            "program_calendar": lambda p: program_calendar(*p, "fr"),
            "frab_xml": lambda p: frab_xml(*p, version="1"),
            "frab_json": lambda p: frab_json(*p, version="1"),
            "program_csv": lambda p: program_csv(*p, "fr"),
        }
        for name, fn in cases.items():
            median, worst = measure(fn, program, args.repeat)
            print(f"{size:>8}  {name:<17} {median:>10.1f} {worst:>8.1f}")
        print(f"{'':>8}  ({len(find_conflicts(event, rooms, sessions))} conflicts found)")


if __name__ == "__main__":
    main()
