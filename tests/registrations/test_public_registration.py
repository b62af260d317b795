"""The public registration page: category first, rules per category, nothing stored on error."""
from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.forged_host import forged_submit, links_in


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def elu_form(event, **overrides):
    data = {"first_name": "Marie", "last_name": "Lefèvre-Hautecœur", "email": "marie.lefevre@nevers.fr",
            "country": "FR", "mandate": "maire_adjoint", "territory": "Nevers", "days": [event.starts_on.isoformat()],
            "themes": ["mobilite", "energie"]}
    data.update(overrides)
    return data


def test_category_is_chosen_first(client, event):
    html = client.get(f"/e/{event.slug}/register").get_data(as_text=True)
    for code in CategoryCode:
        assert f"/e/{event.slug}/register/{code.value}" in html


def test_elected_official_registers_and_waits_for_approval(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", elu_form(event))
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.PENDING
    assert registration.mandate.value == "maire_adjoint" and registration.territory == "Nevers"
    assert [t.code for t in registration.themes] == ["mobilite", "energie"]
    assert registration.person.last_name == "Lefèvre-Hautecœur"
    assert registration.organisation.name == "Nevers"
    assert not registration.consent_directory and not registration.consent_share_contact
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "marie.lefevre@nevers.fr" in done
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "marie.lefevre@nevers.fr"


def test_visitor_is_confirmed_at_once_with_an_email(client, event):
    response = client.submit(f"/e/{event.slug}/register/visiteur", {
        "first_name": "Jean", "last_name": "Tremblay", "email": "jean@example.ca", "country": "CA",
        "days": [d.isoformat() for d in event.days], "consent_directory": "y"})
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.consent_directory and not registration.consent_share_contact
    assert len(registration.days) == 3
    assert db.session.scalar(select(OutboxMessage.kind)) == "registration_confirmed"


def test_elected_official_needs_a_mandate_and_territory(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", elu_form(event, mandate="", territory=""))
    assert response.status_code == 422
    assert count(Registration) == 0 and count(Person) == 0


def test_malformed_email_is_refused_naming_the_field(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", elu_form(event, email="marie@"), headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-err"' in html
    assert count(Registration) == 0


def test_duplicate_registration_is_refused(client, event):
    assert client.submit(f"/e/{event.slug}/register/elu", elu_form(event)).status_code == 302
    response = client.submit(f"/e/{event.slug}/register/visiteur", {
        "first_name": "Marie", "last_name": "Lefèvre", "email": "Marie.Lefevre@Nevers.fr", "days": [event.starts_on.isoformat()]},
        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)
    assert count(Registration) == 1


def test_a_day_outside_the_edition_is_refused(client, event):
    response = client.submit(f"/e/{event.slug}/register/elu", elu_form(event, days=["2027-06-09"]))
    assert response.status_code == 422
    assert count(Registration) == 0


def test_unknown_category_is_a_404(client, event):
    assert client.get(f"/e/{event.slug}/register/astronaute").status_code == 404
    assert client.submit(f"/e/{event.slug}/register/astronaute", {"email": "a@b.org"}).status_code == 404


def test_closed_edition_or_category_refuses_registrations(client, make_event, db):
    from app.events.models import EventStatus
    event = make_event(status=EventStatus.CLOSED)
    assert client.get(f"/e/{event.slug}/register").status_code == 403
    event.status = EventStatus.OPEN
    event.category("presse").is_open = False
    db.session.commit()
    response = client.submit(f"/e/{event.slug}/register/presse", {"first_name": "A", "last_name": "B",
                                                                  "email": "a@b.org", "organisation": "Le Journal du Centre",
                                                                  "days": [event.starts_on.isoformat()]})
    assert response.status_code == 403
    assert count(Registration) == 0


def test_capped_category_sends_the_overflow_to_the_waiting_list(client, event, db):
    event.category("visiteur").capacity = 1
    db.session.commit()
    for n in range(2):
        client.submit(f"/e/{event.slug}/register/visiteur", {"first_name": "A", "last_name": f"B{n}",
                                                             "email": f"v{n}@example.org", "days": [event.starts_on.isoformat()]})
    statuses = db.session.scalars(select(Registration.status).order_by(Registration.id)).all()
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_startup_registers_with_its_team(client, event):
    response = client.submit(f"/e/{event.slug}/register/startup", {
        "first_name": "Inès", "last_name": "Benali", "email": "ines@parkizi.fr", "organisation": "Parkizi",
        "pitch": "Capteurs de stationnement pour cœurs de ville.", "themes": ["coeurs-de-ville", "mobilite"],
        "days": [d.isoformat() for d in event.days],
        "team-0-first_name": "Hugo", "team-0-last_name": "Roy", "team-0-email": "hugo@parkizi.fr"})
    assert response.status_code == 302, response.get_data(as_text=True)
    registrations = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [r.person.email for r in registrations] == ["ines@parkizi.fr", "hugo@parkizi.fr"]
    assert registrations[1].team_lead_id == registrations[0].id
    assert registrations[0].organisation.pitch.startswith("Capteurs")
    assert all(r.organisation.name == "Parkizi" for r in registrations)


def test_a_team_member_named_without_an_email_is_refused_not_dropped(client, event):
    response = client.submit(f"/e/{event.slug}/register/startup", {
        "first_name": "Inès", "last_name": "Benali", "email": "ines@parkizi.fr", "organisation": "Parkizi",
        "pitch": "Capteurs de stationnement.", "days": [event.starts_on.isoformat()],
        "team-0-first_name": "Hugo", "team-0-last_name": "Roy", "team-0-email": ""})
    assert response.status_code == 422
    assert "Indiquez l&#39;e-mail de ce membre de l&#39;équipe." in response.get_data(as_text=True)
    assert count(Registration) == 0


def test_startup_without_a_pitch_is_refused(client, event):
    response = client.submit(f"/e/{event.slug}/register/startup", {
        "first_name": "Inès", "last_name": "Benali", "email": "ines@parkizi.fr", "organisation": "Parkizi",
        "days": [event.starts_on.isoformat()]})
    assert response.status_code == 422
    assert count(Registration) == 0


def test_attendee_withdraws_a_consent(client, make_registration, event, db):
    from app.auth.services import set_password
    registration = make_registration(event, consent_share_contact=True, consent_directory=True)
    set_password(registration.person, "attendee-password")
    db.session.commit()
    client.submit("/login", {"email": registration.person.email, "password": "attendee-password"})
    response = client.submit(f"/me/registrations/{registration.id}/consents",
                             {f"r{registration.id}-consent_directory": "y"})
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.consent_directory and not registration.consent_share_contact


def test_attendee_cannot_touch_someone_elses_registration(client, make_registration, make_person, event):
    other = make_registration(event)
    me = make_person()
    client.submit("/login", {"email": me.email, "password": "correct horse battery"})
    assert client.submit(f"/me/registrations/{other.id}/cancel").status_code == 404
    assert client.submit(f"/me/registrations/{other.id}/consents", {}).status_code == 404


def test_confirmation_mail_links_to_the_public_address_whatever_the_host(app, client, event):
    response = forged_submit(client, f"/e/{event.slug}/register/visiteur", {
        "first_name": "Jean", "last_name": "Tremblay", "email": "jean@example.ca", "country": "CA",
        "days": [event.starts_on.isoformat()]})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage))
    assert links_in(mail.body) == [f"{app.config['PUBLIC_URL']}/password/forgot"]


def test_the_page_title_contracts_a_and_le(client, event):
    """"S'inscrire à Sommet…" reads "S'inscrire au Sommet…" (the test edition is "Sommet des villes moyennes 2027")."""
    for url in (f"/e/{event.slug}/register", f"/e/{event.slug}/register/visiteur"):
        assert "S'inscrire au Sommet des villes moyennes 2027" in client.get(url).get_data(as_text=True)
    english = client.get(f"/e/{event.slug}/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Register for Sommet des villes moyennes 2027" in english


def test_a_full_category_says_so_and_where_a_registration_goes(client, event, db):
    event.category("visiteur").capacity = 1
    db.session.commit()
    choose = client.get(f"/e/{event.slug}/register").get_data(as_text=True)
    assert "Complet" not in choose
    client.submit(f"/e/{event.slug}/register/visiteur", {"first_name": "A", "last_name": "B", "email": "v0@example.org",
                                                         "days": [event.starts_on.isoformat()]})
    choose = client.get(f"/e/{event.slug}/register").get_data(as_text=True)
    assert "Complet : une inscription va sur la liste d'attente" in choose
    form = client.get(f"/e/{event.slug}/register/visiteur").get_data(as_text=True)
    assert "Cette catégorie est complète : ses 1 places sont toutes prises." in form
    assert "S'inscrire sur la liste d'attente" in form
    done = client.submit(f"/e/{event.slug}/register/visiteur", {
        "first_name": "C", "last_name": "D", "email": "v1@example.org", "days": [event.starts_on.isoformat()]},
        follow_redirects=True).get_data(as_text=True)
    assert "liste d'attente" in done


def test_the_mails_contract_too(client, event):
    client.submit(f"/e/{event.slug}/register/elu", elu_form(event))
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.subject == "Nous avons bien reçu votre inscription au Sommet des villes moyennes 2027"
