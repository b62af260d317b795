"""English texts beside the French ones: edition name and description, entrances, stand labels, tour slots,
startup pitches

Revision ID: d41e7a2c9b30
Revises: c3a9e5d17b08
Create Date: 2026-12-06 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd41e7a2c9b30'
down_revision = 'c3a9e5d17b08'
branch_labels = None
depends_on = None

#: table -> (column, type): every one empty for existing rows, which then show their French text.
COLUMNS = {
    'event': (('name_en', sa.String(length=200)), ('description_en', sa.Text())),
    'hall_entrance': (('name_en', sa.String(length=60)),),
    'stand': (('zone_en', sa.String(length=60)),),
    'tour_slot': (('label_en', sa.String(length=120)),),
    'organisation': (('pitch_en', sa.Text()),),
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))


def downgrade():
    # A plain ALTER TABLE: on SQLite, rebuilding these tables (batch mode's copy, drop and rename) would delete
    # through ON DELETE CASCADE every row that points to them, for the app turns foreign keys on.
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
