"""Branches and detection rules (issue 14, items 1 and 6).

Branches — Annex 4 cover, note 3: a unit without legal-person status gives its parent's unified social
credit code. An employer gets ``is_branch`` and ``parent_id``; the code is unique only among the
employers that are not branches (a partial unique index instead of the column's UNIQUE constraint).

SQLite cannot drop a constraint in place: the employer table is rebuilt (batch mode) with foreign keys off
— with them on, dropping the old table would delete or null every row that refers to an employer (the
training activities' employers, the patients' onset employer) or fail — and with the legacy rename, which
leaves the triggers of migration 0009 on other tables that update ``employer`` as they are. Foreign keys
cannot be switched within a transaction, so the work done so far is committed first; the foreign-key
check runs before they are switched back on.

Detection — Shanghai Annex 3 notes, 三.1: a serious-risk employer "每年至少进行一次职业病危害因素检测，每三年至少
进行一次职业病危害现状评价": each employer keeps the date of its latest 现状评价 (a table 4-2 row of detection type
2), by triggers as migration 0009 keeps ``last_detected_on``. Table 4-2 rows get the rectification of a
result over the limit and its re-test (三.4); the employer gets its declaration's receipt (一.1 备案回执).

Revision ID: 0015_branches_detection
Revises: 0014
"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0015_branches_detection"
down_revision = "0014"
branch_labels = None
depends_on = None

NOT_BRANCH = sa.text("NOT is_branch")
EVALUATION = "'2'"  # DetectionType code 2 现状评价 (Annex 4 table 4-2 note 8)
LAST_EVALUATED = ("(SELECT max(d.detected_on) FROM health_archive a "
                  "JOIN archive_exposure_detection d ON d.archive_id = a.id "
                  "JOIN detection_type t ON t.id = d.detection_type_id "
                  f"WHERE a.employer_id = employer.id AND t.code = {EVALUATION})")


def _archive_employers(archive_ids: str) -> str:
    return f"SELECT employer_id FROM health_archive WHERE id IN ({archive_ids})"


# table: (the columns whose change matters, the employers a row change touches per event)
SOURCES = {
    "archive_exposure_detection": (("archive_id", "detected_on", "detection_type_id"),
                                   {"insert": _archive_employers("NEW.archive_id"),
                                    "update": _archive_employers("OLD.archive_id, NEW.archive_id"),
                                    "delete": _archive_employers("OLD.archive_id")}),
    "health_archive": (("employer_id",), {"update": "OLD.employer_id, NEW.employer_id",
                                          "delete": "OLD.employer_id"}),
}
EMPLOYER_INDEXES = {
    "ix_employer_parent_id": (["parent_id"], {}),
    "ix_employer_evaluation": (["has_hazard", "risk_class_id", "last_evaluated_on", "production_status_id",
                                "org_unit_id", "archive_number"], {}),
    "uq_employer_credit_code": (["credit_code"], {"unique": True, "sqlite_where": NOT_BRANCH,
                                                  "postgresql_where": NOT_BRANCH}),
}
DETECTION_COLUMNS = ("rectification", "retested_on", "retest_result")


def _employer_columns():
    return [
        sa.Column("is_branch", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("employer.id", name="fk_employer_parent_id")),
        sa.Column("declaration_receipt_number", sa.String(50)),
        sa.Column("declaration_receipt_on", sa.Date()),
        sa.Column("last_evaluated_on", sa.Date()),
    ]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


@contextmanager
def _rebuilt_employer():
    """A batch over the employer table; on SQLite a rebuild with foreign keys off (see the module's doc)."""
    if not _sqlite():
        with op.batch_alter_table("employer") as batch:
            yield batch
        return
    connection = op.get_bind().connection.driver_connection
    connection.commit()
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("PRAGMA legacy_alter_table=ON")
    try:
        # the unnamed UNIQUE constraints of migration 0001 get names to be dropped by
        with op.batch_alter_table("employer", recreate="always",
                                  naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
            yield batch
        # rows pointing at an employer that is gone (a row broken before the rebuild is not its doing)
        broken = [row for row in connection.execute("PRAGMA foreign_key_check").fetchall() if row[2] == "employer"]
        if broken:
            raise RuntimeError(f"Rebuilding the employer table broke foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        connection.execute("PRAGMA legacy_alter_table=OFF")
        connection.execute("PRAGMA foreign_keys=ON")


def _triggers():
    for table, (columns, events) in SOURCES.items():
        for event, employers in events.items():
            name = f"keep_employer_evaluated_{table}_{event}"
            when = f"UPDATE OF {', '.join(columns)}" if event == "update" else event.upper()
            yield name, table, when, (f"UPDATE employer SET last_evaluated_on = {LAST_EVALUATED} "
                                      f"WHERE id IN ({employers})")


def upgrade():
    with _rebuilt_employer() as batch:
        if _sqlite():
            batch.drop_constraint("uq_employer_credit_code", type_="unique")
        else:
            batch.drop_constraint("employer_credit_code_key", type_="unique")
        for column in _employer_columns():
            batch.add_column(column)
    for name, (columns, options) in EMPLOYER_INDEXES.items():
        op.create_index(name, "employer", columns, **options)
    op.execute(f"UPDATE employer SET last_evaluated_on = {LAST_EVALUATED}")
    op.add_column("archive_exposure_detection", sa.Column("rectification", sa.Text()))
    op.add_column("archive_exposure_detection", sa.Column("retested_on", sa.Date()))
    op.add_column("archive_exposure_detection", sa.Column("retest_result", sa.String(1)))
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, when, statement in _triggers():
        if postgresql:
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {statement}; RETURN NULL; END $$")
            op.execute(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW BEGIN {statement}; END")


def downgrade():
    """A branch's code repeats its parent's: back under the column's UNIQUE constraint it is 'not yet
    obtained'."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _, _ in _triggers():
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgresql else f"DROP TRIGGER {name}")
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    for column in DETECTION_COLUMNS:  # SQLite ≥ 3.35 drops a column in place
        op.execute(f"ALTER TABLE archive_exposure_detection DROP COLUMN {column}")
    op.execute("UPDATE employer SET credit_code = NULL, credit_code_pending = true WHERE is_branch")
    for name in EMPLOYER_INDEXES:
        op.drop_index(name, table_name="employer")
    with _rebuilt_employer() as batch:
        for column in reversed(_employer_columns()):
            batch.drop_column(column.name)
        batch.create_unique_constraint("uq_employer_credit_code" if _sqlite() else "employer_credit_code_key",
                                       ["credit_code"])
