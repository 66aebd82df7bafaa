"""Home-page counts and due lists at city scale: each employer keeps the dates the due lists ask about —
its latest detection (a reported screening's report date or an archive table 4-2 date), its latest
reported screening and its latest reported patrol — current in the same statement as the write, by
triggers on the tables they come from (every write path: forms, workflow steps, the API, imports, bulk
inserts). Indexes over them let the lists count and page without probing every employer's visits; others
read the drafts and returned records by township, and the managed patients and who was visited, from the
index alone.

SQLite drops a table's triggers when Alembic's batch mode rebuilds the table: a later migration that does
so for screening, patrol, health_archive or archive_exposure_detection must create them again
(tests/test_due_lists.py checks the kept dates against the visits).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

REPORTED = "('submitted', 'accepted')"  # app.models.workflow.REPORTED_STATES
# Each kept date as a correlated subquery on the employer row being updated.
LAST_DETECTED = ("(SELECT max(day) FROM (SELECT s.detection_report_date AS day FROM screening s "
                 f"WHERE s.employer_id = employer.id AND s.state IN {REPORTED} "
                 "UNION ALL SELECT d.detected_on FROM health_archive a "
                 "JOIN archive_exposure_detection d ON d.archive_id = a.id "
                 "WHERE a.employer_id = employer.id) AS detections)")
LAST_SCREENED = ("(SELECT max(s.visit_date) FROM screening s "
                 f"WHERE s.employer_id = employer.id AND s.state IN {REPORTED})")
LAST_PATROLLED = ("(SELECT max(p.visit_date) FROM patrol p "
                  f"WHERE p.employer_id = employer.id AND p.state IN {REPORTED})")
KEPT = {"last_detected_on": LAST_DETECTED, "last_screened_on": LAST_SCREENED, "last_patrolled_on": LAST_PATROLLED}


def _archive_employers(archive_ids: str) -> str:
    return f"SELECT employer_id FROM health_archive WHERE id IN ({archive_ids})"


# table: (the kept dates it feeds, the columns whose change matters, the employers a row change touches
# per event). An archive without detection rows feeds nothing, so its insert needs no trigger.
SOURCES = {
    "screening": (("last_detected_on", "last_screened_on"),
                  ("employer_id", "state", "visit_date", "detection_report_date"),
                  {"insert": "NEW.employer_id", "update": "OLD.employer_id, NEW.employer_id",
                   "delete": "OLD.employer_id"}),
    "patrol": (("last_patrolled_on",), ("employer_id", "state", "visit_date"),
               {"insert": "NEW.employer_id", "update": "OLD.employer_id, NEW.employer_id",
                "delete": "OLD.employer_id"}),
    "archive_exposure_detection": (("last_detected_on",), ("archive_id", "detected_on"),
                                   {"insert": _archive_employers("NEW.archive_id"),
                                    "update": _archive_employers("OLD.archive_id, NEW.archive_id"),
                                    "delete": _archive_employers("OLD.archive_id")}),
    "health_archive": (("last_detected_on",), ("employer_id",),
                       {"update": "OLD.employer_id, NEW.employer_id", "delete": "OLD.employer_id"}),
}

INDEXES = {
    "ix_employer_detection": ("employer", ["has_hazard", "risk_class_id", "last_detected_on",
                                           "production_status_id", "org_unit_id", "archive_number"]),
    "ix_employer_patrolled": ("employer", ["hazard_declared", "last_patrolled_on", "production_status_id",
                                           "org_unit_id", "archive_number"]),
    "ix_employer_screened": ("employer", ["registered_on", "last_screened_on", "production_status_id",
                                          "org_unit_id"]),
    # Drafts and returned records by township; managed patients and who was visited, from the index alone.
    "ix_screening_state_unit": ("screening", ["state", "org_unit_id", "visit_date"]),
    "ix_patrol_state_unit": ("patrol", ["state", "org_unit_id", "visit_date"]),
    "ix_patient_due": ("patient", ["org_unit_id", "dead", "lost", "card_type", "disease_id", "id"]),
    "ix_follow_up_visited_patient": ("patient_follow_up_visit", ["visited_on", "patient_id"]),
}
# (visit date) is a prefix of the new (visit date, patient).
REPLACED = {"ix_patient_follow_up_visit_visited_on": ("patient_follow_up_visit", ["visited_on"])}


def _triggers():
    for table, (kept, columns, events) in SOURCES.items():
        assignments = ", ".join(f"{column} = {KEPT[column]}" for column in kept)
        for event, employers in events.items():
            name = f"keep_employer_dates_{table}_{event}"
            when = f"UPDATE OF {', '.join(columns)}" if event == "update" else event.upper()
            yield name, table, when, f"UPDATE employer SET {assignments} WHERE id IN ({employers})"


def upgrade():
    for column in KEPT:
        op.add_column("employer", sa.Column(column, sa.Date()))
    op.execute(f"UPDATE employer SET {', '.join(f'{column} = {expression}' for column, expression in KEPT.items())}")
    for name, (table, _) in REPLACED.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, when, statement in _triggers():
        if postgresql:
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {statement}; RETURN NULL; END $$")
            op.execute(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW BEGIN {statement}; END")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _, _ in _triggers():
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgresql else f"DROP TRIGGER {name}")
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in REPLACED.items():
        op.create_index(name, table, columns)
    for column in KEPT:  # SQLite ≥ 3.35 drops a column in place: no copy of the table others refer to
        op.execute(f"ALTER TABLE employer DROP COLUMN {column}")
