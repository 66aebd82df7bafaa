"""Detection rules (Shanghai Annex 3 notes 一 and 三): a serious-risk employer's 现状评价 every 3 years besides
its yearly detection, a result over the limit rectified and re-tested, the declaration's receipt."""
import random
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import (CITY, DISTRICT, TOWNSHIP, DetectionType, Employer, ExposureDetection, HazardFactor,
                        HealthArchive, JobType, OrgUnit, RiskClass, db)
from app.reports.due import DUE_LISTS_BY_CODE, rows, years_before
from app.seed.demo import make_credit_code
from tests.test_archive import add_row, archive_a1, detection_form, field_errors, table_rows  # noqa: F401
from tests.test_employer import employer_named, form

T = date.today()
EVALUATION, ROUTINE = "2", "1"  # table 4-2 note 8: 1 日常检测, 2 现状评价, 3 监督检测


@pytest.fixture(scope="module")
def xiamen(app):
    """A city of its own (厦门 350200) with district 思明区 and one township, serious- and general-risk employers:
      E_old     serious, 现状评价 T − 3 years − 1 day, yearly detection T − 20 days → evaluation overdue
      E_due     serious, 现状评价 T − 3 years + 30 days → evaluation due (cycle ends in 30 days)
      E_ok      serious, 现状评价 T − 1 year → neither
      E_never   serious, only yearly detections (T − 10 days) → evaluation overdue
      G_never   general risk, never evaluated → not on the evaluation lists (its cycle is detection only)
    """
    rng = random.Random(3502)
    with app.app_context():
        session = db.session
        serious, general = (session.scalar(select(RiskClass).where(RiskClass.code == code)) for code in "21")
        types = {code: session.scalar(select(DetectionType).where(DetectionType.code == code))
                 for code in (ROUTINE, EVALUATION)}
        job, factor = session.scalars(select(JobType)).first(), session.scalars(select(HazardFactor)).first()
        district = OrgUnit(level=DISTRICT, code="350203", name="思明区",
                           parent=OrgUnit(level=CITY, code="350200", name="厦门市"))
        township = OrgUnit(level=TOWNSHIP, code=f"{district.code}001", name="思明1街道", parent=district)
        session.add_all([district, township])
        employers = {key: Employer(name=f"厦门{key}", org_unit=township, has_hazard=True, risk_class=risk,
                                   credit_code=make_credit_code(rng, "350203"))
                     for key, risk in (("E_old", serious), ("E_due", serious), ("E_ok", serious),
                                       ("E_never", serious), ("G_never", general))}
        session.add_all(employers.values())
        three_years, days = years_before(T, 3), timedelta
        detections = {"E_old": [(EVALUATION, three_years - days(1)), (ROUTINE, T - days(20))],
                      "E_due": [(EVALUATION, three_years + days(30)), (ROUTINE, T - days(5))],
                      "E_ok": [(EVALUATION, years_before(T, 1))],
                      "E_never": [(ROUTINE, years_before(T, 1) + days(100)), (ROUTINE, T - days(10))],
                      "G_never": [(ROUTINE, T - days(10))]}
        for key, found in detections.items():
            archive = HealthArchive(employer=employers[key])
            session.add(archive)
            for code, day in found:
                session.add(ExposureDetection(archive=archive, workplace="车间", job_type=job, hazard_factor=factor,
                                              detection_type=types[code], detected_on=day, points_tested=2,
                                              points_passed=2))
        session.commit()
        return SimpleNamespace(district=district.id, employer={key: e.id for key, e in employers.items()})


def on_list(app, xiamen, code) -> dict[str, object]:
    with app.app_context():
        found = {row.subject_id: row for row in rows(DUE_LISTS_BY_CODE[code], db.session.get(OrgUnit, xiamen.district))}
    return {key: found[id_] for key, id_ in xiamen.employer.items() if id_ in found}


def test_a_serious_risk_employer_is_due_for_its_status_evaluation_every_three_years(app, xiamen):
    """"职业病危害严重的用人单位…每年至少进行一次职业病危害因素检测，每三年至少进行一次职业病危害现状评价" (Annex 3 notes 三.1):
    a yearly detection keeps E_old off the detection lists, but not off the evaluation list."""
    assert set(on_list(app, xiamen, "evaluation_overdue")) == {"E_old", "E_never"}
    due = on_list(app, xiamen, "evaluation_due")
    assert set(due) == {"E_due"}
    fields = {field.key: field for field in DUE_LISTS_BY_CODE["evaluation_due"].fields}
    assert fields["cycle_end"].value(due["E_due"]) == T + timedelta(days=30)
    assert not {"E_old", "E_due"} & set(on_list(app, xiamen, "detection_overdue"))


def test_a_periodic_detection_does_not_renew_the_status_evaluation(app, xiamen):
    """Only a 现状评价 (table 4-2 detection type 2) renews its cycle; any detection renews the yearly one."""
    with app.app_context():
        employer = db.session.get(Employer, xiamen.employer["E_old"])
        assert (employer.last_detected_on, employer.last_evaluated_on) == (
            T - timedelta(days=20), years_before(T, 3) - timedelta(days=1))
        archive = db.session.scalar(select(HealthArchive).where(HealthArchive.employer_id == employer.id))
        routine = next(row for row in archive.exposure_detections if row.detection_type.code == ROUTINE)
        routine.detection_type = db.session.scalar(select(DetectionType).where(DetectionType.code == EVALUATION))
        db.session.commit()
        db.session.refresh(employer)
        assert employer.last_evaluated_on == T - timedelta(days=20)
    assert "E_old" not in on_list(app, xiamen, "evaluation_overdue")


