"""Indicator formulas read from the seeds (issue 14, item 7), on a small city built for them: each rule's
test checks the indicator's own grouped query (one indicator alone) and the rollup of the whole set
(indicators counted together, app/reports/engine.query_groups)."""
import random
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import (CITY, DISTRICT, TOWNSHIP, ChecklistTemplate, Coordinator, CoordinatorTraining, Employer,
                        EnterpriseSize, Industry, OrgUnit, Patrol, RiskClass, Screening, SmeAssistance,
                        TrainingActivity, db)
from app.reports.engine import members, rollup, with_half_years
from app.reports.indicators import INDICATORS, INDICATORS_BY_CODE
from app.reports.periods import parse_period
from app.seed.demo import make_credit_code
from tests.fieldwork import production_status_id


@pytest.fixture(scope="module")
def nanjing(app):
    """City 320100, district 320102 with townships p1 and p2 (period 2025).

    p1: A general risk, declared 2024; screened 2025-05-01 (exams due 10, done 10, but the exam report is
          dated 2024-02-01: not an exam of 2025); patrolled 2025-03-01 and 2025-09-01 (both halves)
        B general, declared 2024, industry 26 (chemicals: a key industry); screened 2025-06-01 (due 5, done 4,
          report 2025-04-01), 5 exposed to dust; patrolled 2025-03-01 only (first half)
        D general, registered 2025-07-01, declared 2025-08-01; patrolled 2025-09-01 (only the second half
          is asked of it)
    p2: E serious risk, declared 2024; screened only 2024-06-01 (due 8, done 8, report 2024-05-01); patrolled
          2025-10-01 only (second half)
    Coordinators 2025 in p1: K1 attended and passed, K2 attended and failed, K3 never trained; p2: K4 none.
    Promotions 2025: p1 three (for three coordinators: 1 each), p2 none (one coordinator).
    SME assistance 2025: A after the assistance declared, detected, examined and trained; B declared only.
    """
    rng = random.Random(320)
    status = production_status_id(app)
    with app.app_context():
        risks = {code: db.session.scalar(select(RiskClass).where(RiskClass.code == code)) for code in ("1", "2")}
        small = db.session.scalar(select(EnterpriseSize).where(EnterpriseSize.code == "3"))
        chemicals = db.session.scalar(select(Industry).where(Industry.code == "26"))
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        city = OrgUnit(level=CITY, code="320100", name="南京市")
        p = OrgUnit(level=DISTRICT, code="320102", name="玄武区", parent=city)
        units = {"city": city, "p": p, "p1": OrgUnit(level=TOWNSHIP, code=f"{p.code}001", name="P1街道", parent=p),
                 "p2": OrgUnit(level=TOWNSHIP, code=f"{p.code}002", name="P2街道", parent=p)}
        db.session.add_all(units.values())

        def employer(key, township, risk="1", registered=date(2020, 1, 1), declared=date(2024, 1, 1), **fields):
            return Employer(name=f"南京{key}", org_unit=units[township], has_hazard=True, risk_class=risks[risk],
                            registered_on=registered, hazard_declared=True, declared_on=declared,
                            enterprise_size=small, credit_code=make_credit_code(rng, "320102"), **fields)

        e = {"A": employer("A", "p1"), "B": employer("B", "p1", industry=chemicals),
             "D": employer("D", "p1", registered=date(2025, 7, 1), declared=date(2025, 8, 1)),
             "E": employer("E", "p2", risk="2")}
        db.session.add_all(e.values())
        db.session.flush()

        def visit(model, emp, day, **values):
            db.session.execute(model.__table__.insert().values(
                employer_id=e[emp].id, org_unit_id=e[emp].org_unit_id, visit_date=day, state="accepted",
                submitted_at=datetime.combine(day, datetime.min.time()), **values))

        def exams(due, done, reported, dust=0):
            return {"exam_status": "all" if due == done else "partial", "exam_due_count": due,
                    "exam_done_count": done, "exam_report_date": reported, "exposed_total": due,
                    "exposed_dust": dust}

        visit(Screening, "A", date(2025, 5, 1), **exams(10, 10, date(2024, 2, 1)))
        visit(Screening, "B", date(2025, 6, 1), **exams(5, 4, date(2025, 4, 1), dust=5))
        visit(Screening, "E", date(2024, 6, 1), **exams(8, 8, date(2024, 5, 1)))
        for emp, day in (("A", date(2025, 3, 1)), ("A", date(2025, 9, 1)), ("B", date(2025, 3, 1)),
                         ("D", date(2025, 9, 1)), ("E", date(2025, 10, 1))):
            visit(Patrol, emp, day, template_id=template, production_status_id=status)

        k = {key: Coordinator(name=f"南京协管员{key}", org_unit=units[town], appointed_on=date(2024, 1, 1))
             for key, town in (("K1", "p1"), ("K2", "p1"), ("K3", "p1"), ("K4", "p2"))}
        db.session.add_all(k.values())
        db.session.add_all([
            CoordinatorTraining(coordinator=k["K1"], course="业务培训", held_on=date(2025, 5, 1), attended=True,
                                passed=True),
            CoordinatorTraining(coordinator=k["K2"], course="业务培训", held_on=date(2025, 5, 1), attended=True),
            *(TrainingActivity(org_unit=units["p1"], held_on=date(2025, month, 1), kind="promotion",
                               topic="职业病防治法宣传周") for month in (3, 4, 5))])
        db.session.add_all([
            SmeAssistance(employer=e["A"], year=2025, team="南京管家团队", declared_after=True, detected_after=True,
                          examined_after=True, trained_after=True),
            SmeAssistance(employer=e["B"], year=2025, team="南京管家团队", declared_after=True)])
        db.session.commit()
        return SimpleNamespace(unit={key: unit.id for key, unit in units.items()},
                               employer={key: x.id for key, x in e.items()})


