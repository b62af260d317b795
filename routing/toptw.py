"""Convert the public TOPTW benchmark files into problem documents.

Conventions (see routing/data/toptw/README.md): travel time = Euclidean
distance truncated to 1 decimal (Solomon) or 2 decimals (Cordeau ``pr``
files); ``O`` and ``C`` (the last two tokens of a line) bound the *start* of
service, so the stand window is ``[O, C + d]``; the depot's ``C`` is the time
budget of every tour.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

SETS = ("c_r_rc_100_100", "c_r_rc_200_100", "pr01_10", "pr11_20")


DATA_DIR = Path(__file__).resolve().parent / "data" / "toptw"


def toptw_dir() -> Path:
    """The benchmark folder: the copy in ``routing/data/toptw``, or ``$MEDIANE_SHARED/bench/toptw`` if set."""
    env = os.environ.get("MEDIANE_SHARED")
    if env:
        return Path(env) / "bench" / "toptw"
    return DATA_DIR


def read_instance(path: str | Path):
    """Return (nodes, decimals): nodes is a list of (x, y, d, score, O, C)."""
    text = Path(path).read_text().replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    head = (lines[0] + " " + lines[1]).split()
    n = int(head[2])
    nodes = []
    for line in lines[2:]:
        tok = line.split()
        if len(tok) < 6:
            continue
        nodes.append((float(tok[1]), float(tok[2]), float(tok[3]), float(tok[4]), float(tok[-2]), float(tok[-1])))
        if len(nodes) == n + 1:
            break
    if len(nodes) != n + 1:
        raise ValueError(f"{path}: expected {n + 1} vertices, found {len(nodes)}")
    decimals = 2 if Path(path).name.startswith("pr") else 1
    return nodes, decimals


def truncated_matrix(nodes, decimals: int) -> list[list[float]]:
    f = 10 ** decimals
    out = []
    for xi, yi, *_ in nodes:
        row = []
        for xj, yj, *_ in nodes:
            row.append(math.floor(math.hypot(xi - xj, yi - yj) * f + 1e-9) / f)
        out.append(row)
    return out


def to_document(path: str | Path, tours: int) -> dict:
    nodes, decimals = read_instance(path)
    names = [str(i) for i in range(len(nodes))]
    matrix = truncated_matrix(nodes, decimals)
    depot = nodes[0]
    stands = []
    scores = []
    visitors = [{"id": f"v{k}", "tours": [{"start": "0", "end": "0", "from": depot[4], "to": depot[5]}]}
                for k in range(tours)]
    for i, (x, y, d, sc, o, c) in enumerate(nodes[1:], start=1):
        stands.append({"id": names[i], "location": names[i], "visit_duration": d,
                       "open": [[o, c + d]], "capacity": 1, "max_visits": 1})
        if sc > 0:
            for k in range(tours):
                scores.append([f"v{k}", names[i], sc])
    return {
        "format": "visit-routing/1",
        "name": f"{Path(path).stem} m={tours}",
        "locations": {names[i]: [n[0], n[1]] for i, n in enumerate(nodes)},
        "speed": 1.0,
        "travel_matrix": {"order": names, "times": matrix},
        "stands": stands,
        "visitors": visitors,
        "scores": scores,
    }


def instance_path(set_name: str, instance: str) -> Path:
    return toptw_dir() / "instances" / set_name / f"{instance}.txt"


def read_bks() -> list[tuple[str, str, int, float]]:
    with open(toptw_dir() / "bks.csv", newline="") as fh:
        return [(r["set"], r["instance"], int(r["tours"]), float(r["bks"])) for r in csv.DictReader(fh)]
