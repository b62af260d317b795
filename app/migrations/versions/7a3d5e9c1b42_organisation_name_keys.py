"""Organisation name keys: the same organisation recognised across editions, case, accents and spaces aside

Revision ID: 7a3d5e9c1b42
Revises: 6ce3c71fc2ca
Create Date: 2026-12-07 06:10:00.000000

"""
import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7a3d5e9c1b42'
down_revision = '6ce3c71fc2ca'
branch_labels = None
depends_on = None

# A frozen copy of what the app does today (app.core.search.fold, app.people.models.organisation_key): a
# migration keeps the behaviour of its day whatever the code becomes.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def organisation_key(name):
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold().translate(LIGATURES))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def upgrade():
    # A plain ALTER TABLE (recreate='never'): on SQLite, rebuilding the table would delete through ON DELETE
    # CASCADE every row that points to it, for the app turns foreign keys on.
    with op.batch_alter_table('organisation', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.Text(), server_default='', nullable=False))
        batch_op.create_index('ix_organisation_name_key_country', ['name_key', 'country'], unique=False)

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, name FROM organisation")).all()
    updates = [{"id": row[0], "key": organisation_key(row[1])} for row in rows]
    if updates:
        connection.execute(sa.text("UPDATE organisation SET name_key = :key WHERE id = :id"), updates)


def downgrade():
    with op.batch_alter_table('organisation', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_organisation_name_key_country')
        batch_op.drop_column('name_key')
