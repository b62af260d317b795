"""Issue 28's own story, through the pages only: Saint-Brieuc's staff contact publishes "Mobilité douce ..." with
the startup Roues Libres, whose founder agrees; Nevers' official finds it searching `mobilite` and asks to
replicate it; Saint-Brieuc accepts from its inbox and each side then sees the other's e-mail (the startup answers
from its own page); the organiser of the upcoming edition sees the official's wish for the startup's stand
suggested and confirms it; the contact of Vierzon, whose membership lapsed, can neither edit its page nor publish;
an anonymous visitor finds the public project only. The starting rows are written here; axe checks every page."""
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.demonstrator.wishes.models import Wish
from app.events.models import CategoryCode
from app.extensions import db
from app.network.library import search
from app.network.members.standing import current_year
from app.network.models import (Membership, MembershipStatus, NetworkCity, NetworkTheme, Project, ProjectStatus,
                                Visibility)
from app.people.models import Organisation, OrganisationKind
from app.registrations.services import approve
from tests.e2e.conftest import ARTIFACTS, save_screenshot
from tests.e2e.test_outcomes_flow import log_in



def member_city(name: str, status: MembershipStatus, *, official=None, staff=None, themes=()) -> NetworkCity:
    city = NetworkCity(organisation=Organisation(name=name, kind=OrganisationKind.COLLECTIVITE, country="FR",
                                                 population=45_000),
                       official_contact=official, staff_contact=staff, themes=list(themes))
    city.memberships.append(Membership(year=current_year(), status=status))
    db.session.add(city)
    return city


def hidden_project(city: NetworkCity, title: str, visibility: Visibility) -> Project:
    project = Project(city=city, title_fr=title, summary_fr="Mobilité partagée", status=ProjectStatus.IDEA,
                      visibility=visibility)
    db.session.add(project)
    return project


def shoot(page, name: str) -> None:
    save_screenshot(page, ARTIFACTS / f"netflow-{name}.png")


