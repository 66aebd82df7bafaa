"""Who sees and does what with field work (DOMAIN.md §1): a clerk of another township gets 404 for all of
it, district admins see their district, leaders only read, the three admins see none of it."""
import re

import pytest
from sqlalchemy import select

from app.models import AuditLog, HazardReport, Patrol, Screening, db
from tests.fieldwork import add_patrol, add_screening, newest, patrol_form, screening_form

BASES = {"screenings": "screening", "patrols": "patrol", "hazardreports": "hazard_report"}


def listed_ids(html: bytes, base: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'/{base}/show/(\d+)', html.decode())}


def add_report(app, city, employer="a1_1") -> int:
    from datetime import datetime

    from app.models import Employer

    with app.app_context():
        report = HazardReport(employer=db.session.get(Employer, city.employer[employer]), category="complaint",
                              description="群众举报粉尘", found_at=datetime(2026, 3, 1, 10))
        db.session.add(report)
        db.session.commit()
        return report.id


@pytest.fixture
def township_a1_records(app, city):
    return {"screenings": add_screening(app, city, "a1_1"), "patrols": add_patrol(app, city, "a1_1"),
            "hazardreports": add_report(app, city)}


def test_a_clerk_of_another_township_gets_404_for_all_of_it(app, city, login, township_a1_records):
    client = login("clerkb1")
    for base, record in township_a1_records.items():
        api = BASES[base]
        for url in (f"/{base}/show/{record}", f"/{base}/edit/{record}"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/{base}/edit/{record}", data={"companion": "越权"}).status_code == 404
        assert client.post(f"/{base}/delete/{record}").status_code == 404
        assert client.get(f"/api/v1/{api}/{record}").status_code == 404
        assert client.put(f"/api/v1/{api}/{record}", json={"companion": "越权"}).status_code == 404
        assert client.delete(f"/api/v1/{api}/{record}").status_code == 404
        assert record not in listed_ids(client.get(f"/{base}/list/?psize_{base}=100").data, base)
        assert record not in {row["id"] for row in client.get(f"/api/v1/{api}/?q=(page_size:100)").json["result"]}
        if base != "hazardreports":
            assert client.get(f"/{base}/print/{record}").status_code == 404
            assert client.post(f"/{base}/action/submit/{record}").status_code == 404
    assert newest(app, Screening, id=township_a1_records["screenings"]).state == "draft"
    assert newest(app, Patrol, id=township_a1_records["patrols"]).state == "draft"


def test_a_district_admin_of_another_district_cannot_review(app, city, login, township_a1_records):
    record = township_a1_records["patrols"]
    login("clerka1").post(f"/patrols/action/submit/{record}")
    client = login("districtb")
    assert client.get(f"/patrols/return/{record}").status_code == 404
    assert client.post(f"/patrols/action/accept/{record}").status_code == 404
    assert newest(app, Patrol, id=record).state == "submitted"
    html = login("districta").get("/patrols/list/?psize_PatrolView=100").data
    assert record in listed_ids(html, "patrols")


def test_clerk_lists_only_their_township(app, city, login, township_a1_records):
    add_patrol(app, city, "b1_1")
    client = login("clerka1")
    shown = listed_ids(client.get("/patrols/list/?psize_PatrolView=100").data, "patrols")
    with app.app_context():
        mine = set(db.session.scalars(select(Patrol.id).where(Patrol.org_unit_id == city.unit["a1"])))
    assert shown == mine and township_a1_records["patrols"] in shown


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_the_three_admins_see_no_field_work(login, township_a1_records, username):
    client = login(username)
    for base, record in township_a1_records.items():
        assert client.get(f"/{base}/list/").status_code == 403
        assert client.get(f"/{base}/show/{record}").status_code == 403
        assert client.get(f"/api/v1/{BASES[base]}/{record}").status_code in (401, 403)


def test_leader_and_city_admin_read_but_do_not_enter_or_review(app, city, login, township_a1_records):
    record = township_a1_records["screenings"]
    login("clerka1").post(f"/screenings/action/submit/{record}")
    for username in ("leader", "cityadmin"):
        client = login(username)
        assert client.get(f"/screenings/show/{record}").status_code == 200
        assert client.get(f"/screenings/print/{record}").status_code == 200
        assert client.get("/screenings/add").status_code == 403
        assert client.post("/screenings/add", data=screening_form(city)).status_code == 403
        assert client.get(f"/screenings/return/{record}").status_code == 403
        client.post(f"/screenings/action/accept/{record}")
    assert newest(app, Screening, id=record).state == "submitted"


def test_system_admin_manages_checklist_templates_and_clerks_read_them(app, login):
    admin = login("sysadmin")
    assert admin.post("/checklisttemplates/add", data={"name": "测试模板", "region_code": "31010"}).status_code == 200
    assert admin.post("/checklisttemplates/add", data={"name": "测试模板", "region_code": "310101"}).status_code == 302
    with app.app_context():
        from app.models import ChecklistTemplate

        template = db.session.scalar(select(ChecklistTemplate.id).where(ChecklistTemplate.name == "测试模板"))
    item = {"template": str(template), "number": "1", "text": "职业病危害项目申报情况"}
    assert admin.post("/checklistitems/add", data=item).status_code == 302
    assert admin.post("/checklistitems/add", data=item).status_code == 200  # number 1 is taken
    clash = admin.post("/checklisttemplates/add", data={"name": "第二个默认", "region_code": "310000",
                                                         "is_default": "y"})
    assert "已是该地区的默认模板" in clash.data.decode()
    clerk = login("clerka1")
    assert "测试模板" in clerk.get("/checklisttemplates/list/").data.decode()
    assert clerk.post("/checklisttemplates/add", data={"name": "协管员模板", "region_code": "310101"}).status_code == 403
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(AuditLog).where(
            AuditLog.entity == "ChecklistItem").order_by(AuditLog.id))][-1:] == ["create"]


