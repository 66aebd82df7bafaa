"""The declaration-expansion database (Chongqing Annex 2): where a possibly hazardous employer was found,
its two one-month deadlines (reported to the city CDC, verified after the city's list; overdue otherwise),
the outcome and the employer record."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import DeclarationCandidate, Employer, OrgUnit, db
from app.models.programme.common import add_month
from tests.programme_data import field_errors
from tests.test_scoping import listed_ids


def form(city, **overrides):
    data = {"name": "疑似粉尘企业", "org_unit": str(city.unit["a1"]), "source": "enforcement",
            "source_detail": "区卫生监督所日常检查", "found_on": (date.today() - timedelta(days=3)).isoformat()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def candidate_named(app, name):
    with app.app_context():
        return db.session.scalar(select(DeclarationCandidate).where(DeclarationCandidate.name == name))


def add_candidate(app, city, name, found_on, verified_on=None, outcome=None, unit="a1", **dates):
    with app.app_context():
        candidate = DeclarationCandidate(org_unit=db.session.get(OrgUnit, city.unit[unit]), name=name,
                                         source="department", found_on=found_on, verified_on=verified_on,
                                         outcome=outcome, **dates)
        db.session.add(candidate)
        db.session.commit()
        return candidate.id


@pytest.mark.parametrize("found, deadline", [
    (date(2025, 3, 15), date(2025, 4, 15)),
    (date(2025, 1, 31), date(2025, 2, 28)),   # February has no 31st: its last day
    (date(2024, 1, 31), date(2024, 2, 29)),
    (date(2025, 12, 20), date(2026, 1, 20)),
])
def test_the_deadline_is_one_calendar_month_after_the_find(found, deadline):
    assert add_month(found) == deadline


def test_clerk_enters_a_candidate_and_gets_its_deadline(app, city, login):
    found = date.today() - timedelta(days=3)
    response = login("clerka1").post("/declarationcandidates/add", data=form(city, name="新发现企业"))
    assert response.status_code == 302
    saved = candidate_named(app, "新发现企业")
    assert saved.report_by == add_month(found) and saved.verify_by is None
    assert saved.org_unit_id == city.unit["a1"]
    assert saved.overdue is False


def test_a_candidate_unverified_past_one_month_is_overdue_in_the_list_and_filter(app, city, login):
    today = date.today()
    late = add_candidate(app, city, "久未核实企业", today - timedelta(days=40))
    fresh = add_candidate(app, city, "刚发现企业", today - timedelta(days=5))
    done = add_candidate(app, city, "已核实企业", today - timedelta(days=60), today - timedelta(days=50),
                         "not_hazardous", reported_on=today - timedelta(days=55))
    with app.app_context():
        assert db.session.get(DeclarationCandidate, late).overdue is True
        assert db.session.get(DeclarationCandidate, fresh).overdue is False
        assert db.session.get(DeclarationCandidate, done).overdue is False
    client = login("clerka1")
    page = client.get("/declarationcandidates/list/?_flt_0_overdue=y&psize_DeclarationCandidateView=100")
    overdue_only = listed_ids(page.data, "/declarationcandidates")
    assert late in overdue_only and fresh not in overdue_only and done not in overdue_only
    assert "逾期" in client.get(f"/declarationcandidates/show/{late}").data.decode()
    api = client.get("/api/v1/declarationcandidate/"
                     "?q=(filters:!((col:overdue,opr:eq,value:!t)),page_size:100)")
    assert late in {row["id"] for row in api.json["result"]}
    assert fresh not in {row["id"] for row in api.json["result"]}


def test_overdue_is_one_set_based_condition_for_reports(app, city):
    found = date(2025, 1, 31)
    candidate = add_candidate(app, city, "报表用企业", found)
    with app.app_context():
        def overdue_on(day):
            return db.session.scalar(select(DeclarationCandidate.id).where(
                DeclarationCandidate.id == candidate, DeclarationCandidate.overdue_clause(day))) is not None
        assert not overdue_on(date(2025, 2, 28))  # the deadline itself is still in time
        assert overdue_on(date(2025, 3, 1))


def test_two_one_month_deadlines_reported_to_the_city_cdc_and_verified_after_the_citys_list(app, city):
    """Chongqing Annex 2 task 8: "发现可能存在职业病危害的用人单位后,相关信息要在1个月内报告市疾控中心…由市卫生
    健康委下发到各区县进行核实确认。各区县应在1个月内将核实情况反馈市疾控中心" — two deadlines, not one."""
    found, listed = date(2025, 1, 10), date(2025, 2, 20)
    unreported = add_candidate(app, city, "未报告疾控企业", found)
    reported = add_candidate(app, city, "已报告未列入企业", found, reported_on=date(2025, 2, 1))
    on_list = add_candidate(app, city, "已列入名单企业", found, reported_on=date(2025, 2, 1), listed_on=listed)
    verified = add_candidate(app, city, "名单内已核实企业", found, date(2025, 3, 5), "not_hazardous",
                             reported_on=date(2025, 2, 1), listed_on=listed)
    with app.app_context():
        rows = {key: db.session.get(DeclarationCandidate, key) for key in (unreported, reported, on_list, verified)}
        assert rows[unreported].report_by == date(2025, 2, 10) and rows[unreported].verify_by is None
        assert rows[on_list].verify_by == date(2025, 3, 20)

        def overdue_on(day):
            return set(db.session.scalars(select(DeclarationCandidate.id).where(
                DeclarationCandidate.id.in_(rows), DeclarationCandidate.overdue_clause(day))))
        assert overdue_on(date(2025, 2, 10)) == set()
        assert overdue_on(date(2025, 2, 11)) == {unreported}  # not reported within a month of the find
        # reported in time and not yet on the city's list: no verification deadline runs
        assert overdue_on(date(2025, 3, 21)) == {unreported, on_list}  # not verified a month after the list
        assert rows[reported].overdue is False and rows[on_list].overdue is True and rows[verified].overdue is False


