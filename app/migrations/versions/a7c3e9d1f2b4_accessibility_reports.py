"""Accessibility reports: what people send from the accessibility statement's form

Revision ID: a7c3e9d1f2b4
Revises: d4b8f2a61c9e
Create Date: 2026-12-07 02:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f2b4'
down_revision = 'd4b8f2a61c9e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accessibility_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('page', sa.String(length=500), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_accessibility_report_event_id_event'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_report')),
    )
    with op.batch_alter_table('accessibility_report', schema=None, recreate='never') as batch_op:
        batch_op.create_index(batch_op.f('ix_accessibility_report_address_hash'), ['address_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_accessibility_report_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_accessibility_report_event_id'), ['event_id'], unique=False)


def downgrade():
    op.drop_table('accessibility_report')
