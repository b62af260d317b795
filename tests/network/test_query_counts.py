"""The replication pages ask the database a bounded number of times, whatever the number of replications: a city
page, an inbox or a project page with 30 replications costs as many statements as with 10."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.network.models import (Agreement, NetworkOrganiser, Replication, ReplicationStage, ReplicationStep)
from tests.network.counting import statements_of
from tests.network.replication_world import make_world


def add_replications(world, make_city, make_person, start: int, stop: int) -> None:
    """Cities asking for Épinal's project: a third pending, a third on their way, a third dropped; and Épinal
    asking each of them back (so Épinal's page lists both directions)."""
    for n in range(start, stop):
        city = make_city(f"Ville numéro {n}", official=make_person(f"contact{n}@ville.fr"))
        replication = Replication(project=world.project, city=city, startup=world.startup, message="Bonjour")
        replication.steps.append(ReplicationStep(kind="asked", note="Bonjour"))
        if n % 3:
            replication.answer, replication.stage = Agreement.AGREED, ReplicationStage.EXCHANGE
            replication.steps.append(ReplicationStep(kind="accepted"))
            replication.steps.append(ReplicationStep(kind=ReplicationStage.EXCHANGE.value, note="Visite"))
        if n % 3 == 2:
            replication.stage = ReplicationStage.DROPPED
            replication.steps.append(ReplicationStep(kind=ReplicationStage.DROPPED.value))
        db.session.add(replication)
    db.session.commit()


@pytest.fixture
def world(make_city, make_project, make_person):
    return make_world(make_city, make_project, make_person)


@pytest.mark.parametrize("page", ["city", "inbox", "organiser_inbox", "project"])
def test_a_page_costs_as_many_statements_for_30_replications_as_for_10(app, world, make_city, make_person, page):
    organiser = make_person("orga@reseau.fr")
    db.session.add(NetworkOrganiser(person_id=organiser.id))
    db.session.commit()
    reader, url = {
        "city": (world.answerer, f"/network/cities/{world.epinal.id}"),
        "inbox": (world.answerer, "/network/replications/"),
        "organiser_inbox": (organiser, "/network/replications/"),
        "project": (world.answerer, f"/network/projects/{world.project.id}"),
    }[page]
    add_replications(world, make_city, make_person, 0, 10)
    with_10 = statements_of(app, reader, url)
    add_replications(world, make_city, make_person, 10, 30)
    with_30 = statements_of(app, reader, url)
    assert with_30 == with_10, (page, with_10, with_30)
