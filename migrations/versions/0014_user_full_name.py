"""One 姓名 per user (issue 13, finding 8): a name column, filled from Flask-AppBuilder's first and last
name in Chinese order — family name first (姓 + 名). The demo accounts were seeded the other way round
(first name "乡镇", last name "协管员" for 乡镇协管员), so theirs reads first name, then last name.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DEMO_ACCOUNTS = "email LIKE '%@demo.invalid'"  # app/seed/demo.py gives every account such an address


def upgrade():
    # Plain ALTER TABLE, never batch mode: on SQLite a batch rebuilds the table, and dropping the old
    # ab_user (foreign keys on) would delete every user's roles with it.
    op.add_column("ab_user", sa.Column("name", sa.String(64), nullable=False, server_default=""))
    op.execute("UPDATE ab_user SET name = substr(trim(last_name || first_name), 1, 64) "
               f"WHERE NOT ({DEMO_ACCOUNTS})")
    op.execute(f"UPDATE ab_user SET name = substr(trim(first_name || last_name), 1, 64) WHERE {DEMO_ACCOUNTS}")


def downgrade():
    op.drop_column("ab_user", "name")
