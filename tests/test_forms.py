"""What every add and edit form does for the clerk: dates typed in the usual forms, every problem of a save
told at once with a summary at the top, required fields marked, nothing chosen for them; and the visit forms'
register endpoint, which answers only for the user's own employers."""
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.models import Employer, HazardReport, Industry, Patrol, Screening, db
from app.dates import parse_date, parse_datetime
from tests.fieldwork import (GUIZHOU, SHANGHAI, add_patrol, errors_by_field, newest, patrol_form, screening_form,
                             template_id)


@pytest.mark.parametrize("typed", ["2026-10-15", "2026/10/15", "2026.10.15", "20261015", "2026年10月15日",
                                   " 2026-10-15 ", "2026 年 10 月 15 日"])
def test_a_date_is_read_in_the_usual_forms(typed):
    assert parse_date(typed) == date(2026, 10, 15)


def test_a_date_without_leading_zeros_and_in_full_width_digits_is_read():
    assert parse_date("2026/3/5") == date(2026, 3, 5)
    assert parse_date("２０２６／１０／１５") == date(2026, 10, 15)


@pytest.mark.parametrize("typed", ["15.10.2026", "10/15/2026", "2026-02-30", "2026-13-01", "202610150",
                                   "2026-10-15 08:30", "明天", "2026-10", ""])
def test_what_names_no_date_is_not_read(typed):
    assert parse_date(typed) is None


def test_a_date_and_time_is_read_with_or_without_the_time():
    assert parse_datetime("2026/10/15 08:30") == datetime(2026, 10, 15, 8, 30)
    assert parse_datetime("20261015 8:30:05") == datetime(2026, 10, 15, 8, 30, 5)
    assert parse_datetime("2026年10月15日") == datetime(2026, 10, 15)
    assert parse_datetime("2026-10-15 25:00") is None


def test_a_typed_date_is_saved_and_a_wrong_one_is_told_with_the_expected_format(app, city, login):
    client = login("clerka1")
    response = client.post("/screenings/add", data=screening_form(city, visit_date="2026/10/15", companion="日期甲"))
    assert response.status_code == 302
    assert newest(app, Screening, companion="日期甲").visit_date == date(2026, 10, 15)
    response = client.post("/patrols/add", data=patrol_form(app, city, visit_date="20261015", companion="日期乙"))
    assert response.status_code == 302
    assert newest(app, Patrol, companion="日期乙").visit_date == date(2026, 10, 15)
    response = client.post("/screenings/add", data=screening_form(city, visit_date="15/10/2026"))
    assert response.status_code == 200
    assert "2026-10-15" in errors_by_field(response.data)["visit_date"]
    assert "不是有效的日期值" not in response.data.decode()


def test_a_hazard_reports_time_is_read_as_typed(app, city, login):
    client = login("clerka1")
    response = client.post("/hazardreports/add", data={
        "category": "complaint", "employer": str(city.employer["a1_1"]), "description": "时间格式",
        "found_at": "2026/10/15 08:30", "handling_status": "pending"})
    assert response.status_code == 302, errors_by_field(response.data)
    with app.app_context():
        report = db.session.query(HazardReport).filter_by(description="时间格式").one()
        assert report.found_at == datetime(2026, 10, 15, 8, 30)


def summary_of(html: str) -> list[tuple[str, str]]:
    """The failed save's summary at the top of the form: (field it links to, text) per problem."""
    block = re.search(r'<div id="form-error-summary".*?</ul>', html, re.S)
    assert block, "no summary at the top of the form"
    return [(field, " ".join(re.sub(r"<[^>]+>", "", text).split()))
            for field, text in re.findall(r'<li><a href="#([a-z_]+)-label"[^>]*>(.*?)</li>', block.group(0), re.S)]


def test_one_save_tells_every_problem_of_a_screening_form_and_model_alike(app, city, login):
    """The form's own checks (a choice left out, a date that cannot be read) and the model's rules (more
    examined than due) come back from the same save, listed at the top in the form's order."""
    client = login("clerka1")
    response = client.post("/screenings/add", data=screening_form(
        city, training_coverage="", detection_status="", exam_status="partial", exam_due_count="5",
        exam_done_count="8", visit_date="2026-99-99"))
    assert response.status_code == 200
    errors = errors_by_field(response.data)
    assert set(errors) == {"training_coverage", "detection_status", "exam_done_count", "visit_date"}, errors
    summary = summary_of(response.data.decode())
    assert [field for field, _ in summary] == ["training_coverage", "detection_status", "exam_done_count",
                                               "visit_date"]
    assert summary[0][1].startswith("培训情况")
    assert "5" in summary[2][1] and "2026-10-15" in summary[3][1]
    assert "未保存" in response.data.decode()


