"""The edition's report: its meetings planned and realised (and the gap), by day, theme, country and category;
its outcomes by kind and status; the cities and startups with the most outcomes; the startups that met at least
N officials.

Read from a handful of aggregate queries and the realised matching (app.demonstrator.realised.report: the
published plan against the stands' scans, linear in both). Labels are in the reader's language.

How meetings are counted:
- a planned visit is one meeting (a delegation's visit too), realised when the stand scanned the official or a
  member of the delegation; an unplanned meeting is a scan that realised no visit (one per person, startup, day);
- its theme is its stand's theme, else the startup's themes (a meeting counts under each; "No theme" else);
- its country and category are the visitor's: the official's organisation (or delegation's) country, else her
  own; a delegation's are its organisation's country and its first member's category (by protocol rank);
- a startup met an official when the official was scanned at its stand or was in a realised visit of it;
- meetings on request (app.meetings.agenda.figures) are counted beside them: published (planned), held or a
  no-show as their people or the startup's scan said. One at a stand is also a planned visit above.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.i18n import country_name, current_language
from app.core.search import fold
from app.core.timefmt import format_day
from app.demonstrator.hall.models import Stand, StandBooking
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.realised import report as realised
from app.demonstrator.realised.matching import match, outcomes
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.labels import CATEGORY_LABELS
from app.events.models import Category, CategoryCode, Event, Theme
from app.extensions import db
from app.meetings.agenda.figures import MeetingFigures, meeting_figures
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.people.models import Organisation, Person
from app.registrations.models import Delegation, Registration, RegistrationStatus, registration_theme

DEFAULT_MIN_OFFICIALS = 3
MAX_MIN_OFFICIALS = 100
#: Cities and startups shown in the rankings (chart and table alike).
TOP = 15
#: The histogram of officials met groups the startups that met this many or more in its last bar.
HISTOGRAM_TOP = 10
NO_THEME = "-"


@dataclass
class Line:
    """Meetings of one day, theme, country or category."""

    key: str
    label: str
    planned: int = 0
    realised: int = 0
    unplanned: int = 0

    @property
    def gap(self) -> int:
        """Planned meetings that did not happen."""
        return self.planned - self.realised

    @property
    def rate(self) -> float | None:
        return self.realised / self.planned if self.planned else None


@dataclass(frozen=True)
class PlanRef:
    """The published plan: all the report needs of it."""

    id: int
    version: int


@dataclass
class Ranked:
    """A city (or other organisation) or a startup, with its outcomes in the edition."""

    organisation_id: int
    name: str
    country: str
    outcomes: int


@dataclass
class EditionReport:
    event: Event
    plan_version: int | None
    totals: Line
    num_scans: int
    by_day: list[Line]
    by_theme: list[Line]
    by_country: list[Line]
    by_category: list[Line]
    #: Every kind, with its count per status (zeros included), in the kinds' order.
    kinds: list[tuple[OutcomeKind, dict[OutcomeStatus, int]]]
    num_confirmed: int
    top_cities: list[Ranked]
    top_startups: list[Ranked]
    min_officials: int
    #: Every stand (startup registration) of the edition -> how many distinct officials it met.
    officials_met: dict[int, int] = field(default_factory=dict)
    #: The meetings on request: published (planned), held, no-show, per day.
    requested: MeetingFigures = field(default_factory=MeetingFigures)

    @property
    def num_outcomes(self) -> int:
        """Every answer recorded, "nothing for now" included (the kinds' table)."""
        return sum(sum(per.values()) for _kind, per in self.kinds)

    @property
    def num_nothing(self) -> int:
        """Meetings answered "nothing for now": recorded so that nobody asks again, but no outcome."""
        return self.kind_total(OutcomeKind.NONE)

    @property
    def num_results(self) -> int:
        """The outcomes a funder counts: every kind but "nothing for now" (the report's headline)."""
        return self.num_outcomes - self.num_nothing

    def kind_total(self, kind: OutcomeKind) -> int:
        return sum(dict(self.kinds)[kind].values())

    @property
    def status_totals(self) -> dict[OutcomeStatus, int]:
        totals = {status: 0 for status in OutcomeStatus}
        for _kind, per in self.kinds:
            for status, count in per.items():
                totals[status] += count
        return totals

    @property
    def num_startups(self) -> int:
        return len(self.officials_met)

    @property
    def startups_at_least(self) -> int:
        """Startups that met at least `min_officials` officials."""
        return sum(1 for met in self.officials_met.values() if met >= self.min_officials)

    def histogram(self) -> list[tuple[str, int]]:
        """How many startups met 0, 1, 2... officials (the last bar: HISTOGRAM_TOP or more)."""
        counts = Counter(min(met, HISTOGRAM_TOP) for met in self.officials_met.values())
        return [(str(n) if n < HISTOGRAM_TOP else f"{HISTOGRAM_TOP}+", counts.get(n, 0))
                for n in range(HISTOGRAM_TOP + 1)]


# -- meetings ----------------------------------------------------------------------------------------------

@dataclass
class _Visitor:
    category: str = ""
    country: str = ""


def _visitors(event: Event) -> tuple[dict[int, _Visitor], dict[int, _Visitor]]:
    """Every registration's category and country (of its city side); every delegation's."""
    delegation_country = dict(db.session.execute(
        select(Delegation.id, Organisation.country).outerjoin(Organisation, Organisation.id == Delegation.organisation_id)
        .where(Delegation.event_id == event.id)).all())
    people: dict[int, _Visitor] = {}
    delegations: dict[int, _Visitor] = {}
    rows = db.session.execute(
        select(Registration.id, Category.code, Person.country, Organisation.country, Registration.delegation_id)
        .join(Category, Category.id == Registration.category_id).join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.protocol_rank.is_(None), Registration.protocol_rank, Registration.id))
    for id_, code, own_country, organisation_country, delegation_id in rows:
        country = organisation_country or delegation_country.get(delegation_id) or own_country
        people[id_] = _Visitor(str(code), country)
        if delegation_id is not None and delegation_id not in delegations:  # its first member by rank
            delegations[delegation_id] = _Visitor(str(code), delegation_country.get(delegation_id) or country)
    for delegation_id, country in delegation_country.items():
        delegations.setdefault(delegation_id, _Visitor("", country or ""))
    return people, delegations


