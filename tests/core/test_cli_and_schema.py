"""Command-line input errors, and models that match the migrations."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app.extensions import db
from app.network.library.search import include_object
from app.people.models import Person
from tests.conftest import login


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_create_organiser_for_one_edition_can_log_in(app, event, client):
    result = app.test_cli_runner().invoke(args=["create-organiser", "Chef@Example.org", "--event", event.slug,
                                                "--password", "a long password"])
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(Person).where(Person.email == "chef@example.org"))
    assert not person.is_staff
    login(client, person, "a long password")
    assert client.get(f"/manage/e/{event.slug}/").status_code == 200


def test_create_organiser_prints_a_generated_password(app, client):
    result = app.test_cli_runner().invoke(args=["create-organiser", "boss@example.org"])
    assert result.exit_code == 0
    password = result.output.rsplit("password: ", 1)[1].strip()
    person = db.session.scalar(select(Person).where(Person.email == "boss@example.org"))
    assert person.is_staff
    login(client, person, password)


def test_create_organiser_refuses_bad_arguments_without_storing(app, event):
    runner = app.test_cli_runner()
    bad_email = runner.invoke(args=["create-organiser", "not-an-email", "--password", "a long password"])
    assert bad_email.exit_code == 2 and "EMAIL" in bad_email.output
    no_event = runner.invoke(args=["create-organiser", "a@example.org", "--event", "nope", "--password", "a long password"])
    assert no_event.exit_code == 2 and "nope" in no_event.output
    short = runner.invoke(args=["create-organiser", "a@example.org", "--password", "short"])
    assert short.exit_code == 2 and "10 characters" in short.output
    assert db.session.scalar(select(Person)) is None