# -- a result over the limit: rectification and re-test --------------------------------------------------------

@pytest.mark.parametrize("overrides, field", [
    ({"points_passed": "8", "rectification": "加装除尘"}, "rectification"),  # within the limit: nothing to rectify
    ({"retested_on": "2025-07-01", "retest_result": "1"}, "rectification"),  # re-test before any rectification
    ({"rectification": "加装除尘", "retested_on": "2025-06-01", "retest_result": "1"}, "retested_on"),
    ({"rectification": "加装除尘", "retested_on": (T + timedelta(days=1)).isoformat(), "retest_result": "1"},
     "retested_on"),
    ({"rectification": "加装除尘", "retest_result": "1"}, "retested_on"),  # a result needs its date
    ({"rectification": "加装除尘", "retested_on": "2025-07-01"}, "retest_result"),
    ({"rectification": "加装除尘", "retested_on": "2025-07-01", "retest_result": "7"}, "retest_result"),
])
def test_a_result_over_the_limit_is_rectified_before_its_re_test(app, login, archive_a1, overrides, field):
    """"检测结果超过国家职业卫生标准的，用人单位应当及时进行整改" (Annex 3 notes 三.4); "对检测结果超标超限的，要督促企业
    整改，并及时复检" (Cangzhou 2020). The row of detection_form has 7 of 8 points passed: over the limit."""
    response = add_row(login("clerka1"), "exposuredetectionview", archive_a1,
                       detection_form(table_rows(app), **overrides))
    assert response.status_code == 200 and field in field_errors(response.data), field_errors(response.data)


def test_a_rectified_and_re_tested_result_is_kept_and_shown(app, login, archive_a1):
    client = login("clerka1")
    data = detection_form(table_rows(app), rectification="焊接工位加装局部排风", retested_on="2025-08-01",
                          retest_result="1")
    assert add_row(client, "exposuredetectionview", archive_a1, data).status_code == 302
    with app.app_context():
        row = db.session.get(HealthArchive, archive_a1).exposure_detections[0]
        assert (row.over_limit, row.rectification, row.retested_on, row.retest_result) == (
            True, "焊接工位加装局部排风", date(2025, 8, 1), "1")
        over = db.session.scalar(select(ExposureDetection.id).where(ExposureDetection.over_limit,
                                                                    ExposureDetection.id == row.id))
        assert over == row.id  # the same rule in SQL
    page = client.get(f"/exposuredetectionview/show/{row.id}").data.decode()
    assert "焊接工位加装局部排风" in page and "复检结果" in page and "未超标" in page


# -- the declaration's receipt ----------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, field", [
    ({"declaration_receipt_on": (T + timedelta(days=1)).isoformat()}, "declaration_receipt_on"),
    ({"declared_on": "2025-03-10", "declaration_receipt_on": "2025-03-01"}, "declaration_receipt_on"),
    ({"hazard_declared": None, "declaration_receipt_number": "SB-2025-1"}, "declaration_receipt_number"),
])
def test_the_declarations_receipt_is_dated_neither_ahead_nor_before_the_declaration(app, city, login, overrides,
                                                                                    field):
    """"用人单位应当在中国上海“一网通办”上进行职业病危害项目申报，并取得备案回执" (Annex 3 notes 一.1)."""
    name = f"备案回执{field}{len(overrides)}"
    data = form(city, **{"name": name, "has_hazard": "y", "risk_class": str(_serious(app)), "hazard_declared": "y",
                         "declared_on": "2025-03-01", "declaration_receipt_number": "SB-2025-0001", **overrides})
    response = login("clerka1").post("/employers/add", data={k: v for k, v in data.items() if v is not None})
    assert field in field_errors_of(response), field_errors_of(response)
    assert employer_named(app, name) is None


def test_the_declarations_receipt_is_kept_and_shown(app, city, login):
    client = login("clerka1")
    response = client.post("/employers/add", data=form(
        city, name="有备案回执的企业", has_hazard="y", risk_class=str(_serious(app)), hazard_declared="y",
        declared_on="2025-03-01", declaration_receipt_number="SB-2025-0002", declaration_receipt_on="2025-03-05"))
    assert response.status_code == 302, field_errors_of(response)
    employer = employer_named(app, "有备案回执的企业")
    assert (employer.declaration_receipt_number, employer.declaration_receipt_on) == ("SB-2025-0002",
                                                                                      date(2025, 3, 5))
    page = client.get(f"/employers/show/{employer.id}").data.decode()
    assert "备案回执编号" in page and "SB-2025-0002" in page


def _serious(app) -> int:
    with app.app_context():
        return db.session.scalar(select(RiskClass.id).where(RiskClass.code == "2"))


def field_errors_of(response) -> dict:
    return field_errors(response.data)
