"""R9, as properties: whatever is typed into a number field (an integer of any size, a float, nan, text) gets a
success or a 4xx with a message, never a 5xx, and a refusal stores nothing. The categories' caps, the hall's
settings, the stand form and the time limit of a visit plan."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.text import strip_control_characters
from app.demonstrator.hall.models import Stand
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.extensions import db
from tests.conftest import login
from tests.demonstrator.conftest import world  # noqa: F401  (a fixture: stands, startups and officials)

#: What people (or scripts) type into a number field.
TYPED = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda f: f"{f:.3f}".replace(".", ",")),
    st.text(max_size=20),
    st.sampled_from(["", " ", "\u00b2", "1_000", "0x1F", "1e400", "-0", "\u0661\u0662", "12\x00", "nan", "-inf"]),
)
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None)
HALL_FIELDS = ["width", "depth", "walking_speed", "visit_minutes", "min_visits", "weight_base", "weight_theme",
               "weight_wish", "weight_mutual", "shortfall_penalty", "change_penalty", "min_route_visits"]
STAND_FIELDS = ["x", "y", "width", "depth", "capacity", "visit_minutes", "min_visits", "max_visits"]


def as_int(typed: str) -> int | None:
    """What WTForms makes of a whole number field (after the control characters are removed)."""
    try:
        return int(strip_control_characters(typed))
    except ValueError:
        return None


def refused_with_a_message(response) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code in (409, 422) and ('class="error"' in html or "flash-error" in html)


@pytest.fixture
def organiser(client, world, make_organiser):  # noqa: F811
    login(client, make_organiser(world.event))
    return client


def test_any_cap_is_saved_or_refused_with_a_message(organiser, world):  # noqa: F811
    event = world.event
    url = f"/manage/e/{event.slug}/categories"

    def caps():
        db.session.expire_all()
        return [(c.capacity, c.is_open) for c in event.categories]

    @PROPERTY
    @given(typed=TYPED, row=st.integers(min_value=0, max_value=len(event.categories) - 1))
    def check(typed, row):
        form = {f"categories-{n}-capacity": "" for n in range(len(event.categories))}
        form |= {f"categories-{n}-is_open": "y" for n in range(len(event.categories))}
        form[f"categories-{row}-capacity"] = typed
        before = caps()
        response = organiser.submit(url, form)
        if response.status_code == 302:
            value = as_int(typed)
            assert caps()[row][0] == value and (value is None or 0 <= value <= 100_000)
        else:
            assert refused_with_a_message(response), response.status_code
            assert caps() == before

    check()


def test_any_hall_setting_is_saved_or_refused_with_a_message(organiser, world):  # noqa: F811
    event = world.event
    url = f"/manage/e/{event.slug}/demonstrator/settings"
    good = {"width": "60", "depth": "40", "walking_speed": "40", "visit_minutes": "10", "min_visits": "3",
            "weight_base": "0", "weight_theme": "2", "weight_wish": "5", "weight_mutual": "12",
            "shortfall_penalty": "4", "change_penalty": "3", "min_route_visits": "2"}

    def stored():
        hall = get_hall(event)
        db.session.commit()
        db.session.refresh(hall)
        return {name: getattr(hall, name) for name in HALL_FIELDS}

    @PROPERTY
    @given(typed=TYPED, field=st.sampled_from(HALL_FIELDS))
    def check(typed, field):
        before = stored()
        response = organiser.submit(url, {**good, field: typed})
        if response.status_code == 302:
            after = stored()
            assert all(math.isfinite(v) and abs(v) <= 1_000_000 for v in after.values())
        else:
            assert refused_with_a_message(response), response.status_code
            assert stored() == before

    check()


def test_any_stand_number_gives_a_stand_or_a_refusal_with_a_message(organiser, world):  # noqa: F811
    event = world.event
    url = f"/manage/e/{event.slug}/demonstrator/hall/stands"
    good = {"number": "Z9", "x": "50", "y": "30", "width": "3", "depth": "3", "zone": "", "theme_id": "",
            "capacity": "1", "visit_minutes": "", "min_visits": "", "max_visits": ""}

    def stands() -> int:
        return db.session.scalar(select(func.count()).select_from(Stand))

    @PROPERTY
    @given(typed=TYPED, field=st.sampled_from(STAND_FIELDS))
    def check(typed, field):
        before = stands()
        response = organiser.submit(url, {**good, field: typed})
        if response.status_code == 302:
            stand = db.session.scalar(select(Stand).where(Stand.number == "Z9"))
            assert all(math.isfinite(getattr(stand, name)) for name in ("x", "y", "width", "depth"))
            db.session.delete(stand)  # the next example adds its own
            db.session.commit()
        else:
            assert refused_with_a_message(response), response.status_code
            assert stands() == before

    check()


def test_any_time_limit_starts_a_plan_or_is_refused_with_a_message(organiser, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr("app.jobs.services.run_job_task", lambda job_id: None)  # stored, not computed
    url = f"/manage/e/{world.event.slug}/demonstrator/plans/compute"

    def plans() -> int:
        return db.session.scalar(select(func.count()).select_from(VisitPlan))

    @PROPERTY
    @given(typed=TYPED)
    def check(typed):
        before = plans()
        response = organiser.submit(url, {"time_limit": typed})
        if response.status_code == 302:
            plan = db.session.scalar(select(VisitPlan).order_by(VisitPlan.id.desc()))
            assert 1 <= plan.time_limit <= 600
            plan.status = PlanStatus.FAILED  # free the edition for the next example
            db.session.commit()
        else:
            assert refused_with_a_message(response), response.status_code
            assert plans() == before

    check()
