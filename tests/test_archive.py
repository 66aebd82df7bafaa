"""The occupational-health archive (Annex 4): a clerk builds a full archive with every table on the
archive's page, the cross-checks refuse bad numbers next to their field, the completeness rule agrees in
Python and SQL, and another township's archive and rows are 404 everywhere."""
import random
import re
from datetime import date, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from app.models import (ArchiveChemical, ArchiveProduct, ArchiveReview, DetectionType, Disease, DiseaseCase,
                        DiseaseCategory, Employer, ExposureDetection, ExposureSummary, HazardCategory, HazardFactor,
                        HealthArchive, JobType, OrgUnit, OutsourcingCompany, ProtectiveMeasureType, RecordInvalid,
                        RiskClass, SurveillanceSummary, db)
from app.models.archive import one_year_before
from app.seed.demo import make_credit_code
from tests.test_scoping import listed_ids, picker_values

TODAY = date.today()


def field_errors(html: bytes) -> dict[str, str]:
    """Messages rendered next to each field: {field name: message} (names may hold digits: stage2_on)."""
    found = {}
    for block in re.findall(r'<tr>(.*?)</tr>', html.decode(), re.S):
        field = re.search(r'name="([a-z0-9_]+)"', block)
        errors = re.findall(r'class="alert alert-danger">\s*([^<]+?)\s*<', block)
        if field and errors:
            found[field.group(1)] = " ".join(errors)
    return found


WORKFORCE = {"actual_total": 120, "actual_female": 40, "actual_migrant": 60, "actual_outsourced": 20,
             "actual_outsourced_female": 5, "production_total": 100, "production_female": 30,
             "production_migrant": 55, "production_outsourced": 18, "production_outsourced_female": 4,
             "exposed_total": 80, "exposed_female": 20, "exposed_migrant": 50, "exposed_outsourced": 15,
             "exposed_outsourced_female": 3}


def new_employer(app, city, township: str, has_hazard: bool = True) -> int:
    """A fresh hazardous employer in ``township`` (each test gets its own: one archive per employer)."""
    with app.app_context():
        unit = db.session.get(OrgUnit, city.unit[township])
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        employer = Employer(name=f"档案测试企业{uuid4().hex[:8]}", org_unit=unit, total_workers=150, female_workers=40,
                            credit_code=make_credit_code(random.Random(), unit.parent.code), has_hazard=has_hazard,
                            risk_class=risk if has_hazard else None)
        db.session.add(employer)
        db.session.commit()
        return employer.id


def ids(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where).order_by(model.id))


def archive_form(employer_id=None, **overrides) -> dict:
    data = {"established_on": "2024-03-01", "founded_on": "2001-05-01", "has_union": "y",
            "oh_department": "安环部", "oh_staff_full_time": "1", "oh_staff_part_time": "2", "oh_manager": "王强",
            "oh_manager_phone": "021-55550000", "production_mode": "1", "process_description": "原料→冲压→焊接→喷涂",
            "hazard_declared": "y", "principal_trained": "y", "manager_trained": "y", "workers_trained": "70",
            "detected_this_year": "y", "surveillance_this_year": "y", "cumulative_cases": "1",
            "disease_this_year": "y", **{k: str(v) for k, v in WORKFORCE.items()}}
    if employer_id is not None:
        data["employer"] = str(employer_id)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_archive(client, app, employer_id, **overrides) -> int | None:
    response = client.post("/archives/add", data=archive_form(employer_id, **overrides))
    assert response.status_code in (200, 302)
    return ids(app, HealthArchive, employer_id=employer_id)


def add_row(client, view: str, archive_id: int, data: dict):
    """Add a row the way the archive page's add link does: the archive comes from the link's filter."""
    return client.post(f"/{view}/add?_flt_0_archive={archive_id}", data=data)


