"""'Mes données' and the organiser's page: export once, links that expire, erasure after confirmation, refusals."""
import io
import zipfile
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.people.models import Person
from app.privacy.subject.models import DataExport
from tests.conftest import TEST_PASSWORD, login


def log_in(client, registration) -> None:
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    login(client, registration.person)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("privacy.%"))
                                   .order_by(AuditEntry.id)))


def test_she_downloads_her_export_once_from_her_page_and_from_the_mail(app, client, event, make_registration):
    registration = make_registration(event, CategoryCode.ELU, email="maire@nevers.example")
    log_in(client, registration)
    page = client.get("/me/data").get_data(as_text=True)
    assert "Mes données" in page and "Ce que l'effacement va faire" in page
    assert client.submit("/me/data/export").status_code == 302
    export = db.session.scalar(select(DataExport))
    page = client.get("/me/data").get_data(as_text=True)
    assert f"/me/data/exports/{export.id}/download" in page
    response = client.get(f"/me/data/exports/{export.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert "maire@nevers.example" in archive.read("data/person.json").decode()
    again = client.get(f"/me/data/exports/{export.id}/download")
    assert again.status_code == 410 and "déjà été téléchargé" in again.get_data(as_text=True)
    # The mail carries the same once-only link: already used.
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "privacy_export"))
    assert mail.recipient == "maire@nevers.example"
    link = mail.body.split("/data/exports/")[1].split()[0]
    assert app.test_client().get(f"/data/exports/{link}").status_code == 410
    assert app.test_client().get("/data/exports/x_not-a-token").status_code == 404
    assert actions() == ["privacy.export.request", "privacy.export.download"]


def test_the_mailed_link_works_without_login_and_expires(app, client, event, make_registration):
    registration = make_registration(event, email="b@example.org")
    log_in(client, registration)
    client.submit("/me/data/export")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "privacy_export"))
    path = "/data/exports/" + mail.body.split("/data/exports/")[1].split()[0]
    export = db.session.scalar(select(DataExport))
    export.expires_at -= timedelta(days=8)
    db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410 and "expiré" in response.get_data(as_text=True)
    export.expires_at += timedelta(days=8)
    db.session.commit()
    assert app.test_client().get(path).status_code == 200


def test_her_erasure_needs_the_word_then_closes_her_account(app, client, event, make_registration):
    registration = make_registration(event, email="c@example.org")
    person_id = registration.person_id
    log_in(client, registration)
    refused = client.submit("/me/data/erase", {"confirm": "oui"})
    assert refused.status_code == 422 and "EFFACER" in refused.get_data(as_text=True)
    assert db.session.get(Person, person_id).email == "c@example.org"
    response = client.submit("/me/data/erase", {"confirm": " effacer "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/data/erased")
    assert client.get("/me/data").status_code == 302  # logged out
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert not person.is_enabled and person.email.endswith("@erased.invalid")
    assert app.test_client().submit("/login", {"email": "c@example.org", "password": "correct horse battery"}) \
        .status_code != 302
    assert actions() == ["privacy.erase"]


def test_the_only_organiser_of_a_coming_edition_is_refused(app, client, event, make_organiser):
    organiser = make_organiser(event)
    login(client, organiser)
    response = client.submit("/me/data/erase", {"confirm": "EFFACER"})
    assert response.status_code == 409 and "seule organisatrice" in response.get_data(as_text=True)
    assert db.session.get(Person, organiser.id).is_enabled and actions() == []


def test_an_organiser_previews_exports_and_erases(app, client, event, make_organiser, make_registration):
    organiser = make_organiser(event)
    registration = make_registration(event, CategoryCode.ELU, email="d@example.org")
    login(client, organiser)
    url = f"/manage/e/{event.slug}/registrations/{registration.id}/data"
    page = client.get(url).get_data(as_text=True)
    assert "Inscriptions anonymisées" in page and "Effacer cette personne" in page
    response = client.submit(url + "/export")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    export = db.session.scalar(select(DataExport))
    assert client.get(f"/manage/e/{event.slug}/data/exports/{export.id}").status_code == 200
    assert client.get(f"/manage/e/{event.slug}/data/exports/{export.id}").status_code == 410
    assert client.submit(url + "/erase", {"confirm": ""}).status_code == 422
    response = client.submit(url + "/erase", {"confirm": "EFFACER"})
    assert response.status_code == 302
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert row.actor_id == organiser.id and row.event_id == event.id and "d@example.org" not in str(row.details)


def test_an_organiser_cannot_erase_someone_of_an_edition_she_does_not_organise(app, client, event, make_event,
                                                                             make_organiser, make_registration):
    other = make_event(slug="autre", name="Autre")
    organiser = make_organiser(event)
    registration = make_registration(event, email="e@example.org")
    make_registration(other, email="e@example.org")
    login(client, organiser)
    response = client.submit(f"/manage/e/{event.slug}/registrations/{registration.id}/data/erase",
                             {"confirm": "EFFACER"})
    assert response.status_code == 403
    assert db.session.get(Person, registration.person_id).email == "e@example.org"
    grant_role(organiser, other.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    assert client.submit(f"/manage/e/{event.slug}/registrations/{registration.id}/data/erase",
                         {"confirm": "EFFACER"}).status_code == 302
