"""The demo's network between summits (issue 28): its member cities, the library of projects, replications and
consortia, written as rows of app/network/models.py after the two demo editions (`load_network`).

The network's cities ARE the cities of the editions: the organisations (kind collectivité) that the demo makes
for its officials (enrol.city_organisations), plus three that sent no one (network_data.EXTRA_CITIES). Their
officials registered in the editions are their official contacts; some have a staff contact too, and the staff
contact of Nevers (CONTACT_EMAIL) logs in with the demo's password.

Which rows are the demo's: the network city of an organisation named as a demo city organisation
(`DEMO_CITY_NAMES`: every city of data.CITIES under its organisation's name, and the extra cities), and what
hangs on those cities (memberships, places, their projects and what points at them, replications they asked,
consortia they lead). A reset removes those and makes them again; a city of any other organisation, its
projects and its consortia are never touched. Themes are shared and kept (found again by their code).
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from app.auth.services import set_password
from app.demo import data, network_data as nd
from app.demo import network_projects_data as pd
from app.demo.network_pdf import project_pdf
from app.demo.network_replication import load_consortia, load_replications
from app.demo.planner import city_organisation_name
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.network.library import search
from app.network.members.standing import standing
from app.network.models import (Agreement, BudgetBand, Consortium, Membership, MembershipStatus, NetworkCity,
                                NetworkTheme, Place, PlaceKind, Project, ProjectDocument, ProjectPartner,
                                ProjectStatus, Replication, Visibility)
from app.outcomes.models import Outcome, OutcomeKind
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Registration, RegistrationStatus

DEMO_CITY_NAMES = frozenset({city_organisation_name(c) for c in data.CITIES}
                            | {extra.organisation for extra in nd.EXTRA_CITIES})
#: The city contact who logs in with the demo's password: the staff contact of Nevers.
CONTACT_EMAIL = "innovation@ville-nevers.demo"
CONTACT_CITY = "Nevers"
#: How many projects of the library the contact's city holds at least.
SHOWCASE_PROJECTS = 3
YEARS = (2024, 2025, 2026)
STATUS = {"M": MembershipStatus.MEMBER, "C": MembershipStatus.CANDIDATE, "L": MembershipStatus.LAPSED}
#: Projects published between these days.
FIRST_PUBLISHED, LAST_PUBLISHED = datetime(2024, 12, 2, 9), datetime(2026, 11, 27, 17)
#: Outcomes of the previous edition that grow into projects, the likeliest kinds first.
FROM_OUTCOMES = 14
OUTCOME_KINDS = (OutcomeKind.CONTRACT, OutcomeKind.PILOT, OutcomeKind.TENDER, OutcomeKind.PARTNERSHIP,
                 OutcomeKind.DEMO)
ROLES = {OutcomeKind.CONTRACT: "Fournit et exploite la solution", OutcomeKind.PILOT: "Mène l'expérimentation",
         OutcomeKind.TENDER: "A répondu à la consultation", OutcomeKind.PARTNERSHIP: "Partenaire de la convention",
         OutcomeKind.DEMO: "A présenté sa solution aux services"}
STARTUP_ROLES = ["Fournit la solution", "Mène l'expérimentation", "Installe et entretient les capteurs",
                 "Développe l'application", "Analyse les données"]
COMPANY_ROLES = ["Travaux et pose", "Assistance à maîtrise d'ouvrage", "Hébergement des données"]


@dataclass
class NetworkSummary:
    cities: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    by_standing: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    from_outcomes: int = 0
    by_visibility: dict[str, int] = field(default_factory=dict)
    replications: dict[str, int] = field(default_factory=dict)
    consortia: int = 0
    contact_email: str = CONTACT_EMAIL

    def line(self) -> str:
        def counts(values: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in values.items())
        return (f"{self.cities} cities ({counts(self.by_country)}; {counts(self.by_standing)}), "
                f"{self.projects} projects ({self.from_outcomes} from outcomes of the previous edition; "
                f"{counts(self.by_visibility)}), replications: {counts(self.replications)}; "
                f"{self.consortia} consortia")


def demo_city_ids() -> list[int]:
    """The demo's network cities (see the module's docstring)."""
    return list(db.session.scalars(select(NetworkCity.id).join(Organisation).where(
        Organisation.kind == OrganisationKind.COLLECTIVITE, Organisation.name.in_(DEMO_CITY_NAMES))))


def remove_network() -> None:
    """Delete the demo's network rows (the database cascades what hangs on its cities). Does not commit."""
    city_ids = demo_city_ids()
    if not city_ids:
        return
    project_ids = list(db.session.scalars(select(Project.id).where(Project.city_id.in_(city_ids))))
    search.forget(project_ids)
    db.session.execute(delete(Consortium).where(Consortium.lead_city_id.in_(city_ids)))
    db.session.execute(delete(NetworkCity).where(NetworkCity.id.in_(city_ids)))
    db.session.expire_all()


