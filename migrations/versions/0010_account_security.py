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
    # Plain ALTER TABLE, never batch mode: on SQLite a batch rebuilds the table, and dropping the old
    # ab_user (foreign keys on) would delete every user's roles with it.
    op.add_column("ab_user", sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("ab_user", sa.Column("password_must_change", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.add_column("audit_log", sa.Column("address", sa.String(45)))


def downgrade():
    op.drop_column("audit_log", "address")
    op.drop_column("ab_user", "password_must_change")
    op.drop_column("ab_user", "session_generation")