def table_rows(app) -> dict:
    """The ids a full archive's tables need: dictionaries chosen by name."""
    with app.app_context():
        return {
            "dust": db.session.scalar(select(HazardCategory.id).where(HazardCategory.name == "粉尘")),
            "silica": db.session.scalar(select(HazardFactor.id).where(HazardFactor.cas_number == "14808-60-7")),
            "noise": db.session.scalar(select(HazardFactor.id).where(HazardFactor.name == "噪声")),
            "welder": db.session.scalar(select(JobType.id).where(JobType.name == "电焊工")),
            "exhaust": db.session.scalar(select(ProtectiveMeasureType.id).where(
                ProtectiveMeasureType.name == "局部排风除尘装置")),
            "dust_mask": db.session.scalar(select(ProtectiveMeasureType.id).where(
                ProtectiveMeasureType.name == "防尘口罩")),
            "grinder": db.session.scalar(select(JobType.id).where(JobType.name == "打磨工")),
            "routine": db.session.scalar(select(DetectionType.id).where(DetectionType.code == "1")),
            "silicosis": db.session.scalar(select(Disease).join(Disease.category).where(
                Disease.name == "矽肺", DiseaseCategory.catalogue == "2024")),  # cases diagnosed 2025-09
        }


def detection_form(refs, **overrides) -> dict:
    data = {"workplace": "焊接车间", "job_type": str(refs["welder"]), "equipment_state": "2", "operation_mode": "3",
            "hazard_factor": str(refs["silica"]), "registered_total": "30", "registered_female": "5",
            "registered_migrant": "20", "outsourced_total": "6", "outsourced_female": "1",
            "protective_measures": [str(refs["exhaust"]), str(refs["dust_mask"])],
            "detection_type": str(refs["routine"]), "points_tested": "8", "points_passed": "7",
            "detected_on": "2025-06-10", "detection_agency": "上海某职业卫生技术服务有限公司",
            "report_number": "SH-JC-2025-001"}
    data.update(overrides)
    return data


def result_form(refs, **overrides) -> dict:
    data = {"year": "2025", "exam_type": "on", "hazard_factor": str(refs["silica"]), "should_registered": "30",
            "should_outsourced": "6", "actual_registered": "28", "actual_outsourced": "6",
            "normal_registered": "24", "normal_outsourced": "6", "abnormal_registered": "2",
            "abnormal_outsourced": "0", "contraindication_registered": "1", "contraindication_outsourced": "0",
            "suspected_registered": "1", "suspected_outsourced": "0", "reassigned": "2"}
    data.update(overrides)
    return data


@pytest.fixture
def archive_a1(app, city, login):
    """A clerk's archive with cover and table 4.1 (no rows yet), in township a1."""
    client = login("clerka1")
    return add_archive(client, app, new_employer(app, city, "a1"))


