"""Every number of every form is bounded to what its column holds, and a refusal names the field: the categories'
caps, the hall's numbers, the program's speakers. Nothing is stored on a refusal."""
from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import FloatField, IntegerField
from wtforms.validators import NumberRange

from app.core.forms import INT32_MAX, InRange
from app.demonstrator.hall.queries import get_hall
from app.events.models import CategoryCode
from app.extensions import db
from app.program.models import ProgramSession
from tests.conftest import login

HUGE = "9" * 30


def all_form_classes(base=FlaskForm) -> set[type]:
    found = set()
    for cls in base.__subclasses__():
        found |= {cls} | all_form_classes(cls)
    return found


def test_every_number_field_of_every_form_is_bounded_within_a_32_bit_integer(app):
    unbounded = []
    for form_class in all_form_classes():
        for name, unbound in vars(form_class).items():
            if not hasattr(unbound, "field_class") or not issubclass(unbound.field_class, (IntegerField, FloatField)):
                continue
            validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
            ranges = [v for v in validators if isinstance(v, InRange)]
            if not ranges or any(isinstance(v, NumberRange) for v in validators):
                unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
            elif not all(-INT32_MAX <= r.low <= r.high <= INT32_MAX for r in ranges):
                unbounded.append(f"{form_class.__name__}.{name}: {ranges[0].low}..{ranges[0].high}")
    assert all_form_classes() and unbounded == []


def test_in_range_refuses_bounds_no_column_holds():
    with pytest.raises(ValueError):
        InRange(0, 2**31)


# The categories' caps ------------------------------------------------------------------------------------


def categories_form(event, **caps) -> dict:
    form = {}
    for n, category in enumerate(event.categories):
        form[f"categories-{n}-capacity"] = caps.get(category.code.value, "")
        form[f"categories-{n}-is_open"] = "y"
    return form


def caps(event) -> list:
    db.session.expire_all()
    return [(c.code.value, c.capacity, c.is_open, c.requires_approval) for c in event.categories]


@pytest.mark.parametrize("cap, words", [("-5", "Cap of Elected official: give a number from 0 to 100,000."),
                                        (HUGE, "Cap of Elected official: give a number from 0 to 100,000."),
                                        (str(2**63), "Cap of Elected official: give a number from 0 to 100,000."),
                                        ("abc", "Not a valid integer value."),
                                        ("1.5", "Not a valid integer value.")])
def test_a_bad_cap_is_refused_next_to_its_category(client, event, make_organiser, cap, words):
    login(client, make_organiser(event))
    before = caps(event)
    response = client.submit(f"/manage/e/{event.slug}/categories", categories_form(event, elu=cap, visiteur="50"),
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in html and 'aria-invalid="true"' in html
    assert caps(event) == before


@pytest.mark.parametrize("rows", [{}, {"categories-0-capacity": "-5"}, {"categories-0-capacity": "12"},
                                  {"categories-9-capacity": "3"}])
def test_a_categories_form_without_its_rows_is_refused_and_changes_nothing(client, event, make_organiser, rows):
    login(client, make_organiser(event))
    before = caps(event)
    response = client.submit(f"/manage/e/{event.slug}/categories", rows, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "The form does not have one row per category" in response.get_data(as_text=True)
    assert caps(event) == before


# The hall ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["x", "width", "depth"])
@pytest.mark.parametrize("value, words", [("nan", "Write a number, like 12.5."), ("inf", "Write a number, like 12.5."),
                                          ("1e400", "Write a number, like 12.5."),
                                          ("-1e400", "Write a number, like 12.5."), (" ", "This field is required.")])
def test_a_stand_number_that_is_not_finite_is_refused(client, event, make_organiser, field, value, words):
    login(client, make_organiser(event))
    data = {"number": "B1", "x": "10", "y": "20", "width": "3", "depth": "3", "zone": "", "theme_id": "",
            "capacity": "1", field: value}
    response = client.submit(f"/manage/e/{event.slug}/demonstrator/hall/stands", data,
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422 and words in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value, words", [
    ("shortfall_penalty", "nan", "Write a number, like 12.5."),
    ("weight_theme", "1e400", "Write a number, like 12.5."),
    ("min_visits", HUGE, "Minimum visits per startup: give a number from -1,000,000 to 1,000,000."),
    ("visit_minutes", str(2**31), "Visit length (minutes): give a number from -1,000,000 to 1,000,000."),
    ("width", "  ", "This field is required."),  # found by the property test: a blank read as no number
])
def test_a_hall_setting_out_of_range_is_refused_naming_it(client, event, make_organiser, field, value, words):
    login(client, make_organiser(event))
    settings = {"width": "80", "depth": "50", "walking_speed": "35", "visit_minutes": "12", "min_visits": "2",
                "weight_base": "1", "weight_theme": "2,5", "weight_wish": "5", "weight_mutual": "12",
                "shortfall_penalty": "4", "change_penalty": "3", "min_route_visits": "2", field: value}
    hall = get_hall(event)
    db.session.commit()
    before = (hall.width, hall.min_visits, hall.shortfall_penalty, hall.weight_theme)
    response = client.submit(f"/manage/e/{event.slug}/demonstrator/settings", settings,
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    db.session.refresh(hall)
    assert (hall.width, hall.min_visits, hall.shortfall_penalty, hall.weight_theme) == before


# The program's speakers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("speaker", ["abc", HUGE, "\u00b2", "999999"])
def test_a_speaker_that_is_not_a_registered_person_is_refused_not_dropped(client, event, make_organiser,
                                                                          make_registration, speaker):
    known = make_registration(event, CategoryCode.INTERVENANT, first_name="Jean", last_name="Tremblay")
    login(client, make_organiser(event))
    data = {"kind": "conference", "title_fr": "Mobilités douces", "title_en": "Soft mobility",
            "day": event.starts_on.isoformat(), "start": "10:00", "end": "11:00", "room": "", "seat_limit": "",
            "speakers-0-registration": str(known.id), "speakers-0-role": "intervenant",
            "speakers-1-registration": speaker, "speakers-1-role": "intervenant"}
    response = client.submit(f"/manage/e/{event.slug}/program/sessions/new", data,
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Choose a speaker from the list (a registered person)." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProgramSession)) == 0


def test_the_refusals_speak_french_by_default(client, event, make_organiser):
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/categories", categories_form(event, elu="-5"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Plafond : " in html and ": indiquez un nombre de 0 à 100" in html
    rows = client.submit(f"/manage/e/{event.slug}/categories", {})
    assert "Le formulaire n&#39;a pas une ligne par catégorie" in rows.get_data(as_text=True)
