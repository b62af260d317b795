"""The loop back to the summit: a startup that a member city asked to replicate is suggested as a wish of that
city's officials at an edition's demonstrator, until the organiser confirms (a wish) or dismisses it."""
import pytest
from sqlalchemy import select

from app.demonstrator.wishes.models import Wish, WishKind
from app.events.models import CategoryCode
from app.extensions import db
from app.network.models import Replication, Visibility
from app.network.replication.models import WishSuggestionAnswer
from app.registrations.services import approve
from tests.network.counting import statements_of
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


def ask_from_cities(event, world, make_city, make_registration, start: int, stop: int) -> None:
    """Cities whose official comes to the edition, each asking to replicate Épinal's project."""
    for n in range(start, stop):
        city = make_city(f"Ville numéro {n}")
        official = make_registration(event, CategoryCode.ELU, first_name="Élu", last_name=f"Numéro {n}")
        official.organisation_id = city.organisation_id
        db.session.add(Replication(project=world.project, city=city, startup=world.startup))
    db.session.commit()


def test_the_wishes_page_costs_as_many_statements_for_30_replicating_cities_as_for_10(
        app, event, world, edition, make_city, make_registration):
    _, _, organiser = edition
    ask_from_cities(event, world, make_city, make_registration, 0, 10)
    assert wishes_page(app, event, organiser).count("Ville numéro") == 10
    with_10 = statements_of(app, organiser, f"/manage/e/{event.slug}/demonstrator/wishes")
    ask_from_cities(event, world, make_city, make_registration, 10, 30)
    assert wishes_page(app, event, organiser).count("Ville numéro") == 30
    with_30 = statements_of(app, organiser, f"/manage/e/{event.slug}/demonstrator/wishes")
    assert with_30 == with_10


def test_the_why_names_a_members_only_project_only_to_who_may_see_it(app, event, world, edition):
    _, _, organiser = edition
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    assert "Stationnement intelligent" in wishes_page(app, event, organiser)
    world.project.visibility = Visibility.MEMBERS
    db.session.commit()
    page = wishes_page(app, event, organiser)
    assert "Stationnement intelligent" not in page
    assert "a project of Ville d&#39;Épinal" in page or "un projet de Ville d&#39;Épinal" in page
