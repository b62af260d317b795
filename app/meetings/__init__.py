"""Meetings on request (issue 29): attendees ask to meet each other, the other side accepts or declines.

Its rooms build on one another (the import contract in `.importlinter` says so):

- `requests/`: the organiser's meeting settings (who may ask whom, sessions, tables, limits), each person's
  opt-in, the directory of people open to meetings, the requests and their answers, expiry and notices.

- `placement/`: the accepted meetings placed at a startup's stand (on the official's routes) or at a table, the
  organiser's page, publishing.

- `agenda/`: the published meetings in each person's agenda, route, sheets, briefing and calendar, the reminder of
  the day before, and the marks of the day.

This package's root (`__init__`, `errors`, `cli`) registers the rooms.
"""
from __future__ import annotations

from flask import Flask

from app.meetings import agenda, placement, requests
from app.meetings.cli import meetings_cli


def init_app(app: Flask) -> None:
    requests.init_app(app)
    placement.init_app(app)
    agenda.init_app(app)
    app.cli.add_command(meetings_cli)
