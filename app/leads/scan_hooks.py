"""What other features do when a stand's scans are stored, told at start-up (imports run one way).

The meetings on request (a feature above the leads) register a hook in their `init_app`: a startup's scan of the
person it had a meeting with says the meeting was held. A hook runs inside the batch's unit of work, after its new
scans are written: what it stores goes with them, or with them is rolled back. It sees only new scans (a replay of
a scan the stand already has is not one). The hooks are kept per app, in `app.extensions`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

EXTENSION_KEY = "mediane.leads.scan_hooks"


@dataclass(frozen=True)
class NewScan:
    registration_id: int  # the person scanned
    scanned_at: datetime  # UTC, naive: the device's time of the scan


#: (edition id, stand: the startup's registration id, the batch's new scans).
ScanHook = Callable[[int, int, list[NewScan]], None]


def add_scan_hook(app: Flask, hook: ScanHook) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(hook)


def scans_recorded(event_id: int, stand_id: int, scans: list[NewScan]) -> None:
    if not scans:
        return
    for hook in current_app.extensions.get(EXTENSION_KEY, []):
        hook(event_id, stand_id, scans)
