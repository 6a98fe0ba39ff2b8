"""audit events: outcome holds any Cognito exception name (InvalidSmsRoleAccessPolicyException is 35 characters)

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=32), type_=sa.String(length=64),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=64), type_=sa.String(length=32),
                              existing_nullable=False)