def test_clerk_builds_a_full_archive_with_every_table_and_reads_it_back(app, city, login, archive_a1):
    client = login("clerka1")
    refs = table_rows(app)
    rows = [
        ("archiveproductview", {"rank": "1", "name": "汽车支架", "annual_output": "12000", "output_unit": "件"}),
        ("outsourcingcompanyview", {"name": "上海某劳务派遣有限公司", "workers": "15"}),
        ("archivechemicalview", {"name": "二甲苯", "source": "2", "quantity": "1.5", "unit": "1",
                                 "physical_state": "3", "main_components": "二甲苯 ≥ 98%"}),
        ("exposuresummaryview", {"hazard_category": str(refs["dust"]), "registered_exposed": "30",
                                 "outsourced_exposed": "6"}),
        ("exposuredetectionview", detection_form(refs)),
        ("surveillancesummaryview", {"year": "2025", "hazard_category": str(refs["dust"]), "exam_type": "on",
                                     "should_registered": "30", "should_outsourced": "6",
                                     "actual_registered": "28", "actual_outsourced": "6",
                                     "institution": "上海某体检中心", "report_number": "TJ-2025-08"}),
        ("surveillanceresultview", result_form(refs)),
        ("diseasecaseview", {"disease_category": str(refs["silicosis"].category_id),
                             "disease": str(refs["silicosis"].id), "job_type": str(refs["welder"]), "cases": "1",
                             "diagnosed_on": "2025-09-01"}),
        ("archivereviewview", {"reviewed_on": (TODAY - timedelta(days=30)).isoformat(), "table1_changed": "y",
                               "table1_summary": "在册人数更新", "table4_changed": "y",
                               "table4_summary": "新增焊接车间检测结果"}),
    ]
    for view, data in rows:
        response = add_row(client, view, archive_a1, data)
        assert response.status_code == 302, (view, field_errors(response.data))

    with app.app_context():
        archive = db.session.get(HealthArchive, archive_a1)
        assert archive.employer.org_unit_id == city.unit["a1"]
        assert [(p.rank, p.name, float(p.annual_output), p.output_unit) for p in archive.products] == [
            (1, "汽车支架", 12000.0, "件")]
        assert [(c.name, c.workers) for c in archive.outsourcing_companies] == [("上海某劳务派遣有限公司", 15)]
        assert [(c.name, c.source, c.unit, c.physical_state) for c in archive.chemicals] == [("二甲苯", "2", "1", "3")]
        assert [(s.hazard_category.name, s.registered_exposed, s.outsourced_exposed)
                for s in archive.exposure_summaries] == [("粉尘", 30, 6)]
        detection = archive.exposure_detections[0]
        assert (detection.workplace, detection.job_type.name, detection.equipment_state, detection.operation_mode,
                detection.hazard_factor.cas_number, detection.registered_total, detection.registered_female,
                detection.registered_migrant, detection.outsourced_total, detection.outsourced_female,
                [measure.name for measure in detection.protective_measures],
                detection.detection_type.code, detection.points_tested, detection.points_passed,
                detection.detected_on, detection.detection_agency, detection.report_number) == (
            "焊接车间", "电焊工", "2", "3", "14808-60-7", 30, 5, 20, 6, 1, ["局部排风除尘装置", "防尘口罩"], "1",
            8, 7, date(2025, 6, 10), "上海某职业卫生技术服务有限公司", "SH-JC-2025-001")
        summary = archive.surveillance_summaries[0]
        assert (summary.year, summary.exam_type, summary.actual_registered, summary.report_number) == (
            2025, "on", 28, "TJ-2025-08")
        result = archive.surveillance_results[0]
        assert (result.normal_registered, result.contraindication_registered, result.suspected_registered,
                result.reassigned) == (24, 1, 1, 2)
        case = archive.disease_cases[0]
        assert (case.disease.name, case.disease_category.name, case.job_type.name, case.cases) == (
            "矽肺", "职业性尘肺病及其他呼吸系统疾病", "电焊工", 1)
        review = archive.reviews[0]
        assert review.changed_tables == "4.1、4.4" and review.table4_summary == "新增焊接车间检测结果"
        assert archive.actual_total == 120 and archive.exposed_outsourced == 15 and archive.has_union
        assert archive.completeness_gaps() == []

    page = client.get(f"/archives/show/{archive_a1}").data.decode()
    for shown in ("汽车支架", "上海某劳务派遣有限公司", "二甲苯", "焊接车间", "TJ-2025-08", "矽肺",
                  "4.1、4.4", "半密闭", "手工操作", "日常检测", "在岗期间", "连续生产", "规范"):
        assert shown in page, shown
    assert f"/archiveproductview/add?_flt_0_archive={archive_a1}" in page  # rows are added from this page
    edit = client.get(f"/archives/edit/{archive_a1}").data.decode()
    assert 'name="actual_total"' in edit and 'name="employer"' not in edit  # the employer stays
    with app.app_context():
        detection = db.session.scalar(select(ExposureDetection.id).where(ExposureDetection.archive_id == archive_a1))
    row_edit = client.get(f"/exposuredetectionview/edit/{detection}").data.decode()
    assert 'name="points_passed"' in row_edit and 'name="archive"' not in row_edit  # a row stays in its archive


def test_the_archive_api_reads_back_what_the_form_saved(app, login, archive_a1):
    response = login("clerka1").get(f"/api/v1/archive/{archive_a1}")
    assert response.status_code == 200
    assert response.json["result"]["exposed_total"] == 80
    assert response.json["result"]["oh_manager"] == "王强"


