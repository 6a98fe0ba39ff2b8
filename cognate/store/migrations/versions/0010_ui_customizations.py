"""ui customizations

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ui_customizations',
    sa.Column('pool_id', sa.String(length=55), nullable=False),
    sa.Column('client_id', sa.String(length=128), nullable=False),
    sa.Column('css', sa.Text(), nullable=True),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('image_type', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['pool_id'], ['user_pools.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pool_id', 'client_id')
    )


def downgrade() -> None:
    op.drop_table('ui_customizations')
