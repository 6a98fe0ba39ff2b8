"""challenge attempts

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('challenge_attempts',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('sub', sa.String(length=36), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['sub'], ['users.sub'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id')
    )
    with op.batch_alter_table('challenge_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_attempts_sub'), ['sub'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('challenge_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_attempts_sub'))
    op.drop_table('challenge_attempts')
