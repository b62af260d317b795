"""Program logic that needs no web: conflicts, iCal and frab exports. Plain values in, plain values out."""
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
