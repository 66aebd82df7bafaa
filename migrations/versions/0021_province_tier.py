"""A province tier and 9-digit township codes (issue 15, item 3).

A province may sit above the cities (province → city → district/county → township; a municipality keeps
three tiers), and a township's code is the official 9-digit one of the statistical division codes
(统计用区划代码: its county's 6 digits + 3). A stored 2-digit township code ``NN`` becomes its district's
code + ``0NN`` (310101 + 01 → 310101001) and the township's path follows; the column grows to 9 characters.
The archive number is the township's code + a 4-digit serial, 13 digits; numbers already given keep their 12
(they are printed on the archives) and stay unique, the new ones being longer.

SQLite ignores a VARCHAR's length, but the declared one is what the schema says (and what the check that
models and migrations agree reads): it is changed in the table's declaration itself (SQLite's own way to
change what does not touch the stored rows, "Making Other Kinds Of Table Schema Changes"), rather than by
rebuilding two tables every other table refers to.

Revision ID: 0021_province_tier
Revises: 0020_pending_imports
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_province_tier"
down_revision = "0020_pending_imports"
branch_labels = None
depends_on = None

PARENT = "(SELECT p.{column} FROM org_unit p WHERE p.id = org_unit.parent_id)"
TOWNSHIPS = "level = 'township' AND parent_id IS NOT NULL"  # a township without its district is none to convert
SHORT_NUMBER = "substr({e}.archive_number, 1, 6) || substr({e}.archive_number, 8, 6)"  # 6 + 2 + 4 digits
TOWNSHIP_PATHS = f"UPDATE org_unit SET path = {PARENT.format(column='path')} || code || '/' WHERE {TOWNSHIPS}"


def _declare_length(table: str, column: str, old: int, new: int, nullable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column(table, column, type_=sa.String(new), existing_type=sa.String(old),
                        existing_nullable=nullable)
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
                         "WHERE type = 'table' AND name = :table"),
                 {"old": f"\t{column} VARCHAR({old})", "new": f"\t{column} VARCHAR({new})", "table": table})
    bind.exec_driver_sql(f"PRAGMA schema_version={version + 1}")  # every connection reads the schema anew
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade():
    _declare_length("org_unit", "code", 6, 9, nullable=False)
    _declare_length("employer", "archive_number", 12, 13, nullable=True)
    op.execute(f"UPDATE org_unit SET code = {PARENT.format(column='code')} || '0' || code "
               f"WHERE {TOWNSHIPS} AND length(code) = 2")
    op.execute(TOWNSHIP_PATHS)


def downgrade():
    """Back to 2-digit township codes and 12-digit archive numbers (310101001 → 01, 3101010010007 →
    310101010007): only where every township's 3 digits are 001–099, no province exists and no 13-digit
    archive number would become one already given (a downgrade must not lose or merge them)."""
    bind = op.get_bind()
    blocking = bind.execute(sa.text(
        "SELECT (SELECT count(*) FROM org_unit WHERE level = 'province' OR (level = 'township' AND length(code) = 9"
        "                                    AND (substr(code, 7, 1) <> '0' OR substr(code, 8, 2) = '00')))"
        f" + (SELECT count(*) FROM employer e WHERE length(e.archive_number) = 13 AND (substr(e.archive_number, 7, 1)"
        f"    <> '0' OR EXISTS (SELECT 1 FROM employer o WHERE o.archive_number = {SHORT_NUMBER.format(e='e')})))")
    ).scalar()
    if blocking:
        raise RuntimeError("Provinces, township codes beyond 099 or archive numbers that cannot be shortened do "
                           "not fit the three tiers of 2-digit township codes: remove them before downgrading")
    op.execute(f"UPDATE employer SET archive_number = {SHORT_NUMBER.format(e='employer')} "
               "WHERE length(archive_number) = 13")
    op.execute(f"UPDATE org_unit SET code = substr(code, 8, 2) WHERE {TOWNSHIPS} AND length(code) = 9")
    op.execute(TOWNSHIP_PATHS)
    _declare_length("employer", "archive_number", 13, 12, nullable=True)
    _declare_length("org_unit", "code", 9, 6, nullable=False)
