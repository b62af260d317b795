"""Plan the demo edition's attendees as plain values, from a seed alone (no database).

The same seed gives the same plan: every random draw goes through one `random.Random(seed)`,
in a fixed order.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random

from app.core.french import de
from app.demo import data, pitches
from app.events.models import CategoryCode
from app.events.services import slugify
from app.registrations.models import Mandate
from app.registrations.models import RegistrationStatus as Status
from app.registrations.services import RegistrationInput, TeamMember

NUM_REGISTRATIONS = 1000
NUM_ELUS = 250
NUM_STARTUPS = 120
NUM_SPEAKERS = 100
NUM_DECIDEURS = 130
NUM_ENTREPRISES = 80
NUM_PRESSE = 30
#: Registrations open this many days before the edition, and close a week before it.
#: Registrations arrive over this stretch (fixed, so that a seed always gives the same data; in the past,
#: so that an organiser opening the demo sees a list that has been filling up).
REGISTRATIONS_FROM = datetime(2026, 9, 1, 7, 0)
REGISTRATION_PERIOD_DAYS = 75

#: (status, weight) per category; officials in a delegation are never cancelled.
STATUS_MIX = {
    "elu": [(Status.CONFIRMED, 80), (Status.PENDING, 14), (Status.CANCELLED, 6)],
    "delegation": [(Status.CONFIRMED, 90), (Status.PENDING, 10)],
    "startup": [(Status.CONFIRMED, 82), (Status.PENDING, 10), (Status.WAITLISTED, 4), (Status.CANCELLED, 4)],
    "intervenant": [(Status.CONFIRMED, 95), (Status.PENDING, 5)],
    "presse": [(Status.CONFIRMED, 85), (Status.PENDING, 15)],
    "decideur": [(Status.CONFIRMED, 94), (Status.CANCELLED, 6)],
    "entreprise": [(Status.CONFIRMED, 93), (Status.CANCELLED, 7)],
    "visiteur": [(Status.CONFIRMED, 78), (Status.WAITLISTED, 14), (Status.CANCELLED, 8)],
}
#: Mandates of officials outside the head of a delegation, for France (others have no intercommunality).
MANDATE_MIX_FR = [(Mandate.MAIRE_ADJOINT, 42), (Mandate.CONSEILLER_MUNICIPAL, 28), (Mandate.PRESIDENT_INTERCO, 6),
                  (Mandate.CONSEILLER_COMMUNAUTAIRE, 12), (Mandate.CONSEILLER_DEPARTEMENTAL, 7),
                  (Mandate.CONSEILLER_REGIONAL, 5)]
MANDATE_MIX_OTHER = [(Mandate.MAIRE_ADJOINT, 55), (Mandate.CONSEILLER_MUNICIPAL, 45)]
PROTOCOL = {m: i for i, m in enumerate([Mandate.MAIRE, Mandate.PRESIDENT_INTERCO, Mandate.MAIRE_ADJOINT,
                                        Mandate.CONSEILLER_REGIONAL, Mandate.CONSEILLER_DEPARTEMENTAL,
                                        Mandate.CONSEILLER_COMMUNAUTAIRE, Mandate.CONSEILLER_MUNICIPAL])}
QUEBEC_AREA_CODES = ["819", "873", "418", "581", "367", "450", "579", "354", "514", "438", "263"]
OTHER_CANADA_AREA_CODES = ["506", "428", "613", "343", "705", "249"]  # New Brunswick, Ontario
COUNTRY_TLD = {"FR": "fr", "CA": "ca", "BE": "be", "CH": "ch", "MA": "ma", "SN": "sn", "CI": "ci", "TN": "tn",
               "CM": "cm", "LU": "lu"}


@dataclass
class Lead:
    """One call to register(): a person (and a startup's team) with the status they end up in."""

    data: RegistrationInput
    status: Status
    city: data.City | None = None  # the city an official or a city's staff works for
    delegation: str = ""  # name of the city whose delegation they belong to
    protocol: int = 0  # sort key within the delegation
    is_coordinator: bool = False


@dataclass
class Detail:
    """What register() does not set, per person (team members included)."""

    country: str  # a key of data.COUNTRIES
    phone: str
    created_at: datetime
    is_exhibitor: bool = False
    team_job_title: str = ""  # register() leaves a team member's job title empty


@dataclass
class Plan:
    leads: list[Lead] = field(default_factory=list)
    details: dict[str, Detail] = field(default_factory=dict)  # by e-mail


def elide(word: str, name: str) -> str:
    """'Ville de' + 'Auxerre' -> "Ville d'Auxerre" (app.core.french.de)."""
    if word.endswith(" de"):
        return f"{word[:-3]} {de(name)}"
    return f"{word} {name}"


def city_organisation_name(city: data.City) -> str:
    return elide(data.COUNTRIES[city.country].city_word, city.name)


class Planner:
    def __init__(self, seed: int, days: list[date], theme_codes: list[str]):
        self.rng = Random(seed)
        self.days = days
        self.theme_codes = theme_codes
        self.plan = Plan()
        self.emails: set[str] = set()
        self.opens_at = REGISTRATIONS_FROM
        self.period = timedelta(days=REGISTRATION_PERIOD_DAYS)
        self.status_mix = STATUS_MIX

    # -- small draws -------------------------------------------------------------------------
    def weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights)[0]

    def country(self) -> str:
        return self.weighted([(label, c.weight) for label, c in data.COUNTRIES.items()])

    def name(self, country: str) -> tuple[str, str, str]:
        pool = data.NAMES[data.COUNTRIES[country].names]
        gender = self.rng.choice("fm")
        return self.rng.choice(pool[gender]), self.rng.choice(pool["last"]), gender

    def email(self, first: str, last: str, domain: str, *, first_only: bool = False) -> str:
        local = slugify(first) if first_only else f"{slugify(first)}.{slugify(last)}"
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def phone(self, country: str) -> str:
        r = self.rng.randint
        match data.COUNTRIES[country].code:
            case "FR":  # 06 39 98 is the range ARCEP keeps for fiction
                return f"+33 6 39 98 {r(0, 99):02d} {r(0, 99):02d}"
            case "CA":  # 555-01xx numbers are reserved for fiction in North America
                area = self.rng.choice(QUEBEC_AREA_CODES if country == "Québec" else OTHER_CANADA_AREA_CODES)
                return f"+1 {area} 555-01{r(0, 99):02d}"
            case "BE":
                return f"+32 4{r(70, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}"
            case "CH":
                return f"+41 7{r(5, 9)} {r(100, 999)} {r(10, 99)} {r(10, 99)}"
            case "LU":
                return f"+352 {self.rng.choice(['621', '661', '691'])} {r(100, 999)} {r(100, 999)}"
            case "MA":
                return f"+212 6 {r(10, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}"
            case "SN":
                return f"+221 {self.rng.choice(['70', '76', '77', '78'])} {r(100, 999)} {r(10, 99)} {r(10, 99)}"
            case "CI":
                return f"+225 {self.rng.choice(['07', '05', '01'])} {r(10, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}"
            case "TN":
                return f"+216 {self.rng.choice('259')}{r(0, 9)} {r(100, 999)} {r(100, 999)}"
            case _:  # CM
                return f"+237 6 {r(70, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}"

    def attendance(self) -> list[date]:
        roll = self.rng.random()
        if roll < 0.70:
            return list(self.days)
        if roll < 0.88:
            start = self.rng.randint(0, len(self.days) - 2)
            return self.days[start:start + 2]
        return [self.rng.choice(self.days)]

    def themes(self, first: str | None = None, most: int = 4) -> list[str]:
        count = self.weighted([(1, 20), (2, 35), (3, 30), (4, 15)][:most])
        others = [c for c in self.theme_codes if c != first]
        return ([first] if first else []) + self.rng.sample(others, count - (1 if first else 0))

    def created_at(self, status: Status) -> datetime:
        if status == Status.WAITLISTED:  # late comers
            return self.opens_at + self.period - timedelta(seconds=self.rng.randint(0, 30 * 86400))
        return self.opens_at + timedelta(seconds=self.rng.randint(0, int(self.period.total_seconds())))

    # -- one person --------------------------------------------------------------------------
    def add(self, category: CategoryCode, country: str, domain: str | None, status_mix: str, *,
            titles: list[str] | Callable[[str], str], first_only: bool = False,
            consent: tuple[float, float] = (0.6, 0.45), **fields) -> Lead:
        """Plan one registration; `titles` is a list of "masculine|feminine" job titles or a function of the gender."""
        first, last, gender = self.name(country)
        if domain is None:
            domain = self.rng.choice(data.WEBMAIL[data.COUNTRIES[country].names])
        fields["job_title"] = titles(gender) if callable(titles) else data.gendered(self.rng.choice(titles), gender)
        status = self.weighted(self.status_mix[status_mix])
        themes = fields.pop("theme_codes", None) or self.themes()
        lead = Lead(RegistrationInput(
            category=category, email=self.email(first, last, domain, first_only=first_only), first_name=first,
            last_name=last, phone=self.phone(country), country=data.COUNTRIES[country].code,
            locale="fr", theme_codes=themes, days=self.attendance(),
            consent_directory=self.rng.random() < consent[0], consent_share_contact=self.rng.random() < consent[1],
            **fields), status)
        self.plan.leads.append(lead)
        self.plan.details[lead.data.email] = Detail(country, lead.data.phone, self.created_at(status))
        return lead

    # -- categories --------------------------------------------------------------------------
    def elected(self, city: data.City, mandate: Mandate, status_mix: str = "elu") -> Lead:
        country = data.COUNTRIES[city.country]
        written = {}  # the mandate's title as the person writes it ("Mairesse", "Échevine"), printed on the badge

        def title(gender: str) -> str:
            if mandate == Mandate.MAIRE:
                written["title"] = data.gendered(country.mayor_title, gender)
                return elide(written["title"] + " de", city.name)
            if mandate == Mandate.CONSEILLER_MUNICIPAL:
                written["title"] = data.gendered(country.councillor_title, gender)
                return written["title"]
            if mandate == Mandate.MAIRE_ADJOINT:
                written["title"] = data.gendered(country.deputy_title, gender)
                return written["title"] + " " + self.rng.choice(data.ADJOINT_PORTFOLIOS)
            masculine, feminine = data.ELECTED_JOB[mandate.value]
            written["title"] = feminine if gender == "f" else masculine
            return written["title"]

        lead = self.add(CategoryCode.ELU, city.country, f"{slugify(city.name)}.demo", status_mix,
                        consent=(0.5, 0.3), titles=title, mandate=mandate, territory=city.name,
                        organisation_name=city_organisation_name(city), population=city.population)
        lead.data.mandate_title = written.get("title", "")
        lead.city = city
        lead.protocol = PROTOCOL[mandate]
        return lead

    def city_staff(self, city: data.City, status_mix: str = "decideur") -> Lead:
        lead = self.add(CategoryCode.DECIDEUR, city.country, f"{slugify(city.name)}.demo", status_mix,
                        titles=data.CITY_STAFF_TITLES)
        lead.city = city
        lead.protocol = len(PROTOCOL)
        return lead

    def officials(self) -> None:
        with_delegation = [c for c in data.CITIES if c.has_delegation]
        mayors: set[str] = set()
        num_elus = 0
        for city in with_delegation:
            members = [self.elected(city, Mandate.MAIRE if self.rng.random() < 0.9 else Mandate.MAIRE_ADJOINT,
                                    "delegation")]
            if members[0].data.mandate == Mandate.MAIRE:
                mayors.add(city.name)
            for _ in range(self.rng.randint(1, 4)):
                members.append(self.elected(city, self.other_mandate(city), "delegation"))
            num_elus += len(members)
            if self.rng.random() < 0.5:
                members.append(self.city_staff(city, "delegation"))
            for lead in members:
                lead.delegation = city.name
            (members[-1] if members[-1].data.category == CategoryCode.DECIDEUR else members[1]).is_coordinator = True
        for _ in range(NUM_ELUS - num_elus):
            # The country first (France weighs most), then one of its cities, mostly one without a delegation.
            country = self.country()
            cities = [c for c in data.CITIES if c.country == country]
            others = [c for c in cities if not c.has_delegation]
            city = self.rng.choice(others if others and self.rng.random() < 0.7 else cities)
            if city.name not in mayors and self.rng.random() < 0.35:
                mayors.add(city.name)
                self.elected(city, Mandate.MAIRE)
            else:
                self.elected(city, self.other_mandate(city))

    def other_mandate(self, city: data.City) -> Mandate:
        if city.country == "France":
            return self.weighted(MANDATE_MIX_FR)
        if not data.COUNTRIES[city.country].deputy_title:  # a Canadian council: the mayor and councillors
            return Mandate.CONSEILLER_MUNICIPAL
        return self.weighted(MANDATE_MIX_OTHER)

    def startups(self, count: int = NUM_STARTUPS, taken: frozenset[str] = frozenset()) -> None:
        """`count` startups whose names are not in `taken` (another edition's), with their teams."""
        names = self.rng.sample([(stem, ending) for stem, ending in itertools.product(data.STARTUP_STEMS,
                                                                                      data.STARTUP_ENDINGS)
                                 if stem + ending not in taken], count)
        for n, (stem, ending) in enumerate(names):
            name = stem + ending
            country = self.country()
            slug = slugify(name)
            primary = self.rng.choice(list(pitches.PITCHES))
            pitch, pitch_en = self.rng.choice(pitches.PITCHES[primary])
            lead = self.add(CategoryCode.STARTUP, country, f"{slug}.demo", "startup", first_only=True,
                            consent=(0.9, 0.8), titles=data.STARTUP_LEAD_TITLES,
                            organisation_name=name, theme_codes=self.themes(primary, most=3),
                            pitch=pitch.format(name=name),
                            # Most startups wrote their pitch in English too; every fourth did not (French shows).
                            pitch_en=pitch_en.format(name=name) if n % 4 != 3 else "",
                            website=f"https://www.{slug}.{COUNTRY_TLD[data.COUNTRIES[country].code]}")
            detail = self.plan.details[lead.data.email]
            detail.is_exhibitor = True
            for _ in range(self.rng.choice([1, 1, 2])):
                first, last, gender = self.name(country)
                email = self.email(first, last, f"{slug}.demo", first_only=True)
                lead.data.team.append(TeamMember(first, last, email))
                title = data.gendered(self.rng.choice(data.STARTUP_TEAM_TITLES), gender)
                self.plan.details[email] = Detail(country, self.phone(country), detail.created_at, True, title)

    def speakers(self, count: int = NUM_SPEAKERS) -> None:
        for _ in range(count):
            if self.rng.random() < 0.75:
                organisation, country = self.rng.choice(data.SPEAKER_ORGS)
                domain = f"{slugify(organisation)}.demo"
            else:
                organisation, country, domain = "", self.country(), None
            self.add(CategoryCode.INTERVENANT, country, domain, "intervenant", consent=(0.9, 0.6),
                     organisation_name=organisation, titles=data.SPEAKER_TITLES)

    def decision_makers(self, total: int = NUM_DECIDEURS) -> None:
        planned = sum(1 for lead in self.plan.leads if lead.data.category == CategoryCode.DECIDEUR)
        for _ in range(total - planned):
            if self.rng.random() < 0.55:
                self.city_staff(self.rng.choice(data.CITIES))
            else:
                institution, country = self.rng.choice(data.INSTITUTIONS)
                self.add(CategoryCode.DECIDEUR, country, f"{slugify(institution)}.demo", "decideur",
                         organisation_name=institution, titles=data.INSTITUTION_TITLES)

    def others(self, companies: int = NUM_ENTREPRISES, press: int = NUM_PRESSE,
               total: int = NUM_REGISTRATIONS) -> None:
        """Companies, press, then visitors until the plan has `total` people (teams included)."""
        for _ in range(companies):
            company, country = self.rng.choice(data.COMPANIES)
            self.add(CategoryCode.ENTREPRISE, country, f"{slugify(company)}.demo", "entreprise",
                     consent=(0.8, 0.7), organisation_name=company, titles=data.COMPANY_TITLES)
        for _ in range(press):
            media, country = self.rng.choice(data.MEDIA)
            self.add(CategoryCode.PRESSE, country, f"{slugify(media)}.demo", "presse",
                     organisation_name=media, titles=data.PRESS_TITLES)
        for _ in range(total - len(self.plan.details)):
            self.add(CategoryCode.VISITEUR, self.country(), None, "visiteur", consent=(0.4, 0.2),
                     titles=data.VISITOR_TITLES)


def plan_demo(seed: int, days: list[date], theme_codes: list[str]) -> Plan:
    """Every registration of the demo edition, as values; the same seed gives the same plan."""
    planner = Planner(seed, days, theme_codes)
    planner.officials()
    planner.startups()
    planner.speakers()
    planner.decision_makers()
    planner.others()
    return planner.plan
