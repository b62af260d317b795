"""The plan of the demo edition: pure values from a seed, no database."""
from __future__ import annotations

from collections import Counter
from datetime import date

from app.demo import data, pitches
from app.demo.planner import NUM_REGISTRATIONS, city_organisation_name, plan_demo
from app.events.services import DEFAULT_THEMES

DAYS = [date(2027, 6, 2), date(2027, 6, 3), date(2027, 6, 4)]
THEMES = [code for code, _fr, _en in DEFAULT_THEMES]


def fingerprint(plan) -> list[tuple]:
    return [(lead.data.email, lead.data.category.value, lead.status.value, lead.delegation) for lead in plan.leads]


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    assert fingerprint(plan_demo(7, DAYS, THEMES)) == fingerprint(plan_demo(7, DAYS, THEMES))
    assert fingerprint(plan_demo(7, DAYS, THEMES)) != fingerprint(plan_demo(8, DAYS, THEMES))


def test_plan_has_a_thousand_people_from_eleven_countries_with_unique_emails():
    plan = plan_demo(2018, DAYS, THEMES)
    assert len(plan.details) == NUM_REGISTRATIONS
    assert set(Counter(d.country for d in plan.details.values())) == set(data.COUNTRIES)
    emails = [lead.data.email for lead in plan.leads] + [m.email for lead in plan.leads for m in lead.data.team]
    assert len(emails) == len(set(emails)) == NUM_REGISTRATIONS


def test_every_theme_of_a_pitch_is_an_edition_theme():
    assert set(pitches.PITCHES) <= set(THEMES)


def test_a_city_name_takes_an_elision_before_a_vowel():
    by_name = {c.name: c for c in data.CITIES}
    assert city_organisation_name(by_name["Auxerre"]) == "Ville d'Auxerre"
    assert city_organisation_name(by_name["Yverdon-les-Bains"]) == "Ville d'Yverdon-les-Bains"
    assert city_organisation_name(by_name["Nevers"]) == "Ville de Nevers"
    assert city_organisation_name(by_name["Sousse"]) == "Municipalité de Sousse"


def test_officials_carry_their_written_mandate_title():
    """The demo's officials have the title they would write: Mairesse in Québec, Bourgmestre in Belgium…"""
    officials = [lead.data for lead in plan_demo(7, DAYS, THEMES).leads if lead.data.mandate is not None]
    titles = {data.mandate_title for data in officials}
    assert all(data.mandate_title for data in officials)
    assert {"Maire", "Bourgmestre", "Conseillère municipale", "Conseiller municipal"} <= titles


def test_most_startups_pitch_in_english_too_and_some_only_in_french():
    startups = [lead.data for lead in plan_demo(2018, DAYS, THEMES).leads if lead.data.pitch]
    in_english = [s for s in startups if s.pitch_en]
    assert 0.6 * len(startups) < len(in_english) < len(startups)
    assert all(s.organisation_name in s.pitch_en for s in in_english)
