"""The plain values the app hands to this library (no Flask, no SQLAlchemy)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class EventInfo:
    """One edition: `tz` is an IANA zone; `days` its calendar days in that zone."""

    slug: str
    name: str
    city: str
    venue: str
    tz: str
    days: tuple[date, ...]
    #: Domain used in iCal UIDs (stable across downloads), e.g. "mediane.example.org".
    uid_domain: str = "mediane.local"
    url: str = ""


@dataclass(frozen=True)
class Room:
    id: int
    name: str
    capacity: int | None = None
    floor: str = ""
    accessible: bool = True
    #: Aware UTC datetimes; empty means available for the whole edition.
    availability: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class Speaker:
    id: int
    name: str
    role: str = "intervenant"  # intervenant, moderateur, animateur
    organisation: str = ""


@dataclass(frozen=True)
class Session:
    """A session of the program. Times are aware datetimes in UTC."""

    id: int
    kind: str  # pleniere, conference, atelier, table_ronde, visite, pause
    title_fr: str
    title_en: str
    start: datetime
    end: datetime
    room_id: int | None = None
    description_fr: str = ""
    description_en: str = ""
    speakers: tuple[Speaker, ...] = ()
    themes: tuple[str, ...] = ()
    seat_limit: int | None = None
    cancelled: bool = False
    #: Bumped by the app each time a published session changes (iCal SEQUENCE).
    sequence: int = 0
    url: str = ""

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_fr) if lang == "en" else (self.title_fr or self.title_en)

    def description(self, lang: str) -> str:
        return (self.description_en or self.description_fr) if lang == "en" else (self.description_fr or self.description_en)


@dataclass(frozen=True)
class Conflict:
    """A problem found in a program; `code` names it, `session_ids` the sessions involved."""

    code: str  # room_double_booked, speaker_double_booked, outside_edition, outside_room_availability, seats_over_room_capacity, ends_before_start
    session_ids: tuple[int, ...]
    room_id: int | None = None
    speaker_id: int | None = None
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ItineraryItem:
    """A slot of an attendee's visit route, added to their personal calendar.

    `uid` is stable across downloads (the app chooses it); times are aware datetimes in UTC.
    """

    uid: str
    title: str
    start: datetime
    end: datetime
    location: str
    description: str
    sequence: int = 0
    cancelled: bool = False