def _themes(event: Event, plan_id: int | None) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The theme of each planned visit's stand; the themes of each startup (its stands', else its own)."""
    visit_theme: dict[int, set[int]] = {}
    if plan_id is not None:
        for visit_id, theme_id in db.session.execute(
                select(PlannedVisit.id, Stand.theme_id).join(Stand, Stand.id == PlannedVisit.stand_id)
                .where(PlannedVisit.plan_id == plan_id, Stand.theme_id.is_not(None))):
            visit_theme[visit_id] = {theme_id}
    stand_themes: dict[int, set[int]] = defaultdict(set)
    for registration_id, theme_id in db.session.execute(
            select(StandBooking.registration_id, Stand.theme_id).join(Stand, Stand.id == StandBooking.stand_id)
            .where(Stand.event_id == event.id, Stand.theme_id.is_not(None)).distinct()):
        stand_themes[registration_id].add(theme_id)
    own_themes: dict[int, set[int]] = defaultdict(set)
    for registration_id, theme_id in db.session.execute(
            select(registration_theme.c.registration_id, registration_theme.c.theme_id)
            .join(Registration, Registration.id == registration_theme.c.registration_id)
            .join(Category, Category.id == Registration.category_id)
            .where(Registration.event_id == event.id, Category.code == CategoryCode.STARTUP)):
        own_themes[registration_id].add(theme_id)
    return visit_theme, {**own_themes, **stand_themes}


def _add(lines: dict[str, Line], key: str, *, planned: int = 0, realised: int = 0, unplanned: int = 0) -> None:
    line = lines.get(key)
    if line is None:
        line = lines[key] = Line(key, "")
    line.planned += planned
    line.realised += realised
    line.unplanned += unplanned


def _breakdowns(event: Event, full: realised.Report) -> tuple[list[Line], list[Line], list[Line]]:
    """Meetings by theme, country and category: counted by key, named once per line."""
    language = current_language()
    people, delegations = _visitors(event)
    visit_theme, startup_themes = _themes(event, full.plan.id if full.plan else None)
    theme_names = {t.id: t.name(language) for t in db.session.scalars(select(Theme).where(Theme.event_id == event.id))}
    themes: dict[str, Line] = {}
    countries: dict[str, Line] = {}
    categories: dict[str, Line] = {}
    unknown = _Visitor()
    # Meetings are counted by (themes, country, category, planned, realised) first, with a Counter: thousands of
    # meetings fall in a few hundred such groups, which are then added to their lines.
    groups: Counter = Counter()
    for outcome in full.visits:
        key = outcome.visit.visitor_key
        visitor = delegations.get(int(key[1:]), unknown) if key.startswith("d") else people.get(int(key[1:]), unknown)
        theme_ids = visit_theme.get(outcome.visit.id) or startup_themes.get(outcome.visit.startup_id)
        groups[(frozenset(theme_ids) if theme_ids else None, visitor.country, visitor.category, 1,
                int(outcome.realised))] += 1
    for meeting in full.unplanned:
        visitor = people.get(meeting.person_id, unknown)
        theme_ids = startup_themes.get(meeting.startup_id)
        groups[(frozenset(theme_ids) if theme_ids else None, visitor.country, visitor.category, 0, 0)] += 1
    for (theme_ids, country, category, planned, realised_), number in groups.items():
        figures = {"planned": planned * number, "realised": realised_ * number,
                   "unplanned": (1 - planned) * number}
        for theme_id in theme_ids or (NO_THEME,):
            _add(themes, str(theme_id), **figures)
        _add(countries, country or NO_THEME, **figures)
        _add(categories, category or NO_THEME, **figures)
    for line in themes.values():
        line.label = _("No theme") if line.key == NO_THEME else theme_names.get(int(line.key), "?")
    for line in countries.values():
        line.label = _("Unknown") if line.key == NO_THEME else country_name(line.key, language)
    for line in categories.values():
        line.label = _("Unknown") if line.key == NO_THEME else str(CATEGORY_LABELS[CategoryCode(line.key)])
    order = {str(t): i for i, t in enumerate(sorted(theme_names, key=lambda t: fold(theme_names[t])))}
    by_theme = sorted(themes.values(), key=lambda line: (line.key == NO_THEME, order.get(line.key, 0)))
    by_country = sorted(countries.values(), key=lambda line: (-line.planned, -line.unplanned, fold(line.label)))
    rank = {str(code): i for i, code in enumerate(CategoryCode)}
    by_category = sorted(categories.values(), key=lambda line: rank.get(line.key, len(rank)))
    return by_theme, by_country, by_category


def published_ref(event: Event) -> PlanRef | None:
    row = db.session.execute(select(VisitPlan.id, VisitPlan.version).where(
        VisitPlan.event_id == event.id, VisitPlan.status == PlanStatus.PUBLISHED)).first()
    return PlanRef(*row) if row else None


def realised_meetings(event: Event) -> realised.Report:
    """The published plan's visits matched with the edition's scans (app.demonstrator.realised), without the
    names its own pages load (the report names nobody but organisations), and without reading the plan's
    problem document (a large JSON column in the plan's row) to find which plan is published."""
    plan = published_ref(event)
    visits, scans, delegation_of = realised.load_rows(event, plan)
    visit_outcomes, unplanned = outcomes(match(visits, scans), event.timezone)
    officials = set(db.session.scalars(
        select(Registration.id).join(Category, Category.id == Registration.category_id)
        .where(Registration.event_id == event.id, Category.code.in_(VISITOR_CATEGORIES))))
    return realised.Report(event, plan, len(scans), visit_outcomes, unplanned, realised.Names(), [], delegation_of,
                           officials)


def officials_met(event: Event, full: realised.Report) -> dict[int, int]:
    """Every stand of the edition (and any startup scanned at) -> the distinct officials it met."""
    pairs: set[tuple[int, int]] = set()
    for outcome in full.visits:
        if outcome.realised and outcome.visit.startup_id is not None:
            pairs.update((outcome.visit.startup_id, person) for person in outcome.visit.members)
        pairs.update((scan.startup_id, scan.person_id) for scan in outcome.scans)
    for meeting in full.unplanned:
        pairs.update((scan.startup_id, scan.person_id) for scan in meeting.scans)
    stands = db.session.scalars(
        select(Registration.id).join(Category, Category.id == Registration.category_id)
        .where(Registration.event_id == event.id, Category.code == CategoryCode.STARTUP,
               Registration.team_lead_id.is_(None), Registration.status != RegistrationStatus.CANCELLED))
    met = {stand: 0 for stand in stands}
    for startup, person in pairs:
        if person in full.officials:
            met[startup] = met.get(startup, 0) + 1
    return met


# -- outcomes ------------------------------------------------------------------------------------------------

def outcome_counts(event_ids: list[int]) -> dict[int, dict[OutcomeKind, dict[OutcomeStatus, int]]]:
    """Per edition, per kind, per status: how many outcomes (every kind and status present, zeros included)."""
    counts = {e: {kind: {status: 0 for status in OutcomeStatus} for kind in OutcomeKind} for e in event_ids}
    if event_ids:
        for event_id, kind, status, number in db.session.execute(
                select(Outcome.event_id, Outcome.kind, Outcome.status, func.count(Outcome.id))
                .where(Outcome.event_id.in_(event_ids))
                .group_by(Outcome.event_id, Outcome.kind, Outcome.status)):
            counts[event_id][OutcomeKind(kind)][OutcomeStatus(status)] = number
    return counts


def ranking(event: Event, side, limit: int | None = TOP) -> list[Ranked]:
    """The organisations on one side (Outcome.organisation_id or Outcome.startup_id) with the most outcomes
    ("nothing for now" is not one: ten of them do not rank a startup above one contract)."""
    number = func.count(Outcome.id)
    query = (select(Organisation.id, Organisation.name, Organisation.country, number)
             .join(Outcome, side == Organisation.id)
             .where(Outcome.event_id == event.id, Outcome.kind != OutcomeKind.NONE)
             .group_by(Organisation.id, Organisation.name, Organisation.country)
             .order_by(number.desc(), Organisation.name, Organisation.id))
    if limit is not None:
        query = query.limit(limit)
    return [Ranked(*row) for row in db.session.execute(query)]


def edition_report(event: Event, min_officials: int = DEFAULT_MIN_OFFICIALS) -> EditionReport:
    """Everything the report's page, PDF and spreadsheet show for `event`."""
    full = realised_meetings(event)
    totals = Line("total", _("All meetings"))
    by_day = []
    for day, tally in full.by_day():
        line = Line(day.isoformat(), format_day(day, "day"), tally.planned, tally.realised, tally.unplanned)
        by_day.append(line)
        _add({"total": totals}, "total", planned=line.planned, realised=line.realised, unplanned=line.unplanned)
    by_theme, by_country, by_category = _breakdowns(event, full)
    per_kind = outcome_counts([event.id])[event.id]
    confirmed = db.session.scalar(select(func.count(Outcome.id)).where(
        Outcome.event_id == event.id, Outcome.confirmed_at.is_not(None))) or 0
    return EditionReport(
        event=event, plan_version=full.plan.version if full.plan else None, totals=totals,
        num_scans=full.num_scans, by_day=by_day, by_theme=by_theme, by_country=by_country, by_category=by_category,
        kinds=sorted(per_kind.items(), key=lambda item: list(OutcomeKind).index(item[0])),
        num_confirmed=confirmed, top_cities=ranking(event, Outcome.organisation_id),
        top_startups=ranking(event, Outcome.startup_id), min_officials=min_officials,
        officials_met=officials_met(event, full), requested=meeting_figures(event))