@pytest.mark.parametrize("overrides, field", [
    ({"found_on": (date.today() + timedelta(days=1)).isoformat()}, "found_on"),
    ({"found_on": ""}, "found_on"),
    ({"source": ""}, "source"),
    ({"credit_code": "91310000MA1FL8LQ5N"}, "credit_code"),
    ({"phone": "abc"}, "phone"),
    ({"verified_on": (date.today() - timedelta(days=1)).isoformat()}, "outcome"),
    ({"outcome": "not_hazardous"}, "verified_on"),
    ({"reported_on": (date.today() - timedelta(days=9)).isoformat()}, "reported_on"),
    ({"listed_on": (date.today() + timedelta(days=1)).isoformat()}, "listed_on"),
    ({"verified_on": (date.today() - timedelta(days=9)).isoformat(), "outcome": "closed"}, "verified_on"),
    ({"verified_on": date.today().isoformat(), "outcome": "to_declare"}, "employer"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    name = f"坏数据{field}{len(overrides)}"
    response = login("clerka1").post("/declarationcandidates/add", data=form(city, name=name, **overrides))
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    assert candidate_named(app, name) is None


def test_the_employer_record_is_linked_once_verified_and_must_agree(app, city, login):
    client = login("clerka1")
    employer = city.employer["a1_1"]  # has hazards, not declared
    verified = {"verified_on": date.today().isoformat(), "employer": str(employer)}
    unverified = client.post("/declarationcandidates/add", data=form(city, name="未核实先关联",
                                                                     employer=str(employer)))
    assert "employer" in field_errors(unverified.data)
    wrong = client.post("/declarationcandidates/add", data=form(city, name="结果不符", outcome="declared",
                                                                **verified))
    assert "employer" in field_errors(wrong.data)
    good = client.post("/declarationcandidates/add", data=form(city, name="核实待申报", outcome="to_declare",
                                                               **verified))
    assert good.status_code == 302
    assert candidate_named(app, "核实待申报").employer_id == employer


def test_an_employer_of_another_township_cannot_be_linked(app, city, login):
    api = login("clerka1").post("/api/v1/declarationcandidate/", json={
        "name": "接口越界", "org_unit": city.unit["a1"], "source": "park", "found_on": "2025-10-01",
        "verified_on": "2025-10-08", "outcome": "to_declare", "employer": city.employer["b1_1"]})
    assert api.status_code == 422 and "employer" in api.json["message"]
    district = login("districta").post("/declarationcandidates/add", data=form(
        city, name="区内跨乡镇", outcome="to_declare", verified_on=date.today().isoformat(),
        employer=str(city.employer["a2_1"])))
    assert "employer" in field_errors(district.data)
    assert candidate_named(app, "接口越界") is None and candidate_named(app, "区内跨乡镇") is None
    with app.app_context():
        assert db.session.get(Employer, city.employer["b1_1"]) is not None
