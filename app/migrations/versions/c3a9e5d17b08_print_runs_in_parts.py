"""Print runs in parts: a print job stores several runs, one per part

Revision ID: c3a9e5d17b08
Revises: b6d1c0a4e2f7
Create Date: 2026-12-06 21:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3a9e5d17b08'
down_revision = 'b6d1c0a4e2f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_print_run_job_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_print_run_job_id'), ['job_id'], unique=False)


def downgrade():
    with op.batch_alter_table('print_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_run_job_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_print_run_job_id'), ['job_id'])
