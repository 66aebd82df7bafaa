"""Every change to an audited record is written with who, when, and old → new, and reads as a table."""
import re

from sqlalchemy import func, select

from app.codes import mask
from app.models import AuditLog, db
from tests.conftest import sign_in
from tests.test_personal_data import patient  # noqa: F401  (fixture)
from tests.versions import post_edit


def test_an_edit_is_logged_with_old_and_new_values(app, city, login):
    client = login("clerka1")
    employer = city.employer["a1_2"]
    data = {"name": "改名后的企业", "org_unit": str(city.unit["a1"]), "total_workers": "77",
            "female_workers": "10", "outsourced_workers": "0", "registered_on": "2026-01-02",
            "credit_code_pending": "y", "has_hazard": "y"}
    with app.app_context():
        from app.models import Employer, RiskClass
        risk = db.session.scalar(select(RiskClass.id).where(RiskClass.code == "1"))
        old_name = db.session.get(Employer, employer).name
    assert post_edit(client, f"/employers/edit/{employer}", {**data, "risk_class": str(risk)}).status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditLog).where(AuditLog.entity == "Employer",
                                                          AuditLog.record_id == employer)
                                   .order_by(AuditLog.id.desc())).first()
        assert entry.action == "update" and entry.username == "clerka1"
        assert entry.changes["name"] == [old_name, "改名后的企业"]
        assert entry.changes["total_workers"] == [50, 77]
        assert "password" not in entry.changes
    html = login("auditor").get("/auditlog/list/?_flt_0_username=clerka1").data.decode()
    assert "改名后的企业" in html


def test_nobody_edits_the_log_through_the_ui_or_api(app, login):
    with app.app_context():
        entry = db.session.scalar(select(AuditLog.id).limit(1))
    for username in ("auditor", "sysadmin", "cityadmin"):
        client = login(username)
        assert client.post(f"/auditlog/edit/{entry}", data={"username": "x"}).status_code == 404
        assert client.post(f"/auditlog/delete/{entry}").status_code == 404
        assert client.delete(f"/api/v1/auditlog/{entry}").status_code == 404


def entries_of(app, entity, record_id) -> list[AuditLog]:
    with app.app_context():
        return db.session.scalars(select(AuditLog).where(AuditLog.entity == entity, AuditLog.record_id == record_id)
                                  .order_by(AuditLog.id)).all()


def test_the_audit_log_masks_personal_numbers_as_lists_do_old_and_new(app, login, patient):
    """The audit admin reads who changed a patient's numbers, never the numbers: the full value is on the
    record page, shown to those who may edit it, each view logged."""
    number, patient_id = patient
    with app.app_context():
        from app.models import ContactChange, Patient
        db.session.get(Patient, patient_id).mobile = "13812348765"
        db.session.commit()
        change = db.session.scalar(select(ContactChange.id).where(ContactChange.patient_id == patient_id))
    created, updated = [e.id for e in entries_of(app, "Patient", patient_id) if e.action in ("create", "update")]
    change_created = entries_of(app, "ContactChange", change)[0].id
    client = login("auditor")
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(AuditLog))
    pages = [client.get(f"/auditlog/show/{created}"), client.get(f"/auditlog/show/{updated}"),
             client.get(f"/auditlog/show/{change_created}"), client.get("/auditlog/list/?psize_AuditLogView=100")]
    assert all(page.status_code == 200 for page in pages)
    html = "".join(page.get_data(as_text=True) for page in pages)
    for full in (number, "13912345678", "13812348765", "021-61234567", "13700002222"):
        assert full not in html
    for masked in (mask(number), "139****5678", "138****8765", "021*****4567", "137****2222"):
        assert masked in html
    with app.app_context():  # reading the log wrote nothing, least of all a copy of a number
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == stored


def test_a_sign_in_is_one_sign_in_row_with_the_user_not_a_change_without_one(app, login, user):
    """Each sign-in moved the account's sign-in statistics, logged as a 修改 row with an empty 用户."""
    uid = user("signer", name="签到人")
    with app.app_context():
        before = db.session.scalar(select(func.max(AuditLog.id)))
    login("signer")
    sign_in(app.test_client(), "signer", "wrong password")  # a failed sign-in: its own event only
    with app.app_context():
        written = db.session.scalars(select(AuditLog).where(AuditLog.id > before)).all()
        mine = [(entry.action, entry.username) for entry in written if entry.record_id == uid]
    assert ("login", "signer") in mine and ("login_failed", "signer") in mine
    assert not [entry for entry in written if entry.action == "update"]
    html = login("auditor").get("/auditlog/list/?_flt_0_username=signer").get_data(as_text=True)
    assert "签到人（signer）" in html and "登录" in html and "修改" not in html


def test_a_change_reads_as_a_table_of_chinese_field_names_old_and_new_to_the_second(app, city, login):
    client = login("clerka1")
    employer = city.employer["a1_3"]
    with app.app_context():
        from app.models import Employer, RiskClass
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        risk_id, risk_name, old_name = risk.id, str(risk), db.session.get(Employer, employer).name
    data = {"name": "表格审计企业", "org_unit": str(city.unit["a1"]), "total_workers": "50",
            "female_workers": "10", "outsourced_workers": "0", "registered_on": "2026-01-02",
            "credit_code_pending": "y", "has_hazard": "y", "risk_class": str(risk_id)}
    assert post_edit(client, f"/employers/edit/{employer}", data).status_code == 302
    entry = entries_of(app, "Employer", employer)[-1]
    assert entry.action == "update"
    html = login("auditor").get(f"/auditlog/show/{entry.id}").get_data(as_text=True)
    table = re.search(r'<table class="table table-condensed table-bordered audit-changes">.*?</table>', html, re.S)
    rows = [[" ".join(cell.split()) for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)]
    assert rows[0] == ["字段", "原值", "新值"]
    assert ["企业名称", old_name, "表格审计企业"] in rows
    assert ["存在职业病危害", "否", "是"] in rows
    assert ["危害风险分类", "", risk_name] in rows  # a link by the linked record's name, not its id
    assert "{'" not in html and "version" not in html and "版本" not in html
    times = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?", html)
    assert times and all("." not in time for time in times)
    listed = login("auditor").get("/auditlog/list/").get_data(as_text=True)
    rows = re.search(r'<table class="table table-bordered table-hover">.*?</table>', listed, re.S).group(0)
    assert re.search(r"\d\d:\d\d:\d\d", rows) and not re.search(r"\d\d:\d\d:\d\d\.\d", rows)
