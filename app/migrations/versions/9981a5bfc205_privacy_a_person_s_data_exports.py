"""A person's data exports (issue 19): the ZIP a job built, downloadable once through a link that expires

Revision ID: 9981a5bfc205
Revises: 295f4ff9b269
Create Date: 2026-12-08 00:39:49.268703

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9981a5bfc205'
down_revision = '295f4ff9b269'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ready_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('downloaded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_privacy_export_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_privacy_export_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_privacy_export_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['person.id'], name=op.f('fk_privacy_export_requested_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_export')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_privacy_export_token_hash'))
    )
    with op.batch_alter_table('privacy_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_export_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('privacy_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_export_person_id'))

    op.drop_table('privacy_export')
