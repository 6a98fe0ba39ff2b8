"""verification events: code mails and wrong codes per user and purpose, for the rolling-hour budgets

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('verification_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sub', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['sub'], ['users.sub'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('verification_events', schema=None) as batch_op:
        batch_op.create_index('ix_verification_events_sub_purpose', ['sub', 'purpose', 'kind', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('verification_events', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_events_sub_purpose')

    op.drop_table('verification_events')
