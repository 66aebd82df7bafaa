"""Returned records, newest first (issue 13, finding 7): the list of the records the district returned, on
the clerk's home page and in the due lists, reads them by state in the order of their return.

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("screening", "patrol")


def upgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_state_reviewed", table, ["state", "reviewed_at"])


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_state_reviewed", table_name=table)
