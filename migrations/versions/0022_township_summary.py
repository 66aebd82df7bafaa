"""Live rollups at province scale (issue 15, item 4): township summaries of the indicator queries and the
versions that keep them honest (app/models/summary.py, app/reports/summary.py).

Every table an indicator reads bumps, in the same transaction as the write, the version of each township
whose sums the row feeds: its own township, and the township of the employer, patrol, archive, patient or
coordinator it belongs to (an employer moved between townships bumps both). The dictionaries the
indicators read bump the global version (row 0). Each org unit gets its version row when it is created.

PostgreSQL: one statement-level trigger per table and event, over its transition tables (a bulk insert
bumps each township once). SQLite: row-level triggers. SQLite drops a table's triggers when Alembic's batch
mode rebuilds the table: a later migration that does so for one of these tables must create them again
(tests/test_report_summary.py checks that every table an indicator reads has them).

Revision ID: 0022_township_summary
Revises: 0021_province_tier
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_township_summary"
down_revision = "0021_province_tier"
branch_labels = None
depends_on = None

_EMPLOYER = ("employer", "employer_id")
_ARCHIVE_EMPLOYER = (("health_archive", "archive_id"), _EMPLOYER)
# table: the routes from one of its rows to a township whose sums it feeds; () is the row's own org_unit_id,
# else a chain of (table, the column naming its row) ending at a table with an org_unit_id.
ROUTES = {
    "employer": ((),),
    "screening": ((), (_EMPLOYER,)),
    "patrol": ((), (_EMPLOYER,)),
    "hazard_report": ((), (("patrol", "patrol_id"),)),
    "patrol_answer": ((("patrol", "patrol_id"),),),
    "health_archive": ((_EMPLOYER,),),
    "archive_exposure_detection": (_ARCHIVE_EMPLOYER,),
    "archive_exposure_summary": (_ARCHIVE_EMPLOYER,),
    "archive_review": (_ARCHIVE_EMPLOYER,),
    "patient": ((),),
    "patient_follow_up_visit": ((("patient", "patient_id"),),),
    "coordinator": ((),),
    "coordinator_training": ((("coordinator", "coordinator_id"),),),
    "training_activity": ((),),
    "sme_assistance": ((),),
}
GLOBAL = ("industry", "production_status", "risk_class")  # dictionaries the indicators read (id and code)
GLOBAL_COLUMNS = "id, code"  # an edit of a dictionary row's name or order changes no indicator
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE summary_stamp SET version = version + 1 WHERE org_unit_id IN "


def _postgresql_select(route, rows: str) -> str:
    """The townships a route reaches from every row of a transition table."""
    joins, previous = "", "r"
    for number, (table, column) in enumerate(route, start=1):
        joins += f" JOIN {table} j{number} ON j{number}.id = {previous}.{column}"
        previous = f"j{number}"
    return f"SELECT {previous}.org_unit_id FROM {rows} r{joins}"


def _sqlite_value(route, row: str) -> str:
    """The township a route reaches from the trigger's NEW or OLD row."""
    if not route:
        return f"{row}.org_unit_id"
    (first, column), rest = route[0], route[1:]
    joins, previous = "", "j1"
    for number, (table, next_column) in enumerate(rest, start=2):
        joins += f" JOIN {table} j{number} ON j{number}.id = {previous}.{next_column}"
        previous = f"j{number}"
    return f"(SELECT {previous}.org_unit_id FROM {first} j1{joins} WHERE j1.id = {row}.{column})"


def _rows_of(event: str) -> tuple[str, ...]:
    return {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}[event]


def _triggers(postgresql: bool):
    """(name, table, event, the statement that bumps the versions) of every trigger."""
    for table in (*ROUTES, *GLOBAL):
        for event in EVENTS:
            name = f"summary_stamp_{table}_{event}"
            if table in GLOBAL:
                statement = f"{BUMP}(0)"
            elif postgresql:
                statement = BUMP + "(" + " UNION ".join(
                    _postgresql_select(route, f"{row.lower()}_rows")
                    for row in _rows_of(event) for route in ROUTES[table]) + ")"
            else:
                statement = BUMP + "(" + ", ".join(
                    _sqlite_value(route, row) for row in _rows_of(event) for route in ROUTES[table]) + ")"
            yield name, table, event, statement


def _event(table: str, event: str) -> str:
    return f"UPDATE OF {GLOBAL_COLUMNS}" if table in GLOBAL and event == "update" else event.upper()


def upgrade():
    op.create_table(
        "summary_stamp",
        sa.Column("org_unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("org_unit_id"),
    )
    op.create_table(
        "township_summary",
        sa.Column("query_key", sa.String(length=40), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("global_version", sa.Integer(), nullable=False),
        sa.Column("sums", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("query_key", "org_unit_id"),
    )
    op.create_index("ix_township_summary_expires_on", "township_summary", ["expires_on"])
    op.execute("INSERT INTO summary_stamp (org_unit_id, version) VALUES (0, 0)")
    op.execute("INSERT INTO summary_stamp (org_unit_id, version) SELECT id, 0 FROM org_unit")
    postgresql = op.get_bind().dialect.name == "postgresql"
    new_unit = "INSERT INTO summary_stamp (org_unit_id, version) VALUES (NEW.id, 0)"
    if postgresql:
        op.execute("CREATE FUNCTION summary_stamp_org_unit() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN {new_unit} ON CONFLICT DO NOTHING; RETURN NULL; END $$")
        op.execute("CREATE TRIGGER summary_stamp_org_unit AFTER INSERT ON org_unit FOR EACH ROW "
                   "EXECUTE FUNCTION summary_stamp_org_unit()")
    else:
        op.execute("CREATE TRIGGER summary_stamp_org_unit AFTER INSERT ON org_unit FOR EACH ROW "
                   f"BEGIN {new_unit.replace('INSERT', 'INSERT OR IGNORE', 1)}; END")
    for name, table, event, statement in _triggers(postgresql):
        if postgresql:
            transitions = " ".join(f"{row} TABLE AS {row.lower()}_rows" for row in _rows_of(event))
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {statement}; RETURN NULL; END $$")
            referencing = "" if table in GLOBAL else f" REFERENCING {transitions}"
            op.execute(f"CREATE TRIGGER {name} AFTER {_event(table, event)} ON {table}{referencing} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {_event(table, event)} ON {table} FOR EACH ROW "
                       f"BEGIN {statement}; END")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _, _ in [*_triggers(postgresql), ("summary_stamp_org_unit", "org_unit", None, None)]:
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgresql else f"DROP TRIGGER {name}")
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("township_summary")
    op.drop_table("summary_stamp")
