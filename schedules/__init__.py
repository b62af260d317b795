"""Program logic that needs no web: conflicts, iCal and frab exports. Plain values in, plain values out."""
from schedules.conflicts import conflicts_for, find_conflicts
from schedules.model import Conflict, EventInfo, ItineraryItem, Room, Session, Speaker

__all__ = [
    "Conflict", "EventInfo", "ItineraryItem", "Room", "Session", "Speaker",
    "conflicts_for", "find_conflicts",
]
