"""Accounts and sessions (issue 12): a session generation per user, moved on sign-out, a password change or
reset, a role change and a deactivation so that every session and token of the user ends at once; a flag
for a password someone else set, which the user must change at the next sign-in; the client address of
every audit entry, by which failed sign-ins are throttled per account and address.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("password_must_change", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(45)))


def downgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("address")
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.drop_column("password_must_change")
        batch_op.drop_column("session_generation")
