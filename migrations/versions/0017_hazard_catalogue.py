"""The whole hazard-factor catalogue and the kinds a screening names (issue 14, items 4 and 5).

The dictionary held 69 of the 459 factors of 职业病危害因素分类目录 (2015), coded by their place in that
short list; a factor's code is now its category's code and its number in the catalogue (矽尘 1001, 苯 2028).
The factors the old list held keep their rows — and so every record that names them — under their new code
(old code → catalogue entry below); where the dictionary is seeded, the catalogue's other factors are added
(app/seed/data/hazard_factors.csv). A screening names the factors of each kind it counts (screening_hazard).

Table 4-2's 职业病危害防护设施 (note 7: 无, or the measures, 代码表附表6) chooses among the protective-measure
types (archive_exposure_detection_measure) instead of three free-text columns: each text is split into
measures, each found by name in the dictionary or added to it, so nothing typed is lost.

Revision ID: 0017_hazard_catalogue
Revises: 0016_checklist_answers
"""
import re

import sqlalchemy as sa
from alembic import op

from app.seed.dictionaries import hazard_catalogue, hazard_factor_code, stored_cas

revision = "0017_hazard_catalogue"
down_revision = "0016_checklist_answers"
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

measure = sa.table("protective_measure_type", sa.column("id", sa.Integer), sa.column("code", sa.String),
                   sa.column("name", sa.String), sa.column("sort_order", sa.Integer), sa.column("active", sa.Boolean),
                   sa.column("version", sa.Integer))
detection = sa.table("archive_exposure_detection", sa.column("id", sa.Integer),
                     *(sa.column(name, sa.String) for name in ("protective_equipment", "emergency_facilities",
                                                               "personal_protection")))
link = sa.table("archive_exposure_detection_measure", sa.column("detection_id", sa.Integer),
                sa.column("measure_type_id", sa.Integer))
TEXTS = ("protective_equipment", "emergency_facilities", "personal_protection")
SEPARATORS = re.compile(r"[、，,；;/\s]+")
NONE = {"", "无", "没有", "/", "-"}


def upgrade():
    _catalogue()
    _protective_measures()


def _catalogue():
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


def _protective_measures():
    connection = op.get_bind()
    texts = connection.execute(sa.select(detection)).all()  # read before the columns go
    for column in TEXTS:  # a plain DROP COLUMN (SQLite 3.35+ and PostgreSQL), never a batch rebuild
        op.execute(f"ALTER TABLE archive_exposure_detection DROP COLUMN {column}")
    op.create_table(
        "archive_exposure_detection_measure",
        sa.Column("detection_id", sa.Integer(), nullable=False),
        sa.Column("measure_type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["detection_id"], ["archive_exposure_detection.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["measure_type_id"], ["protective_measure_type.id"]),
        sa.PrimaryKeyConstraint("detection_id", "measure_type_id"),
    )
    op.create_index("ix_archive_exposure_detection_measure_measure_type_id", "archive_exposure_detection_measure",
                    ["measure_type_id"])
    known = dict(connection.execute(sa.select(measure.c.name, measure.c.id)).all())
    codes = [code for code, in connection.execute(sa.select(measure.c.code))]
    number = max((int(code) for code in codes if code.isdigit()), default=0)
    links = set()
    for row in texts:
        for text in row[1:]:
            for name in SEPARATORS.split((text or "").strip()):
                if name in NONE:
                    continue
                if name not in known:
                    number += 1
                    known[name] = connection.execute(measure.insert().values(
                        code=f"{number:02d}", name=name[:200], sort_order=number, active=True, version=1)
                        .returning(measure.c.id)).scalar_one()
                links.add((row.id, known[name]))
    if links:
        connection.execute(link.insert(), [{"detection_id": d, "measure_type_id": m} for d, m in sorted(links)])


def downgrade():
    connection = op.get_bind()
    chosen = {}
    for detection_id, name in connection.execute(sa.select(link.c.detection_id, measure.c.name).join(
            measure, measure.c.id == link.c.measure_type_id).order_by(measure.c.sort_order)):
        chosen.setdefault(detection_id, []).append(name)
    op.drop_index("ix_archive_exposure_detection_measure_measure_type_id",
                  table_name="archive_exposure_detection_measure")
    op.drop_table("archive_exposure_detection_measure")
    for column in TEXTS:
        op.add_column("archive_exposure_detection", sa.Column(column, sa.String(200)))
    for detection_id, names in chosen.items():
        connection.execute(detection.update().where(detection.c.id == detection_id).values(
            protective_equipment="、".join(names)[:200]))
    op.drop_index("ix_screening_hazard_hazard_factor_id", table_name="screening_hazard")
    op.drop_table("screening_hazard")
