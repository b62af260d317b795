"""A replication's dates are days of the network's home time zone (Paris), with their year and no time: both sides
read the same date, and a replication lasting more than a year reads right."""
from datetime import datetime

import pytest

from app.extensions import db
from app.network.models import Replication, ReplicationStep
from tests.network.replication_world import client_of, make_world

LATE = datetime(2026, 11, 30, 23, 30)  # 00:30 on 1 December 2026 in Paris


@pytest.fixture
def replication(make_city, make_project, make_person):
    world = make_world(make_city, make_project, make_person)
    replication = Replication(project=world.project, city=world.nevers, created_at=LATE,
                              steps=[ReplicationStep(kind="asked", at=LATE)])
    db.session.add(replication)
    db.session.commit()
    return world, replication


def shown(html: str) -> bool:
    return "1 December 2026" in html or "1 décembre 2026" in html


def test_the_inbox_and_the_timeline_show_the_day_in_paris_with_its_year_and_no_time(app, replication):
    world, replication = replication
    client = client_of(app, world.answerer)
    inbox = client.get("/network/replications/").get_data(as_text=True)
    assert shown(inbox.split('data-testid="to-answer"')[1].split("</table>")[0])
    page = client.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert shown(timeline) and "00:30" not in timeline and "23:30" not in timeline
    city = client.get(f"/network/cities/{world.epinal.id}").get_data(as_text=True)
    assert shown(city.split('data-testid="city-replications"')[1].split("</section>")[0])
