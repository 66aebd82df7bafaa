"""What a checklist template declares (issue 14, items 2 and 3): the patrol form's header fields it prints,
the answers each item allows (有/无/不适用: Guizhou "非建设项目第2项可为合理缺项") and the items whose 有 is a clue
(Guizhou "第6-7项为发现线索", Shanghai item 7), copied onto each patrol answer as the other item facts are; a
patrol answer is a code (yes/no/na) instead of a boolean; a patrol's production status (生产经营状况, Shanghai
Annex 3 only) may be empty; a hazard report names the patrol item whose clue it reports.

The seeded Shanghai and Guizhou templates get their declarations; any other template keeps every header field
(what the form showed before). Old answers keep 有/无 and take their item's clue category.

SQLite: patrol is not rebuilt (a batch rebuild would drop the due-list triggers of migration 0009 and, with
foreign keys on, delete the patrols' answers with the old table): its NOT NULL is removed in the stored schema,
the procedure SQLite documents for removing a NOT NULL constraint.

Revision ID: 0016_checklist_answers
Revises: 0015_branches_detection
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_checklist_answers"
down_revision = "0015_branches_detection"
branch_labels = None
depends_on = None

SHANGHAI, GUIZHOU = "上海市职业健康协管巡查个案信息表", "贵州省职业健康监督协管巡查个案信息表"
EVERY_FIELD = '["address", "legal_representative", "contact_person", "contact_phone", "hazards", "production_status"]'
HEADER_FIELDS = {SHANGHAI: '["address", "contact_person", "contact_phone", "hazards", "production_status"]',
                 GUIZHOU: '["address", "legal_representative", "contact_phone"]'}
CLUES = {SHANGHAI: {7: "violation"}, GUIZHOU: {6: "abnormal_workplace", 7: "complaint"}}
NOT_APPLICABLE_ALLOWED = {GUIZHOU: 2}
YES_NO = '["yes", "no"]'


def _template(name: str) -> str:
    return f"template_id IN (SELECT id FROM checklist_template WHERE name = '{name}')"


def _patrol_production_status(nullable: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("patrol", "production_status_id", existing_type=sa.Integer(), nullable=nullable)
        return
    required, optional = "production_status_id INTEGER NOT NULL", "production_status_id INTEGER"
    old, new = (required, optional) if nullable else (optional, required)
    version = op.get_bind().exec_driver_sql("PRAGMA schema_version").scalar()
    op.execute("PRAGMA writable_schema=ON")
    op.execute(f"UPDATE sqlite_master SET sql = replace(sql, '{old},', '{new},') WHERE type = 'table' "
               "AND name = 'patrol'")
    op.execute(f"PRAGMA schema_version={version + 1}")
    op.execute("PRAGMA writable_schema=OFF")


def upgrade():
    op.add_column("checklist_template", sa.Column("header_fields", sa.JSON(), nullable=False, server_default="[]"))
    op.execute(f"UPDATE checklist_template SET header_fields = '{EVERY_FIELD}'")
    for name, fields in HEADER_FIELDS.items():
        op.execute(f"UPDATE checklist_template SET header_fields = '{fields}' WHERE name = '{name}'")
    for table in ("checklist_item", "patrol_answer"):
        op.add_column(table, sa.Column("allowed_answers", sa.JSON(), nullable=False, server_default=YES_NO))
        op.add_column(table, sa.Column("clue_category", sa.String(length=20), nullable=True))
    for name, number in NOT_APPLICABLE_ALLOWED.items():
        op.execute(f"UPDATE checklist_item SET allowed_answers = '[\"yes\", \"no\", \"na\"]' "
                   f"WHERE number = {number} AND {_template(name)}")
    for name, clues in CLUES.items():
        for number, category in clues.items():
            op.execute(f"UPDATE checklist_item SET clue_category = '{category}' WHERE number = {number} "
                       f"AND {_template(name)}")
    # patrol_answer is referred to by no table and carries no trigger: a batch rebuild on SQLite is safe.
    op.add_column("patrol_answer", sa.Column("reply", sa.String(length=3), nullable=True))
    op.execute("UPDATE patrol_answer SET reply = CASE WHEN answer THEN 'yes' ELSE 'no' END")
    with op.batch_alter_table("patrol_answer") as batch:
        batch.drop_column("answer")
        batch.alter_column("reply", new_column_name="answer", existing_type=sa.String(length=3), nullable=False)
    op.execute("UPDATE patrol_answer SET clue_category = (SELECT i.clue_category FROM checklist_item i "
               "JOIN patrol p ON p.template_id = i.template_id WHERE p.id = patrol_answer.patrol_id "
               "AND i.number = patrol_answer.item_number AND i.text = patrol_answer.item_text)")
    _patrol_production_status(nullable=True)
    op.add_column("hazard_report", sa.Column("item_number", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("hazard_report", "item_number")
    op.execute("UPDATE patrol SET production_status_id = (SELECT e.production_status_id FROM employer e "
               "WHERE e.id = patrol.employer_id) WHERE production_status_id IS NULL")
    op.execute("UPDATE patrol SET production_status_id = (SELECT min(id) FROM production_status) "
               "WHERE production_status_id IS NULL")
    _patrol_production_status(nullable=False)
    op.add_column("patrol_answer", sa.Column("given", sa.Boolean(), nullable=True))
    op.execute("UPDATE patrol_answer SET given = (answer = 'yes')")  # 不适用 reads as 有: no finding either way
    with op.batch_alter_table("patrol_answer") as batch:
        batch.drop_column("answer")
        batch.drop_column("clue_category")
        batch.drop_column("allowed_answers")
        batch.alter_column("given", new_column_name="answer", existing_type=sa.Boolean(), nullable=False)
    with op.batch_alter_table("checklist_item") as batch:
        batch.drop_column("clue_category")
        batch.drop_column("allowed_answers")
    op.execute("ALTER TABLE checklist_template DROP COLUMN header_fields")
