"""The migration that brings badge short codes and search keys fills them for the rows already there, and its
downgrade and upgrade keep every row (on SQLite, rebuilding a table would cascade deletes to its children)."""
from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.badging.models import SHORT_CODE_ALPHABET
from app.badging.services import current_token
from app.events.models import CategoryCode, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.registrations.services import RegistrationInput, approve, register

BEFORE = "c3a9e5d17b08"


def test_existing_rows_get_search_keys_and_short_codes_and_keep_their_children(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrate.db'}"})
    with app.app_context():
        upgrade()
        event = create_event(EventInput(name="Sommet", slug="sommet", city="Nevers", country="FR", venue="Salle",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 3),
                                        status=EventStatus.OPEN), actor_id=None)
        db.session.commit()
        people = [register(event, RegistrationInput(
            category=CategoryCode.VISITEUR, email=f"p{i}@nevers.fr", first_name="Benoît", last_name=f"Laurent{i}",
            days=[event.starts_on], organisation_name="Énergies du Périgord"), source="test") for i in range(3)]
        db.session.commit()
        approve(event, [r.id for r in people], actor_id=None)
        for registration in people:
            current_token(registration)
        db.session.commit()
        db.session.remove()

        downgrade(revision=BEFORE)
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT search_key FROM person ORDER BY id")).scalars().all()
            codes = connection.execute(text("SELECT short_code FROM badge_token")).scalars().all()
            organisations = connection.execute(text("SELECT search_key FROM organisation")).scalars().all()
            registrations = connection.execute(text("SELECT count(*) FROM registration")).scalar()
        assert keys == ["benoit laurent0", "benoit laurent1", "benoit laurent2"]
        assert set(organisations) == {"energies du perigord"}
        assert registrations == 3 and len(set(codes)) == 3
        assert all(len(code) == 8 and set(code) <= set(SHORT_CODE_ALPHABET) for code in codes)
        db.engine.dispose()
