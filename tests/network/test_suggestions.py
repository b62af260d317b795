"""The loop back to the summit: a startup that a member city asked to replicate is suggested as a wish of that
city's officials at an edition's demonstrator, until the organiser confirms (a wish) or dismisses it."""
import pytest
from sqlalchemy import event as event_
from sqlalchemy import func, select

from app.demonstrator.wishes.models import Wish, WishKind
from app.events.models import CategoryCode
from app.extensions import db
from app.network.models import Replication, WishSuggestionAnswer
from app.network.replication.suggestions import all_pairs
from app.registrations.services import approve
from tests.network.replication_world import client_of, make_world


@pytest.fixture
def world(make_city, make_project, make_person):
    return make_world(make_city, make_project, make_person)


@pytest.fixture
def edition(event, world, make_registration, make_organiser):
    official = make_registration(event, CategoryCode.ELU, first_name="Denis", last_name="Thuriot")
    official.organisation_id = world.nevers.organisation_id
    stand = make_registration(event, CategoryCode.STARTUP)
    stand.organisation_id = world.startup.id
    other_stand = make_registration(event, CategoryCode.STARTUP)
    db.session.commit()
    approve(event, [official.id, stand.id, other_stand.id], actor_id=None)
    db.session.commit()
    return official, stand, make_organiser(event)


def wishes_page(app, event, organiser) -> str:
    return client_of(app, organiser).get(f"/manage/e/{event.slug}/demonstrator/wishes").get_data(as_text=True)


def test_a_replication_suggests_a_wish_until_the_organiser_confirms_it(app, event, world, edition):
    official, stand, organiser = edition
    assert 'data-testid="wish-suggestions"' not in wishes_page(app, event, organiser)
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    page = wishes_page(app, event, organiser)
    section = page.split('data-testid="wish-suggestions"')[1].split("</section>")[0]
    assert "Denis Thuriot" in section and "Capteurs du Morvan" in section and "Ville de Nevers" in section
    assert section.count("<tr>") == 2  # the header and one suggestion: the other stand is no one's startup
    # Shown, not counted: no wish until the organiser confirms.
    assert db.session.scalar(select(Wish)) is None
    url = f"/manage/e/{event.slug}/network/suggestions/{official.id}/{stand.id}/confirm"
    assert client_of(app, organiser).submit(url, {}).status_code == 302
    wish = db.session.scalar(select(Wish))
    assert (wish.from_registration_id, wish.to_registration_id, wish.kind) == (official.id, stand.id, WishKind.WANT)
    assert 'data-testid="wish-suggestions"' not in wishes_page(app, event, organiser)
    # A second click changes nothing.
    assert client_of(app, organiser).submit(url, {}).status_code == 302
    assert len(db.session.scalars(select(Wish)).all()) == 1


def test_a_dismissed_suggestion_is_not_suggested_again(app, event, world, edition):
    official, stand, organiser = edition
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    url = f"/manage/e/{event.slug}/network/suggestions/{official.id}/{stand.id}/dismiss"
    assert client_of(app, organiser).submit(url, {}).status_code == 302
    assert db.session.scalar(select(WishSuggestionAnswer)).is_confirmed is False
    assert db.session.scalar(select(Wish)) is None
    assert 'data-testid="wish-suggestions"' not in wishes_page(app, event, organiser)


def test_a_declined_replication_suggests_nothing_and_unknown_pairs_are_404(app, event, world, edition):
    official, stand, organiser = edition
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    replication = db.session.scalar(select(Replication))
    client_of(app, world.answerer).submit(f"/network/replications/{replication.id}/answer", {"decision": "decline"})
    assert 'data-testid="wish-suggestions"' not in wishes_page(app, event, organiser)
    url = f"/manage/e/{event.slug}/network/suggestions/{official.id}/{stand.id}/confirm"
    assert client_of(app, organiser).submit(url, {}).status_code == 404
    assert db.session.scalar(select(Wish)) is None


def test_an_existing_wish_between_them_is_not_suggested(app, event, world, edition):
    official, stand, organiser = edition
    db.session.add(Wish(event_id=event.id, from_registration_id=stand.id, to_registration_id=official.id,
                        kind=WishKind.WANT))
    db.session.commit()
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    assert 'data-testid="wish-suggestions"' not in wishes_page(app, event, organiser)


def test_the_suggestions_cost_the_same_queries_for_one_replication_or_many(app, event, world, edition, make_city,
                                                                           make_person, make_registration):
    """The organiser's wishes page lists every suggestion: a fixed number of queries, not a few per replication."""
    counted: list[str] = []

    def count(*_args):
        counted.append("query")

    def queries_of_all_pairs() -> int:
        counted.clear()
        db.session.expire_all()
        event_.listen(db.engine, "before_cursor_execute", count)
        try:
            pairs = all_pairs(event)
        finally:
            event_.remove(db.engine, "before_cursor_execute", count)
        assert pairs
        return len(counted)

    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    one = queries_of_all_pairs()
    for n in range(3):
        official = make_person(f"elu{n}@ville{n}.fr")
        city = make_city(f"Ville numéro {n}", official=official)
        registration = make_registration(event, CategoryCode.ELU, first_name="Élu", last_name=f"Numéro {n}")
        registration.organisation_id = city.organisation_id
        db.session.commit()
        client_of(app, official).submit(f"/network/projects/{world.project.id}/replicate", {})
    assert db.session.scalar(select(func.count()).select_from(Replication)) == 4
    assert queries_of_all_pairs() == one
