"""Stateless app servers (issue 15, item 1): an import file waits between preview and commit in the
database, bound to its uploader, instead of under one server's instance/imports/.

Revision ID: 0020_pending_imports
Revises: 0019_latest_screening_cover
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_pending_imports"
down_revision = "0019_latest_screening_cover"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("pending_import") as batch_op:
        batch_op.create_index("ix_pending_import_user_id", ["user_id"])
        batch_op.create_index("ix_pending_import_uploaded_at", ["uploaded_at"])


def downgrade():
    op.drop_table("pending_import")
