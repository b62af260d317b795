"""Generator of realistic summit instances (problem documents).

The hall is a grid of stands along aisles (metres); groups walk at about
40 m/min; visits last 8-15 minutes. Officials have one to three tours
between their sessions (starting at the usual session breaks) over the days
of the summit. Stands and visitors have
interests over fourteen themes; scores come from shared interests plus wishes
from both sides (a visitor asking to see a stand, an exhibitor asking to meet
a visitor). A few stands have capacity 2 or close at lunch; some exhibitors
want a minimum number of visits; a few flagship stands are more attractive;
delegations score the sum over their members.
Registration order is the order of ``visitors``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

THEMES = 14
DAY = 1440
OPEN, LUNCH_START, LUNCH_END, CLOSE = 540, 720, 810, 1080
BREAKS = ((540, 570, 600, 630, 660), (780, 840, 870, 900, 960))  # session breaks, morning / afternoon

SIZES = {
    "tiny": {"stands": 20, "visitors": 30, "days": 1, "time_limit": 10},
    "small": {"stands": 120, "visitors": 250, "days": 3, "time_limit": 60},
    "medium": {"stands": 300, "visitors": 1000, "days": 3, "time_limit": 120},
    "large": {"stands": 600, "visitors": 3000, "days": 3, "time_limit": 300},
}


def _interests(rng: random.Random, k_lo: int, k_hi: int) -> dict[int, float]:
    themes = rng.sample(range(THEMES), rng.randint(k_lo, k_hi))
    return {t: rng.choice((0.5, 1.0, 1.0, 1.5, 2.0)) for t in themes}


def generate(size: str | dict = "small", seed: int = 1) -> dict:
    cfg = SIZES[size] if isinstance(size, str) else size
    rng = random.Random(seed)
    n_st, n_vi, days = cfg["stands"], cfg["visitors"], cfg["days"]

    # hall: rows of stands 6 m apart, aisles every two rows
    cols = max(4, int((n_st * 1.5) ** 0.5))
    locations = {"entree-nord": [0.0, -5.0], "entree-sud": [cols * 6.0, -5.0]}
    stands = []
    stand_themes = []
    popularity = []
    for i in range(n_st):
        row, col = divmod(i, cols)
        x = col * 6.0 + 3.0
        y = (row // 2) * 16.0 + (row % 2) * 6.0 + 3.0
        sid = f"S{i + 1:03d}"
        locations[sid] = [x, y]
        open_w = []
        lunch = rng.random() < 0.12
        for d in range(days):
            base = d * DAY
            if lunch:
                open_w += [[base + OPEN, base + LUNCH_START], [base + LUNCH_END, base + CLOSE]]
            else:
                open_w.append([base + OPEN, base + CLOSE])
        st = {"id": sid, "location": sid, "visit_duration": rng.randint(8, 15), "open": open_w,
              "capacity": 2 if rng.random() < 0.08 else 1}
        if rng.random() < 0.05:
            st["max_visits"] = rng.randint(4, 12)
        if rng.random() < 0.15:
            st["min_visits"] = rng.randint(2, 5)
        stands.append(st)
        stand_themes.append(_interests(rng, 1, 2))
        # a few flagship stands draw much more interest than the rest
        popularity.append(rng.choice((2.5, 2.0)) if rng.random() < 0.15 else rng.uniform(0.6, 1.2))

    visitors = []
    scores = []
    for j in range(n_vi):
        vid = f"V{j + 1:04d}"
        delegation = rng.random() < 0.15
        members = [_interests(rng, 2, 3) for _ in range(rng.randint(3, 8) if delegation else 1)]
        # tours between sessions: one to three, on distinct half-days
        slots = [(d, half) for d in range(days) for half in (0, 1)]
        tours = []
        for d, half in sorted(rng.sample(slots, min(len(slots), rng.choice((1, 1, 2, 2, 3))))):
            length = rng.choice((45, 60, 75, 90, 120))
            # tours fit between plenary sessions, so they start at the usual breaks
            start = rng.choice(BREAKS[half])
            start = min(start, CLOSE - length)
            ent = rng.choice(("entree-nord", "entree-sud"))
            out = ent if rng.random() < 0.7 else rng.choice(("entree-nord", "entree-sud"))
            tours.append({"start": ent, "end": out, "from": d * DAY + start, "to": d * DAY + start + length})
        v = {"id": vid, "name": ("délégation " if delegation else "élu·e ") + vid, "tours": tours}
        if rng.random() < 0.2:
            v["max_visits"] = rng.randint(3, 8)
        visitors.append(v)
        wishes = set(rng.sample(range(n_st), rng.randint(0, 3)))
        for i in range(n_st):
            value = 0.0
            for mem in members:
                shared = sum(w * stand_themes[i].get(t, 0.0) for t, w in mem.items())
                value += shared
            value *= 2.0 * popularity[i]
            if i in wishes:
                value += 6.0
            if value > 0:
                scores.append([vid, stands[i]["id"], round(value, 1)])
    # exhibitors asking to meet some visitors
    have = {(v, s): k for k, (v, s, _) in enumerate(scores)}
    for _ in range(n_st // 2):
        vid = visitors[rng.randrange(n_vi)]["id"]
        sid = stands[rng.randrange(n_st)]["id"]
        k = have.get((vid, sid))
        if k is None:
            have[(vid, sid)] = len(scores)
            scores.append([vid, sid, 4.0])
        else:
            scores[k][2] = round(scores[k][2] + 4.0, 1)
    return {
        "format": "visit-routing/1",
        "name": f"summit {size if isinstance(size, str) else 'custom'} seed {seed}",
        "locations": locations,
        "speed": 40.0,
        "travel_matrix": None,
        "stands": stands,
        "visitors": visitors,
        "scores": scores,
        "shortfall_penalty": 3.0,
        "locked": [],
        "previous": None,
        "change_penalty": 0,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m routing.generate", description="Write a summit problem document.")
    p.add_argument("--size", choices=sorted(SIZES), default="small")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)
    with open(a.output, "w", encoding="utf-8") as fh:
        json.dump(generate(a.size, a.seed), fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
