"""The accessibility statement at /accessibilite and /accessibility, its footer link, and its report form."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from app.accessibility.grid import load
from app.accessibility.models import AccessibilityReport
from app.events.models import EventStatus
from app.mail.models import OutboxMessage


@pytest.fixture
def grid(app):
    return load(app.config["ACCESSIBILITY_GRID"])


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _num_reports(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AccessibilityReport))


def test_the_french_statement_shows_the_rate_and_the_non_conformities_of_the_grid(client, grid):
    response = client.get("/accessibilite")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(response)
    assert '<html lang="fr">' in html
    assert "Déclaration d'accessibilité" in text
    assert "Le site Médiane est partiellement conforme au RGAA 4.1" in text
    rate = f"{grid.rate}".replace(".", ",")
    assert f"{rate} % des critères du RGAA 4.1 sont respectés" in text
    assert f"{grid.num_conforming} critères respectés sur {grid.num_applicable} critères applicables" in text
    listed = re.findall(r"Critère (\d+\.\d+) ·", text)
    assert listed == [c.number for c in grid.not_conforming] and listed
    for criterion in grid.not_conforming:
        assert criterion.title_fr in text
    assert "Dérogations pour charge disproportionnée" in text and "Contenus non soumis" in text
    assert "Cette déclaration a été établie le 7 décembre 2026" in text
    assert "axe-core 4.14" in text and "1440 pixels" in text and "390 pixels" in text
    assert "Voies de recours" in text and "Libre réponse 71120" in text and "75342 Paris CEDEX 07" in text
    assert "https://formulaire.defenseurdesdroits.fr/" in html


def test_the_english_statement_has_the_same_figures_in_english(client, grid):
    response = client.get("/accessibility")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(response)
    assert '<html lang="en">' in html
    assert "The Médiane website is partially compliant with RGAA 4.1" in text
    assert f"{grid.rate} % of the RGAA 4.1 criteria are met" in text
    assert re.findall(r"Criterion (\d+\.\d+) ·", text) == [c.number for c in grid.not_conforming]
    for criterion in grid.not_conforming:
        assert criterion.title_en in text and criterion.note_en.split("`")[0] in text
    assert "This statement was drawn up on 7 December 2026" in text
    assert "Libre réponse 71120" in text


def test_every_page_links_the_statement_in_its_language_with_the_conformity_level(client, event):
    text = client.get("/").get_data(as_text=True)
    assert '<a href="/accessibilite" data-testid="accessibility-link">Accessibilité\u00a0: partiellement conforme</a>' in text
    text = client.get(f"/e/{event.slug}/").get_data(as_text=True)
    assert 'href="/accessibilite"' in text
    client.get("/lang/en?next=/")
    text = client.get("/").get_data(as_text=True)
    assert '<a href="/accessibility" data-testid="accessibility-link">Accessibility: partially compliant</a>' in text


def test_the_language_switcher_leads_to_the_statement_in_the_chosen_language(client):
    response = client.get("/lang/en?next=/accessibilite")
    assert response.headers["Location"].endswith("/accessibilite")
    response = client.get("/accessibilite")
    assert response.status_code == 302 and response.headers["Location"].endswith("/accessibility")
    client.get("/lang/fr?next=/accessibility")
    assert client.get("/accessibility").headers["Location"].endswith("/accessibilite")


GOOD = {"name": "Inès Morel", "email": "ines.morel@example.org", "page": "/e/sommet-2027/program",
        "message": "Le filtre Thématique recharge la page quand je descends dans la liste au clavier."}


def test_a_report_is_stored_and_mailed_to_the_organisers_of_the_newest_open_edition(client, db, make_event,
                                                                                      make_organiser):
    older = make_event(slug="sommet-2026", starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 3))
    newest = make_event(slug="sommet-2027")
    make_event(slug="sommet-2028", starts_on=date(2028, 6, 2), ends_on=date(2028, 6, 3), status=EventStatus.DRAFT)
    make_organiser(older, "old@example.org")
    organiser = make_organiser(newest, "orga@example.org")

    response = client.submit("/accessibilite", GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/accessibilite")
    assert "Merci : votre message a été envoyé aux organisateurs" in _text(client.get("/accessibilite"))

    report = db.session.scalars(select(AccessibilityReport)).one()
    assert (report.email, report.name, report.page, report.event_id) == (GOOD["email"], GOOD["name"], GOOD["page"],
                                                                        newest.id)
    assert report.address_hash and "127.0.0.1" not in report.address_hash
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in messages] == [organiser.email]
    mail = messages[0]
    assert mail.event_id == newest.id and mail.kind == "accessibility_report"
    assert mail.subject == "Médiane : un problème d'accessibilité signalé"
    assert GOOD["message"] in mail.body and GOOD["email"] in mail.body and GOOD["page"] in mail.body


def test_a_configured_contact_gets_the_reports(app, client, db, event, make_organiser):
    make_organiser(event, "orga@example.org")
    app.config["ACCESSIBILITY_CONTACT"] = "accessibilite@ville-nevers.example"
    try:
        response = client.submit("/accessibility", {**GOOD, "name": ""})
    finally:
        app.config["ACCESSIBILITY_CONTACT"] = ""
    assert response.status_code == 302 and response.headers["Location"].endswith("/accessibility")
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == ["accessibilite@ville-nevers.example"]
    assert db.session.scalars(select(AccessibilityReport)).one().locale == "en"


@pytest.mark.parametrize("change, message", [
    ({"email": ""}, "Indiquez une adresse e-mail pour que les organisateurs puissent vous répondre."),
    ({"email": "ines.morel"}, "Ce n'est pas une adresse e-mail (nom@exemple.fr)."),
    ({"page": "  "}, "Indiquez la page où se trouve le problème."),
    ({"message": ""}, "Décrivez le problème rencontré."),
    ({"message": "x" * 5001}, "5000 caractères au plus."),
    ({"name": "N" * 121}, "Le champ ne peut pas contenir plus de 120 caractères."),
])
def test_bad_input_gets_a_clear_message_and_nothing_is_stored_or_sent(client, db, event, make_organiser, change,
                                                                        message):
    make_organiser(event)
    response = client.submit("/accessibilite", {**GOOD, **change})
    assert response.status_code == 422
    assert message in _text(response)
    assert _num_reports(db) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_report_without_its_csrf_token_is_refused(client, db, event, make_organiser):
    make_organiser(event)
    response = client.post("/accessibilite", data=GOOD)
    assert response.status_code == 400
    assert _num_reports(db) == 0


def test_reports_are_bounded_per_address(app, client, db, event, make_organiser):
    make_organiser(event)
    limit = app.config["ACCESSIBILITY_REPORTS_PER_ADDRESS_PER_HOUR"]
    for _ in range(limit):
        assert client.submit("/accessibilite", GOOD).status_code == 302
    response = client.submit("/accessibilite", GOOD)
    assert response.status_code == 429
    assert "Trop de signalements ont été envoyés d'ici dans la dernière heure" in _text(response)
    assert _num_reports(db) == limit
    other = client.submit("/accessibilite", GOOD, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 302 and _num_reports(db) == limit + 1
