"""Safe concurrent editing, part 3: every record with its own edit form carries a version counter — the
rows of an archive's and a patient's tables, the programme records' rows, org units, checklist templates
and their items, and the code dictionaries (app.models.versioned); existing rows start at version 1.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("archive_product", "archive_outsourcing_company", "archive_chemical", "archive_exposure_summary",
          "archive_exposure_detection", "archive_surveillance_summary", "archive_surveillance_result",
          "archive_disease_case", "archive_review",
          "patient_occupational_history", "patient_follow_up_visit", "patient_rehabilitation",
          "patient_complication_visit", "patient_contact_change",
          "coordinator_training", "coordinator_assessment", "institution_quality_control", "institution_problem",
          "org_unit", "checklist_template", "checklist_item",
          "industry", "registration_type", "economic_type", "enterprise_size", "risk_class", "production_status",
          "hazard_category", "hazard_factor", "disease_category", "development_zone", "job_type",
          "protective_measure_type", "detection_type", "disease")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
