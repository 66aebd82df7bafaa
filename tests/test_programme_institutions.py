"""Prevention institutions (Chongqing Annex 1): a district's institutions, their yearly quality-control
result and red/yellow/green colour, and the problems found with their rectification."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import InstitutionProblem, InstitutionQualityControl, PreventionInstitution, db
from tests.programme_data import build_programme_records, field_errors


@pytest.fixture(scope="module")
def sample(app, city):
    return build_programme_records(app, city)


def form(city, **overrides):
    data = {"name": "黄浦区职业病防治院", "org_unit": str(city.unit["a"]), "kind": "health_exam",
            "qualification": "职业健康检查（接触粉尘、化学因素、物理因素类）", "certificate_number": "沪职检备2024-015",
            "valid_until": "2027-12-31", "confirmation": "direct", "confirmed_on": "2024-06-30",
            "phone": "021-63201234"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def institution_named(app, name):
    with app.app_context():
        return db.session.scalar(select(PreventionInstitution).where(PreventionInstitution.name == name))


def test_district_admin_registers_an_institution_of_the_district(app, city, login):
    response = login("districta").post("/institutions/add", data=form(city, name="区尘肺病康复站",
                                                                       kind="rehab_station",
                                                                       served_township=str(city.unit["a2"])))
    assert response.status_code == 302
    saved = institution_named(app, "区尘肺病康复站")
    assert saved.org_unit_id == city.unit["a"] and saved.served_township_id == city.unit["a2"]


@pytest.mark.parametrize("overrides, field", [
    ({"kind": ""}, "kind"),
    ({"name": ""}, "name"),
    ({"credit_code": "12310000ABCDEFGH1X"}, "credit_code"),
    ({"from_other_province": "y"}, "quality_control_number"),
    ({"confirmation": "", "confirmed_on": "2024-06-30"}, "confirmation"),
    ({"confirmed_on": (date.today() + timedelta(days=4)).isoformat()}, "confirmed_on"),
    ({"org_unit": None}, "org_unit"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    name = overrides.get("name", f"坏机构{field}")
    response = login("districta").post("/institutions/add", data=form(city, **{"name": name, **overrides}))
    assert field in field_errors(response.data), field_errors(response.data)
    assert institution_named(app, name) is None


def test_an_institution_hangs_under_a_district_and_serves_one_of_its_townships(app, city, login):
    client = login("cityadmin")
    township = client.post("/api/v1/institution/", json={"name": "挂在乡镇的机构", "org_unit": city.unit["a1"],
                                                         "kind": "cdc"})
    assert township.status_code == 422 and "org_unit" in township.json["message"]
    other = client.post("/api/v1/institution/", json={
        "name": "跨区服务的康复站", "org_unit": city.unit["a"], "kind": "rehab_station",
        "served_township": city.unit["b1"]})
    assert other.status_code == 422 and "served_township" in other.json["message"]
    assert institution_named(app, "挂在乡镇的机构") is None and institution_named(app, "跨区服务的康复站") is None


def test_the_latest_quality_control_gives_the_colour(app, sample, login):
    client = login("districta")
    institution = sample.records["institution"]["a"]
    page = client.get(f"/institutions/show/{institution}").data.decode()
    assert "/institutionqualitycontrols/add?_flt_0_institution=" in page
    assert "/institutionproblems/add?_flt_0_institution=" in page
    response = client.post(f"/institutionqualitycontrols/add?_flt_0_institution={institution}", data={
        "year": "2025", "score": "61.5", "lab_comparison": "questionable", "rating": "yellow"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PreventionInstitution, institution).rating == "yellow"
    assert "黄色" in client.get(f"/institutions/list/?_flt_2_name={sample.mark}").data.decode()


@pytest.mark.parametrize("data, field", [
    ({"year": "2024", "rating": "green"}, "year"),        # 2024 already rated
    ({"year": "2023", "rating": ""}, "rating"),
    ({"year": "2023", "rating": "purple"}, "rating"),
    ({"year": "2023", "rating": "red", "score": "120"}, "score"),
    ({"year": str(date.today().year + 1), "rating": "red"}, "year"),
])
def test_quality_control_rules(app, sample, login, data, field):
    institution = sample.records["institution"]["a"]

    def results():
        with app.app_context():
            return db.session.scalars(select(InstitutionQualityControl.year).where(
                InstitutionQualityControl.institution_id == institution)).all()

    before = results()
    response = login("districta").post("/institutionqualitycontrols/add", data={
        "institution": str(institution), **data})
    assert field in field_errors(response.data), field_errors(response.data)
    assert results() == before


def test_problems_are_rectified_by_their_deadline(app, sample, login):
    client = login("districta")
    institution = str(sample.records["institution"]["a"])
    overdue = client.post("/institutionproblems/add", data={
        "institution": institution, "found_on": "2025-03-01", "source": "random_inspection",
        "description": "检测报告未经授权签字人签发", "deadline": "2025-04-01"})
    assert overdue.status_code == 302
    early = client.post("/institutionproblems/add", data={
        "institution": institution, "found_on": "2025-03-01", "source": "evaluation", "description": "台账缺失",
        "rectified_on": "2025-02-01", "rectification": "已补建"})
    assert "rectified_on" in field_errors(early.data)
    silent = client.post("/institutionproblems/add", data={
        "institution": institution, "found_on": "2025-03-01", "source": "evaluation", "description": "台账缺失",
        "rectified_on": "2025-03-05"})
    assert "rectification" in field_errors(silent.data)
    with app.app_context():
        problem = db.session.scalar(select(InstitutionProblem).where(
            InstitutionProblem.description == "检测报告未经授权签字人签发"))
        assert str(problem.status) == "逾期"  # deadline passed, not rectified
        assert db.session.get(PreventionInstitution, int(institution)).open_problems == 2
        assert db.session.scalar(select(InstitutionProblem).where(
            InstitutionProblem.description == "台账缺失")) is None


def test_deleting_an_institution_deletes_its_rows(app, city, login):
    client = login("districta")
    client.post("/institutions/add", data=form(city, name="将撤销的机构"))
    institution = institution_named(app, "将撤销的机构").id
    client.post("/institutionqualitycontrols/add", data={"institution": str(institution), "year": "2024",
                                                          "rating": "red"})
    assert client.post(f"/institutions/delete/{institution}").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(InstitutionQualityControl).where(
            InstitutionQualityControl.institution_id == institution)) is None
