"""Issue 28's replication path: a member city's official asks to replicate another city's project; the project's
city accepts and each sees the other's contact; the asking city records an exchange; at the next edition the
organiser sees the startup suggested as the official's wish and confirms it. Rows made here; axe on every page."""
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.demonstrator.wishes.models import Wish, WishKind
from app.events.models import CategoryCode
from app.extensions import db
from app.network.replication.models import DigestOptOut
from app.network.replication.digest import unsubscribe_token
from app.people.models import Organisation, OrganisationKind
from app.registrations.services import approve
from tests.e2e.test_outcomes_flow import log_in
from tests.network.replication_world import plain_city, plain_project


def test_a_replication_asked_accepted_followed_and_suggested_to_the_summit(
        browser: Browser, live_server, event, make_person, make_registration, make_organiser, shoot):
    asker = make_person("alice@nevers.fr", first_name="Alice", last_name="Martin", phone="03 86 00 00 01")
    answerer = make_person("claire@epinal.fr", first_name="Claire", last_name="Petit", phone="03 29 00 00 02")
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    db.session.add(startup)
    db.session.commit()
    nevers = plain_city("Ville de Nevers", asker)
    epinal = plain_city("Ville d'Épinal", answerer)
    project = plain_project(epinal, "Stationnement intelligent", partners=[startup],
                            summary_fr="Des capteurs sur 400 places.")
    official = make_registration(event, CategoryCode.ELU, first_name="Denis", last_name="Thuriot")
    stand = make_registration(event, CategoryCode.STARTUP)
    official.organisation_id, stand.organisation_id = nevers.organisation_id, startup.id
    db.session.commit()
    approve(event, [official.id, stand.id], actor_id=None)
    db.session.commit()
    organiser = make_organiser(event)

    # Nevers' official asks.
    page = log_in(browser, live_server, asker.email)
    page.goto(f"{live_server}/network/projects/{project.id}/replicate")
    page.get_by_label("Message à la ville du projet").fill("Nous aimerions équiper le centre-ville.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_test_id("state")).to_have_text("En attente de réponse")
    expect(page.get_by_test_id("no-contacts")).to_be_visible()
    replication_url = page.url

    # Épinal's official finds it in her inbox and accepts; she sees Nevers' contact.
    other = log_in(browser, live_server, answerer.email)
    other.goto(f"{live_server}/network/replications/")
    other.get_by_test_id("to-answer").get_by_role("link", name="Stationnement intelligent").click()
    other.get_by_role("button", name="Accepter la demande").click()
    expect(other.get_by_test_id("state")).to_have_text("En contact")
    expect(other.get_by_test_id("contacts")).to_contain_text("alice@nevers.fr")
    expect(other.get_by_test_id("contacts")).to_contain_text("03 86 00 00 01")
    other.context.close()

    # Nevers sees Épinal's contact, and records an exchange.
    page.goto(replication_url)
    expect(page.get_by_test_id("contacts")).to_contain_text("claire@epinal.fr")
    page.get_by_label("Étape atteinte").select_option(label="Échange ou visite")
    page.get_by_label("Note").fill("Visite du parking de la gare le 12 janvier")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    expect(page.get_by_test_id("state")).to_have_text("Échange ou visite")
    expect(page.get_by_test_id("timeline")).to_contain_text("Visite du parking de la gare le 12 janvier")
    shoot(page, "network-replication-page")
    page.context.close()

    # The edition's organiser sees the startup suggested as the official's wish, and confirms it.
    desk = log_in(browser, live_server, organiser.email)
    desk.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/wishes")
    suggestions = desk.get_by_test_id("wish-suggestions")
    expect(suggestions).to_contain_text("Denis Thuriot")
    expect(suggestions).to_contain_text("Ville de Nevers a demandé à reproduire le projet « Stationnement intelligent »")
    shoot(desk, "network-suggested-wishes")
    suggestions.get_by_role("button", name="Confirmer le souhait").click()
    expect(desk.get_by_test_id("wish-suggestions")).to_have_count(0)
    desk.context.close()
    db.session.expire_all()
    wish = db.session.scalar(select(Wish))
    assert (wish.from_registration_id, wish.to_registration_id, wish.kind) == (official.id, stand.id, WishKind.WANT)


def test_a_consortium_created_joined_and_the_digest_unsubscribed(browser: Browser, live_server, make_person):
    lead = make_person("claire@epinal.fr", first_name="Claire", last_name="Petit")
    joiner = make_person("alice@nevers.fr", first_name="Alice", last_name="Martin")
    startup = Organisation(name="Capteurs du Morvan", kind=OrganisationKind.STARTUP)
    db.session.add(startup)
    db.session.commit()
    plain_city("Ville d'Épinal", lead)
    plain_city("Ville de Nevers", joiner)

    page = log_in(browser, live_server, lead.email)
    page.goto(f"{live_server}/network/consortia")
    page.get_by_role("link", name="Créer un groupement").click()
    page.get_by_label("Titre").fill("Achat groupé de capteurs")
    page.get_by_label("Achat groupé").check()
    page.get_by_label("Startup", exact=True).select_option(label="Capteurs du Morvan")
    page.get_by_role("button", name="Créer le groupement").click()
    expect(page.get_by_test_id("status")).to_have_text("En constitution")
    page.get_by_label("Statut", exact=True).select_option(label="Actif")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_test_id("status")).to_have_text("Actif")
    page.context.close()

    other = log_in(browser, live_server, joiner.email)
    other.goto(f"{live_server}/network/consortia")
    other.get_by_role("link", name="Achat groupé de capteurs").click()
    other.get_by_role("button", name="Rejoindre au nom de Ville de Nevers").click()
    expect(other.get_by_test_id("cities")).to_contain_text("Ville de Nevers")
    other.goto(f"{live_server}/network/replications/")
    expect(other.get_by_test_id("inbox-empty")).to_be_visible()
    other.context.close()

    # The digest's link, opened without logging in.
    link = unsubscribe_token(joiner)
    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{live_server}/network/digest/unsubscribe/{link}")
    visitor.get_by_role("button", name="Me désabonner").click()
    expect(visitor.get_by_test_id("unsubscribed")).to_contain_text("alice@nevers.fr")
    visitor.context.close()
    assert db.session.get(DigestOptOut, joiner.id) is not None