def load_network(seed: int, *, upcoming: Event, previous: Event, organiser_id: int) -> NetworkSummary:
    """Remove the demo's network rows and make them again from `seed`; the search index is rebuilt. Commits."""
    rng = random.Random(seed * 31 + 28)
    remove_network()
    themes = _themes()
    cities = _cities(rng, themes, (upcoming.id, previous.id), organiser_id)
    people = _registered(upcoming.id, previous.id)
    projects = _projects(rng, cities, themes, people)
    grown = _from_outcomes(rng, cities, themes, previous)
    db.session.flush()
    load_replications(rng, projects + grown, cities, upcoming_id=upcoming.id,
                      showcase=cities.get(CONTACT_CITY), grown=grown[:1])
    load_consortia(projects, cities)
    db.session.flush()
    search.rebuild()
    db.session.commit()
    return describe_network()


def describe_network() -> NetworkSummary:
    """The demo's network, counted from the database."""
    city_ids = demo_city_ids()
    cities = list(db.session.scalars(select(NetworkCity).where(NetworkCity.id.in_(city_ids))))
    projects = list(db.session.scalars(select(Project).where(Project.city_id.in_(city_ids))))
    replications = list(db.session.scalars(select(Replication).where(Replication.city_id.in_(city_ids))))
    states = Counter("cancelled" if r.is_cancelled else r.stage.value if r.stage else r.answer.value
                     for r in replications)
    return NetworkSummary(
        cities=len(cities), by_country=dict(Counter(c.organisation.country for c in cities).most_common()),
        by_standing=dict(Counter(str(standing(c).value) for c in cities if standing(c)).most_common()),
        projects=len(projects), from_outcomes=sum(p.outcome_id is not None for p in projects),
        by_visibility=dict(Counter(p.visibility.value for p in projects).most_common()),
        replications=dict(sorted(states.items())),
        consortia=db.session.scalar(select(db.func.count()).select_from(Consortium).where(
            Consortium.lead_city_id.in_(city_ids))) if city_ids else 0)


def contact_login(password: str) -> Person:
    """The demo's city contact (staff contact of Nevers), able to log in with `password`."""
    person = contact_person()
    set_password(person, password)
    person.is_enabled = True
    db.session.flush()
    return person


def contact_person() -> Person:
    """The demo's city contact, made without a password when missing (`contact_login` sets it)."""
    person = db.session.scalar(select(Person).where(Person.email == CONTACT_EMAIL))
    if person is None:
        person = Person(email=CONTACT_EMAIL, first_name="Claire", last_name="Morel", phone="+33 3 86 68 45 12",
                        job_title="Chargée de mission innovation et réseau des villes")
        db.session.add(person)
    return person


def _themes() -> dict[str, NetworkTheme]:
    known = {t.code: t for t in db.session.scalars(select(NetworkTheme))}
    for position, (code, name_fr, name_en) in enumerate(nd.THEMES):
        if code not in known:
            known[code] = NetworkTheme(code=code, name_fr=name_fr, name_en=name_en, position=position)
            db.session.add(known[code])
    return known


def _rows() -> list[tuple[str, str, str, str, str]]:
    """(city, organisation name, memberships, themes, sponsor) of every demo network city."""
    by_name = {c.name: c for c in data.CITIES}
    rows = []
    for line in nd.CITIES.strip().splitlines():
        name, memberships, themes, *sponsor = (part.strip() for part in line.split(";"))
        rows.append((name, city_organisation_name(by_name[name]), memberships, themes, sponsor[0] if sponsor else ""))
    return rows + [(e.name, e.organisation, e.memberships, e.themes, e.sponsor) for e in nd.EXTRA_CITIES]


