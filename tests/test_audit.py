"""Every change to an audited record is written with who, when, and old → new."""
from sqlalchemy import select

from app.models import AuditLog, db
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