def by_unit(app, nanjing, indicators, period="2025"):
    """(numerator, denominator) per unit key and indicator code: the district's rollup (townships) and the
    city's (the district and the total)."""
    names = {"P1街道": "p1", "P2街道": "p2", "玄武区": "p"}
    found = {}
    with app.app_context():
        for root in ("p", "city"):
            total, rows = rollup(indicators, parse_period(period), db.session.get(OrgUnit, nanjing.unit[root]))
            for row in [total, *rows]:
                key = "city" if row.unit.level == CITY else names[row.unit.name]
                found.update({(key, code): (value.numerator, value.denominator)
                              for code, value in row.values.items()})
    return found


def assert_alone_and_together(app, nanjing, expected: dict[str, dict[str, tuple]], period="2025"):
    """Each indicator's own grouped query and the rollup of every indicator give ``expected``."""
    together = by_unit(app, nanjing, with_half_years(INDICATORS, parse_period(period)), period)
    for code, values in expected.items():
        indicator = next(i for i in with_half_years(INDICATORS, parse_period(period)) if i.code == code)
        alone = by_unit(app, nanjing, [indicator], period)
        for unit, value in values.items():
            assert alone[unit, code] == value, (code, unit)
            assert together[unit, code] == value, (code, unit)


def test_health_exam_rate_counts_the_exams_of_the_period_over_every_employer_that_should_be_examined(app, nanjing):
    """Annex 2 "最近一次在岗期间职业健康体检报告编号…职业健康体检应检总人数：人；实检总人数：人" gives the latest exam
    of the last three years: only an exam whose report is dated in the period counts as that period's
    (A's 2024 exam does not count in 2025), and an employer not screened in the period still has workers
    who should be examined (E, screened in 2024: 0 of 8). Cangzhou: "接害劳动者在岗期间职业健康检查率"."""
    assert_alone_and_together(app, nanjing, {"health_exam": {
        "p1": (4, 15), "p2": (0, 8), "p": (4, 23), "city": (4, 23)}})