def _organisations() -> dict[str, Organisation]:
    """The demo's city organisations by name; the extra cities' are made when missing."""
    found = {o.name: o for o in db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.COLLECTIVITE, Organisation.name.in_(DEMO_CITY_NAMES)))}
    for extra in nd.EXTRA_CITIES:
        if extra.organisation not in found:
            found[extra.organisation] = Organisation(
                name=extra.organisation, kind=OrganisationKind.COLLECTIVITE, country=extra.country,
                city=extra.name, territory=extra.region, population=extra.population)
            db.session.add(found[extra.organisation])
    return found


def _contacts(event_ids: tuple[int, int], code: CategoryCode) -> dict[int, int]:
    """The person of each city organisation registered in the editions under `code` (the upcoming edition first,
    then the highest in protocol order)."""
    rows = db.session.execute(
        select(Registration.organisation_id, Registration.person_id, Registration.event_id,
               Registration.protocol_rank, Registration.id).join(Category)
        .where(Registration.event_id.in_(event_ids), Category.code == code,
               Registration.status == RegistrationStatus.CONFIRMED, Registration.organisation_id.is_not(None))).all()
    rows.sort(key=lambda r: (r.event_id != event_ids[0], r.protocol_rank is None, r.protocol_rank or 0, r.id))
    chosen: dict[int, int] = {}
    for row in rows:
        chosen.setdefault(row.organisation_id, row.person_id)
    return chosen


def _cities(rng: random.Random, themes: dict[str, NetworkTheme], event_ids: tuple[int, int],
            organiser_id: int) -> dict[str, NetworkCity]:
    organisations = _organisations()
    officials, staff = _contacts(event_ids, CategoryCode.ELU), _contacts(event_ids, CategoryCode.DECIDEUR)
    cities: dict[str, NetworkCity] = {}
    for n, (name, organisation_name, memberships, theme_codes, _sponsor) in enumerate(_rows()):
        organisation = organisations.get(organisation_name)
        if organisation is None:  # a city the plan of this seed left out
            continue
        years = [(year, STATUS[code]) for year, code in zip(YEARS, memberships, strict=True) if code != "-"]
        first_member = next((y for y, s in years if s is not MembershipStatus.LAPSED), years[0][0])
        joined = date(first_member, rng.randint(1, 11), rng.randint(1, 28))
        made = datetime.combine(joined - timedelta(days=rng.randint(10, 60)), datetime.min.time()) + timedelta(hours=10)
        portrait_fr, portrait_en = nd.SELF_PORTRAITS[n % len(nd.SELF_PORTRAITS)]
        chosen = [themes[c] for c in theme_codes.split()]
        population = f"{organisation.population:,}".replace(",", " ") if organisation.population else "?"
        city = NetworkCity(
            organisation=organisation, region=organisation.territory,
            joined_on=joined if any(s is MembershipStatus.MEMBER for _, s in years) else None,
            official_contact_id=officials.get(organisation.id),
            staff_contact_id=staff.get(organisation.id) if rng.random() < 0.5 else None,
            description_fr=f"{name}, {population} habitants ({organisation.territory}). Priorités : "
                           f"{', '.join(t.name_fr.lower() for t in chosen)}. {portrait_fr}",
            description_en=f"{name}, population {population} ({organisation.territory}). Priorities: "
                           f"{', '.join(t.name_en.lower() for t in chosen)}. {portrait_en}",
            themes=chosen, created_at=made, updated_at=made + timedelta(days=rng.randint(0, 400)))
        for year, status in years:
            city.memberships.append(Membership(year=year, status=status, changed_by_id=organiser_id,
                                               changed_at=datetime(year, 1, 1, 9) + timedelta(days=rng.randint(5, 80))))
        if rng.random() < 0.8:
            incubator = nd.INCUBATORS[n % len(nd.INCUBATORS)].format(de=_de(name))
            city.places.append(Place(kind=PlaceKind.INCUBATOR, name=incubator))
        for place in rng.sample(nd.THIRD_PLACES, rng.randint(0, 2)):
            city.places.append(Place(kind=PlaceKind.THIRD_PLACE, name=place))
        db.session.add(city)
        cities[name] = city
    for name, _organisation, _memberships, _themes, sponsor in _rows():
        if name in cities and sponsor in cities:
            cities[name].sponsor = cities[sponsor]
    if CONTACT_CITY in cities:
        cities[CONTACT_CITY].staff_contact = contact = contact_person()
        contact.organisation = cities[CONTACT_CITY].organisation
    db.session.flush()
    return cities


