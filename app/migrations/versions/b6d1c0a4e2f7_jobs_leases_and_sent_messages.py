"""Jobs: a lease renewed by the worker, the attempts, the worker, when the message was sent; print runs in parts

Revision ID: b6d1c0a4e2f7
Revises: 7ff3c09bb824
Create Date: 2026-12-06 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6d1c0a4e2f7'
down_revision = '7ff3c09bb824'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('worker', sa.String(length=120), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_job_lease_expires_at'), ['lease_expires_at'], unique=False)
    # Jobs queued before this revision had their message sent when they were stored.
    op.execute("UPDATE job SET sent_at = created_at WHERE status = 'queued'")


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_lease_expires_at'))
        batch_op.drop_column('worker')
        batch_op.drop_column('attempts')
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('sent_at')
