"""Occupational-disease patients and their dynamic visit card (Annex 5): ID numbers, a pneumoconiosis
patient from stage Ⅰ to Ⅱ with visits, rehabilitation and loss to follow-up, the card's rules, and
scoping by the township of residence."""
import random
from datetime import date, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from app.codes import id_number_check_char
from app.models import (ComplicationVisit, ContactChange, Disease, DiseaseCategory, Employer, FollowUpVisit,
                        OccupationalHistory, OrgUnit, Patient, RecordInvalid, RehabilitationRecord, db)
from tests.test_archive import field_errors
from tests.test_scoping import listed_ids, picker_values
from tests.versions import post_edit

TODAY = date.today()
_random = random.SystemRandom()


def unique_id_number(region="310101") -> str:
    """A valid ID number of a man born 1950–1979 that no other test uses (random: this module is also
    imported by other test modules, so a counter here would restart)."""
    birth = date(1950, 1, 1) + timedelta(days=_random.randint(0, 365 * 30))
    first17 = f"{region}{birth:%Y%m%d}{_random.randint(0, 499) * 2 + 1:03d}"
    return first17 + id_number_check_char(first17)


def disease(app, name: str, catalogue: str = "2013") -> tuple[int, int]:
    """The category and disease ids; diagnoses before 2025-08-01 use the 2013 catalogue."""
    with app.app_context():
        found = db.session.scalar(select(Disease).join(DiseaseCategory).where(
            Disease.name == name, DiseaseCategory.catalogue == catalogue))
        return found.category_id, found.id


