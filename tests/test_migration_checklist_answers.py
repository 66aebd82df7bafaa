"""Migration 0016 (issue 14, items 2–3) keeps the patrols already entered: their 有/无 answers, their answers'
clue categories from the items they were asked under, and — back down — a production status for every patrol."""
from datetime import date
from random import Random

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.models import ChecklistItem, ChecklistTemplate, Employer, OrgUnit, Patrol, ProductionStatus, db
from app.models.checklist import ABSENT, PRESENT
from app.seed.demo import make_credit_code
from tests.fieldwork import GUIZHOU
from tests.test_migrations import migrated_sqlite


def test_a_downgrade_and_upgrade_keep_the_answers_and_give_old_answers_their_clues(tmp_path):
    with migrated_sqlite(tmp_path / "answers.db") as (directory, city):
        district = OrgUnit(level="district", code="310101", name="黄浦区", parent=city)
        township = OrgUnit(level="township", code=f"{district.code}001", name="一号街道", parent=district)
        running = ProductionStatus(code="1", name="正常生产")
        template = ChecklistTemplate(name=GUIZHOU, region_code="520000", header_fields=["address"], items=[
            ChecklistItem(number=number, text=f"第{number}项", problem_if_present=number == 7,
                          asks_description=number == 7, clue_category="complaint" if number == 7 else None)
            for number in range(1, 8)])
        employer = Employer(name="迁移测试企业", org_unit=township, credit_code=make_credit_code(Random(1), "310101"))
        db.session.add_all([city, running, template, employer])
        db.session.flush()
        patrol = Patrol(employer=employer, template=template, visit_date=date(2026, 3, 2))
        patrol.fill_answers({n: (PRESENT if n in (1, 7) else ABSENT, "群众举报" if n == 7 else None)
                             for n in range(1, 8)})
        db.session.add(patrol)
        db.session.commit()
        patrol_id = patrol.id

        downgrade(directory=directory, revision="0014")
        assert db.session.execute(text(
            "SELECT production_status_id FROM patrol WHERE id = :id"), {"id": patrol_id}).scalar() == running.id
        assert [bool(v) for v in db.session.execute(text(
            "SELECT answer FROM patrol_answer WHERE patrol_id = :id ORDER BY item_number"),
            {"id": patrol_id}).scalars()] == [True, False, False, False, False, False, True]

        upgrade(directory=directory)
        db.session.expire_all()
        again = db.session.get(Patrol, patrol_id)
        assert [a.answer for a in again.answers] == [PRESENT] + [ABSENT] * 5 + [PRESENT]
        assert [a.item_number for a in again.clue_answers] == [7]
        assert db.session.scalar(select(ChecklistTemplate.header_fields).where(ChecklistTemplate.name == GUIZHOU)) \
            == ["address", "legal_representative", "contact_phone"]
