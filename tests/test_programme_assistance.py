"""SME assistance (Chongqing Annex 3): only small, medium and micro enterprises are assisted; the six
items are each done on a date; the record lives in its employer's township."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import OrgUnit, SmeAssistance, db
from tests.programme_data import field_errors, make_employer


@pytest.fixture(scope="module")
def employers(app, city):
    with app.app_context():
        township = db.session.get(OrgUnit, city.unit["a1"])
        made = {"small": make_employer(township, "帮扶小型企业", "3"),
                "medium": make_employer(township, "帮扶中型企业", "2"),
                "large": make_employer(township, "不帮扶大型企业", "1"),
                "unsized": make_employer(township, "未定规模企业", None)}
        db.session.commit()
        return {key: employer.id for key, employer in made.items()}


def form(employer_id, **overrides):
    data = {"employer": str(employer_id), "year": "2025", "team": "区职业健康管家服务团队", "team_leader": "李工",
            "hazard_identification_done": "y", "hazard_identification_on": "2025-04-10",
            "hazard_identification_notes": "辨识噪声、电焊烟尘", "training_done": "y", "training_on": "2025-05-20",
            "declared_before": "", "declared_after": "y", "trained_after": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in (None, "")}


def assistance_of(app, employer_id):
    with app.app_context():
        return db.session.scalars(select(SmeAssistance).where(SmeAssistance.employer_id == employer_id)).all()


def test_clerk_records_assistance_of_a_small_enterprise(app, city, employers, login):
    response = login("clerka1").post("/smeassistance/add", data=form(employers["small"]))
    assert response.status_code == 302
    [saved] = assistance_of(app, employers["small"])
    assert saved.org_unit_id == city.unit["a1"]  # taken from the employer, never chosen
    assert saved.items_done == 2 and saved.items_progress == "2/6"
    assert saved.declared_after and not saved.declared_before


def test_a_large_enterprise_is_refused_next_to_the_employer(app, employers, login):
    client = login("clerka1")
    response = client.post("/smeassistance/add", data=form(employers["large"]))
    assert response.status_code == 200
    assert "employer" in field_errors(response.data)
    api = client.post("/api/v1/smeassistance/", json={"employer": employers["large"], "year": 2025,
                                                      "team": "管家团队"})
    assert api.status_code == 422 and "employer" in api.json["message"]
    unsized = client.post("/smeassistance/add", data=form(employers["unsized"]))
    assert "employer" in field_errors(unsized.data)
    assert assistance_of(app, employers["large"]) == [] and assistance_of(app, employers["unsized"]) == []


def test_another_townships_employer_cannot_be_assisted_by_the_clerk(app, city, login):
    client = login("clerka1")
    api = client.post("/api/v1/smeassistance/", json={"employer": city.employer["b1_2"], "year": 2025,
                                                      "team": "管家团队"})
    assert api.status_code == 422
    assert assistance_of(app, city.employer["b1_2"]) == []


@pytest.mark.parametrize("overrides, field", [
    ({"training_on": ""}, "training_on"),
    ({"over_limit_on": "2025-06-01"}, "over_limit_on"),
    ({"chronic_disease_done": "y", "chronic_disease_on": (date.today() + timedelta(days=5)).isoformat()},
     "chronic_disease_on"),
    ({"team": ""}, "team"),
    ({"year": "1990"}, "year"),
])
def test_bad_input_is_refused_next_to_its_field(app, employers, login, overrides, field):
    response = login("clerka1").post("/smeassistance/add", data=form(employers["medium"], **overrides))
    assert field in field_errors(response.data), field_errors(response.data)
    assert assistance_of(app, employers["medium"]) == []


def test_one_record_per_employer_and_year(app, employers, login):
    client = login("districta")
    assert client.post("/smeassistance/add", data=form(employers["medium"], year="2024")).status_code == 302
    again = client.post("/smeassistance/add", data=form(employers["medium"], year="2024"))
    assert "year" in field_errors(again.data)
    assert len(assistance_of(app, employers["medium"])) == 1


def test_six_item_completion_is_summed_in_sql(app, employers, login):
    login("clerka1").post("/smeassistance/add", data=form(
        employers["small"], year="2024", management_system_done="y", management_system_on="2024-08-08"))
    with app.app_context():
        done, records = db.session.execute(
            select(func.sum(SmeAssistance.items_done_sql()), func.count())
            .where(SmeAssistance.employer_id == employers["small"])).one()
    assert (done, records) == (5, 2)  # 2 items in 2025, 3 in 2024


def test_the_six_items_read_as_the_document_names_them(employers, login):
    client = login("clerka1")
    html = client.get("/smeassistance/add").data.decode()
    assert "开展一次职业病危害因素辨识" in html and "开展一次慢病筛查与随访服务" in html
