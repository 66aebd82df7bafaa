"""Indexes the city-scale reports probe: the employer filters in township order, (employer, visit date,
state) for "visited in the period",
covering (visit date, township, state, submitted at) for on-time counts, (employer, detection date) for
the detection cycle, and (patient, visit date) for follow-ups.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_patrol_employer_visit_state": ("patrol", ["employer_id", "visit_date", "state"]),
    "ix_screening_employer_visit_state": ("screening", ["employer_id", "visit_date", "state"]),
    "ix_patrol_visit_cover": ("patrol", ["visit_date", "org_unit_id", "state", "submitted_at"]),
    "ix_screening_visit_cover": ("screening", ["visit_date", "org_unit_id", "state", "submitted_at"]),
    "ix_screening_employer_detection": ("screening", ["employer_id", "detection_report_date"]),
    "ix_follow_up_patient_visited": ("patient_follow_up_visit", ["patient_id", "visited_on"]),
    # Covering the "active hazardous employer" filters in township order: the indicators over employers
    # read this index alone instead of the table.
    "ix_employer_indicators": ("employer", ["org_unit_id", "has_hazard", "registered_on", "production_status_id",
                                            "hazard_declared", "declared_on", "risk_class_id", "id"]),
    "ix_employer_registered": ("employer", ["registered_on", "org_unit_id", "id"]),
}


# (employer, visit date) is a prefix of the new (employer, visit date, state) indexes.
REPLACED = {"ix_patrol_employer_date": ("patrol", ["employer_id", "visit_date"]),
            "ix_screening_employer_date": ("screening", ["employer_id", "visit_date"])}


def upgrade():
    for name, (table, _) in REPLACED.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade():
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in REPLACED.items():
        op.create_index(name, table, columns)
