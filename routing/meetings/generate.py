"""Generator of realistic meeting-placement documents (seeded).

A summit of ``days`` days; meeting sessions 9:00-12:30 and 14:00-18:00 (minutes from midnight of the
first day, a day being 1440), 20-minute slots, at most 4 meetings per person and session, a 5-minute
buffer. People:

- officials (30 %) attend one to three days; on each day they have one or two 90-minute visit routes
  that start at a session break (10:00, 10:30, 11:00, 14:30, 15:00, 16:00), and sometimes a talk;
- startups (35 %) attend every day, and give a pitch or a talk or two (30-60 minutes);
- partners, investors and journalists (35 %) attend one to three days and sit in talks (45-90 minutes).

Meetings are asked mostly of officials, with skewed popularity (a Pareto weight: a few officials are
asked a lot), by startups and partners; one in ten has a third person (a colleague of the asker).
Values: 1 mostly, 1.5 or 2 for a tenth each. With ``fixed`` > 0, that share of the meetings the greedy
places are fixed there by the organiser (so that the fixed ones never clash).
"""

from __future__ import annotations

import argparse
import json
import random
import sys

from .greedy import greedy
from .parse import parse_placement
from .values import PLACEMENT_FORMAT

DAY = 1440
SESSIONS = ((540, 750), (840, 1080))  # 9:00-12:30, 14:00-18:00
BREAKS = (600, 630, 660, 870, 900, 960)  # where the officials' 90-minute routes start
TALK_STARTS = (540, 585, 630, 675, 840, 900, 960, 1020)


def _days(rng: random.Random, days: int, kind: str) -> list[int]:
    if kind == "startup" or days == 1:
        return list(range(days))
    k = rng.choice([1, 2, 2, 3, 3, 3]) if kind == "official" else rng.randint(1, days)
    return sorted(rng.sample(range(days), min(k, days)))


def _person(rng: random.Random, pid: str, kind: str, days: int) -> dict:
    attend = _days(rng, days, kind)
    available = [[d * DAY + 510, d * DAY + 1110] for d in attend]
    busy = []
    for d in attend:
        base = d * DAY
        if kind == "official":
            for start in sorted(rng.sample(BREAKS, rng.choice([1, 1, 2]))):
                if not busy or base + start >= busy[-1][1]:
                    busy.append([base + start, base + start + 90])  # a visit route
            if rng.random() < 0.3:
                start = rng.choice(TALK_STARTS)
                busy.append([base + start, base + start + 45])
        else:
            talks = rng.choice([0, 1, 1, 2]) if kind == "startup" else rng.choice([0, 1, 2, 3])
            for start in rng.sample(TALK_STARTS, talks):
                length = rng.choice((30, 45, 60)) if kind == "startup" else rng.choice((45, 60, 90))
                busy.append([base + start, base + start + length])
    person = {"id": pid, "available": available}
    if busy:
        person["busy"] = sorted(busy)
    return person


def generate(people: int = 1000, meetings: int = 3000, tables: int = 40, days: int = 3, seed: int = 0,
             fixed: float = 0.0, cap: int | None = 4) -> dict:
    rng = random.Random(seed)
    kinds = ["official"] * round(0.3 * people) + ["startup"] * round(0.35 * people)
    kinds += ["other"] * (people - len(kinds))
    rng.shuffle(kinds)
    persons = [_person(rng, f"p{i}", kind, days) for i, kind in enumerate(kinds)]
    officials = [i for i, k in enumerate(kinds) if k == "official"] or list(range(people))
    askers = [i for i, k in enumerate(kinds) if k != "official"] or list(range(people))
    popularity = [rng.paretovariate(2.0) for _ in officials]
    anyone = [rng.paretovariate(3.0) for _ in range(people)]
    seen: set[frozenset[int]] = set()
    docs = []
    tries = 0
    while len(docs) < meetings and tries < 50 * meetings:
        tries += 1
        asker = rng.choice(askers)
        if rng.random() < 0.75:
            target = rng.choices(officials, popularity)[0]
        else:
            target = rng.choices(range(people), anyone)[0]
        group = [asker, target]
        if rng.random() < 0.1:
            group.append(rng.choice(askers))
        if len(set(group)) < len(group) or frozenset(group) in seen:
            continue
        seen.add(frozenset(group))
        meeting = {"id": f"m{len(docs)}", "people": [f"p{i}" for i in group]}
        r = rng.random()
        if r < 0.1:
            meeting["value"] = 2
        elif r < 0.2:
            meeting["value"] = 1.5
        docs.append(meeting)
    sessions = []
    for d in range(days):
        for k, (a, b) in enumerate(SESSIONS):
            session = {"id": f"d{d + 1}-{'am' if k == 0 else 'pm'}", "start": d * DAY + a, "end": d * DAY + b}
            if cap is not None:
                session["max_per_person"] = cap
            sessions.append(session)
    doc = {"format": PLACEMENT_FORMAT, "name": f"generated people={people} meetings={meetings} seed={seed}",
           "sessions": sessions, "slot_length": 20, "tables": [f"T{k + 1}" for k in range(tables)], "buffer": 5,
           "people": persons, "meetings": docs}
    if fixed > 0:
        placed = greedy(parse_placement(doc)).placed
        index = {m["id"]: m for m in docs}
        for p in rng.sample(placed, round(fixed * len(placed))):
            index[p.meeting]["fixed"] = {"start": p.start, "table": p.table}
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routing.meetings.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=3000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fixed", type=float, default=0.0, help="share of the greedy's placements fixed there")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    if min(args.people, args.days) < 1 or min(args.meetings, args.tables) < 0 or not 0 <= args.fixed <= 1:
        print("error: --people and --days must be >= 1, --meetings and --tables >= 0, --fixed in [0, 1]",
              file=sys.stderr)
        return 2
    doc = generate(args.people, args.meetings, args.tables, args.days, args.seed, args.fixed)
    if args.output == "-":
        json.dump(doc, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