def test_patrol_coverage_of_a_year_asks_for_a_patrol_in_each_half_year(app, nanjing):
    """Annex 6 "每上、下半年各对辖区内已申报职业病危害项目的用人单位进行全覆盖巡查": in the year A (both halves) and
    D (declared in August: the second half only) count, B (first half only) and E (second only) do not;
    the year view shows each half beside it."""
    assert_alone_and_together(app, nanjing, {
        "patrol": {"p1": (2, 3), "p2": (0, 1), "city": (2, 4)},
        "patrol@2025H1": {"p1": (2, 2), "p2": (0, 1), "city": (2, 3)},
        "patrol@2025H2": {"p1": (2, 3), "p2": (1, 1), "city": (3, 4)}})
    assert_alone_and_together(app, nanjing, {"patrol": {"p1": (2, 2), "p2": (0, 1)}}, "2025H1")
    halves = [indicator.code for indicator in with_half_years(INDICATORS, parse_period("2025"))
              if indicator.code.startswith("patrol@")]
    assert halves == ["patrol@2025H1", "patrol@2025H2"]
    assert not [i for i in with_half_years(INDICATORS, parse_period("2025Q3")) if "@" in i.code]


def test_coordinator_pass_rate_divides_by_those_who_attended(app, nanjing):
    """Guizhou 第八条(五) "培训参加率和培训合格率达90%以上": the pass rate is of those who attended (K1 of K1, K2),
    not of every serving coordinator (K3 never attended)."""
    assert_alone_and_together(app, nanjing, {
        "coordinator_passed": {"p1": (1, 2), "p2": (0, 0), "city": (1, 2)},
        "coordinator_attended": {"p1": (2, 3), "p2": (0, 1), "city": (2, 4)}})
    with app.app_context():
        p1 = db.session.get(OrgUnit, nanjing.unit["p1"])
        gap = db.session.execute(members(INDICATORS_BY_CODE["coordinator_passed"], parse_period("2025"), p1,
                                         gap=True)).all()
        assert len(gap) == 1  # K2 alone: K3 never attended


def test_assisted_smes_four_rates_come_from_the_after_flags(app, nanjing):
    """Chongqing Annex 3 "被帮扶企业职业病危害项目申报率、工作场所职业病危害因素定期检测率、职业健康检查开展率、
    职业健康培训率均达到100%" — not the six items, two of which (超标岗位治理, 慢病筛查) apply only to firms with
    over-limit posts or that agree."""
    assert "sme_items" not in INDICATORS_BY_CODE
    assert_alone_and_together(app, nanjing, {
        "sme_declared": {"p1": (2, 2), "city": (2, 2)}, "sme_detected": {"p1": (1, 2), "city": (1, 2)},
        "sme_examined": {"p1": (1, 2), "city": (1, 2)}, "sme_trained": {"p1": (1, 2), "city": (1, 2)}})


def test_indicators_the_portal_holds_data_for(app, nanjing):
    """Guizhou 第八条: "基本信息登记率100%" (none of the four has its legal representative, contact and address),
    "每年对辖区内煤矿、非煤矿山、冶金、建材、化工生产等重点行业领域及其他职业病危害严重的用人单位巡查覆盖率100%"
    (B in chemicals, E serious), "全年开展卫生法律法规和相关卫生知识宣传1次以上" (promotions per coordinator);
    Cangzhou 七项实效 "粉尘危害申报率、粉尘浓度定期检测率" (B exposes workers to dust)."""
    assert_alone_and_together(app, nanjing, {
        "basic_info": {"p1": (0, 3), "city": (0, 4)},
        "key_patrol": {"p1": (1, 1), "p2": (1, 1), "city": (2, 2)},
        "key_declaration": {"p1": (1, 1), "p2": (0, 0), "city": (1, 1)},
        "dust_declaration": {"p1": (1, 1), "p2": (0, 0), "city": (1, 1)},
        "dust_detection": {"p1": (0, 1), "city": (0, 1)},
        "promotion": {"p1": (3, 3), "p2": (0, 1), "city": (3, 4)}})
