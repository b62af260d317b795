"""Program logic that needs no web: conflicts, iCal and frab exports. Plain values in, plain values out.

- `find_conflicts`, `conflicts_for`: what is wrong with a program (schedules.conflicts);
- `program_calendar`, `personal_calendar`: iCalendar feeds (schedules.ical);
- `frab_xml`, `frab_json`: frab schedule.xml / c3voc schedule.json (schedules.frab);
- `program_csv`: a spreadsheet of the program (schedules.csv_export).

Times come in as aware UTC datetimes and go out in the edition's zone (`EventInfo.tz`).
This package never imports Flask, SQLAlchemy or `app`.
"""
from schedules.conflicts import conflicts_for, find_conflicts
from schedules.csv_export import program_csv
from schedules.frab import frab_json, frab_xml
from schedules.ical import personal_calendar, program_calendar
from schedules.model import Conflict, EventInfo, ItineraryItem, Room, Session, Speaker

__all__ = [
    "Conflict", "EventInfo", "ItineraryItem", "Room", "Session", "Speaker",
    "conflicts_for", "find_conflicts", "frab_json", "frab_xml", "personal_calendar",
    "program_calendar", "program_csv",
]
