"""The published meetings where people look, and the day itself (issue 29).

- `schedule`: the published meetings as their people see them (who, when, where, what the day said);
- `hooks`: what the rooms below learn at start-up: the demonstrator's route, briefing, sheets and calendar (which
  visits are meetings, who meets whom at the tables), the program's agenda page and personal calendar;
- `marks`: held or no-show, by either side, her coordinator or an organiser, and by the startup's badge scan (a
  hook of app.leads); `routes`, `views`: each person's schedule, the organiser's page of the day;
- `reminders`: the mail of the day before, once per person and day (`flask meetings remind`);
- `figures`: planned against held, for the organiser's page and the edition's report.
"""
from __future__ import annotations

from flask import Flask

from app.demonstrator.plans.meeting_notes import set_meeting_source
from app.leads.scan_hooks import add_scan_hook
from app.meetings.agenda import hooks, marks, messages, reminders, routes, schedule
from app.program.agenda_sources import add_agenda_source
from app.program.calendar_sources import CalendarSource, add_calendar_source

#: Imported for what they register: the hourly reminder task with huey, `flask meetings remind`.
REGISTERED = (reminders,)


def _side_name(placement, side) -> str:
    return ", ".join(schedule.names(schedule.people_of_side(placement, side)))


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.manage_bp)
    set_meeting_source(app, hooks.DemonstratorMeetings())
    add_agenda_source(app, hooks.agenda_items)
    add_calendar_source(app, CalendarSource(items=hooks.calendar_items, page_url=hooks.page_url))
    add_scan_hook(app, marks.held_by_scan)
    app.jinja_env.globals.update(
        MEETING_DAY_STATES=messages.STATES, MEETING_DAY_STATE_CLASSES=messages.STATE_CLASSES,
        MEETING_MARK_SOURCES=messages.SOURCES, meeting_side_name=_side_name, meeting_place=schedule.place,
        meeting_day_state=lambda placement: schedule.state_of(placement.marks))
