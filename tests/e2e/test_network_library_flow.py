"""The network's library in a browser: a member city's staff contact publishes a project with a startup, the
startup's founder agrees on her startup's page, an anonymous visitor searching `mobilite` finds "Mobilité ..."
and opens it with the startup shown; a draft is not found anonymously. axe checks every page."""
from playwright.sync_api import Browser, expect

from app.extensions import db
from app.network.library import search
from app.network.members.standing import current_year
from app.network.models import (Membership, MembershipStatus, NetworkCity, NetworkTheme, Project, ProjectStatus,
                                Visibility)
from app.people.models import Organisation, OrganisationKind
from tests.e2e.test_outcomes_flow import log_in


def test_a_project_published_with_a_startup_is_found_by_an_anonymous_visitor(
        browser: Browser, live_server, make_person, shoot):
    mobility = NetworkTheme(code="mobilite", name_fr="Mobilité", name_en="Mobility")
    staff = make_person("agent@nevers.fr", first_name="Inès", last_name="Moreau")
    city = NetworkCity(organisation=Organisation(name="Ville de Nevers", kind=OrganisationKind.COLLECTIVITE,
                                                 population=33_000), staff_contact=staff, themes=[mobility])
    city.memberships.append(Membership(year=current_year(), status=MembershipStatus.MEMBER))
    db.session.add(city)
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    db.session.add(startup)
    db.session.commit()
    founder = make_person("fondatrice@capteurs.fr", organisation_id=startup.id)
    draft = Project(city=city, title_fr="Mobilité brouillon secret", status=ProjectStatus.IDEA,
                    visibility=Visibility.DRAFT)
    db.session.add(draft)
    db.session.flush()
    search.reindex([draft])
    db.session.commit()

    # The staff contact publishes the project, then names the startup.
    page = log_in(browser, live_server, staff.email)
    page.goto(f"{live_server}/network/projects/new")
    page.locator("#title_fr").fill("Mobilité douce en centre-ville")
    page.locator("#title_en").fill("Soft mobility downtown")
    page.locator("#summary_fr").fill("Des vélos et des navettes pour le centre historique.")
    page.locator("input[name=theme_ids]").first.check()
    page.locator("#status").select_option("pilot")
    page.locator("input[name=visibility][value=public]").check()
    page.get_by_test_id("project-form").locator("button[type=submit]").click()
    page.locator("#partner-name").fill("Capteurs du Morvan")
    page.locator("#partner-role").fill("Les capteurs de fréquentation")
    page.locator("#partners button[type=submit]").last.click()
    expect(page.get_by_test_id("edit-partners")).to_contain_text("Capteurs du Morvan")
    shoot(page, "network-library-edit")
    page.context.close()

    # The startup's founder agrees to be shown.
    page = log_in(browser, live_server, founder.email)
    page.goto(f"{live_server}/network/startup/")
    expect(page.get_by_test_id("startup-projects")).to_contain_text("Mobilité douce en centre-ville")
    page.locator("button[name=answer][value=agreed]").click()
    expect(page.get_by_test_id("startup-projects")).to_contain_text("Vous avez accepté")
    shoot(page, "network-library-startup")
    page.context.close()

    # An anonymous visitor searches without accents, finds it and opens it; the draft stays hidden.
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server}/network/projects/")
    page.locator("#q").fill("mobilite")
    page.get_by_role("button", name="Rechercher").click()
    results = page.get_by_test_id("results")
    expect(results).to_contain_text("Mobilité douce en centre-ville")
    expect(results).not_to_contain_text("brouillon")
    shoot(page, "network-library-search")
    results.get_by_role("link", name="Mobilité douce en centre-ville").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobilité douce en centre-ville")
    expect(page.get_by_test_id("partners")).to_contain_text("Capteurs du Morvan")
    shoot(page, "network-library-project")
    page.goto(f"{live_server}/network/projects/?q=secret")
    expect(page.get_by_test_id("no-results")).to_be_visible()
    page.context.close()
