"""Mandate titles: the title an elected official writes ("Mairesse", "Échevine") is the one printed

New mandate kinds (bourgmestre, echevin, prefet, president_region, gouverneur) need no change of the column:
mandates are stored as plain strings, the longest value is unchanged. Existing registrations get an empty
title, so their mandate's name stands in as before.

Revision ID: d4b8f2a61c9e
Revises: d5e1f2a3b4c6
Create Date: 2026-12-06 23:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4b8f2a61c9e'
down_revision = 'd5e1f2a3b4c6'
branch_labels = None
depends_on = None


# recreate='never': a plain ALTER TABLE. On SQLite, rebuilding `registration` (batch mode's copy, drop and rename)
# would delete through ON DELETE CASCADE every row that points to it, for the app turns foreign keys on.


def upgrade():
    with op.batch_alter_table('registration', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('mandate_title', sa.String(length=120), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('registration', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('mandate_title')
