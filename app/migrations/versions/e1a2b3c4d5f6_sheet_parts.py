"""Route sheets printed by a background job, in parts

Revision ID: e1a2b3c4d5f6
Revises: a7c3e9d1f2b4
Create Date: 2026-12-07 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a2b3c4d5f6'
down_revision = 'a7c3e9d1f2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sheet_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('tours', sa.JSON(), nullable=False),
        sa.Column('num_pages', sa.Integer(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_sheet_part_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_sheet_part_job_id_job'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['plan_id'], ['visit_plan.id'], name=op.f('fk_sheet_part_plan_id_visit_plan'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_part')),
    )
    with op.batch_alter_table('sheet_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sheet_part_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sheet_part_job_id'), ['job_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sheet_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sheet_part_job_id'))
        batch_op.drop_index(batch_op.f('ix_sheet_part_event_id'))
    op.drop_table('sheet_part')
