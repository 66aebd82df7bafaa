"""The whole hazard-factor catalogue and the kinds a screening names (issue 14, items 4 and 5).

The dictionary held 69 of the 459 factors of 职业病危害因素分类目录 (2015), coded by their place in that
short list; a factor's code is now its category's code and its number in the catalogue (矽尘 1001, 苯 2028).
The factors the old list held keep their rows — and so every record that names them — under their new code
(old code → catalogue entry below); where the dictionary is seeded, the catalogue's other factors are added
(app/seed/data/hazard_factors.csv). A screening names the factors of each kind it counts (screening_hazard).

Revision ID: 0017_hazard_catalogue
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

from app.seed.dictionaries import hazard_catalogue, hazard_factor_code, stored_cas

revision = "0017_hazard_catalogue"
down_revision = "0014"
branch_labels = None
depends_on = None

# The old seed's codes whose place in the catalogue differs, by the catalogue entry they are (the rest —
# dust 1–12, lead to cadmium, the physical, radioactive, biological and other factors — kept their number).
RECODED = {
    "1013": "木粉尘", "1014": "棉尘", "1015": "砂轮磨尘", "1016": "以上未提及的可导致职业病的其他粉尘",
    "2005": "铬及其化合物", "2006": "砷及其化合物（砷化氢单列）", "2007": "苯", "2008": "甲苯", "2009": "二甲苯",
    "2010": "正己烷", "2011": "甲醛", "2012": "一氧化碳", "2013": "硫化氢", "2014": "氨", "2015": "氯气",
    "2016": "二氯乙烷", "2017": "三氯乙烯", "2018": "苯的氨基及硝基化合物（不含三硝基甲苯）",
    "2019": "硫酸及三氧化硫", "2020": "氢氧化钠", "2021": "以上未提及的可导致职业病的其他化学因素",
}
category = sa.table("hazard_category", sa.column("id", sa.Integer), sa.column("code", sa.String))
factor = sa.table("hazard_factor", sa.column("id", sa.Integer), sa.column("code", sa.String),
                  sa.column("name", sa.String), sa.column("cas_number", sa.String),
                  sa.column("sort_order", sa.Integer), sa.column("active", sa.Boolean),
                  sa.column("category_id", sa.Integer), sa.column("version", sa.Integer))


def upgrade():
    op.create_table(
        "screening_hazard",
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("hazard_factor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hazard_factor_id"], ["hazard_factor.id"]),
        sa.ForeignKeyConstraint(["screening_id"], ["screening.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("screening_id", "hazard_factor_id"),
    )
    op.create_index("ix_screening_hazard_hazard_factor_id", "screening_hazard", ["hazard_factor_id"])
    connection = op.get_bind()
    categories = dict(connection.execute(sa.select(category.c.code, category.c.id)).all())
    if not categories:
        return  # a new database: the seed brings the catalogue
    entries = {(row["category"], row["name"]): row for row in hazard_catalogue()}
    by_code = {hazard_factor_code(row["category"], row["number"]): row for row in entries.values()}
    ids = dict(connection.execute(sa.select(factor.c.code, factor.c.id).where(
        factor.c.category_id.in_(categories.values()))).all())
    moves = {ids[old]: entries[(old[0], name)] for old, name in RECODED.items() if old in ids}
    for pk in moves:  # out of the way first: a new code may be another old one's
        connection.execute(factor.update().where(factor.c.id == pk).values(code=f"~{pk}"))
    for pk, row in moves.items():
        connection.execute(factor.update().where(factor.c.id == pk).values(
            code=hazard_factor_code(row["category"], row["number"]), name=row["name"],
            cas_number=stored_cas(row["cas"]), sort_order=row["number"]))
    taken = {code for code, in connection.execute(sa.select(factor.c.code))}
    connection.execute(factor.insert(), [
        {"code": code, "name": row["name"], "cas_number": stored_cas(row["cas"]), "sort_order": row["number"],
         "active": True, "category_id": categories[row["category"]], "version": 1}
        for code, row in by_code.items() if code not in taken and row["category"] in categories])


def downgrade():
    op.drop_index("ix_screening_hazard_hazard_factor_id", table_name="screening_hazard")
    op.drop_table("screening_hazard")
