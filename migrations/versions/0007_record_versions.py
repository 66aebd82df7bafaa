"""Safe concurrent editing: a version counter on every business record with its own edit form
(app.models.versioned); existing rows start at version 1.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("employer", "screening", "patrol", "hazard_report", "health_archive", "patient", "score_adjustment",
          "coordinator", "declaration_candidate", "prevention_institution", "service_plan", "sme_assistance",
          "training_activity", "work_summary")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
