"""Personal data protection: ID and phone numbers are masked in lists, exports and the API for every
role; the record page shows them in full only to users who may edit the record, and logs each view."""
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.codes import mask
from app.models import AuditLog, ContactChange, Patient, db
from tests.test_patient import add_patient, add_row, unique_id_number
from tests.test_scoping import listed_ids

MASKED = re.compile(r"\d{3}\*{11}[\dX]{4}")


@pytest.fixture
def patient(app, city, login):
    """A patient of township a1 with an ID number, a phone, a mobile and a contact change."""
    client = login("clerka1")
    patient_id = add_patient(client, app, city, id_number=unique_id_number(), phone="021-61234567",
                             mobile="13912345678")
    assert add_row(client, "contactchangeview", patient_id, {"changed_on": "2025-01-02", "home_address": "新址",
                                                             "home_phone": "13700002222"}).status_code == 302
    with app.app_context():
        return db.session.get(Patient, patient_id).id_number, patient_id


def personal_views(app, patient_id, username=None) -> list[AuditLog]:
    with app.app_context():
        query = select(AuditLog).where(AuditLog.action == "view_personal", AuditLog.entity == "Patient",
                                       AuditLog.record_id == patient_id)
        if username:
            query = query.where(AuditLog.username == username)
        return db.session.scalars(query.order_by(AuditLog.id)).all()


@pytest.mark.parametrize("username", ["clerka1", "districta", "cityadmin", "leader"])
def test_lists_show_masked_numbers_to_every_role(app, login, patient, username):
    number, patient_id = patient
    html = login(username).get("/patients/list/?psize_PatientView=100").data.decode()
    assert number not in html and "13912345678" not in html
    assert mask(number) in html and "139****5678" in html


def test_the_related_list_on_the_patients_page_masks_contact_phones(login, patient):
    _, patient_id = patient
    html = login("clerka1").get(f"/patients/show/{patient_id}").data.decode()
    assert "137****2222" in html
    assert "13700002222" not in html
    html = login("clerka1").get("/contactchangeview/list/").data.decode()
    assert "13700002222" not in html and "137****2222" in html


def test_the_export_holds_the_list_with_masked_numbers_and_only_the_users_patients(app, city, login, patient):
    number, patient_id = patient
    response = login("clerka1").get("/patients/export/")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "身份证号码" in header and "姓名" in header
    column = header.index("身份证号码")
    assert mask(number) in [row[column] for row in body]
    assert all(MASKED.fullmatch(row[column]) for row in body)
    with app.app_context():
        in_a1 = db.session.scalar(select(db.func.count()).select_from(Patient).where(
            Patient.org_unit_id == city.unit["a1"]))
    assert len(body) == in_a1
    assert number not in response.data.decode("latin-1")


def test_the_export_follows_the_lists_search(login, patient):
    number, _ = patient
    response = login("clerka1").get(f"/patients/export/?_flt_0_id_number={number}")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 2


def test_the_contact_changes_export_masks_the_phones(login, patient):
    _, patient_id = patient
    response = login("clerka1").get(f"/contactchangeview/export/?_flt_0_patient={patient_id}")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert "137****2222" in rows[1]
    assert not any("13700002222" in str(value) for row in rows for value in row)


@pytest.mark.parametrize("filter_index", range(8))
def test_a_number_is_found_by_its_full_value_only(login, patient, filter_index):
    number, patient_id = patient
    client = login("leader")
    prefix = client.get(f"/patients/list/?_flt_{filter_index}_id_number={number[:10]}").data
    assert patient_id not in listed_ids(prefix, "/patients")  # no "starts with", "contains"…
    full = client.get(f"/patients/list/?_flt_{filter_index}_id_number={number}").data
    assert listed_ids(full, "/patients") == {patient_id}


def test_the_api_never_returns_full_numbers(login, patient):
    number, patient_id = patient
    for username in ("clerka1", "leader"):
        client = login(username)
        listing = client.get("/api/v1/patient/?q=(page_size:100)")
        record = client.get(f"/api/v1/patient/{patient_id}")
        assert listing.status_code == record.status_code == 200
        for response in (listing, record):
            assert number not in response.get_data(as_text=True)
            assert "13912345678" not in response.get_data(as_text=True)
        assert record.json["result"]["id_number_masked"] == mask(number)


def test_a_clerk_who_may_edit_sees_the_full_numbers_and_each_view_is_logged(app, login, patient):
    number, patient_id = patient
    before = len(personal_views(app, patient_id, "clerka1"))
    html = login("clerka1").get(f"/patients/show/{patient_id}").data.decode()
    assert number in html and "13912345678" in html and "021-61234567" in html
    logged = personal_views(app, patient_id, "clerka1")[before:]
    assert sorted(entry.changes["field"] for entry in logged) == ["id_number", "mobile", "phone"]
    login("clerka1").get(f"/patients/edit/{patient_id}")  # the edit form shows them too
    assert len(personal_views(app, patient_id, "clerka1")) == before + 6


def test_a_leader_who_only_reads_sees_masked_numbers_and_nothing_is_logged(app, login, patient):
    number, patient_id = patient
    html = login("leader").get(f"/patients/show/{patient_id}").data.decode()
    assert number not in html and mask(number) in html and "13912345678" not in html
    assert personal_views(app, patient_id, "leader") == []


def test_a_contact_change_page_reveals_phones_to_writers_only(app, login, patient):
    _, patient_id = patient
    with app.app_context():
        change = db.session.scalar(select(ContactChange.id).where(ContactChange.patient_id == patient_id))
    assert "13700002222" in login("clerka1").get(f"/contactchangeview/show/{change}").data.decode()
    leader_page = login("leader").get(f"/contactchangeview/show/{change}").data.decode()
    assert "13700002222" not in leader_page and "137****2222" in leader_page
    with app.app_context():
        assert db.session.scalar(select(AuditLog).where(
            AuditLog.action == "view_personal", AuditLog.entity == "ContactChange", AuditLog.record_id == change,
            AuditLog.username == "clerka1")).changes == {"field": "home_phone"}


def test_the_audit_log_names_the_view(app, login, patient):
    _, patient_id = patient
    login("clerka1").get(f"/patients/show/{patient_id}")
    html = login("auditor").get("/auditlog/list/?_flt_0_action=view_personal").data.decode()
    assert "查看个人信息" in html