@pytest.mark.parametrize("overrides, field", [
    ({"exposed_total": "101"}, "exposed_total"),  # exposed ≤ production workers
    ({"production_migrant": "61"}, "production_migrant"),  # production ≤ actual workers
    ({"actual_female": "121"}, "actual_female"),  # female ≤ total of the row
    ({"exposed_outsourced_female": "16"}, "exposed_outsourced_female"),
    ({"workers_trained": "96"}, "workers_trained"),  # trained ≤ exposed (80 + 15)
    ({"production_mode": "1", "closed_on": "2024-01-01"}, "closed_on"),
    ({"production_mode": "4"}, "closed_on"),
    ({"established_on": (TODAY + timedelta(days=3)).isoformat()}, "established_on"),
])
def test_inconsistent_archive_numbers_are_refused_next_to_their_field(app, city, login, overrides, field):
    client = login("clerka1")
    employer = new_employer(app, city, "a1")
    response = client.post("/archives/add", data=archive_form(employer, **overrides))
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    assert ids(app, HealthArchive, employer_id=employer) is None


@pytest.mark.parametrize("view, data, field", [
    ("exposuredetectionview", {"points_passed": "9"}, "points_passed"),  # passed ≤ tested points
    ("exposuredetectionview", {"registered_total": "81"}, "registered_total"),  # ≤ exposed of 4.1
    ("exposuredetectionview", {"registered_female": "31"}, "registered_female"),
    ("exposuredetectionview", {"detected_on": (TODAY + timedelta(days=1)).isoformat()}, "detected_on"),
    ("exposuredetectionview", {"equipment_state": "9"}, "equipment_state"),
    ("surveillanceresultview", {"contraindication_registered": "29"}, "contraindication_registered"),
    ("surveillanceresultview", {"normal_registered": "27"}, "normal_registered"),  # results add up to 31 > 28
    ("surveillanceresultview", {"actual_registered": "31"}, "actual_registered"),  # examined ≤ should
    ("surveillanceresultview", {"reassigned": "3"}, "reassigned"),  # ≤ contraindication + suspected
    ("surveillanceresultview", {"hazard_factor": "noise"}, "hazard_factor"),  # not in table 4-2
    ("diseasecaseview", {"job_type": "grinder"}, "job_type"),  # not in table 4-2
])
def test_inconsistent_table_rows_are_refused_next_to_their_field(app, login, archive_a1, view, data, field):
    client = login("clerka1")
    refs = table_rows(app)
    assert add_row(client, "exposuredetectionview", archive_a1, detection_form(refs)).status_code == 302
    base = {"exposuredetectionview": detection_form(refs), "surveillanceresultview": result_form(refs),
            "diseasecaseview": {"disease_category": str(refs["silicosis"].category_id),
                                "disease": str(refs["silicosis"].id), "job_type": str(refs["welder"]),
                                "cases": "1"}}[view]
    data = {key: str(refs[value]) if value in refs else value for key, value in data.items()}
    response = add_row(client, view, archive_a1, {**base, **data})
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    with app.app_context():
        archive = db.session.get(HealthArchive, archive_a1)
        assert len(archive.exposure_detections) == 1 and not archive.surveillance_results and not archive.disease_cases


def test_an_employer_has_one_archive(app, city, login, archive_a1):
    client = login("clerka1")
    with app.app_context():
        employer = db.session.get(HealthArchive, archive_a1).employer_id
    response = client.post("/archives/add", data=archive_form(employer))
    assert "employer" in field_errors(response.data)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).where(HealthArchive.employer_id == employer)) == 1


def complete_archive(app, city, township="a1", reviewed_days_ago=30, with_exposure=True, has_hazard=True) -> int:
    """An archive built straight in the database (as an import would), reviewed some days ago."""
    employer_id = new_employer(app, city, township, has_hazard=has_hazard)
    refs = table_rows(app)
    with app.app_context():
        archive = HealthArchive(employer=db.session.get(Employer, employer_id), established_on=date(2023, 1, 1),
                                production_mode="1", oh_manager="李敏", **WORKFORCE)
        db.session.add(archive)
        if with_exposure:
            db.session.add(ExposureSummary(archive=archive, hazard_category_id=refs["dust"], registered_exposed=10))
            db.session.add(ExposureDetection(archive=archive, workplace="打磨车间", job_type_id=refs["grinder"],
                                             hazard_factor_id=refs["silica"], registered_total=10))
        db.session.add(ArchiveReview(archive=archive, reviewed_on=TODAY - timedelta(days=reviewed_days_ago)))
        db.session.commit()
        return archive.id