def patient_form(app, city, township="a1", **overrides) -> dict:
    category, silicosis = disease(app, "矽肺")
    data = {"card_type": "pneumoconiosis", "org_unit": str(city.unit[township]), "id_number": unique_id_number(),
            "name": f"病人{uuid4().hex[:8]}", "address": "某路1弄2号", "phone": "021-61234567",
            "mobile": "13912345678", "onset_employer_name": "上海某铸造厂", "job_at_detection": "铸造工",
            "exposure_started_on": "1985-03-01", "exposure_years": "20", "exposure_months": "6",
            "disease_category": str(category), "disease": str(silicosis), "stage1_on": "2015-04-10",
            "stage1_hospital": "上海市肺科医院", "copd": "y", "copd_diagnosed_on": "2018-01-01", "smokes": "y",
            "cigarettes_per_day": "10", "smoking_years": "30", "basic_medical_insurance": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def patient_named(app, name) -> Patient | None:
    with app.app_context():
        return db.session.scalar(select(Patient).where(Patient.name == name))


def add_patient(client, app, city, **overrides) -> int:
    data = patient_form(app, city, **overrides)
    response = client.post("/patients/add", data=data)
    assert response.status_code == 302, field_errors(response.data)
    return patient_named(app, data["name"]).id


def add_row(client, view: str, patient_id: int, data: dict):
    return client.post(f"/{view}/add?_flt_0_patient={patient_id}", data=data)


def test_id_number_check_digit_helper_matches_gb_11643():
    assert id_number_check_char("11010519491231002") == "X"  # the standard's worked example


def test_a_valid_chongming_id_number_born_in_2000_is_accepted_with_birth_date_and_sex(app, city, login):
    first17 = "31015120000229003"  # 崇明区 (code since 2016), born 29 February 2000, 17th digit odd: male
    number = first17 + id_number_check_char(first17)
    client = login("clerka1")
    add_patient(client, app, city, id_number=number, name="崇明病人", stage1_on="2024-06-01",
                exposure_started_on="2019-01-01", copd_diagnosed_on=None, copd=None)
    patient = patient_named(app, "崇明病人")
    assert (patient.birth_date, patient.sex) == (date(2000, 2, 29), "male")
    assert patient.onset_age == 24


@pytest.mark.parametrize("number, fragment", [
    ("310151200002290030", "校验码错误"),  # wrong check character
    (None, "出生日期不能晚于今天"),  # born tomorrow (valid check character)
    ("31015120001301003X", "出生日期"),  # month 13
    ("3101512000022900", "应为18位"),
])
def test_invalid_id_numbers_are_refused_next_to_the_field(app, city, login, number, fragment):
    if number is None:
        first17 = f"310151{TODAY + timedelta(days=1):%Y%m%d}003"
        number = first17 + id_number_check_char(first17)
    elif fragment == "校验码错误":
        right = id_number_check_char(number[:17])
        number = number[:17] + ("1" if right != "1" else "2")
    response = login("clerka1").post("/patients/add", data=patient_form(app, city, id_number=number, name="坏号码"))
    assert response.status_code == 200
    assert fragment in field_errors(response.data).get("id_number", ""), field_errors(response.data)
    assert patient_named(app, "坏号码") is None


def test_an_id_number_is_registered_once_across_the_city(app, city, login):
    number = unique_id_number()
    add_patient(login("clerka1"), app, city, id_number=number)
    response = login("clerkb1").post("/patients/add", data=patient_form(app, city, "b1", id_number=number,
                                                                         name="重复登记"))
    assert "id_number" in field_errors(response.data)
    assert patient_named(app, "重复登记") is None


def test_a_pneumoconiosis_patient_goes_from_stage_one_to_two_with_visits_rehab_and_loss(app, city, login):
    client = login("clerka1")
    patient_id = add_patient(client, app, city, name="尘肺病人甲")
    patient = patient_named(app, "尘肺病人甲")
    assert (patient.stage, patient.diagnosed_on, patient.diagnosis_hospital) == ("Ⅰ", date(2015, 4, 10), "上海市肺科医院")

    # Stage Ⅱ diagnosed in 2021: the card keeps the first diagnosis date and shows the higher stage.
    edit = patient_form(app, city, id_number=patient.id_number, name="尘肺病人甲", stage2_on="2021-09-15",
                        stage2_hospital="上海市化工职业病防治院", stage2_complication="y",
                        stage2_complication_name="肺结核")
    assert post_edit(client, f"/patients/edit/{patient_id}", edit).status_code == 302
    patient = patient_named(app, "尘肺病人甲")
    assert (patient.stage, patient.diagnosed_on, patient.stage2_complication_name) == ("Ⅱ", date(2015, 4, 10), "肺结核")

    rows = [
        ("occupationalhistoryview", {"started_on": "1985-03-01", "ended_on": "2015-04-01",
                                     "employer_name": "上海某铸造厂", "job": "铸造工", "hazards": "矽尘",
                                     "exposure_years": "30", "engineering_protection": "除尘",
                                     "personal_protection": "防尘口罩"}),
        ("followupvisitview", {"visited_on": (TODAY - timedelta(days=300)).isoformat(), "method": "2",
                               "institution": "社区卫生服务中心", "medical_advice": "遵医嘱", "regular_checkup": "y",
                               "complaint": "活动后气促", "outcome": "稳定", "current_job": "退休", "off_work": "y"}),
        ("followupvisitview", {"visited_on": (TODAY - timedelta(days=100)).isoformat(), "method": "1",
                               "institution": "社区卫生服务中心", "outcome": "稳定"}),
        ("rehabilitationrecordview", {"year": str(TODAY.year - 1), "first_on": f"{TODAY.year - 1}-03-01",
                                      "last_on": f"{TODAY.year - 1}-10-01", "method": "呼吸康复训练", "sessions": "12",
                                      "hours_per_session": "1.5", "spo2": "94", "adl_score": "85",
                                      "psych_score": "SAS 42"}),
        ("complicationvisitview", {"visited_on": (TODAY - timedelta(days=90)).isoformat(), "disease_name": "肺结核",
                                   "symptoms": "咳嗽", "diagnosed_on": "2021-09-01", "hospital": "上海市肺科医院",
                                   "outcome": "治疗中"}),
        ("contactchangeview", {"changed_on": (TODAY - timedelta(days=60)).isoformat(), "home_address": "新址1号",
                               "home_phone": "13800001111", "postcode": "200001"}),
    ]
    for view, data in rows:
        response = add_row(client, view, patient_id, data)
        assert response.status_code == 302, (view, field_errors(response.data))

    # Lost to follow-up: moved away.
    lost = {**edit, "lost": "y", "lost_on": (TODAY - timedelta(days=10)).isoformat(), "lost_reason": "3",
            "baseline_spo2": "92", "baseline_adl_score": "80"}
    assert post_edit(client, f"/patients/edit/{patient_id}", lost).status_code == 302

    with app.app_context():
        patient = db.session.get(Patient, patient_id)
        assert patient.org_unit_id == city.unit["a1"] and patient.card_type == "pneumoconiosis"
        assert [(v.method, v.outcome) for v in patient.visits] == [("1", "稳定"), ("2", "稳定")]
        assert patient.last_visited_on == TODAY - timedelta(days=100)
        assert [(r.year, r.sessions, float(r.spo2)) for r in patient.rehabilitation] == [(TODAY.year - 1, 12, 94.0)]
        assert [h.employer_name for h in patient.history] == ["上海某铸造厂"]
        assert [c.disease_name for c in patient.complication_visits] == ["肺结核"]
        assert [c.home_phone for c in patient.contact_changes] == ["13800001111"]
        assert (patient.lost, patient.lost_on, patient.lost_reason, patient.dead) == (
            True, TODAY - timedelta(days=10), "3", False)
        assert float(patient.baseline_spo2) == 92.0
    page = client.get(f"/patients/show/{patient_id}").data.decode()
    for shown in ("Ⅱ", "矽肺", "面对面", "电话", "呼吸康复训练", "肺结核", "上海某铸造厂", "迁往外地", "尘肺病"):
        assert shown in page, shown


@pytest.mark.parametrize("overrides, field", [
    ({"stage1_on": "2020-01-01", "stage2_on": "2019-01-01"}, "stage2_on"),  # Ⅱ before Ⅰ
    ({"stage1_on": None}, "stage1_on"),  # a 5.1 card needs a stage
    ({"stage1_on": (TODAY + timedelta(days=5)).isoformat()}, "stage1_on"),
    ({"stage1_on": "1950-01-01"}, "stage1_on"),  # before birth
    ({"stage1_complication": "y"}, "stage1_complication_name"),
    ({"dead": "y"}, "died_on"),
    ({"died_on": "2020-01-01"}, "dead"),
    ({"dead": "y", "died_on": "2010-01-01"}, "died_on"),  # before the diagnosis
    ({"lost": "y", "lost_reason": "2"}, "lost_on"),
    ({"lost": "y", "lost_on": "2024-01-01", "lost_reason": "1"}, "lost_reason"),  # death not recorded
    ({"lost": "y", "lost_on": "2024-01-01", "lost_reason": "4"}, "lost_reason_other"),
    ({"lost_on": "2024-01-01"}, "lost"),
    ({"disability_grade": "11"}, "disability_grade"),
    ({"exposure_months": "12"}, "exposure_months"),
    ({"onset_employer_name": ""}, "onset_employer_name"),
    ({"card_type": "other"}, "disease"),  # 矽肺 has card 5.1
])
def test_the_cards_rules_are_applied_next_to_their_field(app, city, login, overrides, field):
    response = login("clerka1").post("/patients/add", data=patient_form(app, city, name="规则病人", **overrides))
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    assert patient_named(app, "规则病人") is None


def test_a_diagnosis_uses_the_catalogue_in_force_on_its_date(app, city, login):
    client = login("clerka1")
    new_category, new_silicosis = disease(app, "矽肺", "2024")
    old = client.post("/patients/add", data=patient_form(app, city, name="目录病人", disease_category=str(new_category),
                                                         disease=str(new_silicosis)))
    assert "2013" in field_errors(old.data).get("disease_category", ""), field_errors(old.data)
    recent = (TODAY - timedelta(days=5)).isoformat()
    if recent >= "2025-08-01":
        refused = client.post("/patients/add", data=patient_form(app, city, name="目录病人", stage1_on=recent))
        assert "2024" in field_errors(refused.data).get("disease_category", "")
        add_patient(client, app, city, name="目录病人", stage1_on=recent, disease_category=str(new_category),
                    disease=str(new_silicosis))
        with app.app_context():
            assert db.session.scalar(select(DiseaseCategory.catalogue).join(Patient.disease_category).where(
                Patient.name == "目录病人")) == "2024"


def test_a_card_5_2_patient_has_a_diagnosis_date_and_no_pneumoconiosis_fields(app, city, login):
    client = login("clerka1")
    category, deafness = disease(app, "噪声聋")
    base = patient_form(app, city, card_type="other", disease_category=str(category), disease=str(deafness),
                        stage1_on=None, stage1_hospital=None, copd=None, copd_diagnosed_on=None,
                        exposure_started_on=None, name="噪声聋病人", diagnosed_on="2019-05-05",
                        diagnosis_hospital="上海市第六人民医院")
    refused = client.post("/patients/add", data={**base, "stage1_on": "2019-05-05"})
    assert "stage1_on" in field_errors(refused.data)
    no_date = client.post("/patients/add", data={**base, "diagnosed_on": ""})
    assert "diagnosed_on" in field_errors(no_date.data)
    assert client.post("/patients/add", data=base).status_code == 302
    patient = patient_named(app, "噪声聋病人")
    assert (patient.card_type, patient.diagnosed_on, patient.stage) == ("other", date(2019, 5, 5), "")
    response = add_row(client, "rehabilitationrecordview", patient.id, {"year": str(TODAY.year - 1)})
    assert "year" in field_errors(response.data)  # rehabilitation is a card 5.1 table


@pytest.mark.parametrize("view, data, field", [
    ("followupvisitview", {"visited_on": (TODAY + timedelta(days=1)).isoformat(), "method": "1"}, "visited_on"),
    ("followupvisitview", {"visited_on": "2014-01-01", "method": "1"}, "visited_on"),  # before the diagnosis
    ("followupvisitview", {"visited_on": TODAY.isoformat(), "method": "7"}, "method"),
    ("rehabilitationrecordview", {"year": "2023", "first_on": "2023-05-01", "last_on": "2023-03-01"}, "last_on"),
    ("rehabilitationrecordview", {"year": "2023", "first_on": "2022-05-01"}, "first_on"),
    ("rehabilitationrecordview", {"year": "2023", "spo2": "120"}, "spo2"),
    ("occupationalhistoryview", {"employer_name": "某厂", "started_on": "2000-01-01", "ended_on": "1999-01-01"},
     "ended_on"),
    ("contactchangeview", {"changed_on": TODAY.isoformat()}, "home_address"),
    ("complicationvisitview", {"visited_on": TODAY.isoformat(), "disease_name": "肺癌",
                               "died_on": (TODAY + timedelta(days=2)).isoformat()}, "died_on"),
])
def test_the_card_tables_refuse_bad_rows(app, city, login, view, data, field):
    client = login("clerka1")
    patient_id = add_patient(client, app, city)
    response = add_row(client, view, patient_id, data)
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    with app.app_context():
        patient = db.session.get(Patient, patient_id)
        assert not (patient.visits or patient.rehabilitation or patient.history or patient.contact_changes
                    or patient.complication_visits)


def test_no_follow_up_visit_after_death(app, city, login):
    client = login("clerka1")
    died = (TODAY - timedelta(days=30)).isoformat()
    patient_id = add_patient(client, app, city, dead="y", died_on=died, death_cause="呼吸衰竭")
    late = add_row(client, "followupvisitview", patient_id, {"visited_on": TODAY.isoformat(), "method": "1"})
    assert "visited_on" in field_errors(late.data)
    assert add_row(client, "followupvisitview", patient_id, {"visited_on": died, "method": "1"}).status_code == 302


def test_a_rehabilitation_year_is_recorded_once(app, city, login):
    client = login("clerka1")
    patient_id = add_patient(client, app, city)
    assert add_row(client, "rehabilitationrecordview", patient_id, {"year": "2024"}).status_code == 302
    assert "year" in field_errors(add_row(client, "rehabilitationrecordview", patient_id, {"year": "2024"}).data)


def test_a_patient_belongs_to_the_township_of_residence_and_is_404_elsewhere(app, city, login):
    client = login("clerka1")
    patient_id = add_patient(client, app, city)
    assert add_row(client, "followupvisitview", patient_id, {"visited_on": TODAY.isoformat(), "method": "1"}
                   ).status_code == 302
    with app.app_context():
        visit = db.session.scalar(select(FollowUpVisit.id).where(FollowUpVisit.patient_id == patient_id))
    other = login("clerkb1")
    for path in (f"/patients/show/{patient_id}", f"/patients/edit/{patient_id}", f"/api/v1/patient/{patient_id}",
                 f"/followupvisitview/show/{visit}", f"/followupvisitview/edit/{visit}"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/patients/delete/{patient_id}").status_code == 404
    assert other.post(f"/followupvisitview/delete/{visit}").status_code == 404
    assert other.delete(f"/api/v1/patient/{patient_id}").status_code == 404
    assert other.put(f"/api/v1/patient/{patient_id}", json={"name": "越权"}).status_code == 404
    assert patient_id not in listed_ids(other.get("/patients/list/?psize_PatientView=100").data, "/patients")
    assert visit not in listed_ids(other.get("/followupvisitview/list/").data, "/followupvisitview")
    assert patient_id not in {row["id"] for row in other.get("/api/v1/patient/?q=(page_size:100)").json["result"]}
    response = add_row(other, "followupvisitview", patient_id, {"visited_on": TODAY.isoformat(), "method": "2"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Patient, patient_id).name != "越权"
        assert len(db.session.get(Patient, patient_id).visits) == 1
    # The district of the patient's township sees them; a leader of the other district does not.
    assert login("districta").get(f"/patients/show/{patient_id}").status_code == 200
    assert login("districtb").get(f"/patients/show/{patient_id}").status_code == 404


def test_a_clerk_cannot_register_a_patient_living_in_another_township(app, city, login):
    client = login("clerka1")
    assert picker_values(client, "/patients/add", "org_unit") == {str(city.unit["a1"])}
    response = client.post("/patients/add", data=patient_form(app, city, "b1", name="外乡病人"))
    assert "org_unit" in field_errors(response.data)
    assert patient_named(app, "外乡病人") is None


def test_the_employer_at_onset_may_be_anywhere_by_name_but_linked_only_in_scope(app, city, login):
    client = login("clerka1")
    assert picker_values(client, "/patients/add", "onset_employer") == {
        str(city.employer[f"a1_{n}"]) for n in (1, 2, 3)} | _employers_added_in(app, city, "a1")
    add_patient(client, app, city, name="外区发病病人", onset_employer_name="江苏某石英砂厂（外省）")
    assert patient_named(app, "外区发病病人").onset_employer_id is None
    linked_id = add_patient(client, app, city, name="本区发病病人", onset_employer_name="",
                            onset_employer=str(city.employer["a1_1"]))
    with app.app_context():
        linked = db.session.get(Patient, linked_id)
        assert linked.onset_employer_name == db.session.get(Employer, city.employer["a1_1"]).name
    api = client.post("/api/v1/patient/", json={
        "card_type": "other", "org_unit": city.unit["a1"], "id_number": unique_id_number(), "name": "接口病人",
        "onset_employer": city.employer["b1_1"], "disease_category": disease(app, "噪声聋")[0],
        "disease": disease(app, "噪声聋")[1], "diagnosed_on": "2020-01-01"})
    assert api.status_code == 422 and "onset_employer" in api.json["message"]
    assert patient_named(app, "接口病人") is None


def _employers_added_in(app, city, township) -> set[str]:
    """Employers other tests added to the township (the session's city grows as tests run)."""
    with app.app_context():
        return {str(i) for i in db.session.scalars(select(Employer.id).where(
            Employer.org_unit_id == city.unit[township], Employer.id.not_in(city.employer.values())))}


def test_the_api_applies_the_cards_rules(app, city, login):
    client = login("clerka1")
    category, silicosis = disease(app, "矽肺")
    response = client.post("/api/v1/patient/", json={
        "card_type": "pneumoconiosis", "org_unit": city.unit["a1"], "id_number": "310101196005170011",
        "name": "接口尘肺", "onset_employer_name": "某厂", "disease_category": category, "disease": silicosis,
        "stage1_on": "2020-01-01", "stage2_on": "2019-01-01"})
    assert response.status_code == 422
    assert {"id_number", "stage2_on"} <= set(response.json["message"])
    assert patient_named(app, "接口尘肺") is None


def test_the_session_refuses_invalid_patients_from_scripts(app, city):
    with app.app_context():
        category, silicosis = disease(app, "矽肺")
        db.session.add(Patient(org_unit=db.session.get(OrgUnit, city.unit["a1"]), card_type="pneumoconiosis",
                               id_number="310101196005170012", name="脚本病人", onset_employer_name="某厂",
                               disease_category_id=category, disease_id=silicosis, stage1_on=date(2020, 1, 1)))
        with pytest.raises(RecordInvalid) as refused:
            db.session.commit()
        db.session.rollback()
    assert "id_number" in refused.value.problems


def test_deleting_a_patient_deletes_the_card_tables(app, city, login):
    client = login("clerka1")
    patient_id = add_patient(client, app, city)
    add_row(client, "followupvisitview", patient_id, {"visited_on": TODAY.isoformat(), "method": "1"})
    add_row(client, "occupationalhistoryview", patient_id, {"employer_name": "某厂"})
    assert client.post(f"/patients/delete/{patient_id}").status_code == 302
    with app.app_context():
        assert db.session.get(Patient, patient_id) is None
        for model in (FollowUpVisit, OccupationalHistory, RehabilitationRecord, ComplicationVisit, ContactChange):
            assert db.session.scalar(select(model.id).where(model.patient_id == patient_id)) is None
