"""Hazard and clue reports (问题隐患报告): found on a patrol or on their own, reported to someone in time —
immediately (24 h) for acute-poisoning risks, minors or pregnant/nursing women and other violations
(Annex 6), within the configured days for complaints and abnormal workplaces (Guizhou)."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Employer, HazardReport, db
from tests.fieldwork import add_patrol, errors_by_field, newest
from tests.versions import put_record

FOUND = datetime(2026, 3, 2, 9, 30)


def report_form(**overrides) -> dict:
    data = {"category": "violation", "description": "未组织在岗期间职业健康检查", "found_at": "2026-03-02 09:30:00",
            "reported_at": "2026-03-02 15:00:00", "reported_to": "区卫生健康监督所", "handling_status": "pending"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def reports_described(app, description) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(HazardReport.id)).where(HazardReport.description == description))


def test_a_clerk_reports_what_a_patrol_found(app, city, login):
    patrol = add_patrol(app, city, "a1_2")
    client = login("clerka1")
    page = client.get(f"/patrols/show/{patrol}").data.decode()
    assert "/hazardreports/add?_flt_0_patrol=" in page  # the patrol page offers to report from it
    response = client.post(f"/hazardreports/add?_flt_0_patrol={patrol}",
                           data=report_form(description="喷漆间排风停用", category="acute_poisoning"))
    assert response.status_code == 302
    saved = newest(app, HazardReport, description="喷漆间排风停用")
    assert saved.patrol_id == patrol and saved.employer_id == city.employer["a1_2"]
    assert saved.org_unit_id == city.unit["a1"] and saved.reported_in_time


def test_a_standalone_complaint_needs_only_a_township(app, city, login):
    response = login("clerka1").post("/hazardreports/add", data=report_form(
        category="complaint", description="群众举报夜间异味", org_unit=str(city.unit["a1"])))
    assert response.status_code == 302
    saved = newest(app, HazardReport, description="群众举报夜间异味")
    assert saved.employer_id is None and saved.org_unit_id == city.unit["a1"]


@pytest.mark.parametrize("overrides, field", [
    ({"reported_at": "2026-03-01 08:00:00"}, "reported_at"),  # before it was found
    ({"found_at": (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"), "reported_at": None,
      "reported_to": None}, "found_at"),
    ({"reported_to": None}, "reported_to"),
    ({"handling_status": "closed"}, "handling_result"),
    ({"org_unit": None}, "org_unit"),
])
def test_inconsistent_reports_are_refused_next_to_the_field(app, city, login, overrides, field):
    data = report_form(description=f"坏报告{field}", org_unit=str(city.unit["a1"]), **{
        k: v for k, v in overrides.items() if k != "org_unit"})
    if "org_unit" in overrides:
        data.pop("org_unit")
    response = login("clerka1").post("/hazardreports/add", data=data)
    assert response.status_code == 200
    assert field in errors_by_field(response.data), errors_by_field(response.data)
    assert reports_described(app, f"坏报告{field}") == 0


@pytest.mark.parametrize("category, delay, in_time", [
    ("acute_poisoning", timedelta(hours=23), True),
    ("acute_poisoning", timedelta(hours=30), False),
    ("vulnerable_workers", timedelta(hours=25), False),
    ("violation", timedelta(hours=2), True),
    ("complaint", timedelta(days=6, hours=23), True),
    ("abnormal_workplace", timedelta(days=8), False),
    ("complaint", None, False),
])
def test_reported_in_time_is_the_same_rule_in_python_and_sql(app, city, category, delay, in_time):
    with app.app_context():
        report = HazardReport(employer=db.session.get(Employer, city.employer["b2_1"]), category=category,
                              description="时限测试", found_at=FOUND, reported_at=FOUND + delay if delay else None,
                              reported_to="区卫生健康监督所" if delay else None)
        db.session.add(report)
        db.session.commit()
        assert report.reported_in_time is in_time
        assert db.session.scalar(select(func.count()).where(HazardReport.id == report.id,
                                                            HazardReport.reported_in_time)) == int(in_time)
        db.session.delete(report)
        db.session.commit()


def test_the_patrol_of_another_employer_is_refused(app, city, login):
    patrol = add_patrol(app, city, "a1_1")
    response = login("clerka1").post("/hazardreports/add", data=report_form(
        description="错配的巡查", patrol=str(patrol), employer=str(city.employer["a1_2"])))
    assert "employer" in errors_by_field(response.data)
    assert reports_described(app, "错配的巡查") == 0


def test_a_report_of_a_closed_year_is_read_only_on_every_path(app, city, login):
    with app.app_context():
        report = HazardReport(employer=db.session.get(Employer, city.employer["a1_1"]), category="complaint",
                              description="关闭年度的线索", found_at=datetime(2024, 5, 6, 10))
        db.session.add(report)
        db.session.commit()
        record = report.id
    city_admin = login("cityadmin")
    city_admin.post("/closedyears/add", data={"year": "2024"})
    try:
        clerk = login("clerka1")
        edit = clerk.post(f"/hazardreports/edit/{record}", data=report_form(description="改动"), follow_redirects=True)
        assert "2024年度已关闭" in edit.data.decode()
        clerk.post(f"/hazardreports/delete/{record}")
        bulk = clerk.post("/hazardreports/action_post", data={"action": "muldelete", "rowid": [str(record)]})
        assert bulk.status_code == 302
        assert clerk.delete(f"/api/v1/hazard_report/{record}").status_code == 422
        assert put_record(clerk, f"/api/v1/hazard_report/{record}", {"description": "改动"}).status_code == 422
        assert newest(app, HazardReport, id=record).description == "关闭年度的线索"
    finally:
        with app.app_context():
            from app.models import ClosedYear

            year = db.session.scalar(select(ClosedYear.id).where(ClosedYear.year == 2024))
        login("cityadmin").post("/closedyears/action_post", data={"action": "reopen", "rowid": [str(year)]})
    assert login("clerka1").delete(f"/api/v1/hazard_report/{record}").status_code == 200
