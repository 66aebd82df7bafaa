"""Registrations refused because another township holds the record (issue 12, finding 13): a notice for
the district admins of both townships.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "duplicate_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_unit_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("requester_unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_unit_id"], ["org_unit.id"]),
        sa.ForeignKeyConstraint(["requester_unit_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("duplicate_notice") as batch_op:
        batch_op.create_index("ix_duplicate_notice_at", ["at"])
        batch_op.create_index("ix_duplicate_notice_record_unit_id", ["record_unit_id"])
        batch_op.create_index("ix_duplicate_notice_requester_unit_id", ["requester_unit_id"])


def downgrade():
    op.drop_table("duplicate_notice")