def completeness_by_both_rules(app, archive_id, as_of=TODAY) -> tuple[bool, bool]:
    with app.app_context():
        archive = db.session.get(HealthArchive, archive_id)
        in_python = not archive.completeness_gaps(as_of)
        in_sql = db.session.scalar(select(HealthArchive.id).where(
            HealthArchive.id == archive_id, HealthArchive.complete_condition(as_of))) is not None
        in_rate = archive.employer_id in set(db.session.scalars(HealthArchive.complete_employer_ids(as_of)))
        assert in_sql == in_rate
        return in_python, in_sql


def test_a_filled_archive_reviewed_this_year_is_complete(app, city):
    assert completeness_by_both_rules(app, complete_archive(app, city)) == (True, True)


def test_an_archive_without_table_4_4_is_incomplete_unless_the_employer_has_no_hazard(app, city):
    assert completeness_by_both_rules(app, complete_archive(app, city, with_exposure=False)) == (False, False)
    no_hazard = complete_archive(app, city, with_exposure=False, has_hazard=False)
    assert completeness_by_both_rules(app, no_hazard) == (True, True)


def test_an_archive_whose_last_review_is_over_12_months_old_is_stale(app, city):
    stale = complete_archive(app, city, reviewed_days_ago=400)
    assert completeness_by_both_rules(app, stale) == (False, False)
    with app.app_context():
        gaps = [str(gap) for gap in db.session.get(HealthArchive, stale).completeness_gaps()]
    assert gaps == ["12个月内的复核"]
    # On a date when that review was recent, the same archive was complete.
    assert completeness_by_both_rules(app, stale, as_of=TODAY - timedelta(days=100)) == (True, True)


def test_an_archive_missing_its_manager_is_incomplete_and_the_page_says_what_is_missing(app, city, login):
    archive_id = complete_archive(app, city)
    with app.app_context():
        db.session.get(HealthArchive, archive_id).oh_manager = None
        db.session.commit()
    assert completeness_by_both_rules(app, archive_id) == (False, False)
    page = login("clerka1").get(f"/archives/show/{archive_id}").data.decode()
    assert "缺：表4.1" in page


def test_one_year_before_handles_leap_days():
    assert one_year_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert one_year_before(date(2025, 6, 30)) == date(2024, 6, 30)


def test_another_townships_archive_and_its_rows_are_404_on_every_path(app, city, login, archive_a1):
    refs = table_rows(app)
    client = login("clerka1")
    assert add_row(client, "exposuredetectionview", archive_a1, detection_form(refs)).status_code == 302
    row = ids(app, ExposureDetection, archive_id=archive_a1)
    other = login("clerkb1")
    assert other.get(f"/archives/show/{archive_a1}").status_code == 404
    assert other.get(f"/archives/edit/{archive_a1}").status_code == 404
    assert other.post(f"/archives/delete/{archive_a1}").status_code == 404
    assert other.get(f"/api/v1/archive/{archive_a1}").status_code == 404
    assert other.put(f"/api/v1/archive/{archive_a1}", json={"oh_manager": "越权"}).status_code == 404
    for path in ("show", "edit"):
        assert other.get(f"/exposuredetectionview/{path}/{row}").status_code == 404
    assert other.post(f"/exposuredetectionview/edit/{row}", data=detection_form(refs, workplace="越权")
                      ).status_code == 404
    assert other.post(f"/exposuredetectionview/delete/{row}").status_code == 404
    assert archive_a1 not in listed_ids(other.get("/archives/list/?psize_ArchiveView=100").data, "/archives")
    assert row not in listed_ids(other.get("/exposuredetectionview/list/").data, "/exposuredetectionview")
    assert archive_a1 not in {r["id"] for r in other.get("/api/v1/archive/?q=(page_size:100)").json["result"]}
    # A row posted "into" the other township's archive is refused and nothing is written.
    response = add_row(other, "archivereviewview", archive_a1, {"reviewed_on": TODAY.isoformat()})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(ExposureDetection, row).workplace == "焊接车间"
        assert not db.session.get(HealthArchive, archive_a1).reviews


