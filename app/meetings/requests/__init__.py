"""Meeting requests: the organiser's settings, each person's opt-in, the directory of people open to meetings, the
requests and their answers (from the web or the e-mail's signed link), expiry, and the notices of every step."""
from __future__ import annotations

from flask import Flask

from app.events.services import add_clone_hook
from app.meetings.requests import cloning, expiry, link_routes, manage_routes, messages, notices, routes

#: Imported for what they register: the periodic expiry task with huey, `flask meetings expire`.
REGISTERED = (expiry,)


def init_app(app: Flask) -> None:
    for blueprint in (routes.bp, manage_routes.bp, link_routes.bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(meeting_party=notices.party, meeting_position=notices.position, MEETING_STATUSES=messages.STATUSES,
                                 MEETING_STATUS_CLASSES=messages.STATUS_CLASSES, MEETING_REASONS=messages.REASONS)
    add_clone_hook(app, cloning.clone_meetings)