def test_a_patrols_checklist_problem_is_in_the_summary_with_the_others(app, city, login):
    client = login("clerka1")
    response = client.post("/patrols/add", data=patrol_form(app, city, answers={7: None}, visit_date="明天",
                                                            production_status=""))
    summary = dict(summary_of(response.data.decode()))
    assert set(summary) == {"answers", "production_status", "visit_date"}, summary
    assert "7" in summary["answers"]


@pytest.mark.parametrize("form", ["patrols", "screenings"])
def test_no_employer_is_told_once_on_the_employer_not_again_as_a_missing_unit(app, city, login, form):
    """The visit's township follows its employer: without one, the summary names the employer alone."""
    client = login("clerka1")
    data = (patrol_form(app, city) if form == "patrols" else screening_form(city)) | {"employer": ""}
    response = client.post(f"/{form}/add", data=data)
    html = response.data.decode()
    assert response.status_code == 200 and "employer" in dict(summary_of(html))
    assert "请选择所属单位" not in html


def test_the_forms_start_with_nothing_chosen_and_mark_what_is_required(city, login):
    client = login("clerka1")
    html = client.get("/screenings/add").data.decode()
    employer = re.search(r'<select[^>]*id="employer".*?</select>', html, re.S).group(0)
    assert "selected" not in employer
    for field in ("training_coverage", "detection_status", "exam_status"):
        select = re.search(rf'<select[^>]*id="{field}".*?</select>', html, re.S).group(0)
        assert "selected" not in select and '<option value=""></option>' in select  # select2's placeholder
        assert "（无）" not in select
        assert re.search(rf'<label for="{field}"[^>]*>[^<]*<strong[^>]*>&#42;</strong>', html), field
    html = client.get("/patrols/add").data.decode()
    assert "selected" not in re.search(r'<select[^>]*id="employer".*?</select>', html, re.S).group(0)
    for field in ("employer", "template", "answers", "production_status", "visit_date"):
        assert re.search(rf'<label for="{field}"[^>]*>[^<]*<strong[^>]*>&#42;</strong>', html), field
    assert re.search(r"有/无 <strong[^>]*>&#42;</strong>", html)  # the checklist's answer column


def test_the_return_reason_is_marked_required(app, city, login):
    record = add_patrol(app, city, "a1_1")
    html = login("districta").get(f"/patrols/return/{record}").data.decode()
    assert re.search(r'<label for="reason">[^<]*<strong[^>]*>&#42;</strong>', html)
    assert re.search(r"<textarea[^>]*required", html)


def test_the_register_endpoint_answers_for_the_users_own_employers_only(app, city, login):
    client = login("clerka1")
    mine, foreign = city.employer["a1_1"], city.employer["b1_1"]
    with app.app_context():
        employer = db.session.get(Employer, mine)
        employer.industry, employer.start_date = db.session.scalars(select(Industry)).first(), date(2019, 3, 1)
        db.session.commit()
    values = client.get(f"/screenings/register?employer={mine}").get_json()
    patrol = client.get(f"/patrols/register?employer={mine}").get_json()
    with app.app_context():
        employer = db.session.get(Employer, mine)
        assert values["employer_name"] == employer.name and values["total_workers"] == employer.total_workers
        assert values["industry"] == {"id": employer.industry.id, "text": str(employer.industry)}
        assert values["start_date"] == "2019-03-01"
        assert patrol["address"] == employer.workplace_address
        assert patrol["production_status"]["id"] == employer.production_status_id
    for url in (f"/screenings/register?employer={foreign}", f"/patrols/register?employer={foreign}",
                "/patrols/register?employer=999999", "/patrols/register?employer=abc"):
        response = client.get(url)
        assert response.status_code == 404 and b"employer_name" not in response.data, url
    auditor = login("auditor")
    assert auditor.get(f"/patrols/register?employer={mine}").status_code in (302, 403, 404)


def test_another_template_brings_its_checklist_unanswered(app, city, login):
    client = login("clerka1")
    html = client.get(f"/patrols/checklist?template={template_id(app, GUIZHOU)}").data.decode()
    assert html.lstrip().startswith('<table id="answers"')
    assert "群众投诉举报情况" in html and "checked" not in html
    assert client.get("/patrols/checklist?template=999999").status_code == 404
    assert SHANGHAI not in html
