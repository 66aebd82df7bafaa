"""Issue 14, items 7–8: each city's indicator set and targets per year (indicator_target), and the
declaration candidate's two one-month deadlines (Chongqing Annex 2 task 8): reported to the city CDC
(report_by, reported_on) and verified within a month of the city's list (listed_on, verify_by). The old
single deadline (found + 1 month) becomes the report deadline; no candidate has a list date yet, so none
has a verification deadline.

Revision ID: 0018_indicator_targets
Revises: 0017_hazard_catalogue
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_indicator_targets"
down_revision = "0017_hazard_catalogue"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "indicator_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=20), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.Column("comparison", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("source_document", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_unit_id", "year", "indicator", name="uq_indicator_target"),
    )
    with op.batch_alter_table("indicator_target") as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_target_org_unit_id"), ["org_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_target_year"), ["year"], unique=False)

    with op.batch_alter_table("declaration_candidate") as batch_op:
        batch_op.add_column(sa.Column("report_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reported_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("listed_on", sa.Date(), nullable=True))
    op.execute("UPDATE declaration_candidate SET report_by = verify_by, verify_by = NULL")
    with op.batch_alter_table("declaration_candidate") as batch_op:
        batch_op.alter_column("report_by", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("verify_by", existing_type=sa.Date(), nullable=True)
        batch_op.create_index(batch_op.f("ix_declaration_candidate_report_by"), ["report_by"], unique=False)


def downgrade():
    op.execute("UPDATE declaration_candidate SET verify_by = report_by WHERE verify_by IS NULL")
    with op.batch_alter_table("declaration_candidate") as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_candidate_report_by"))
        batch_op.alter_column("verify_by", existing_type=sa.Date(), nullable=False)
        batch_op.drop_column("listed_on")
        batch_op.drop_column("reported_on")
        batch_op.drop_column("report_by")
    with op.batch_alter_table("indicator_target") as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_target_year"))
        batch_op.drop_index(batch_op.f("ix_indicator_target_org_unit_id"))
    op.drop_table("indicator_target")
