"""The migration that brings organisation name keys fills them for the organisations already there, and its
downgrade and upgrade keep every row that points to them."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db

BEFORE = "6ce3c71fc2ca"


def test_existing_organisations_get_their_name_keys(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrate.db'}"})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, kind, country, city, territory, website, pitch, pitch_en, created_at,"
                " search_key) VALUES (:name, 'collectivite', 'FR', '', '', '', '', '', '2026-01-01', '')"),
                [{"name": "Ville de Nevers"}, {"name": "VILLE DE NÉVERS"}, {"name": "Cœur-de-Loire"}])
            connection.execute(text(
                "INSERT INTO person (email, first_name, last_name, phone, job_title, country, locale, organisation_id,"
                " is_enabled, is_staff, session_token, created_at, search_key) VALUES ('a@b.fr', 'A', 'B', '', '',"
                " 'FR', 'fr', 1, 1, 0, 'x', '2026-01-01', '')"))
        upgrade()
        downgrade(revision=BEFORE)
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT name_key FROM organisation ORDER BY id")).scalars().all()
            member = connection.execute(text("SELECT organisation_id FROM person")).scalar()
        assert keys == ["villedenevers", "villedenevers", "coeurdeloire"]
        assert member == 1
        db.engine.dispose()
