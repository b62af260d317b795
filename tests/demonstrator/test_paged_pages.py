"""Organisers' pages that would show a whole summit at once show a page or a day of it, with a way to the rest."""
import re

import pytest

from app.demonstrator.wishes import availability_routes, heatmap
from tests.conftest import login


@pytest.fixture
def organiser_client(app, world, make_organiser):
    client = app.test_client()
    login(client, make_organiser(world.event))
    return client


def url(world, path):
    return f"/manage/e/{world.event.slug}/demonstrator/{path}"


def test_the_heat_map_draws_a_page_of_visitors_and_counts_them_all(organiser_client, world, monkeypatch):
    whole = organiser_client.get(url(world, "wishes")).get_data(as_text=True)
    rows = re.findall(r'class="row-label"[^>]*><title>([^<]+)</title>', whole)
    assert len(rows) >= 3 and 'data-testid="heat-pager"' not in whole
    monkeypatch.setattr(heatmap, "ROWS_PER_PAGE", 2)
    first = organiser_client.get(url(world, "wishes")).get_data(as_text=True)
    assert re.findall(r'class="row-label"[^>]*><title>([^<]+)</title>', first) == rows[:2]
    assert f"Visiteurs 1 à 2 sur {len(rows)}, par valeur totale" in first
    second = organiser_client.get(url(world, "wishes?page=2")).get_data(as_text=True)
    assert re.findall(r'class="row-label"[^>]*><title>([^<]+)</title>', second) == rows[2:4]
    # The best pairs still count every visitor; a page past the end shows the last one.
    assert first.count('data-testid="top-pair"') == whole.count('data-testid="top-pair"')
    assert "Visiteurs" in organiser_client.get(url(world, "wishes?page=999")).get_data(as_text=True)


def test_availability_shows_a_page_of_visitors_and_a_change_returns_to_its_page(organiser_client, world,
                                                                               monkeypatch):
    monkeypatch.setattr(availability_routes, "ROWS_PER_PAGE", 2)
    first = organiser_client.get(url(world, "availability")).get_data(as_text=True)
    keys = re.findall(r'data-testid="visitor-row" data-key="([^"]+)"', first)
    assert len(keys) == 2 and 'data-testid="visitors-pager"' in first
    last_page = organiser_client.get(url(world, "availability?page=3")).get_data(as_text=True)
    last_key = re.findall(r'data-testid="visitor-row" data-key="([^"]+)"', last_page)[-1]
    response = organiser_client.submit(url(world, "availability/on-the-day"), {
        "visitor": last_key, "day": world.event.starts_on.isoformat(), "preset": "late", "at": "11:00"})
    assert response.status_code == 302 and f"at={last_key}" in response.headers["Location"]
    back = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert last_key in re.findall(r'data-testid="visitor-row" data-key="([^"]+)"', back)
