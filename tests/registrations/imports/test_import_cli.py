"""`flask import-attendees`: the preview, bad rows and exit codes (R9), the import itself."""
from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.people.models import Person
from app.registrations.imports.models import ImportBatch, ImportStatus
from app.registrations.models import Registration
from tests.registrations.imports.import_files import GOOD_ROWS, HEADER_FR, csv_bytes, xlsx_bytes


def run(app, *args):
    return app.test_cli_runner().invoke(args=["import-attendees", *map(str, args)])


def num(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_dry_run_prints_the_preview_and_stores_nothing(app, event, db, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1252", header=HEADER_FR))
    result = run(app, path, "--event", event.slug, "--dry-run")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "5 lignes lues : 5 à créer, 0 déjà inscrites (inchangées), 0 en erreur." in result.stdout
    assert "rien n'a été enregistré" in result.stdout
    assert num(db, Registration) == num(db, ImportBatch) == num(db, Person) == 0


def test_import_then_reimport(app, event, db, tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS))
    result = run(app, path, "--event", event.slug)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "5 inscriptions créées, 0 inchangées, 1 délégations créées" in result.stdout
    assert num(db, Registration) == 5
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == ImportStatus.IMPORTED and batch.content == b"" and batch.size == path.stat().st_size
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.import")) is not None
    again = run(app, path, "--event", event.slug, "--lang", "en")
    assert again.exit_code == 0
    assert "Imported: 0 created, 5 unchanged, 0 delegations created." in again.stdout
    assert num(db, Registration) == 5


def test_bad_rows_exit_1_and_store_nothing(app, event, db, tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][3] = "Cosmonaute"
    rows[4][0] = "pas-une-adresse"
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes(rows))
    result = run(app, path, "--event", event.slug)
    assert result.exit_code == 1
    assert "ligne 4, colonne category : Catégorie inconnue « Cosmonaute »" in result.stderr
    assert "ligne 6, colonne email : « pas-une-adresse » n'est pas une adresse e-mail valide." in result.stderr
    assert "Rien n'a été importé" in result.stderr
    assert num(db, Registration) == num(db, ImportBatch) == num(db, Person) == 0
    assert run(app, path, "--event", event.slug, "--dry-run").exit_code == 1


def test_unknown_event_and_unreadable_files_exit_2(app, event, db, tmp_path):
    good = tmp_path / "liste.csv"
    good.write_bytes(csv_bytes(GOOD_ROWS))
    unknown = run(app, good, "--event", "nope")
    assert unknown.exit_code == 2 and "« nope »" in unknown.stderr
    missing = run(app, tmp_path / "absent.csv", "--event", event.slug)
    assert missing.exit_code == 2
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    refused = run(app, binary, "--event", event.slug)
    assert refused.exit_code == 2 and "C'est une image, pas un tableur." in refused.stderr
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert "Le fichier est vide." in run(app, empty, "--event", event.slug).stderr
    assert num(db, Registration) == num(db, ImportBatch) == 0
