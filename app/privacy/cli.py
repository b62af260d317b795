"""`flask data ...`: the personal-data commands; the privacy rooms add theirs to this group (the subject's
`export` and `erase`, retention's `purge`)."""
from __future__ import annotations

from flask.cli import AppGroup

data_cli = AppGroup("data", help="Personal data: a person's export and erasure, retention.")