def test_the_audit_admin_filters_the_trail_of_a_record(app, city, login):
    record = add_patrol(app, city, "a1_1")
    login("clerka1").post(f"/patrols/action/submit/{record}")
    client = login("auditor")
    html = client.get(f"/auditlog/list/?_flt_0_entity=Patrol&_flt_0_record_id={record}").data.decode()
    assert "上报" in html and "新增" in html
    with app.app_context():
        entry = db.session.scalar(select(AuditLog.id).where(AuditLog.entity == "Patrol", AuditLog.record_id == record,
                                                            AuditLog.action == "submit"))
    assert "draft" in client.get(f"/auditlog/show/{entry}").data.decode()
    for username in ("auditor", "districta", "clerka1"):
        assert login(username).post(f"/auditlog/delete/{entry}").status_code == 404
    with app.app_context():
        assert db.session.get(AuditLog, entry) is not None


def test_a_clerk_deletes_a_draft_but_not_a_submitted_record(app, city, login):
    draft, submitted = add_patrol(app, city, "a1_1"), add_patrol(app, city, "a1_1")
    client = login("clerka1")
    client.post(f"/patrols/action/submit/{submitted}")
    client.post("/patrols/action_post", data={"action": "muldelete", "rowid": [str(draft), str(submitted)]})
    assert newest(app, Patrol, id=draft) is None and newest(app, Patrol, id=submitted) is not None
    with app.app_context():
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.entity == "Patrol",
                                                               AuditLog.record_id == draft)
                                 .order_by(AuditLog.id.desc()).limit(1)) == "delete"


def test_the_api_reads_a_patrol_with_its_checklist_but_patrols_are_entered_on_the_form(app, city, login):
    record = add_patrol(app, city, "a1_1")
    client = login("clerka1")
    answers = client.get(f"/api/v1/patrol/{record}").json["result"]["answers"]
    assert [(a["item_number"], a["answer"]) for a in answers][-2:] == [(6, "yes"), (7, "no")]
    assert client.post("/api/v1/patrol/", json=patrol_form(app, city)).status_code in (404, 405)
