"""The hall's shortest tour: a tour slot with fewer stands than this is left free

Revision ID: d5e1f2a3b4c6
Revises: c3a9e5d17b08
Create Date: 2026-12-06 23:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5e1f2a3b4c6'
down_revision = 'd4b8f2a61c37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hall', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_route_visits', sa.Integer(), nullable=False, server_default='2'))


def downgrade():
    with op.batch_alter_table('hall', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('min_route_visits')
