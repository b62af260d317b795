"""`flask meetings ...`: the commands of the meetings' rooms, which add theirs to this group."""
from __future__ import annotations

from flask.cli import AppGroup

meetings_cli = AppGroup("meetings", help="Meetings on request: requests, their expiry.")
