"""The employer register: credit codes, headcounts, archive numbers and size, on every write path."""
import random
import re

import pytest
from sqlalchemy import select

from app.codes import uscc_check_char
from app.models import EnterpriseSize, Employer, Industry, OrgUnit, RecordInvalid, db
from app.seed.demo import make_credit_code


def field_errors(html: bytes) -> dict[str, str]:
    """Messages FAB renders next to each field: {field id: message}."""
    found = {}
    for block in re.findall(r'<tr>(.*?)</tr>', html.decode(), re.S):
        field = re.search(r'name="([a-z_]+)"', block)
        errors = re.findall(r'class="alert alert-danger">\s*([^<]+?)\s*<', block)
        if field and errors:
            found[field.group(1)] = " ".join(errors)
    return found


def form(city, **overrides):
    data = {"name": "测试企业", "org_unit": str(city.unit["a1"]), "total_workers": "30",
            "female_workers": "10", "outsourced_workers": "0", "registered_on": "2026-03-01",
            "credit_code": make_credit_code(random.Random(), "310101")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def employer_named(app, name):
    with app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.name == name))
        if employer is not None:
            db.session.refresh(employer)
            employer.enterprise_size  # loaded while the session is open
        return employer


def test_clerk_adds_an_employer_and_gets_the_next_archive_number(app, city, login):
    client = login("clerka1")
    with app.app_context():
        numbers = db.session.scalars(select(Employer.archive_number)
                                     .where(Employer.org_unit_id == city.unit["a1"])).all()
    expected = f"310101001{max(int(n[-4:]) for n in numbers) + 1:04d}"
    response = client.post("/employers/add", data=form(city, name="新登记企业"))
    assert response.status_code == 302
    assert employer_named(app, "新登记企业").archive_number == expected


def test_archive_numbers_in_one_batch_are_consecutive_and_unique(app, city):
    with app.app_context():
        township = db.session.get(OrgUnit, city.unit["b2"])
        batch = [Employer(name=f"批量企业{i}", org_unit=township, credit_code_pending=True) for i in range(3)]
        db.session.add_all(batch)
        db.session.commit()
        serials = [int(e.archive_number[-4:]) for e in batch]
        assert all(e.archive_number.startswith("310104002") and len(e.archive_number) == 13 for e in batch)
        assert serials == list(range(serials[0], serials[0] + 3))


@pytest.mark.parametrize("overrides, field, fragment", [
    ({"credit_code": "91310000MA1FL8LQ5N"}, "credit_code", "校验码"),
    ({"credit_code": "91310000MA1FL8LO5A"}, "credit_code", "不允许的字符"),
    ({"credit_code": ""}, "credit_code", ""),
    ({"female_workers": "31"}, "female_workers", ""),
    ({"outsourced_workers": "40"}, "outsourced_workers", ""),
    ({"start_date": "2999-01-01"}, "start_date", ""),
    ({"has_hazard": "y"}, "risk_class", ""),
    ({"postcode": "2000"}, "postcode", ""),
    ({"start_date": "0001-01-01"}, "start_date", "1900-01-01"),
    ({"start_date": "1900-01-01"}, "start_date", "1900-01-01"),
    ({"name": "\u200b"}, "name", "零宽字符"),
    ({"name": "正常\u0007企业"}, "name", "控制字符"),
    ({"name": "企业\u202egnp.exe"}, "name", "文字方向"),
    ({"workplace_address": "某路\u2066\u20691号"}, "workplace_address", "文字方向"),
    ({"contact_phone": "021-6123abcd"}, "contact_phone", "数字"),
    ({"phone": "call me"}, "phone", "数字"),
    ({"legal_representative": "名" * 51}, "legal_representative", "50"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field, fragment):
    client = login("clerka1")
    name = overrides.get("name", f"坏数据{field}")
    response = client.post("/employers/add", data=form(city, **{"name": name, **overrides}))
    assert response.status_code == 200
    errors = field_errors(response.data)
    assert field in errors and fragment in errors[field], errors
    assert employer_named(app, name) is None


def test_a_village_collective_code_with_letter_prefix_is_accepted(app, city, login):
    first17 = "N2310101MF0000009"
    response = login("clerka1").post("/employers/add", data=form(
        city, name="村集体经济组织", credit_code=first17 + uscc_check_char(first17)))
    assert response.status_code == 302
    assert employer_named(app, "村集体经济组织").credit_code.startswith("N2")


def test_not_yet_obtained_needs_no_credit_code_but_a_valid_organisation_code(app, city, login):
    client = login("clerka1")
    bad = client.post("/employers/add", data=form(city, name="无代码企业", credit_code="",
                                                  credit_code_pending="y", organization_code="D21435691"))
    assert "organization_code" in field_errors(bad.data)
    good = client.post("/employers/add", data=form(city, name="无代码企业", credit_code="",
                                                   credit_code_pending="y", organization_code="D2143569X"))
    assert good.status_code == 302
    saved = employer_named(app, "无代码企业")
    assert saved.credit_code is None and saved.organization_code == "D2143569X"


def test_a_credit_code_is_registered_once_even_across_townships(app, city, login):
    with app.app_context():
        taken = db.session.get(Employer, city.employer["b1_1"]).credit_code
    response = login("clerka1").post("/employers/add", data=form(city, name="重复企业", credit_code=taken))
    assert "credit_code" in field_errors(response.data)
    assert employer_named(app, "重复企业") is None


def test_the_api_applies_the_same_rules(app, city, login):
    client = login("clerka1")
    response = client.post("/api/v1/employer/", json={
        "name": "接口企业", "org_unit": city.unit["a1"], "credit_code": "91310000MA1FL8LQ5N",
        "total_workers": 5, "female_workers": 9, "outsourced_workers": 0})
    assert response.status_code == 422
    assert set(response.json["message"]) >= {"credit_code", "female_workers"}
    assert employer_named(app, "接口企业") is None


def test_the_session_refuses_invalid_rows_from_any_path(app, city):
    with app.app_context():
        township = db.session.get(OrgUnit, city.unit["a1"])
        db.session.add(Employer(name="脚本导入", org_unit=township, credit_code="123",
                                total_workers=1, female_workers=0))
        with pytest.raises(RecordInvalid) as raised:
            db.session.commit()
        db.session.rollback()
        assert "credit_code" in raised.value.problems


def test_blank_size_takes_the_statistics_rule_and_a_chosen_size_stands(app, city, login):
    client = login("clerka1")
    with app.app_context():
        metal = db.session.scalar(select(Industry.id).where(Industry.name == "金属制品业"))
        small = db.session.scalar(select(EnterpriseSize.id).where(EnterpriseSize.code == "3"))
    client.post("/employers/add", data=form(city, name="规模建议企业", industry=str(metal), total_workers="350",
                                            annual_revenue="5000"))
    assert employer_named(app, "规模建议企业").enterprise_size.code == "2"  # medium: ≥300 and ≥2000
    client.post("/employers/add", data=form(city, name="自选规模企业", industry=str(metal), total_workers="350",
                                            annual_revenue="5000", enterprise_size=str(small)))
    assert employer_named(app, "自选规模企业").enterprise_size.code == "3"
