"""A clerk screens an employer (Annex 2): every section on one form, counts checked against each other,
the register updated only when asked."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import AuditLog, Employer, Screening, db
from tests.fieldwork import add_screening, errors_by_field, newest, screening_form
from tests.versions import post_edit


def input_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def screenings_of(app, employer_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Screening.id)).where(Screening.employer_id == employer_id))


def test_clerk_enters_a_screening_that_starts_as_a_draft_in_the_employers_township(app, city, login):
    client = login("clerka1")
    response = client.post("/screenings/add", data=screening_form(city, companion="张经理"))
    assert response.status_code == 302
    saved = newest(app, Screening, companion="张经理")
    assert response.headers["Location"].endswith(f"/screenings/show/{saved.id}")  # where it is submitted
    assert saved.state == "draft" and saved.submitted_at is None
    assert saved.org_unit_id == city.unit["a1"] and saved.employer_id == city.employer["a1_1"]
    assert saved.coordinator.username == "clerka1"  # left empty: the clerk who entered it
    # Left empty, the enterprise section is the register's
    assert (saved.employer_name, saved.total_workers, saved.female_workers) == (saved.employer.name, 50, 10)
    assert (saved.exposed_total, saved.exposed_dust, saved.exam_done_count) == (10, 6, 8)
    with app.app_context():
        entry = db.session.scalars(select(AuditLog).where(AuditLog.entity == "Screening",
                                                          AuditLog.record_id == saved.id)).one()
    assert entry.action == "create" and entry.username == "clerka1"
    assert entry.changes["exposed_total"] == [None, 10]


def test_the_form_is_laid_out_in_annex_2s_sections_and_starts_from_the_register(city, login):
    html = login("clerka1").get(f"/screenings/add?employer={city.employer['a1_1']}").data.decode()
    sections = ["企业基本信息", "职业病危害因素种类及接触情况", "职业病危害项目申报情况", "职业健康培训情况",
                "近3年职业病危害因素定期检测情况", "近3年在岗期间职业健康检查情况", "陪同人员、协管员及时间"]
    positions = [html.find(title) for title in sections]
    assert -1 not in positions and positions == sorted(positions), positions
    assert input_value(html, "employer_name") == "黄浦区1号街道企业1"
    assert input_value(html, "total_workers") == "50"
    assert input_value(html, "coordinator") is None  # a select: the signed-in clerk is chosen
    assert re.search(r'<option selected value="\d+">clerka1</option>', html)


@pytest.mark.parametrize("overrides, field", [
    ({"female_workers": "60"}, "female_workers"),  # the employer has 50 workers
    ({"total_workers": "8"}, "exposed_total"),  # 10 exposed of 8 on duty
    ({"exposed_dust": "11"}, "exposed_dust"),  # a category above the 10 exposed
    ({"exposed_radioactive": "12"}, "exposed_radioactive"),
    ({"workers_trained": "12"}, "workers_trained"),
    ({"workers_trained": "7"}, "training_coverage"),  # "all trained" but 7 of 10
    ({"exam_done_count": "11"}, "exam_done_count"),  # examined above those due
    ({"exam_status": "none"}, "exam_done_count"),
    ({"detection_report_number": ""}, "detection_report_number"),
    ({"visit_date": (date.today() + timedelta(days=1)).isoformat()}, "visit_date"),
    ({"start_date": (date.today() + timedelta(days=30)).isoformat()}, "start_date"),
    ({"exam_report_date": (date.today() + timedelta(days=2)).isoformat()}, "exam_report_date"),
    ({"credit_code": "91310000MA1FL8LQ5N"}, "credit_code"),
    ({"exposed_total": "-1"}, "exposed_total"),
])
def test_inconsistent_counts_and_future_dates_are_refused_next_to_the_field(app, city, login, overrides, field):
    before = screenings_of(app, city.employer["a1_3"])
    response = login("clerka1").post("/screenings/add", data=screening_form(city, "a1_3", **overrides))
    assert response.status_code == 200
    assert field in errors_by_field(response.data), errors_by_field(response.data)
    assert screenings_of(app, city.employer["a1_3"]) == before


def test_messages_are_chinese_and_name_the_limit(city, login):
    response = login("clerka1").post("/screenings/add", data=screening_form(city, exam_done_count="11"))
    assert "实检人数不能超过应检人数（10）" in errors_by_field(response.data)["exam_done_count"]
    response = login("clerka1").post("/screenings/add", data=screening_form(
        city, visit_date=(date.today() + timedelta(days=3)).isoformat()))
    assert "日期不能晚于今天" in errors_by_field(response.data)["visit_date"]


def test_the_api_applies_the_same_rules(app, city, login):
    client = login("clerka1")
    before = screenings_of(app, city.employer["a1_1"])
    response = client.post("/api/v1/screening/", json={
        "employer": city.employer["a1_1"], "visit_date": date.today().isoformat(), "exposed_total": 5,
        "exposed_dust": 9, "detection_status": "none", "exam_status": "none", "exam_due_count": 2,
        "exam_done_count": 3, "training_coverage": "none"})
    assert response.status_code == 422
    assert {"exposed_dust", "exam_done_count"} <= set(response.json["message"])
    assert screenings_of(app, city.employer["a1_1"]) == before


def test_the_register_changes_only_when_the_clerk_asks(app, city, login):
    client = login("clerka1")
    employer = city.employer["a1_3"]
    data = screening_form(city, "a1_3", total_workers="64", female_workers="20", exposed_total="0", hazards=None,
                          exposed_dust="0", exposed_chemical="0", workers_trained="0", training_coverage="none",
                          detection_status="none", detection_report_number="", detection_agency="",
                          exam_status="none", exam_report_number="", exam_agency="", exam_due_count="0",
                          exam_done_count="0")
    assert client.post("/screenings/add", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Employer, employer).total_workers == 50  # not silently
    response = client.post("/screenings/add", data={**data, "update_register": "y"}, follow_redirects=True)
    assert "用人单位基本信息已更新" in response.data.decode()
    with app.app_context():
        registered = db.session.get(Employer, employer)
        assert (registered.total_workers, registered.female_workers) == (64, 20)
        entry = db.session.scalars(select(AuditLog).where(AuditLog.entity == "Employer", AuditLog.record_id == employer)
                                   .order_by(AuditLog.id.desc())).first()
        assert entry.username == "clerka1" and entry.changes["total_workers"] == [50, 64]


def test_a_screening_of_another_townships_employer_is_refused(app, city, login):
    client = login("clerka1")
    before = screenings_of(app, city.employer["b1_1"])
    response = client.post("/screenings/add", data={**screening_form(city), "employer": str(city.employer["b1_1"])})
    assert response.status_code == 200 and "employer" in errors_by_field(response.data)
    api = client.post("/api/v1/screening/", json={"employer": city.employer["b1_1"], "visit_date": "2026-01-05"})
    assert api.status_code == 422
    assert screenings_of(app, city.employer["b1_1"]) == before


def test_the_printed_form_has_annex_2s_sections_and_signature_lines(app, city, login):
    record = add_screening(app, city, "a1_1")
    html = login("clerka1").get(f"/screenings/print/{record}").data.decode()
    for text in ("职业健康协管排查个案信息表", "用人单位陪同人员签字", "协管员签字", "排查时间", "size: A4 portrait",
                 "近3年在岗期间职业健康检查情况", "☑ 均未体检"):
        assert text in html, text


def test_asking_for_the_update_on_a_saved_screening_alone_updates_the_register(app, city, login):
    client = login("clerka1")
    data = screening_form(city, "a1_1", total_workers="61", exposed_total="0", exposed_dust="0", hazards=None,
                          exposed_chemical="0", workers_trained="0", training_coverage="none", detection_status="none",
                          detection_report_number="", detection_agency="", exam_status="none",
                          exam_report_number="", exam_agency="", exam_due_count="0", exam_done_count="0")
    assert client.post("/screenings/add", data=data).status_code == 302
    saved = newest(app, Screening, employer_id=city.employer["a1_1"])
    with app.app_context():
        assert db.session.get(Employer, city.employer["a1_1"]).total_workers == 50
    unchanged = {**data, "coordinator": str(saved.coordinator_id), "update_register": "y"}
    assert post_edit(client, f"/screenings/edit/{saved.id}", unchanged).status_code == 302
    with app.app_context():
        employer = db.session.get(Employer, city.employer["a1_1"])
        assert employer.total_workers == 61
        employer.total_workers = 50
        db.session.commit()
        db.session.get(Screening, saved.id).update_register = True  # a script asks, changing nothing else
        db.session.commit()
        assert employer.total_workers == 61
        employer.total_workers = 50
        db.session.commit()


# Issue 14 item 5: Annex 2's "粉尘种类…接触人数" names the kinds as well as counting them.

def test_annex_2s_粉尘种类_接触人数_names_the_factors_of_each_kind(app, city, login):
    client = login("clerka1")
    response = client.post("/screenings/add", data=screening_form(city, companion="种类经理"))
    assert response.status_code == 302
    saved = newest(app, Screening, companion="种类经理")
    with app.app_context():
        record = db.session.get(Screening, saved.id)
        assert [factor.code for factor in record.hazards] == ["1001", "2028"]
        assert [f.code for f in record.hazards_of("exposed_dust")] == ["1001"]
        assert [f.code for f in record.hazards_of("exposed_chemical")] == ["2028"]
    show = client.get(f"/screenings/show/{saved.id}").data.decode()
    assert "粉尘：1001 矽尘（游离SiO2含量≥10%）；化学因素：2028 苯" in show


@pytest.mark.parametrize("overrides, field, message", [
    # 6 exposed to dust, but only 苯 named: the dust count needs a dust factor
    ({"hazards": ["2028"]}, "exposed_dust", "请写明接触人员所接触的该类职业病危害因素"),
    # 噪声 named with no worker counted as exposed to physical factors
    ({"hazards": ["1001", "2028", "3001"]}, "hazards", "噪声"),
])
def test_each_counted_kind_names_its_factors_and_no_factor_goes_uncounted(app, city, login, overrides, field,
                                                                          message):
    hazards = [str(city.factor[code]) for code in overrides["hazards"]]
    before = screenings_of(app, city.employer["a1_1"])
    response = login("clerka1").post("/screenings/add", data=screening_form(city, hazards=hazards))
    assert response.status_code == 200
    assert message in errors_by_field(response.data)[field]
    assert screenings_of(app, city.employer["a1_1"]) == before


def test_a_new_screening_starts_from_the_factors_the_employers_latest_screening_named(app, city, login):
    client = login("clerka1")
    employer = city.employer["a1_2"]
    assert client.post("/screenings/add", data=screening_form(city, employer="a1_2")).status_code == 302
    values = client.get(f"/screenings/register?employer={employer}").json
    assert values["hazards"] == [{"id": city.factor["1001"], "text": "1001 矽尘（游离SiO2含量≥10%）"},
                                 {"id": city.factor["2028"], "text": "2028 苯"}]
    html = client.get(f"/screenings/add?employer={employer}").data.decode()
    assert re.search(rf'<option selected value="{city.factor["2028"]}">2028 苯</option>', html)


def test_the_screening_export_names_the_factors(app, city, login):
    from tests.test_exports import rows_of
    client = login("clerka1")
    client.post("/screenings/add", data=screening_form(city, companion="导出经理"))
    header, body = rows_of(client.get("/screenings/export/"))
    column = header.index("接触的职业病危害因素（按类别）")
    assert "粉尘：1001 矽尘（游离SiO2含量≥10%）；化学因素：2028 苯" in [row[column] for row in body]


def test_the_api_names_the_factors_too(app, city, login):
    client = login("clerka1")
    payload = {"employer": city.employer["a1_1"], "visit_date": date.today().isoformat(), "exposed_total": 5,
               "exposed_dust": 5, "detection_status": "none", "exam_status": "none", "training_coverage": "none"}
    refused = client.post("/api/v1/screening/", json=payload)
    assert refused.status_code == 422 and "exposed_dust" in refused.json["message"]
    created = client.post("/api/v1/screening/", json={**payload, "hazards": [city.factor["1001"]]})
    assert created.status_code == 201, created.json
    shown = client.get(f"/api/v1/screening/{created.json['id']}").json["result"]
    assert [(factor["code"], factor["name"]) for factor in shown["hazards"]] == [("1001", "矽尘（游离SiO2含量≥10%）")]
