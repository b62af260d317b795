"""The demo's network between summits (issue 28, "Done when"): its cities are the editions' across France, Québec,
Belgium and Africa, 60+ projects of which a dozen grew from the previous edition's outcomes, replications in every
answer and stage, two consortia, a city contact who logs in; a reload makes the same again and leaves alone the
network rows the demo did not make."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.demo.network import CONTACT_EMAIL, SHOWCASE_PROJECTS, describe_network, load_network
from app.demo.network_replication import LAST
from app.events.models import Category, CategoryCode, Event
from app.network.library import search
from app.network.members.standing import standing
from app.network.models import (Agreement, Consortium, ConsortiumPurpose, Membership, MembershipStatus, NetworkCity,
                                Project, ProjectStatus, Replication, ReplicationStage, Visibility)
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import login

AFRICA = {"SN", "CI", "TN", "CM", "MA", "GN"}


def _editions(db, summary) -> tuple[Event, Event]:
    upcoming = db.session.get(Event, summary.event_id)
    previous = db.session.scalar(select(Event).where(Event.slug == f"{summary.slug}-2026"))
    return upcoming, previous


def _search(db, words: str) -> set[int]:
    return set(db.session.scalars(select(search.matches(words).c.project_id)))


def test_the_demo_has_the_network(db, client, demo_summit):
    upcoming, previous = _editions(db, demo_summit)
    cities = list(db.session.scalars(select(NetworkCity)))
    assert len(cities) >= 30
    countries = Counter(c.organisation.country for c in cities)
    assert {"FR", "CA", "BE"} <= set(countries) and sum(countries[c] for c in AFRICA) >= 4
    standings = Counter(standing(c) for c in cities)
    assert standings[MembershipStatus.MEMBER] >= 25 and standings[MembershipStatus.CANDIDATE] >= 2 \
        and standings[MembershipStatus.LAPSED] >= 2
    # The network's cities are the editions' cities; their official contacts were registered as officials.
    officials = set(db.session.scalars(select(Registration.person_id).join(Category).where(
        Registration.event_id.in_((upcoming.id, previous.id)), Category.code == CategoryCode.ELU)))
    with_official = [c for c in cities if c.official_contact_id]
    assert len(with_official) >= 30 and all(c.official_contact_id in officials for c in with_official)

    projects = list(db.session.scalars(select(Project)))
    assert len(projects) >= 60 and {p.status for p in projects} == set(ProjectStatus)
    assert {p.visibility for p in projects} == set(Visibility)
    grown = [p for p in projects if p.outcome is not None]
    assert len(grown) >= 12
    for project in grown:
        assert project.outcome.event_id == previous.id
        assert project.city.organisation_id == project.outcome.organisation_id
        assert project.outcome.startup_id in {p.organisation_id for p in project.partners}
    assert {p.agreement for p in projects for p in p.partners} == {Agreement.AGREED, Agreement.PENDING}
    assert sum(len(p.documents) for p in projects) >= 5
    assert all(d.content.startswith(b"%PDF") for p in projects for d in p.documents)
    assert _search(db, "mobilite") & {p.id for p in projects if "Stationnement" in p.title_fr}

    replications = list(db.session.scalars(select(Replication)))
    assert {r.answer for r in replications if not r.is_cancelled} == set(Agreement)
    assert any(r.is_cancelled for r in replications)
    assert {r.stage for r in replications if r.stage} == set(ReplicationStage)
    assert all(r.steps and r.steps[0].kind == "asked" for r in replications)
    deployed = next(r for r in replications if r.stage is ReplicationStage.DEPLOYED)
    assert [s.kind for s in deployed.steps if s.kind not in ("startup_agreed",)] == [
        "asked", "accepted", "exchange", "adapted_plan", "deployed"]
    assert all(r.answer_reason for r in replications if r.answer is Agreement.DECLINED)
    # Suggested wishes for the upcoming edition: an official registered there asked for a startup with a stand.
    confirmed = {(r.person_id, r.organisation_id) for r in db.session.scalars(select(Registration).where(
        Registration.event_id == upcoming.id, Registration.status == RegistrationStatus.CONFIRMED))}
    people, organisations = {p for p, _ in confirmed}, {o for _, o in confirmed}
    assert sum(1 for r in replications if not r.is_cancelled and r.answer is not Agreement.DECLINED
               and r.city.official_contact_id in people and r.startup_id in organisations) >= 3

    consortia = list(db.session.scalars(select(Consortium)))
    assert {c.purpose for c in consortia} == set(ConsortiumPurpose)
    assert all(3 <= len(c.cities) <= 5 and c.lead_city in c.cities for c in consortia)

    contact = db.session.scalar(select(Person).where(Person.email == CONTACT_EMAIL))
    assert db.session.scalar(select(func.count()).select_from(NetworkCity).where(
        NetworkCity.staff_contact_id == contact.id)) == 1
    login(client, contact)
    assert demo_summit.network_contact == CONTACT_EMAIL and "replications" in demo_summit.network


def test_a_reload_makes_the_same_network_and_leaves_the_others_rows(db, demo_summit):
    upcoming, previous = _editions(db, demo_summit)
    before = describe_network()
    other = NetworkCity(organisation=Organisation(name="Ville de Montreuil-Bellay", kind=OrganisationKind.COLLECTIVITE,
                                                  population=4_000))
    other.memberships.append(Membership(year=2026, status=MembershipStatus.MEMBER))
    own = Project(city=other, title_fr="Mobilité douce au bord du Thouet", status=ProjectStatus.PILOT,
                  visibility=Visibility.PUBLIC)
    db.session.add_all([other, own])
    db.session.flush()
    search.reindex([own])
    db.session.commit()
    organiser_id = db.session.scalar(select(Person.id).where(Person.email == demo_summit.organiser_email))

    after = load_network(2018, upcoming=upcoming, previous=previous, organiser_id=organiser_id)
    assert after == before
    assert db.session.get(Project, own.id).city_id == other.id
    assert own.id in _search(db, "mobilite thouet")
    assert db.session.scalar(select(func.count()).select_from(NetworkCity)) == before.cities + 1


def test_the_contacts_city_shows_its_own_projects_one_replicated_elsewhere(db, client, demo_summit):
    """The city whose contact logs in (Nevers) is the demo's shop window: its page lists projects of its own, one
    with its report, and one of them was replicated and deployed in another city."""
    contact = db.session.scalar(select(Person).where(Person.email == CONTACT_EMAIL))
    city = db.session.scalar(select(NetworkCity).where(NetworkCity.staff_contact_id == contact.id))
    projects = list(db.session.scalars(select(Project).where(Project.city_id == city.id)))
    assert len(projects) >= SHOWCASE_PROJECTS
    assert any(p.documents for p in projects)
    assert any(r.stage is ReplicationStage.DEPLOYED for r in db.session.scalars(
        select(Replication).where(Replication.project_id.in_([p.id for p in projects]))))
    public = [p for p in projects if p.visibility is Visibility.PUBLIC]
    page = client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    assert public and all(f'href="/network/projects/{p.id}"' in page for p in public)


def test_no_demo_project_ends_before_it_starts(db, demo_summit):
    assert not [p.id for p in db.session.scalars(select(Project).where(Project.ended_on.is_not(None)))
                if p.started_on is None or p.ended_on < p.started_on]


def test_no_replication_step_is_after_the_demos_last_day(db, demo_summit):
    late = [(r.id, s.kind, s.at) for r in db.session.scalars(select(Replication)) for s in r.steps
            if s.at > LAST or s.at < r.project.published_at]
    assert not late
