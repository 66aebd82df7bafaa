"""Annex 6 deductions the records decide (issue 14 item 9), on a city of their own: Shenzhen 440300,
district 罗湖区 with township r1 (no service plan) and r2 (a plan for the year).

- 培训与宣传 "未参加培训、会议，每次扣2分": each training a coordinator of the township was called to and
  did not attend, in the year.
- 日常排查 "未完成每年排查户次数，缺少一户次扣1分": against the year's plan, per year; with no plan, each
  employer new in the year ("每年对辖区内新增用人单位进行全覆盖排查") not screened in it.
- 日常巡查 "每上、下半年各对辖区内已申报职业病危害项目的用人单位进行全覆盖巡查": with no plan, each declared
  employer not patrolled in a half-year that has ended.
- 发现安全隐患 "未及时上报，每次扣3分": only the three kinds Annex 6 says are reported at once.
"""
import random
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import (CITY, DISTRICT, TOWNSHIP, ChecklistTemplate, Coordinator, CoordinatorTraining, Employer,
                        HazardReport, OrgUnit, Patrol, ProductionStatus, RiskClass, Screening, ServicePlan, db)
from app.reports.score import township_scores
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD

YEAR = 2025
THIS_YEAR = date.today().year


@pytest.fixture(scope="module")
def shenzhen(app):
    rng = random.Random(23)
    with app.app_context():
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        running = db.session.scalar(select(ProductionStatus).where(ProductionStatus.code == "1"))
        template = db.session.scalar(select(ChecklistTemplate).order_by(ChecklistTemplate.id))
        city = OrgUnit(level=CITY, code="440300", name="深圳市")
        district = OrgUnit(level=DISTRICT, code="440303", name="罗湖区", parent=city)
        r1 = OrgUnit(level=TOWNSHIP, code=f"{district.code}001", name="R1街道", parent=district)
        r2 = OrgUnit(level=TOWNSHIP, code=f"{district.code}002", name="R2街道", parent=district)
        db.session.add_all([city, district, r1, r2])

        def employer(key, unit, registered, declared_on=None):
            return Employer(name=f"深圳{key}", org_unit=unit, has_hazard=True, risk_class=risk,
                            registered_on=registered, hazard_declared=declared_on is not None,
                            declared_on=declared_on, workplace_address=f"罗湖路{key}号",
                            credit_code=make_credit_code(rng, "440303"))

        e = {"new_unscreened": employer("1", r1, date(YEAR, 3, 1)),
             "new_screened": employer("2", r1, date(YEAR, 5, 1)),
             "old_declared": employer("3", r1, date(YEAR - 2, 1, 1), date(YEAR - 2, 6, 1)),
             "declared_in_h2": employer("4", r1, date(YEAR - 1, 1, 1), date(YEAR, 8, 1)),
             "undeclared": employer("5", r1, date(YEAR - 1, 1, 1)),
             "r2_a": employer("6", r2, date(YEAR - 1, 1, 1)),
             "r2_b": employer("7", r2, date(YEAR - 1, 1, 1))}
        db.session.add_all(e.values())
        db.session.flush()

        def visits(model, *rows, **columns):
            db.session.execute(model.__table__.insert(), [
                {"employer_id": e[key].id, "org_unit_id": e[key].org_unit_id, "visit_date": visited,
                 "state": state, "submitted_at": datetime.combine(visited, datetime.min.time()), **columns}
                for key, visited, state in rows])

        visits(Screening, ("new_screened", date(YEAR, 6, 1), "submitted"),
               # r2: one employer screened in each half, another in the second: 2 employers in the year
               ("r2_a", date(YEAR, 3, 1), "accepted"), ("r2_a", date(YEAR, 9, 1), "submitted"),
               ("r2_b", date(YEAR, 10, 1), "submitted"))
        visits(Patrol, ("old_declared", date(YEAR, 4, 1), "submitted"),
               ("declared_in_h2", date(YEAR, 11, 1), "draft"),  # a draft is not work done
               template_id=template.id, production_status_id=running.id)
        db.session.add(ServicePlan(org_unit=r2, year=YEAR, screen_h1=2, screen_h2=3, patrol_h1=0, patrol_h2=0))

        c1 = Coordinator(name="李协管", org_unit=r1, appointed_on=date(YEAR - 3, 1, 1))
        c2 = Coordinator(name="王协管", org_unit=r2, appointed_on=date(YEAR - 3, 1, 1))
        db.session.add_all([c1, c2])
        db.session.flush()
        for coordinator, held, attended in ((c1, date(YEAR, 3, 10), True), (c1, date(YEAR, 6, 10), False),
                                            (c1, date(YEAR - 1, 6, 10), False),  # another year
                                            (c2, date(YEAR, 4, 1), False), (c2, date(YEAR, 9, 1), False)):
            db.session.add(CoordinatorTraining(coordinator=coordinator, course=f"协管员培训{held}", held_on=held,
                                               attended=attended, passed=False))

        def clue(key, category, found, reported=None):
            return HazardReport(employer=e[key], category=category, description=category, found_at=found,
                                reported_at=reported, reported_to="区卫生监督所" if reported else None)

        clues = [clue("old_declared", "complaint", datetime(YEAR, 4, 1, 9)),  # never reported
                 clue("old_declared", "abnormal_workplace", datetime(YEAR, 5, 1, 9), datetime(YEAR, 7, 1, 9)),
                 clue("undeclared", "violation", datetime(YEAR, 6, 1, 9)),
                 clue("undeclared", "vulnerable_workers", datetime(YEAR, 6, 2, 9), datetime(YEAR, 6, 5, 9))]
        db.session.add_all(clues)
        with db.session.no_autoflush:
            db.session.add(make_user(app.appbuilder.sm, "szdistrict", "District admin", district, PASSWORD,
                                     first_name="管", last_name="罗"))
        db.session.commit()
        return SimpleNamespace(r1=r1.id, r2=r2.id, employer={key: row.id for key, row in e.items()},
                               clues=[row.id for row in clues], trainings={c1.id: "r1", c2.id: "r2"})