def test_the_employer_picker_offers_only_the_clerks_township(app, city, login):
    options = picker_values(login("clerka1"), "/archives/add", "employer")
    with app.app_context():
        in_a1 = {str(i) for i in db.session.scalars(select(Employer.id).where(Employer.org_unit_id == city.unit["a1"]))}
    assert options == in_a1


def test_a_district_admin_sees_the_districts_archives_and_a_leader_only_reads(app, city, login):
    in_a2 = complete_archive(app, city, township="a2")
    in_b1 = complete_archive(app, city, township="b1")
    listed = listed_ids(login("districta").get("/archives/list/?psize_ArchiveView=100").data, "/archives")
    assert in_a2 in listed and in_b1 not in listed
    leader = login("leader")
    assert leader.get(f"/archives/show/{in_b1}").status_code == 200
    assert leader.get("/archives/add").status_code == 403
    assert leader.post("/archivereviewview/add", data={"archive": str(in_b1), "reviewed_on": TODAY.isoformat()}
                       ).status_code == 403


def test_deleting_an_archive_deletes_its_rows_and_logs_them(app, city, login):
    from app.models import AuditLog

    archive_id = complete_archive(app, city)
    assert login("clerka1").post(f"/archives/delete/{archive_id}").status_code == 302
    with app.app_context():
        assert db.session.get(HealthArchive, archive_id) is None
        assert db.session.scalar(select(ArchiveReview).where(ArchiveReview.archive_id == archive_id)) is None
        deleted = set(db.session.scalars(select(AuditLog.entity).where(AuditLog.action == "delete",
                                                                       AuditLog.username == "clerka1")))
        assert {"HealthArchive", "ArchiveReview", "ExposureDetection", "ExposureSummary"} <= deleted


def test_the_session_refuses_rows_that_break_the_cross_checks(app, city):
    archive_id = complete_archive(app, city)
    with app.app_context():
        archive = db.session.get(HealthArchive, archive_id)
        db.session.add(ExposureDetection(archive=archive, workplace="装配", job_type_id=table_rows(app)["welder"],
                                         hazard_factor_id=table_rows(app)["noise"], points_tested=3, points_passed=4,
                                         detection_type_id=table_rows(app)["routine"],
                                         detected_on=TODAY))
        with pytest.raises(RecordInvalid) as refused:
            db.session.commit()
        db.session.rollback()
    assert set(refused.value.problems) == {"points_passed"}


def test_other_tables_refuse_what_their_notes_forbid(app, city):
    archive_id = complete_archive(app, city)
    with app.app_context():
        archive = db.session.get(HealthArchive, archive_id)
        cases = [
            (ArchiveProduct(archive=archive, rank=4, name="零件"), "rank"),
            (OutsourcingCompany(archive=archive, name="劳务公司", workers=21), "workers"),
            (ArchiveChemical(archive=archive, name="1234", source="1"), "name"),
            (SurveillanceSummary(archive=archive, year=TODAY.year + 1, exam_type="on"), "year"),
            (DiseaseCase(archive=archive, disease_category_id=table_rows(app)["silicosis"].category_id,
                         disease_name="矽肺", cases=0), "cases"),
        ]
        for row, field in cases:
            db.session.add(row)
            with pytest.raises(RecordInvalid) as refused:
                db.session.flush()
            db.session.rollback()
            assert field in refused.value.problems, (type(row).__name__, refused.value.problems)


def test_the_api_refuses_an_archive_for_another_townships_employer(app, city, login):
    other_employer = new_employer(app, city, "b1")
    response = login("clerka1").post("/api/v1/archive/", json={"employer": other_employer,
                                                               "established_on": "2024-01-01"})
    assert response.status_code == 422 and "employer" in response.json["message"]
    assert ids(app, HealthArchive, employer_id=other_employer) is None


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_the_three_admins_read_no_archives_or_patients(login, username):
    client = login(username)
    for url in ("/archives/list/", "/patients/list/", "/patients/export/", "/followupvisitview/list/",
                "/archivereviewview/list/"):
        assert client.get(url).status_code == 403, url
    for url in ("/api/v1/archive/", "/api/v1/patient/"):
        assert client.get(url).status_code in (401, 403), url
