"""Which indicators a city uses and their targets per year are data the city admin edits (issue 14, item 8;
DOMAIN.md §4 "Which indicators a city uses and their targets per year are data"): Cangzhou 2020 sets
detection and on-duty exams at 55 %, Guizhou basic-information registration at 100 %, Shanghai Annex 6
its own — the formulas stay in code."""
import random
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import CITY, DISTRICT, TOWNSHIP, AuditLog, Employer, IndicatorTarget, OrgUnit, RiskClass, db
from app.models.base import RecordInvalid
from app.models.indicator_target import CATALOGUE
from app.reports.indicators import INDICATORS
from app.reports.periods import parse_period
from app.reports.targets import default_targets, indicator_set
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD
from tests.programme_data import field_errors

SOURCE = "沧卫职健〔2020〕1号"


@pytest.fixture(scope="module")
def cangzhou(app):
    """City 130900 (district 130902, township 01) with its city admin and a district admin; two hazardous
    employers, one declared. Another city, 130100, has its own admin. Cangzhou's set is entered for 2024:
    declaration 50 % (met by 1 of 2), detection 55 %, health exams 55 %, basic-information registration
    100 % (used), the archive rate not used."""
    rng = random.Random(1309)
    with app.app_context():
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        city = OrgUnit(level=CITY, code="130900", name="沧州市")
        district = OrgUnit(level=DISTRICT, code="130902", name="新华区", parent=city)
        township = OrgUnit(level=TOWNSHIP, code=f"{district.code}001", name="建设北街街道", parent=district)
        other = OrgUnit(level=CITY, code="130100", name="石家庄市")
        db.session.add_all([city, district, township, other])
        db.session.add_all([Employer(name=f"沧州{key}", org_unit=township, has_hazard=True, risk_class=risk,
                                     registered_on=date(2020, 1, 1), hazard_declared=declared,
                                     declared_on=date(2021, 1, 1) if declared else None,
                                     credit_code=make_credit_code(rng, "130902"))
                            for key, declared in (("甲", True), ("乙", False))])
        sm = app.appbuilder.sm
        for username, role, unit in (("czcity", "City admin", city), ("czdistrict", "District admin", district),
                                     ("sjzcity", "City admin", other)):
            db.session.add(make_user(sm, username, role, unit, PASSWORD))
        for code, used, target in (("declaration", True, 50), ("detection", True, 55), ("health_exam", True, 55),
                                   ("basic_info", True, 100), ("archive", False, 95)):
            db.session.add(IndicatorTarget(org_unit=city, year=2024, indicator=code, used=used, target=target,
                                           source_document=SOURCE))
        db.session.commit()
        return SimpleNamespace(city=city.id, district=district.id, township=township.id, other=other.id)


def target_form(app, cangzhou, **overrides):
    data = {"org_unit": str(cangzhou.city), "year": "2025", "indicator": "training", "used": "y",
            "comparison": "ge", "target": "100", "source_document": SOURCE}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_rollup_shows_only_the_citys_indicators_with_its_targets(app, cangzhou):
    """Cangzhou 2020: "工作场所职业病危害因素检测率达到 55%；接害劳动者在岗期间职业健康检查率达到 55%"."""
    with app.app_context():
        city = db.session.get(OrgUnit, cangzhou.city)
        shown = indicator_set(city, parse_period("2024"))
        assert [i.code for i in shown.indicators] == ["declaration", "basic_info", "detection", "health_exam"]
        assert {i.code: i.target for i in shown.indicators} == {
            "declaration": 0.5, "basic_info": 1.0, "detection": 0.55, "health_exam": 0.55}
        assert shown.year == 2024 and shown.sources["detection"] == SOURCE


def test_a_year_without_a_set_keeps_the_latest_earlier_years_and_a_city_without_any_the_default(app, cangzhou):
    with app.app_context():
        city = db.session.get(OrgUnit, cangzhou.city)
        township = db.session.get(OrgUnit, cangzhou.township)
        assert indicator_set(township, parse_period("2025H2")).year == 2024  # a township reads its city's
        assert indicator_set(city, parse_period("2023")).year is None  # nothing before 2024: the default
        default = indicator_set(db.session.get(OrgUnit, cangzhou.other), parse_period("2025"))
        assert [i.code for i in default.indicators if "@" not in i.code] == [i.code for i in INDICATORS if i.used]


def test_the_rollup_page_judges_against_the_citys_target(app, cangzhou, login):
    html = login("czcity").get("/reports/rollup?period=2024").data.decode()
    assert "≥50%" in html and "≥55%" in html and "规范建档率" not in html and "基本信息登记率" in html
    assert 'class="rollup-met"' in html  # 1 of 2 declared meets Cangzhou's 50 %
    response = login("czcity").get(f"/reports/members?unit={cangzhou.township}&period=2024&indicator=archive")
    assert response.status_code == 404  # not in the city's set