def _de(name: str) -> str:
    return f"d'{name}" if name[0] in "AEIOUÉÈÂ" else f"de {name}"


@dataclass
class _Registered:
    startups: list[Organisation]   # of both editions, by id
    stands: set[int]               # the organisations of the upcoming edition's confirmed startups
    companies: list[Organisation]


def _registered(upcoming_id: int, previous_id: int) -> _Registered:
    def organisations(code: CategoryCode) -> list[tuple[Organisation, int, RegistrationStatus]]:
        return list(db.session.execute(
            select(Organisation, Registration.event_id, Registration.status)
            .join(Registration, Registration.organisation_id == Organisation.id).join(Category)
            .where(Registration.event_id.in_((upcoming_id, previous_id)), Category.code == code)
            .order_by(Organisation.id)).all())
    startups = organisations(CategoryCode.STARTUP)
    return _Registered(
        startups=sorted({o for o, _e, _s in startups if o.kind == OrganisationKind.STARTUP}, key=lambda o: o.id),
        stands={o.id for o, e, s in startups if e == upcoming_id and s == RegistrationStatus.CONFIRMED},
        companies=sorted({o for o, _e, _s in organisations(CategoryCode.ENTREPRISE)
                          if o.kind == OrganisationKind.ENTREPRISE}, key=lambda o: o.id))


def theme_of(pitch: str) -> str:
    text = pitch.lower()
    return next((code for code, words in pd.THEME_WORDS if any(w in text for w in words)), "e-administration")


def _published(rng: random.Random) -> datetime:
    span = int((LAST_PUBLISHED - FIRST_PUBLISHED).total_seconds())
    return FIRST_PUBLISHED + timedelta(seconds=rng.randint(0, span))


def _visibility(rng: random.Random) -> Visibility:
    return rng.choices([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT], [74, 18, 8])[0]


def _project(rng: random.Random, city: NetworkCity, status: ProjectStatus, visibility: Visibility,
             **fields) -> Project:
    published = None if visibility is Visibility.DRAFT else _published(rng)
    created = (published or _published(rng)) - timedelta(days=rng.randint(3, 90))
    started = created.date() - timedelta(days=rng.randint(60, 500))
    ended = started + timedelta(days=rng.randint(180, 700)) if status in (
        ProjectStatus.DEPLOYED, ProjectStatus.ABANDONED) else None
    contact = city.staff_contact_id or city.official_contact_id
    project = Project(city=city, status=status, visibility=visibility, published_at=published,
                      started_on=None if status is ProjectStatus.IDEA else started, ended_on=ended,
                      contact_id=contact, created_by_id=contact, created_at=created,
                      updated_at=max(created, published or created) + timedelta(days=rng.randint(0, 40)), **fields)
    db.session.add(project)
    return project


def _partner(project: Project, organisation: Organisation, role: str, agreement: Agreement,
             at: datetime) -> None:
    project.partners.append(ProjectPartner(organisation=organisation, role=role, agreement=agreement,
                                           answered_at=None if agreement is Agreement.PENDING else at))


