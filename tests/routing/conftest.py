"""Fixtures for the routing tests: small named documents and the TOPTW benchmark folder."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import routing.toptw


@pytest.fixture
def toptw_dir() -> Path:
    """The TOPTW benchmark the repository carries (``routing/data/toptw``, or ``$MEDIANE_SHARED/bench/toptw``)."""
    d = routing.toptw.toptw_dir()
    assert (d / "bks.csv").exists(), f"TOPTW benchmark folder not found at {d}"
    return d


BASE = {
    "format": "visit-routing/1",
    "name": "two visitors, three stands",
    "locations": {"entree": [0, 0], "A": [3, 4], "B": [6, 8], "C": [0, 10]},
    "speed": 1.0,
    "travel_matrix": None,
    "stands": [
        {"id": "A", "location": "A", "visit_duration": 10, "open": [[0, 200]], "capacity": 1},
        {"id": "B", "location": "B", "visit_duration": 10, "open": [[0, 60], [80, 200]], "capacity": 1},
        {"id": "C", "location": "C", "visit_duration": 5, "open": [[0, 200]], "capacity": 2},
    ],
    "visitors": [
        {"id": "v1", "tours": [{"start": "entree", "end": "entree", "from": 0, "to": 100},
                               {"start": "entree", "end": "entree", "from": 120, "to": 200}]},
        {"id": "v2", "tours": [{"start": "entree", "end": "entree", "from": 0, "to": 100}]},
    ],
    "scores": [["v1", "A", 5], ["v1", "B", 3], ["v1", "C", 1], ["v2", "A", 4], ["v2", "C", 2]],
}


@pytest.fixture
def base_doc() -> dict:
    return copy.deepcopy(BASE)