def test_a_target_at_most_is_met_at_or_below_it(app, cangzhou):
    with app.app_context():
        row = db.session.scalar(select(IndicatorTarget).where(IndicatorTarget.indicator == "declaration",
                                                              IndicatorTarget.org_unit_id == cangzhou.city))
        row.comparison = "le"
        shown = indicator_set(db.session.get(OrgUnit, cangzhou.city), parse_period("2024"))
        db.session.rollback()
    declaration = shown.find("declaration")
    assert declaration.at_most and declaration.target_label == "≤50%"


def test_city_admin_adds_and_edits_a_target_naming_its_source_and_the_change_is_audited(app, cangzhou, login):
    client = login("czcity")
    assert "指标目标" in client.get("/indicatortargets/list/").data.decode()
    response = client.post("/indicatortargets/add", data=target_form(app, cangzhou))
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2025,
                                                              IndicatorTarget.org_unit_id == cangzhou.city))
        assert (row.indicator, row.target, row.source_document) == ("training", 100, SOURCE)
        row_id, version = row.id, row.version
    response = client.post(f"/indicatortargets/edit/{row_id}",
                           data=target_form(app, cangzhou, target="90", version=str(version)))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(IndicatorTarget, row_id).target == 90
        changes = db.session.scalars(select(AuditLog.changes).where(AuditLog.entity == "IndicatorTarget",
                                                                    AuditLog.record_id == row_id)).all()
        assert any(change and "target" in change for change in changes)
        shown = indicator_set(db.session.get(OrgUnit, cangzhou.city), parse_period("2025"))
        assert [i.code for i in shown.indicators] == ["training"]  # 2025 has a set of its own now


@pytest.mark.parametrize("overrides, field", [
    ({"target": "120"}, "target"),  # a rate's target is a percentage
    ({"target": "-1"}, "target"),
    ({"year": "1999"}, "year"),
    ({"indicator": "three_simultaneities"}, "indicator"),  # 三同时: not an indicator the portal computes
    ({"indicator": "declaration", "year": "2024"}, "indicator"),  # already set for 2024
    ({"source_document": " "}, "source_document"),
])
def test_bad_targets_are_refused_next_to_their_field(app, cangzhou, login, overrides, field):
    response = login("czcity").post("/indicatortargets/add", data=target_form(app, cangzhou, **overrides))
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)


def test_a_district_cannot_set_targets_and_another_city_sees_none_of_cangzhous(app, cangzhou, login):
    assert login("czdistrict").get("/indicatortargets/list/").status_code == 403
    other = login("sjzcity")
    assert SOURCE not in other.get("/indicatortargets/list/").data.decode()
    response = other.post("/indicatortargets/add", data=target_form(app, cangzhou, year="2026"))
    assert response.status_code == 200 and "org_unit" in field_errors(response.data)


def test_the_model_refuses_a_target_for_a_district(app, cangzhou):
    with app.app_context():
        row = IndicatorTarget(org_unit=db.session.get(OrgUnit, cangzhou.district), year=2025,
                              indicator="declaration", target=95, source_document=SOURCE)
        assert "org_unit" in row.problems()


def test_shanghais_default_set_is_seeded_from_todays_targets(app, cangzhou):
    """DOMAIN.md §4: declaration and archive ≥95 % (Annex 6), the rest 100 %, coordinator training ≥90 %
    (Guizhou), at least 20 assisted SMEs per district (Chongqing)."""
    with app.app_context():
        rows = {row.indicator: row for row in default_targets(db.session.get(OrgUnit, cangzhou.other), 2026)}
        assert {code: float(row.target) for code, row in rows.items() if code in (
            "declaration", "archive", "patrol", "coordinator_passed", "sme_count")} == {
            "declaration": 95, "archive": 95, "patrol": 100, "coordinator_passed": 90, "sme_count": 20}
        assert all(row.source_document for row in rows.values())
        assert set(rows) == {indicator.code for indicator in INDICATORS if indicator.used} < set(CATALOGUE)
        db.session.rollback()


def test_invalid_rows_never_reach_the_database(app, cangzhou):
    with app.app_context():
        db.session.add(IndicatorTarget(org_unit=db.session.get(OrgUnit, cangzhou.city), year=2025,
                                       indicator="declaration", target=150, source_document=SOURCE))
        with pytest.raises(RecordInvalid):
            db.session.flush()
        db.session.rollback()