def scores(app, shenzhen, year=YEAR):
    with app.app_context():
        district = db.session.get(OrgUnit, shenzhen.r1).parent
        return {score.unit.id: {line.item: line for line in score.lines}
                for score in township_scores(year, district, with_records=True)}


def records(line, kind="employer"):
    return sorted(record.id for deduction in line.deductions for record in deduction.records
                  if record.kind == kind)


def test_each_training_or_meeting_missed_costs_2_points_未参加培训会议每次扣2分(app, shenzhen):
    found = scores(app, shenzhen)
    assert found[shenzhen.r1]["training"].deducted == 2
    assert found[shenzhen.r2]["training"].deducted == 4
    assert all(not deduction.entered for deduction in found[shenzhen.r2]["training"].deductions)
    assert [record.kind for deduction in found[shenzhen.r2]["training"].deductions
            for record in deduction.records] == ["coordinator_training"] * 2


def test_screenings_are_counted_against_the_years_plan_未完成每年排查户次数(app, shenzhen):
    """r2 planned 2 + 3 = 5 employers in the year and screened 2 distinct ones: −3 (per half-year it
    would have been 1 of 2 and 2 of 3, −2)."""
    line = scores(app, shenzhen)[shenzhen.r2]["screening"]
    assert line.deducted == 3
    assert len(line.deductions) == 1


def test_without_a_plan_each_new_employer_not_screened_in_its_year_costs_1_point_新增用人单位全覆盖排查(
        app, shenzhen):
    line = scores(app, shenzhen)[shenzhen.r1]["screening"]
    assert line.deducted == 1
    assert records(line) == [shenzhen.employer["new_unscreened"]]


def test_without_a_plan_each_declared_employer_not_patrolled_in_a_half_year_costs_1_point_每上下半年全覆盖巡查(
        app, shenzhen):
    """H1: the employer declared since 2023 was patrolled. H2: it was not, and neither was the one
    declared in August (a draft patrol is not work done): −2. The undeclared employer is not required."""
    line = scores(app, shenzhen)[shenzhen.r1]["patrol"]
    assert line.deducted == 2
    assert records(line) == sorted([shenzhen.employer["old_declared"], shenzhen.employer["declared_in_h2"]])


def test_a_half_year_or_year_still_running_costs_nothing_yet(app, shenzhen):
    """This year nobody in r1 was patrolled or screened: only the half-years already over count."""
    line = scores(app, shenzhen, THIS_YEAR)[shenzhen.r1]["patrol"]
    ended = [half for half, last in ((1, date(THIS_YEAR, 6, 30)), (2, date(THIS_YEAR, 12, 31)))
             if last < date.today()]
    assert line.deducted == 2 * len(ended)


def test_only_the_three_immediate_kinds_cost_points_发现安全隐患未及时上报每次扣3分(app, shenzhen):
    """A complaint never reported and an abnormal workplace reported two months later are Guizhou's
    clues, not Annex 6's three kinds: only the violation never reported and the minors' case reported
    three days later cost 3 points each."""
    line = scores(app, shenzhen)[shenzhen.r1]["hazards"]
    assert line.deducted == 6
    assert records(line, "hazard_report") == sorted(shenzhen.clues[2:])


def test_the_district_admin_sees_each_computed_deduction_with_its_record(app, shenzhen, login):
    client = login("szdistrict")
    html = client.get(f"/score/?unit={shenzhen.r2}&year={YEAR}").data.decode()
    with app.app_context():
        missed = db.session.scalars(select(CoordinatorTraining.id).where(~CoordinatorTraining.attended,
                                                                          CoordinatorTraining.held_on >= date(YEAR, 1, 1))
                                    .join(Coordinator).where(Coordinator.org_unit_id == shenzhen.r2)).all()
    assert len(missed) == 2 and all(f"/coordinatortrainings/show/{row}" in html for row in missed)
    assert "未参加培训、会议" in html and "2 / 5" not in html and "全年计划 5 户，完成 2 户" in html
    html = client.get(f"/score/?unit={shenzhen.r1}&year={YEAR}").data.decode()
    assert f"/employers/show/{shenzhen.employer['new_unscreened']}" in html
    assert "第 2 半年：已申报未巡查的用人单位" in html
