"""Keys and numbers typed into the demonstrator's pages that are not what they look like (R9)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.queries import stand_sort_key
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut
from app.extensions import db
from tests.conftest import login

HUGE = "9" * 30


@pytest.mark.parametrize("visitor", [f"r{HUGE}", "r\u00b2", "d\u00b2", f"d{2**31}", "r-1", "r"])
def test_a_visitor_key_that_names_no_one_is_refused_with_a_message(client, world, make_organiser, visitor):
    event = world.event
    login(client, make_organiser(event))
    base = f"/manage/e/{event.slug}/demonstrator/availability"
    for url, data in ((f"{base}/opt-outs", {"visitor": visitor}),
                      (f"{base}/changes", {"visitor": visitor, "available": "0", "day": event.starts_on.isoformat(),
                                           "start": "10:00", "end": "11:00"}),
                      (f"{base}/on-the-day", {"visitor": visitor, "day": event.starts_on.isoformat(),
                                              "preset": "late", "at": "11:00"})):
        response = client.submit(url, data, headers={"Accept-Language": "en"})
        assert response.status_code == 422, url
        assert 'role="alert"' in response.get_data(as_text=True)
    for model in (RoutingOptOut, AvailabilityChange):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_stands_numbered_with_superscripts_or_other_digits_sort_and_show(client, event, make_organiser):
    for number, x in (("\u00b2", 1), ("A\u0661\u0662", 10), ("A2", 20), ("A10", 30)):
        hall_services.save_stand(event, hall_services.StandInput(number, x=x, y=1), actor_id=None)
    db.session.commit()
    assert sorted(["A10", "\u00b2", "A2"], key=stand_sort_key) == ["A2", "A10", "\u00b2"]
    login(client, make_organiser(event))
    assert client.get(f"/manage/e/{event.slug}/demonstrator/hall").status_code == 200
