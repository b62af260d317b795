"""The organiser's import pages: preview stores only the batch, confirm imports all rows once (R6, R9, S8, S10)."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, insert, select

from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role
from app.events.models import Category, Theme
from app.jobs import services as job_services
from app.jobs.models import Job, JobStatus
from app.jobs.services import start_job
from app.mail.models import OutboxMessage
from app.people.models import Organisation, Person
from app.registrations.imports import jobs as import_jobs
from app.registrations.imports.models import ImportBatch, ImportStatus
from app.registrations.imports.services import dedupe_key
from app.registrations.models import Delegation, Registration, RegistrationStatus
from tests.conftest import login
from tests.registrations.imports.import_files import GOOD_ROWS, HEADER_FR, csv_bytes, register_quietly, xlsx_bytes

STORED = (Person, Registration, Organisation, Delegation, AuditEntry, ImportBatch, Job, OutboxMessage)


def counts(db) -> dict[str, int]:
    db.session.expire_all()
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in STORED}


def upload(client, event, content: bytes, filename: str = "participants.csv"):
    return client.submit(f"/manage/e/{event.slug}/imports/", {"file": (io.BytesIO(content), filename)},
                         content_type="multipart/form-data")


def error_rows(html: str) -> list[tuple[str, str, str]]:
    cells = re.findall(r'<tr data-testid="import-error-row"><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>', html)
    return [(line, column, reason) for line, column, reason in cells]


@pytest.fixture
def organiser_client(client, event, make_organiser):
    login(client, make_organiser(event))
    return client


def batch_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def confirm(client, event, batch_id: int, **data):
    return client.submit(f"/manage/e/{event.slug}/imports/{batch_id}/confirm", data)


def test_upload_page_explains_the_columns_and_offers_a_template(organiser_client, event):
    html = organiser_client.get(f"/manage/e/{event.slug}/imports/").get_data(as_text=True)
    assert "Importer des participants" in html and "courriel" in html and 'type="file"' in html
    assert f'href="/manage/e/{event.slug}/imports/" aria-current="page">Import<' in html
    assert "style=" not in html and "<script>" not in html
    template = organiser_client.get(f"/manage/e/{event.slug}/imports/template.csv")
    assert template.status_code == 200 and template.data.startswith(b"\xef\xbb\xbf")
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "Lefebvre" in template.data.decode("utf-8-sig")


def test_the_example_template_imports_cleanly(organiser_client, event, db):
    template = organiser_client.get(f"/manage/e/{event.slug}/imports/template.csv").data
    response = upload(organiser_client, event, template, "template.csv")
    assert response.status_code == 302, error_rows(response.get_data(as_text=True))


def test_preview_stores_only_the_batch_and_lists_counts(organiser_client, event, db):
    register_quietly(event, "noel.garcon@example.org")
    before = counts(db)
    response = upload(organiser_client, event, csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1252",
                                                         header=HEADER_FR))
    batch_id = batch_id_of(response)
    after = counts(db)
    assert after == dict(before, ImportBatch=before["ImportBatch"] + 1)
    batch = db.session.get(ImportBatch, batch_id)
    assert batch.status == ImportStatus.PREVIEWED and batch.summary["num_new"] == 4
    assert batch.summary["num_unchanged"] == 1 and len(batch.sha256) == 64
    html = organiser_client.get(f"/manage/e/{event.slug}/imports/{batch_id}").get_data(as_text=True)
    assert 'data-testid="num-new">4<' in html and 'data-testid="num-unchanged">1<' in html
    assert "Hélène" in html and "Geneviève" in html and 'data-testid="confirm-import"' in html


def test_confirm_imports_every_row_in_one_job_then_reimport_changes_nothing(organiser_client, event, db):
    content = csv_bytes(GOOD_ROWS)
    batch_id = batch_id_of(upload(organiser_client, event, content))
    response = confirm(organiser_client, event, batch_id)
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = db.session.scalar(select(Job).where(Job.kind == "import_attendees"))
    assert job.status == JobStatus.DONE, job.error
    assert job.message == "5 inscriptions créées, 0 déjà inscrites (inchangées)." and job.progress == 1.0
    assert job.result == {"created": 5, "unchanged": 0, "delegations_created": 1, "delegation_members_added": 2,
                          "notified": False}
    registrations = db.session.scalars(select(Registration).join(Person).order_by(Registration.id)).all()
    assert [(r.person.first_name, r.source) for r in registrations] == [
        ("Hélène", "import"), ("François", "import"), ("Geneviève", "import"), ("Inès", "import"), ("Noël", "import")]
    assert [r.status for r in registrations] == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                                                 RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED,
                                                 RegistrationStatus.WAITLISTED]
    delegation = db.session.scalar(select(Delegation))
    assert delegation.name == "Ville de Nevers" and [m.person.first_name for m in delegation.members] == [
        "Hélène", "François"]
    assert db.session.get(ImportBatch, batch_id).content == b""  # personal data not kept twice
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.import"))
    assert audit.details["created"] == 5 and audit.event_id == event.id and audit.actor_id is not None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    job_page = organiser_client.get(response.headers["Location"])
    assert job_page.status_code == 200

    stamps = {r.id: r.updated_at for r in registrations}
    before = counts(db)
    again = batch_id_of(upload(organiser_client, event, content))
    assert db.session.get(ImportBatch, again).summary["num_new"] == 0
    assert db.session.get(ImportBatch, again).summary["num_unchanged"] == 5
    html = organiser_client.get(f"/manage/e/{event.slug}/imports/{again}").get_data(as_text=True)
    assert "déjà inscrits" in html
    confirm(organiser_client, event, again)
    second = db.session.scalar(select(Job).where(Job.id != job.id))
    assert second.status == JobStatus.DONE and second.result["created"] == 0 and second.result["unchanged"] == 5
    after = counts(db)
    assert after["Registration"] == before["Registration"] and after["Person"] == before["Person"]
    assert after["Delegation"] == before["Delegation"]
    db.session.expire_all()
    assert {r.id: r.updated_at for r in db.session.scalars(select(Registration))} == stamps


def test_a_double_click_on_confirm_imports_once(organiser_client, event, db):
    batch_id = batch_id_of(upload(organiser_client, event, csv_bytes(GOOD_ROWS)))
    first, second = confirm(organiser_client, event, batch_id), confirm(organiser_client, event, batch_id)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 5


def test_xlsx_upload(organiser_client, event, db):
    batch_id = batch_id_of(upload(organiser_client, event, xlsx_bytes(GOOD_ROWS, header=HEADER_FR), "liste.xlsx"))
    confirm(organiser_client, event, batch_id)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 5


def test_a_confirmation_that_loses_a_race_follows_the_winners_job(organiser_client, event, db, monkeypatch):
    batch_id = batch_id_of(upload(organiser_client, event, csv_bytes(GOOD_ROWS)))
    start, winner = import_jobs.start_job, []

    def lose_the_race(kind, **kwargs):
        # Another request stores its job for the same file between this one's look-up and its insert.
        with db.engine.begin() as connection:
            winner.append(connection.execute(insert(Job).values(
                kind=kind, event_id=kwargs["event_id"], dedupe_key=kwargs["dedupe_key"])).inserted_primary_key[0])
        monkeypatch.setattr(job_services, "_job_with_key", lambda key: None)
        return start(kind, **kwargs)

    monkeypatch.setattr(import_jobs, "start_job", lose_the_race)
    response = confirm(organiser_client, event, batch_id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/jobs/{winner[0]}")
    assert counts(db)["Job"] == 1 and counts(db)["Registration"] == 0
    assert db.session.get(ImportBatch, batch_id).job_id is None  # this confirmation's change was rolled back


def test_notify_sends_the_confirmation_emails(organiser_client, event, db):
    batch_id = batch_id_of(upload(organiser_client, event, csv_bytes(GOOD_ROWS)))
    confirm(organiser_client, event, batch_id, notify="1")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


@pytest.mark.parametrize(("content", "filename", "status", "message"), [
    (b"", "vide.csv", 422, "Le fichier est vide."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "photo.csv", 422, "C'est une image, pas un tableur."),
    (b"nom;prenom;ville\r\nDupont;Jean;Nevers\r\n", "faux.csv", 422,
     "Des colonnes obligatoires manquent dans l'en-tête (ligne 1) : email, category. Colonnes attendues"),
    (b"email;prenom;nom;categorie\r\na@b.fr;Jean;Du\x00pont;visiteur\r\n", "nul.csv", 422,
     "La ligne 2 contient un octet NUL"),
])
def test_unreadable_files_are_refused_and_nothing_is_stored(organiser_client, event, db, content, filename,
                                                            status, message):
    before = counts(db)
    response = upload(organiser_client, event, content, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in html.replace("&#39;", "'").replace("\u202f", " ").replace("\xa0", " ")
    assert counts(db) == before


def test_too_large_and_too_many_rows(organiser_client, app, event, db):
    before = counts(db)
    previous = app.config["IMPORT_MAX_ROWS"]
    app.config["IMPORT_MAX_ROWS"] = 3
    try:
        response = upload(organiser_client, event, csv_bytes(GOOD_ROWS))
    finally:
        app.config["IMPORT_MAX_ROWS"] = previous
    assert response.status_code == 422 and "trop de lignes" in response.get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 100
    try:
        response = upload(organiser_client, event, csv_bytes(GOOD_ROWS))
    finally:
        app.config.pop("IMPORT_MAX_BYTES")
    assert response.status_code == 413 and "trop volumineux" in response.get_data(as_text=True)
    assert counts(db) == before


def test_bad_rows_are_listed_and_nothing_is_stored(organiser_client, event, db):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][0] = "helene-at-nevers.fr"
    rows[1][3] = "Cosmonaute"
    rows[2][10] = "2027-07-14"
    rows[3][9] = "astronomie"
    rows[4][6] = "ZZ"
    rows.append(["ines@capteo.example", "Inès", "Benali", "visiteur"] + [""] * 10)
    before = counts(db)
    response = upload(organiser_client, event, csv_bytes(rows, delimiter=";", encoding="cp1252", header=HEADER_FR))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    found = error_rows(html)
    assert [(line, column) for line, column, _ in found] == [
        ("2", "Courriel"), ("3", "Catégorie"), ("4", "Jours"), ("5", "Thèmes"), ("6", "Pays"), ("7", "Courriel")]
    reasons = " ".join(reason for *_, reason in found).replace("&#39;", "'")
    for words in ("n'est pas une adresse e-mail valide", "Catégorie inconnue", "n'est pas un jour de cette édition",
                  "Thème inconnu", "Pays inconnu", "déjà à la ligne 5"):
        assert words in reasons, reasons
    assert "confirm-import" not in html
    assert counts(db) == before


def test_confirm_is_refused_when_the_file_has_bad_rows(organiser_client, event, db):
    batch_id = batch_id_of(upload(organiser_client, event, csv_bytes(GOOD_ROWS)))
    db.session.execute(Theme.__table__.delete().where(Theme.code == "energie"))  # the edition changed meanwhile
    db.session.commit()
    before = counts(db)
    response = confirm(organiser_client, event, batch_id)
    assert response.status_code == 422
    assert [(line, column) for line, column, _ in error_rows(response.get_data(as_text=True))] == [("4", "themes")]
    assert counts(db) == before


def test_the_job_rolls_back_everything_when_a_row_fails(organiser_client, event, db):
    batch_id = batch_id_of(upload(organiser_client, event, csv_bytes(GOOD_ROWS)))
    # Between confirmation and the job, the visitor category closes: row 6 is refused, rows 2-5 must not stay.
    batch = db.session.get(ImportBatch, batch_id)
    db.session.execute(Category.__table__.update().where(Category.code == "visiteur").values(is_open=False))
    batch.status = ImportStatus.QUEUED
    job = start_job("import_attendees", params={"batch_id": batch_id}, event_id=event.id, created_by_id=None,
                    dedupe_key=dedupe_key(batch))
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED
    assert "ligne 6, colonne category : La catégorie « Visitor » est fermée dans cette édition." in job.error
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


def test_organiser_of_another_event_and_non_organisers_are_kept_out(client, event, make_event, make_organiser,
                                                                    make_person, db):
    owner = make_organiser(event)
    login(client, owner)
    batch_id = batch_id_of(upload(client, event, csv_bytes(GOOD_ROWS)))
    client.submit("/logout")

    other_event = make_event(slug="sommet-2028", name="Sommet 2028")
    stranger = make_organiser(other_event)
    login(client, stranger)
    base = f"/manage/e/{event.slug}/imports"
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/{batch_id}").status_code == 403
    assert confirm(client, event, batch_id).status_code == 403
    assert upload(client, event, csv_bytes(GOOD_ROWS)).status_code == 403
    # Through their own edition's address, the batch of another edition does not exist.
    assert client.get(f"/manage/e/{other_event.slug}/imports/{batch_id}").status_code == 404
    assert confirm(client, other_event, batch_id).status_code == 404
    client.submit("/logout")

    attendee = make_person()
    grant_role(attendee, event.id, RoleName.EXHIBITOR, actor_id=None)
    db.session.commit()
    login(client, attendee)
    assert client.get(f"{base}/").status_code == 403
    assert upload(client, event, csv_bytes(GOOD_ROWS)).status_code == 403
    client.submit("/logout")
    anonymous = upload(client, event, csv_bytes(GOOD_ROWS))
    assert anonymous.status_code in (302, 401)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_upload_without_a_file_or_token(organiser_client, event, db):
    assert organiser_client.submit(f"/manage/e/{event.slug}/imports/", {}).status_code == 400
    assert organiser_client.post(f"/manage/e/{event.slug}/imports/",
                                 data={"file": (io.BytesIO(csv_bytes(GOOD_ROWS)), "a.csv")},
                                 content_type="multipart/form-data").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