def _projects(rng: random.Random, cities: dict[str, NetworkCity], themes: dict[str, NetworkTheme],
              people: _Registered) -> list[Project]:
    """Two projects of each archetype, in cities that hold one of its themes (members and lapsed ones)."""
    eligible = [c for c in cities.values() if any(m.status is not MembershipStatus.CANDIDATE for m in c.memberships)]
    statuses = [ProjectStatus.DEPLOYED, ProjectStatus.PILOT, ProjectStatus.TENDER, ProjectStatus.IDEA,
                ProjectStatus.ABANDONED]
    projects, used = [], Counter()
    for n, archetype in enumerate(pd.ARCHETYPES):
        codes = set(archetype.themes.split())
        fitting = [c for c in eligible if codes & {t.code for t in c.themes}] or eligible
        picked = rng.sample(fitting, min(2, len(fitting)))
        showcase = cities.get(CONTACT_CITY)
        # The city whose contact logs in has projects of its own to show and edit, whatever the seed.
        if showcase in fitting and showcase not in picked and used[showcase.id] < SHOWCASE_PROJECTS:
            picked[-1] = showcase
        for copy, city in enumerate(sorted(picked, key=lambda c: used[c.id])):
            used[city.id] += 1
            place = city.organisation.city or city.name
            status = rng.choices(statuses, [36, 30, 10, 12, 8])[0]
            visibility = _visibility(rng) if n % 15 else Visibility.PUBLIC
            first_of_showcase = city is showcase and used[city.id] == 1  # public, with its report
            project = _project(
                rng, city, status, Visibility.PUBLIC if first_of_showcase else visibility,
                title_fr=archetype.title_fr if copy == 0 else f"{archetype.title_fr} à {place}",
                title_en="" if n % 7 == 3 else archetype.title_en if copy == 0 else f"{archetype.title_en} in {place}",
                summary_fr=archetype.summary_fr, summary_en="" if n % 7 == 3 else archetype.summary_en,
                budget_band=BudgetBand(archetype.budget), funding=rng.choice(pd.FUNDING),
                results=archetype.results if status in (ProjectStatus.DEPLOYED, ProjectStatus.PILOT,
                                                        ProjectStatus.ABANDONED) else "",
                lessons_worked=archetype.worked if status is not ProjectStatus.IDEA else "",
                lessons_failed=archetype.failed if status is not ProjectStatus.IDEA else "",
                lessons_differently=archetype.differently if status is not ProjectStatus.IDEA else "",
                themes=[themes[c] for c in archetype.themes.split()])
            at = project.created_at + timedelta(days=2)
            if people.startups and rng.random() < 0.75:
                agreement = Agreement.AGREED if rng.random() < 0.85 else Agreement.PENDING
                _partner(project, rng.choice(people.startups), rng.choice(STARTUP_ROLES), agreement, at)
            if people.companies and rng.random() < 0.25:
                _partner(project, rng.choice(people.companies), rng.choice(COMPANY_ROLES), Agreement.AGREED, at)
            if rng.random() < 0.25 or first_of_showcase:
                _document(project, at)
            projects.append(project)
    return projects


def _document(project: Project, at: datetime) -> None:
    content = project_pdf(project)
    project.documents.append(ProjectDocument(filename="bilan-du-projet.pdf", size=len(content), content=content,
                                             uploaded_at=at, uploaded_by_id=project.contact_id))


def _from_outcomes(rng: random.Random, cities: dict[str, NetworkCity], themes: dict[str, NetworkTheme],
                   previous: Event) -> list[Project]:
    """Projects grown from what came of the previous edition's meetings: the outcome's city, its startup."""
    by_organisation = {c.organisation_id: c for c in cities.values()}
    outcomes = [o for o in db.session.scalars(select(Outcome).where(
        Outcome.event_id == previous.id, Outcome.kind.in_(OUTCOME_KINDS)).order_by(Outcome.id))
        if o.organisation_id in by_organisation]
    outcomes.sort(key=lambda o: OUTCOME_KINDS.index(o.kind))
    projects, pairs = [], set()
    for outcome in outcomes:
        if len(projects) == FROM_OUTCOMES or (outcome.organisation_id, outcome.startup_id) in pairs:
            continue
        pairs.add((outcome.organisation_id, outcome.startup_id))
        title_fr, title_en, after_fr, after_en, status, budget = pd.FROM_OUTCOME[outcome.kind.value]
        startup = outcome.startup
        project = _project(
            rng, by_organisation[outcome.organisation_id], ProjectStatus(status),
            Visibility.MEMBERS if len(projects) % 5 == 4 else Visibility.PUBLIC,
            title_fr=title_fr.format(s=startup.name), title_en=title_en.format(s=startup.name),
            summary_fr=f"{startup.pitch} {after_fr}".strip(),
            summary_en=f"{startup.pitch_en} {after_en}".strip() if startup.pitch_en else "",
            budget_band=BudgetBand(budget), funding=rng.choice(pd.FUNDING), outcome_id=outcome.id,
            results=outcome.notes or "", themes=[themes[theme_of(startup.pitch)]])
        project.published_at = max(project.published_at, datetime(2026, 7, 1, 9) + timedelta(days=rng.randint(0, 140)))
        project.created_at = project.published_at - timedelta(days=rng.randint(1, 10))
        project.updated_at = project.published_at + timedelta(days=rng.randint(0, 10))
        project.started_on = outcome.status_on if status != "idea" else None
        project.ended_on = None  # begun after last June's summit: still running
        _partner(project, startup, ROLES[outcome.kind], Agreement.AGREED, project.created_at + timedelta(days=1))
        if not projects:  # the first, public, has its report too: one page shows every part of a project
            _document(project, project.created_at + timedelta(days=2))
        projects.append(project)
    return projects
