"""Placing the accepted meetings (issue 29): at a startup's stand on the official's routes, or at a table of the
meetings area, around the routes; the organiser's page (place all, lock, move, publish), the command line, and the
marks of the day.

- `availability`: one model of when people are busy (days, sessions, routes, meetings), for every room;
- `document`, `placing`, `jobs`, `cli`: the placement (routing.meetings on the tables, the demonstrator's
  planning for the stands), as a background job and as `flask meetings place`;
- `editing`, `explain`, `publishing`: the organiser's lock, move (checked, refusals that name who is busy and
  with what) and publish (notices to those concerned only);
- `hooks`: what the demonstrator reads without importing this package (required visits, busy times).
"""
from __future__ import annotations

from flask import Flask

from app.demonstrator.plans.required import add_required_source
from app.demonstrator.wishes.outside import add_busy_source
from app.meetings.placement import cli, hooks, jobs, messages, routes

#: Imported for what they register: `flask meetings place`.
REGISTERED = (cli,)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    jobs.init_app(app)
    add_required_source(app, hooks.required_visits)
    add_busy_source(app, hooks.busy_at_tables)
    app.jinja_env.globals.update(MEETING_UNPLACED=messages.REASONS, MEETING_UNPLACED_SHORT=messages.SHORT_REASONS)
