"""What the day's pages show: a person's schedule of published meetings (her delegation's too when she coordinates
it), and the organiser's list of the edition's meetings with their marks, filtered by day and state, with the
figures of planned against held."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from app.core.timefmt import to_local
from app.events.models import Event
from app.meetings.agenda import schedule
from app.meetings.agenda.figures import MeetingFigures, meeting_figures
from app.meetings.agenda.schedule import STATES, Seen
from app.meetings.placement.models import MeetingPlacement
from app.meetings.requests import rules
from app.people.models import Person
from app.registrations.models import Registration

PAGE_SIZE = 50


def by_day(event: Event, items: list[Seen]) -> list[tuple[date, list[Seen]]]:
    days: dict[date, list[Seen]] = defaultdict(list)
    for item in items:
        days[to_local(item.placement.published_starts_at, event.timezone).date()].append(item)
    return sorted(days.items())


def my_schedule(me: Registration, person: Person) -> list[tuple[date, list[Seen]]]:
    """Her published meetings, and her delegation's members' when she coordinates it, by local day."""
    ids = [me.id]
    delegation = rules.coordinated_delegation(me)
    if delegation is not None:
        ids += [m.id for m in delegation.members if m.id != me.id]
    return by_day(me.event, schedule.seen_by(schedule.published_meetings(me.event_id, ids), person))


@dataclass(frozen=True)
class DayFilters:
    day: date | None = None
    state: str = ""

    @classmethod
    def from_args(cls, args, event: Event) -> DayFilters:
        """Nonsense in the query string is ignored, as in the other lists' filters; a day outside the edition too."""
        try:
            day = date.fromisoformat(args.get("day", ""))
        except ValueError:
            day = None
        if day is not None and not event.starts_on <= day <= event.ends_on:
            day = None
        state = args.get("state", "")
        return cls(day, state if state in STATES else "")


@dataclass
class OrganiserPage:
    figures: MeetingFigures
    rows: list[MeetingPlacement]
    total: int
    page: int
    pages: int


def organiser_page(event: Event, filters: DayFilters, page: int) -> OrganiserPage:
    since, until = schedule.day_bounds(filters.day, event.timezone) if filters.day else (None, None)
    found = schedule.published_meetings(event.id, since=since, until=until)
    if filters.state:
        found = [p for p in found if schedule.state_of(p.marks) == filters.state]
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return OrganiserPage(meeting_figures(event), found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], len(found), page,
                         pages)
