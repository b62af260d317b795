"""Texts an organiser or a startup writes, in French and in English; dates in words, in both languages."""
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from app.core.i18n import country_name, localized
from app.core.timefmt import format_day, format_moment, format_span
from app.extensions import db
from app.people.models import Organisation
from tests.conftest import login


def english(client):
    client.get("/lang/en")
    return client


@pytest.mark.parametrize("language, expected", [("fr", "Sommet"), ("en", "Summit")])
def test_localized_picks_the_interfaces_language(app, language, expected):
    class Text:
        name, name_en = "Sommet", "Summit"
    with app.test_request_context(), force_locale(language):
        assert localized(Text(), "name") == expected


def test_an_empty_english_text_shows_the_french_one(app):
    organisation = Organisation(name="Urbaflux", pitch="Capteurs de stationnement", pitch_en="  ")
    with app.test_request_context(), force_locale("en"):
        assert localized(organisation, "pitch") == "Capteurs de stationnement"


def test_country_names_come_from_their_codes_in_both_languages(app):
    with app.test_request_context():
        assert country_name("BE", "fr") == "Belgique" and country_name("BE", "en") == "Belgium"
        assert country_name("CI", "fr") == "Côte d’Ivoire"
        assert country_name("ZZ9", "en") == "ZZ9"  # an unknown code reads as itself


@pytest.mark.parametrize("language, day, day_year, short, moment, moment_day, span", [
    ("fr", "mercredi 2 juin", "mercredi 2 juin 2027", "mer. 2 juin", "2 juin 2027, 14:05", "mer. 2 juin, 14:05",
     "14:05–jeu. 3, 18:00"),
    ("en", "Wednesday 2 June", "Wednesday 2 June 2027", "Wed 2 Jun", "2 June 2027, 14:05", "Wed 2 Jun, 14:05",
     "14:05–Thu 3, 18:00"),
])
def test_dates_read_as_words_in_the_editions_zone(app, language, day, day_year, short, moment, moment_day, span):
    stored = datetime(2027, 6, 2, 12, 5)  # naive UTC: 14:05 in Paris
    with app.test_request_context(), force_locale(language):
        assert format_day(date(2027, 6, 2)) == day
        assert format_day(date(2027, 6, 2), "day_year") == day_year
        assert format_day(date(2027, 6, 2), "day_short") == short
        assert format_moment(stored, "Europe/Paris") == moment
        assert format_moment(stored, "Europe/Paris", "moment_day") == moment_day
        assert format_moment(stored, "Europe/Paris", "time") == "14:05"
        assert format_moment(stored, "America/Montreal", "time") == "08:05"
        assert format_span(stored, datetime(2027, 6, 3, 16, 0), "Europe/Paris") == span


def test_the_edition_page_shows_its_english_name_and_description_in_english(client, event):
    event.name_en, event.description = "Mid-sized Cities Summit 2027", "Trois jours de rencontres."
    event.description_en = "Three days of meetings."
    db.session.commit()
    french = client.get(f"/e/{event.slug}/").get_data(as_text=True)
    assert "Sommet des villes moyennes 2027" in french and "Trois jours de rencontres." in french
    assert "mercredi 2 juin 2027" in french
    html = english(client).get(f"/e/{event.slug}/").get_data(as_text=True)
    assert "<h1>Mid-sized Cities Summit 2027</h1>" in html and "Three days of meetings." in html
    assert "Sommet des villes moyennes" not in html and "Trois jours" not in html
    assert "Wednesday 2 June 2027" in html


def test_without_english_texts_the_english_page_shows_the_french_ones(client, event):
    event.description = "Trois jours de rencontres."
    db.session.commit()
    html = english(client).get(f"/e/{event.slug}/").get_data(as_text=True)
    assert "Sommet des villes moyennes 2027" in html and "Trois jours de rencontres." in html


def test_the_registration_form_names_countries_in_the_visitors_language(client, event):
    assert ">Belgique</option>" in client.get(f"/e/{event.slug}/register/visiteur").get_data(as_text=True)
    html = english(client).get(f"/e/{event.slug}/register/visiteur").get_data(as_text=True)
    assert ">Belgium</option>" in html and "Belgique" not in html


def test_organisers_write_the_editions_english_name_and_description(client, event, make_organiser):
    login(client, make_organiser(event))
    form = client.get(f"/manage/e/{event.slug}/settings").get_data(as_text=True)
    assert 'name="name_en"' in form and 'name="description_en"' in form
    data = {"name": event.name, "name_en": "Summit 2027", "slug": event.slug, "city": "Nevers", "country": "FR",
            "venue": "", "timezone": "Europe/Paris", "starts_on": "2027-06-02", "ends_on": "2027-06-04",
            "status": "open", "description": "Description.", "description_en": "In English."}
    assert client.submit(f"/manage/e/{event.slug}/settings", data).status_code == 302
    db.session.refresh(event)
    assert (event.name_en, event.description_en) == ("Summit 2027", "In English.")
    too_long = client.submit(f"/manage/e/{event.slug}/settings", {**data, "name_en": "x" * 201})
    assert too_long.status_code == 422
    db.session.refresh(event)
    assert event.name_en == "Summit 2027"


def test_a_startup_writes_its_pitch_in_english_too(client, event):
    data = {"first_name": "Inès", "last_name": "Moreau", "email": "ines@urbaflux.example", "country": "FR",
            "organisation": "Urbaflux", "days": ["2027-06-02"], "pitch": "Capteurs de stationnement.",
            "pitch_en": "Parking sensors."}
    assert client.submit(f"/e/{event.slug}/register/startup", data).status_code == 302
    organisation = db.session.query(Organisation).filter_by(name="Urbaflux").one()
    assert (organisation.pitch, organisation.pitch_en) == ("Capteurs de stationnement.", "Parking sensors.")
