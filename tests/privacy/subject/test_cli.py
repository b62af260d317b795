"""`flask data export` and `flask data erase`: what they write, what they refuse."""
import io
import json
import zipfile

from app.events.models import CategoryCode
from app.extensions import db
from app.people.models import Person


def run(app, *args):
    return app.test_cli_runner().invoke(args=["data", *args])


def test_export_writes_her_zip(app, event, make_registration, tmp_path):
    registration = make_registration(event, CategoryCode.ELU, email="maire@nevers.example")
    out = tmp_path / "maire.zip"
    result = run(app, "export", "--person", "MAIRE@nevers.example", "-o", str(out))
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    rows = json.loads(archive.read("data/registration.json"))
    assert [r["id"] for r in rows] == [registration.id]


def test_bad_arguments_are_refused_clearly(app, event, make_registration, tmp_path):
    make_registration(event, email="a@example.org")
    result = run(app, "export", "--person", "nobody@example.org", "-o", str(tmp_path / "x.zip"))
    assert result.exit_code != 0 and "no account has the address" in result.output
    result = run(app, "export", "--person", "a@example.org", "-o", str(tmp_path / "x.txt"))
    assert result.exit_code != 0 and ".zip" in result.output
    result = run(app, "export", "--person", "a@example.org", "-o", str(tmp_path / "missing" / "x.zip"))
    assert result.exit_code != 0 and "does not exist" in result.output
    result = run(app, "erase")
    assert result.exit_code != 0 and "--person" in result.output


def test_erase_dry_run_changes_nothing_then_erases(app, event, make_registration):
    registration = make_registration(event, email="b@example.org")
    person_id = registration.person_id
    result = run(app, "erase", "--person", "b@example.org", "--dry-run")
    assert result.exit_code == 0 and "Would erase" in result.output and "registrations: 1" in result.output
    assert db.session.get(Person, person_id).email == "b@example.org"
    result = run(app, "erase", "--person", "b@example.org")
    assert result.exit_code == 0 and "Erased:" in result.output
    db.session.expire_all()
    assert db.session.get(Person, person_id).email.endswith("@erased.invalid")
    result = run(app, "erase", "--person", "b@example.org")
    assert result.exit_code != 0 and "no account" in result.output
