"""Badge short codes (typed at the door) and folded search keys (accent- and case-insensitive search)

Revision ID: d4b8f2a61c37
Revises: c3a9e5d17b08
Create Date: 2026-12-06 23:30:00.000000

"""
import secrets
import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4b8f2a61c37'
down_revision = 'd41e7a2c9b30'
branch_labels = None
depends_on = None

# Frozen copies of what the app does today (app.badging.models, app.core.search): a migration keeps the
# behaviour of its day whatever the code becomes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
SEARCHED = {
    "person": ("first_name", "last_name"),
    "organisation": ("name",),
    "registration": ("territory", "job_title"),
    "lead": ("notes",),
}


def fold(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(LIGATURES))
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def upgrade():
    # Adding a column is a plain ALTER TABLE everywhere; only badge_token (which no table points to) is rebuilt
    # on SQLite, for its new unique constraint.
    for table in SEARCHED:
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('badge_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=8), nullable=True))

    connection = op.get_bind()
    for table, columns in SEARCHED.items():
        rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()
        updates = [{"id": row[0], "key": fold(" ".join(str(value or "") for value in row[1:]))} for row in rows]
        if updates:
            connection.execute(sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id"), updates)
    ids = connection.execute(sa.text("SELECT id FROM badge_token")).scalars().all()
    codes = set()
    while len(codes) < len(ids):
        codes.add("".join(secrets.choice(ALPHABET) for _ in range(8)))
    if ids:
        connection.execute(sa.text("UPDATE badge_token SET short_code = :code WHERE id = :id"),
                           [{"id": id_, "code": code} for id_, code in zip(ids, list(codes))])

    with op.batch_alter_table('badge_token', schema=None) as batch_op:
        batch_op.alter_column('short_code', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_badge_token_short_code'), ['short_code'])


def downgrade():
    with op.batch_alter_table('badge_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_badge_token_short_code'), type_='unique')
        batch_op.drop_column('short_code')
    # A plain ALTER TABLE: on SQLite, rebuilding these tables (batch mode's copy, drop and rename) would delete
    # through ON DELETE CASCADE every row that points to them, for the app turns foreign keys on.
    for table in SEARCHED:
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_column('search_key')
