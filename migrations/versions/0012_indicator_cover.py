"""The indicators read no wide row at city scale (issue 11): the employers' indicator index also covers
the kept latest detection, patrol and screening dates (migration 0009); the screenings' and patrols'
township indexes cover the on-time rate; the reported screenings' index (state first: the one the planner
takes for the reported records of a township) covers what each employer's latest screening gives the
health-exam and training rates.

Revision ID: 0012
Revises: 0011
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

EMPLOYER_BEFORE = ["org_unit_id", "has_hazard", "registered_on", "production_status_id", "hazard_declared",
                   "declared_on", "risk_class_id", "id"]
EMPLOYER_AFTER = [*EMPLOYER_BEFORE[:-1], "last_detected_on", "last_patrolled_on", "last_screened_on", "id"]
SCREENING_BEFORE = ["org_unit_id", "visit_date"]
SCREENING_AFTER = [*SCREENING_BEFORE, "state", "submitted_at"]
REPORTED_BEFORE = ["state", "org_unit_id", "visit_date"]
REPORTED_AFTER = [*REPORTED_BEFORE, "employer_id", "exam_done_count", "exam_due_count", "workers_trained",
                  "exposed_total"]
PATROL_BEFORE = ["org_unit_id", "visit_date"]
PATROL_AFTER = [*PATROL_BEFORE, "state", "submitted_at"]


def _replace(name: str, table: str, columns: list[str]) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns)


def upgrade():
    _replace("ix_employer_indicators", "employer", EMPLOYER_AFTER)
    _replace("ix_screening_unit_date", "screening", SCREENING_AFTER)
    _replace("ix_patrol_unit_date", "patrol", PATROL_AFTER)
    _replace("ix_screening_state_unit", "screening", REPORTED_AFTER)


def downgrade():
    _replace("ix_employer_indicators", "employer", EMPLOYER_BEFORE)
    _replace("ix_screening_unit_date", "screening", SCREENING_BEFORE)
    _replace("ix_patrol_unit_date", "patrol", PATROL_BEFORE)
    _replace("ix_screening_state_unit", "screening", REPORTED_BEFORE)
