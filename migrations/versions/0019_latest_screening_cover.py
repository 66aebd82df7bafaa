"""Each employer's latest screening is read from the index alone (issue 14, item 7's health-exam rate and
the dust indicators): the (employer, visit date) index also holds the id that breaks a tie and what the
indicators read of that screening — its state, 应检/实检 counts, exam report date and dust count. It
replaces the (employer, visit date, state) index, which the visit probes now read the same way.

Revision ID: 0019_latest_screening_cover
Revises: 0018_indicator_targets
"""
from alembic import op

revision = "0019_latest_screening_cover"
down_revision = "0018_indicator_targets"
branch_labels = None
depends_on = None

LATEST = ["employer_id", "visit_date", "id", "state", "exam_due_count", "exam_done_count", "exam_report_date",
          "exposed_dust"]


def upgrade():
    op.drop_index("ix_screening_employer_visit_state", table_name="screening")
    op.create_index("ix_screening_employer_latest", "screening", LATEST)


def downgrade():
    op.drop_index("ix_screening_employer_latest", table_name="screening")
    op.create_index("ix_screening_employer_visit_state", "screening", ["employer_id", "visit_date", "state"])
