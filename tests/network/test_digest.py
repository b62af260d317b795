"""The monthly digest: one mail per member city's contact about the past month, once per month, none to a contact
who unsubscribed, none when there is nothing to say."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.network.models import MembershipStatus, Visibility
from app.network.replication.models import DigestOptOut, DigestSent
from app.network.replication.digest import digest_of, previous_month, send_digests
from tests.network.replication_world import client_of, make_world


@pytest.fixture
def world(make_city, make_project, make_person, make_theme):
    mobility = make_theme("mobility", "Mobilité", "Mobility")
    world = make_world(make_city, make_project, make_person, themes=[mobility],
                       published_at=datetime(2026, 11, 10, 9))
    world.nevers.themes = [mobility]
    db.session.commit()
    return world


def digests():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "network_digest")
                              .order_by(OutboxMessage.id)).all()


def test_previous_month():
    assert previous_month(datetime(2027, 1, 1).date()) == "2026-12"
    assert previous_month(datetime(2026, 12, 1).date()) == "2026-11"


def test_new_projects_in_a_citys_themes_and_requests_to_answer_are_sent_once(app, world, make_project):
    make_project(world.epinal, "Projet réservé", themes=world.nevers.themes, visibility=Visibility.DRAFT,
                 published_at=datetime(2026, 11, 12))
    make_project(world.epinal, "Projet d'octobre", themes=world.nevers.themes, published_at=datetime(2026, 10, 30))
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    count = send_digests("2026-11")
    assert (count.num_sent, count.num_mails) == (2, 2)
    by_person = {m.recipient: m for m in digests()}
    nevers = by_person["alice@nevers.fr"].body
    assert "Stationnement intelligent" in nevers
    assert "Projet réservé" not in nevers and "Projet d'octobre" not in nevers
    # Épinal has a request to answer (in English: Claire reads English).
    assert "Ville de Nevers asks to replicate" in by_person["claire@epinal.fr"].body
    # A second run sends nothing.
    assert send_digests("2026-11").num_sent == 0 and len(digests()) == 2
    assert db.session.scalar(select(DigestSent).where(DigestSent.city_id == world.nevers.id)).month == "2026-11"


def test_nothing_to_say_no_mail_and_a_lapsed_city_gets_none(app, world, make_city, make_person):
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=make_person(), themes=world.nevers.themes)
    assert send_digests("2026-09").num_sent == 0
    send_digests("2026-11")
    assert [m.recipient for m in digests()] == ["alice@nevers.fr"]


def test_the_unsubscribe_link_stores_the_opt_out_and_no_digest_follows(app, world, client):
    send_digests("2026-11")
    link = re.search(r"http\S+/network/digest/unsubscribe/(\S+)", digests()[0].body).group(1)
    page = client.get(f"/network/digest/unsubscribe/{link}")
    assert page.status_code == 200 and "alice@nevers.fr" in page.get_data(as_text=True)
    assert db.session.get(DigestOptOut, world.asker.id) is None  # opening the page stores nothing
    assert client.submit(f"/network/digest/unsubscribe/{link}", {}).status_code == 200
    assert db.session.get(DigestOptOut, world.asker.id) is not None
    world.project.published_at = datetime(2026, 12, 3)
    db.session.commit()
    send_digests("2026-12")
    assert [m.recipient for m in digests()] == ["alice@nevers.fr"]  # only November's


def test_a_wrong_token_is_404(client):
    assert client.get("/network/digest/unsubscribe/not-a-token").status_code == 404
    assert client.submit("/network/digest/unsubscribe/not-a-token", {}).status_code == 404


def test_the_command_dry_run_sends_nothing(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["network", "digest", "--month", "2026-11", "--dry-run"])
    assert "would write to 1 cities" in result.output
    assert digests() == []
    result = runner.invoke(args=["network", "digest", "--month", "2026-13"])
    assert result.exit_code != 0
    result = runner.invoke(args=["network", "digest", "--month", "2026-11"])
    assert "wrote to 1 cities" in result.output and len(digests()) == 1


def test_a_month_written_without_its_zero_is_refused_and_never_sent_twice(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["network", "digest", "--month", "2026-1"])
    assert result.exit_code == 2 and "YYYY-MM" in result.output and "2026-01" in result.output
    assert digests() == []
    with pytest.raises(ValueError):
        send_digests("2026-1")
    world.project.published_at = datetime(2026, 1, 10, 9)
    db.session.commit()
    assert send_digests("2026-01").num_sent == 1
    assert send_digests("2026-01").num_already == 1 and len(digests()) == 1


@pytest.mark.parametrize("published_at, month", [
    (datetime(2026, 10, 31, 23, 30), "2026-11"),   # 00:30 on 1 November in Paris
    (datetime(2026, 11, 30, 23, 30), "2026-12"),   # 00:30 on 1 December in Paris
    (datetime(2026, 6, 30, 22, 30), "2026-07"),    # 00:30 on 1 July in Paris (summer time)
    (datetime(2026, 6, 30, 21, 30), "2026-06"),    # 23:30 on 30 June in Paris
])
def test_a_month_runs_from_midnight_in_paris(world, published_at, month):
    world.project.published_at = published_at
    db.session.commit()
    assert [p.id for p in digest_of(world.nevers, month).projects] == [world.project.id]


def test_a_project_set_back_to_draft_is_not_told_of(world):
    assert [p.id for p in digest_of(world.nevers, "2026-11").projects] == [world.project.id]
    world.project.visibility = Visibility.DRAFT
    db.session.commit()
    assert digest_of(world.nevers, "2026-11").projects == []