def test_a_project_published_found_replicated_and_suggested_at_the_next_summit(
        browser: Browser, live_server, event, make_person, make_registration, make_organiser):
    mobility = NetworkTheme(code="mobilite", name_fr="Mobilité", name_en="Mobility")
    staff = make_person("ines.moreau@saint-brieuc.fr", first_name="Inès", last_name="Moreau")
    mayor = make_person("maire@saint-brieuc.fr", first_name="Hervé", last_name="Guihard")
    official = make_person("denis.thuriot@nevers.fr", first_name="Denis", last_name="Thuriot")
    clerk = make_person("accueil@nevers.fr", first_name="Marc", last_name="Lenoir")
    former = make_person("helene@vierzon.fr", first_name="Hélène", last_name="Roux")
    startup = Organisation(name="Roues Libres", kind=OrganisationKind.STARTUP)
    db.session.add(startup)
    db.session.commit()
    founder = make_person("sam@roues-libres.fr", first_name="Sam", last_name="Leroy", organisation_id=startup.id)
    saint_brieuc = member_city("Ville de Saint-Brieuc", MembershipStatus.MEMBER, official=mayor, staff=staff,
                               themes=[mobility])
    nevers = member_city("Ville de Nevers", MembershipStatus.MEMBER, official=official, staff=clerk)
    vierzon = member_city("Ville de Vierzon", MembershipStatus.LAPSED, official=former)
    hidden = [hidden_project(saint_brieuc, "Mobilité entre membres", Visibility.MEMBERS),
              hidden_project(saint_brieuc, "Mobilité brouillon secret", Visibility.DRAFT)]
    db.session.flush()
    search.reindex(hidden)
    db.session.commit()
    # The upcoming edition: Nevers' official is registered as an elected official, Roues Libres has its stand.
    elected = make_registration(event, CategoryCode.ELU, email=official.email, first_name="Denis",
                                last_name="Thuriot")
    stand = make_registration(event, CategoryCode.STARTUP, email=founder.email, first_name="Sam",
                              last_name="Leroy", organisation_name="Roues Libres")
    elected.organisation_id, stand.organisation_id = nevers.organisation_id, startup.id
    db.session.commit()
    approve(event, [elected.id, stand.id], actor_id=None)
    db.session.commit()
    organiser = make_organiser(event, "organisation@sommet.example")

    # 1. Saint-Brieuc's staff contact publishes the project, public, and names the startup.
    page = log_in(browser, live_server, staff.email)
    page.goto(f"{live_server}/network/projects/")
    page.get_by_role("link", name="Publier un projet").click()
    page.locator("#title_fr").fill("Mobilité douce en centre-ville")
    page.locator("#title_en").fill("Soft mobility downtown")
    page.locator("#summary_fr").fill("Des vélos en libre-service et des navettes pour le centre historique.")
    page.get_by_label("Mobilité").check()
    page.locator("#status").select_option("pilot")
    page.locator("input[name=visibility][value=public]").check()
    page.get_by_test_id("project-form").locator("button[type=submit]").click()
    page.locator("#partner-name").fill("Roues Libres")
    page.locator("#partner-role").fill("Les vélos et leur application")
    page.locator("#partners button[type=submit]").last.click()
    expect(page.get_by_test_id("edit-partners")).to_contain_text("Roues Libres")
    shoot(page, "publish")
    page.context.close()

    # The startup's founder finds the request from the network's menu and agrees to be shown.
    page = log_in(browser, live_server, founder.email)
    page.goto(f"{live_server}/network/")
    page.get_by_role("navigation", name="Réseau").get_by_role("link", name="Ma startup").click()
    expect(page.get_by_test_id("startup-projects").get_by_role("link", name="Mobilité douce en centre-ville")
           ).to_be_visible()  # she may read it before agreeing
    page.locator("button[name=answer][value=agreed]").click()
    expect(page.get_by_test_id("startup-projects")).to_contain_text("Vous avez accepté")
    shoot(page, "startup")
    page.context.close()

    # 2. Nevers' official searches without the accent, finds the project and asks to replicate it.
    asker = log_in(browser, live_server, official.email)
    asker.goto(f"{live_server}/network/projects/")
    asker.locator("#q").fill("mobilite")
    asker.get_by_role("button", name="Rechercher").click()
    results = asker.get_by_test_id("results")
    expect(results).to_contain_text("Mobilité entre membres")  # a member city's contact sees members' projects
    expect(results).not_to_contain_text("brouillon")
    shoot(asker, "search-member")
    results.get_by_role("link", name="Mobilité douce en centre-ville").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Mobilité douce en centre-ville")
    expect(asker.get_by_test_id("partners")).to_contain_text("Roues Libres")
    shoot(asker, "project")
    asker.get_by_test_id("ask-to-replicate").click()
    asker.get_by_label("Message à la ville du projet").fill("Nous voudrions des vélos partagés en centre-ville.")
    asker.get_by_role("button", name="Envoyer la demande").click()
    expect(asker.get_by_test_id("state")).to_have_text("En attente de réponse")
    expect(asker.get_by_test_id("no-contacts")).to_be_visible()
    expect(asker.locator("main")).not_to_contain_text(staff.email)
    replication_url = asker.url

    # 3. Saint-Brieuc's contact answers from her inbox; before she accepts, neither address is shown.
    answerer = log_in(browser, live_server, staff.email)
    answerer.goto(f"{live_server}/network/")
    answerer.get_by_role("navigation", name="Réseau").get_by_role("link", name="Réplications").click()
    answerer.get_by_test_id("to-answer").get_by_role("link", name="Mobilité douce en centre-ville").click()
    expect(answerer.get_by_test_id("no-contacts")).to_be_visible()
    expect(answerer.locator("main")).not_to_contain_text(official.email)
    answerer.get_by_role("button", name="Accepter la demande").click()
    expect(answerer.get_by_test_id("state")).to_have_text("En contact")
    expect(answerer.get_by_test_id("contacts")).to_contain_text(official.email)
    shoot(answerer, "replication")
    answerer.context.close()
    asker.goto(replication_url)
    expect(asker.get_by_test_id("contacts")).to_contain_text(staff.email)
    asker.context.close()

    # The startup is asked too: its founder finds the request on her startup's page and accepts.
    page = log_in(browser, live_server, founder.email)
    page.goto(f"{live_server}/network/startup/")
    expect(page.get_by_test_id("startup-to-answer")).to_have_text("en attente de votre réponse")
    shoot(page, "startup-demand")
    page.get_by_test_id("startup-replications").get_by_role("link", name="Mobilité douce en centre-ville").click()
    page.get_by_role("button", name="Accepter pour la startup").click()
    expect(page.get_by_test_id("contacts")).to_contain_text(official.email)
    page.context.close()

    # 4. The organiser of the upcoming edition sees the suggested wish and confirms it.
    desk = log_in(browser, live_server, organiser.email)
    desk.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/wishes")
    suggestions = desk.get_by_test_id("wish-suggestions")
    expect(suggestions).to_contain_text("Denis Thuriot")
    expect(suggestions).to_contain_text(
        "Ville de Nevers a demandé à reproduire le projet « Mobilité douce en centre-ville »")
    shoot(desk, "wishes")
    suggestions.get_by_role("button", name="Confirmer le souhait").click()
    expect(desk.get_by_test_id("wish-suggestions")).to_have_count(0)
    desk.context.close()
    db.session.expire_all()
    wish = db.session.scalar(select(Wish))
    assert (wish.from_registration_id, wish.to_registration_id) == (elected.id, stand.id)

    # 5. Vierzon lapsed: its contact can no longer edit its page nor publish, and is told why.
    refused = log_in(browser, live_server, former.email)
    response = refused.goto(f"{live_server}/network/cities/{vierzon.id}/edit")
    assert response.status == 403
    expect(refused.get_by_text("l’adhésion de votre ville n’est plus à jour")).to_be_visible()
    response = refused.goto(f"{live_server}/network/projects/new")
    assert response.status == 403
    expect(refused.get_by_text("seules les villes membres publient des projets")).to_be_visible()
    shoot(refused, "lapsed")
    refused.goto(f"{live_server}/network/projects/")
    expect(refused.get_by_role("link", name="Publier un projet")).to_have_count(0)
    refused.context.close()

    # 6. An anonymous visitor finds the public project only.
    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{live_server}/network/projects/?q=mobilite")
    results = visitor.get_by_test_id("results")
    expect(results).to_contain_text("Mobilité douce en centre-ville")
    expect(results).not_to_contain_text("Mobilité entre membres")
    expect(results).not_to_contain_text("brouillon")
    shoot(visitor, "search-anonymous")
    results.get_by_role("link", name="Mobilité douce en centre-ville").click()
    expect(visitor.get_by_test_id("partners")).to_contain_text("Roues Libres")
    expect(visitor.locator("main")).not_to_contain_text(staff.email)  # contacts are for member cities
    for project in hidden:
        assert visitor.goto(f"{live_server}/network/projects/{project.id}").status == 404
    visitor.context.close()
