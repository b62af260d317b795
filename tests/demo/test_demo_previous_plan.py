"""The previous edition's people, planned from the upcoming edition's (no database)."""
from __future__ import annotations

from datetime import date

from app.demo.planner import plan_demo
from app.demo.previous_plan import REGISTRATIONS_FROM, REGISTRATIONS_TO, plan_previous
from app.events.models import CategoryCode
from app.events.services import DEFAULT_THEMES
from app.registrations.models import Mandate, RegistrationStatus

DAYS_2027 = [date(2027, 6, 2), date(2027, 6, 3), date(2027, 6, 4)]
DAYS_2026 = [date(2026, 6, 10), date(2026, 6, 11)]
THEMES = [code for code, _fr, _en in DEFAULT_THEMES]


def plans(seed: int = 2018):
    current = plan_demo(seed, DAYS_2027, THEMES)
    return current, plan_previous(seed, DAYS_2026, THEMES, current)


def test_the_same_mayors_and_half_the_startups_come_back_with_the_same_emails():
    current, previous = plans()
    mayors_2027 = {lead.data.email for lead in current.leads if lead.data.mandate == Mandate.MAIRE}
    mayors_2026 = {lead.data.email for lead in previous.leads if lead.data.mandate == Mandate.MAIRE}
    assert len(mayors_2026) >= 40 and mayors_2026 <= mayors_2027

    def startups(plan):
        return {lead.data.organisation_name for lead in plan.leads if lead.data.category == CategoryCode.STARTUP}
    shared = startups(current) & startups(previous)
    assert 0.4 <= len(shared) / len(startups(current)) <= 0.6
    assert len(startups(previous) - shared) >= 30  # startups of that year only, named apart

    staff = [lead for lead in previous.leads if lead.data.category == CategoryCode.DECIDEUR and lead.city]
    emails_2027 = set(current.details)
    assert sum(1 for lead in staff if lead.data.email in emails_2027) >= 0.6 * len(staff)
    # Someone of that year only never takes an e-mail of 2027 (which would make two people one).
    back = {lead.data.email for lead in previous.leads} & emails_2027
    for lead in previous.leads:
        if lead.data.email not in back:
            assert lead.data.email not in emails_2027


def test_a_finished_edition_has_no_one_pending_and_registrations_before_it():
    _current, previous = plans()
    assert 600 <= len(previous.details) <= 800
    statuses = {lead.status for lead in previous.leads}
    assert RegistrationStatus.PENDING not in statuses and RegistrationStatus.CONFIRMED in statuses
    for detail in previous.details.values():
        assert REGISTRATIONS_FROM <= detail.created_at <= REGISTRATIONS_TO
    for lead in previous.leads:
        assert set(lead.data.days) <= set(DAYS_2026) and lead.data.days
    # The curve rises towards the summit: more registrations in its last three months than in the first three.
    months = [d.created_at.month for d in previous.details.values()]
    assert sum(1 for m in months if m in (3, 4, 5)) > sum(1 for m in months if m in (9, 10, 11))


def test_the_same_seed_gives_the_same_previous_edition():
    _a, first = plans(5)
    _b, again = plans(5)
    assert [(lead.data.email, lead.status, lead.data.days) for lead in first.leads] == \
        [(lead.data.email, lead.status, lead.data.days) for lead in again.leads]
    _c, other = plans(6)
    assert [lead.data.email for lead in other.leads] != [lead.data.email for lead in first.leads]
