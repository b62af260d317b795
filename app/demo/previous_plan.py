"""Plan the demo's previous edition (June 2026) from the upcoming one's plan and a seed (no database).

Many people come back: every mayor and most of the cities' staff and delegations, about half the startups,
some speakers, institutions, companies and journalists (the same e-mails, so the same Person rows and the
same organisations). The rest are people of that year only, whose e-mails and startup names the upcoming
edition does not use. Statuses are those of a finished edition: decided (no one pending any more).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from app.demo import data
from app.demo.planner import Detail, Lead, Plan, Planner
from app.events.models import CategoryCode
from app.registrations.models import Mandate
from app.registrations.models import RegistrationStatus as Status

#: Registrations opened on the same day of the year as the upcoming edition's, and closed a week before it.
REGISTRATIONS_FROM = datetime(2025, 9, 1, 7, 0)
REGISTRATIONS_TO = datetime(2026, 6, 3, 18, 0)
#: The share of each group of the upcoming edition that also came to the previous one.
DELEGATIONS_BACK = 0.8
RETURNING = {"startup": 0.5, "city_staff": 0.7, "elu": 0.4, "intervenant": 0.15, "decideur": 0.4,
             "entreprise": 0.3, "presse": 0.4, "visiteur": 0.08}
#: People of that year only.
NEW_STARTUPS = 35
NEW_ELUS = 40
NEW_SPEAKERS = 45
NEW_COMPANIES, NEW_PRESS = 25, 8
NUM_REGISTRATIONS = 700
#: A finished edition: every registration decided; the waiting list of the last weeks never got in.
STATUS_MIX = {
    "elu": [(Status.CONFIRMED, 90), (Status.CANCELLED, 10)],
    "delegation": [(Status.CONFIRMED, 100)],
    "startup": [(Status.CONFIRMED, 88), (Status.WAITLISTED, 5), (Status.CANCELLED, 7)],
    "intervenant": [(Status.CONFIRMED, 97), (Status.CANCELLED, 3)],
    "presse": [(Status.CONFIRMED, 90), (Status.CANCELLED, 10)],
    "decideur": [(Status.CONFIRMED, 92), (Status.CANCELLED, 8)],
    "entreprise": [(Status.CONFIRMED, 92), (Status.CANCELLED, 8)],
    "visiteur": [(Status.CONFIRMED, 80), (Status.WAITLISTED, 10), (Status.CANCELLED, 10)],
}


class PastPlanner(Planner):
    """The upcoming edition's planner with that year's dates, mixes and a registration curve that rises
    towards the summit (a first wave when registrations open, most in the last months)."""

    def __init__(self, seed: int, days: list[date], theme_codes: list[str], current: Plan):
        super().__init__(seed, days, theme_codes)
        self.opens_at = REGISTRATIONS_FROM
        self.period = REGISTRATIONS_TO - REGISTRATIONS_FROM
        self.status_mix = STATUS_MIX
        self.emails = set(current.details)  # new people never take an e-mail of the upcoming edition

    def created_at(self, status: Status) -> datetime:
        if status == Status.WAITLISTED:  # late comers
            return self.opens_at + self.period - timedelta(seconds=self.rng.randint(0, 30 * 86400))
        seconds = self.period.total_seconds()
        if self.rng.random() < 0.3:  # the first wave, over the first ten weeks
            return self.opens_at + timedelta(seconds=self.rng.randint(0, 75 * 86400))
        return self.opens_at + timedelta(seconds=int(seconds * self.rng.random() ** 0.5))

    def comes_back(self, lead: Lead, details: dict[str, Detail], mix: str) -> Lead:
        """`lead` of the upcoming edition registered to this one too (team included): same person, same answers,
        this edition's days, status and dates."""
        status = self.weighted(self.status_mix[mix])
        again = Lead(replace(lead.data, days=self.attendance()), status, lead.city, lead.delegation, lead.protocol,
                     lead.is_coordinator)
        self.plan.leads.append(again)
        created_at = self.created_at(status)
        for email in [lead.data.email, *(member.email for member in lead.data.team)]:
            self.plan.details[email] = replace(details[email], created_at=created_at)
        return again


def _group(lead: Lead) -> str:
    if lead.data.category == CategoryCode.DECIDEUR and lead.city is not None:
        return "city_staff"
    return lead.data.category.value


def plan_previous(seed: int, days: list[date], theme_codes: list[str], current: Plan) -> Plan:
    """Every registration of the previous edition, as values; the same seed and plan give the same result."""
    planner = PastPlanner(seed * 31 + 2026, days, theme_codes, current)
    rng = planner.rng
    delegation_cities = sorted({lead.delegation for lead in current.leads if lead.delegation})
    back = set(rng.sample(delegation_cities, round(len(delegation_cities) * DELEGATIONS_BACK)))
    for lead in current.leads:
        if lead.delegation:
            if lead.delegation in back:
                planner.comes_back(lead, current.details, "delegation")
        elif lead.data.mandate == Mandate.MAIRE or rng.random() < RETURNING[_group(lead)]:
            group = _group(lead)
            planner.comes_back(lead, current.details, "decideur" if group == "city_staff" else group)
    # Officials of that year only: never a mayor (the cities' mayors are the same both years).
    cities = [c for c in data.CITIES if c.name not in back]
    for _ in range(NEW_ELUS):
        city = rng.choice(cities)
        planner.elected(city, planner.other_mandate(city))
    taken = frozenset(lead.data.organisation_name for lead in current.leads
                      if lead.data.category == CategoryCode.STARTUP)
    planner.startups(NEW_STARTUPS, taken)
    planner.speakers(NEW_SPEAKERS)
    decideurs = sum(1 for lead in planner.plan.leads if lead.data.category == CategoryCode.DECIDEUR)
    planner.decision_makers(decideurs + 15)
    planner.others(NEW_COMPANIES, NEW_PRESS, NUM_REGISTRATIONS)
    return planner.plan
