"""The workflow: a clerk submits (上报), the district accepts or returns with a reason, the clerk corrects
and resubmits; submitted records and closed years are read-only on every path; every step is audited."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import AuditLog, ClosedYear, Patrol, PortalUser, RecordInvalid, Screening, db
from app.models.workflow import SUBMIT
from tests.fieldwork import add_patrol, add_screening, errors_by_field, newest, patrol_form, screening_form
from tests.versions import post_edit, put_record

ENTITIES = {"screenings": (Screening, add_screening), "patrols": (Patrol, add_patrol)}


def audit_trail(app, entity: str, record_id: int) -> list[tuple[str, str, dict]]:
    with app.app_context():
        return [(e.action, e.username, e.changes) for e in db.session.scalars(
            select(AuditLog).where(AuditLog.entity == entity, AuditLog.record_id == record_id)
            .order_by(AuditLog.id))]


def state_of(app, model, record_id) -> str:
    return newest(app, model, id=record_id).state


@pytest.mark.parametrize("base", sorted(ENTITIES))
def test_submit_then_accept_is_audited_step_by_step(app, city, login, base):
    model, make = ENTITIES[base]
    record = make(app, city, "a1_1")
    clerk = login("clerka1")
    assert clerk.post(f"/{base}/action/submit/{record}").status_code == 302
    submitted = newest(app, model, id=record)
    assert submitted.state == "submitted" and submitted.on_time
    clerk.post(f"/{base}/action/accept/{record}")  # clerks do not review
    assert state_of(app, model, record) == "submitted"
    district = login("districta")
    assert district.post(f"/{base}/action/accept/{record}").status_code == 302
    accepted = newest(app, model, id=record)
    assert accepted.state == "accepted" and accepted.reviewed_by.username == "districta"
    steps = [(action, user, changes["state"]) for action, user, changes in audit_trail(app, model.__name__, record)
             if "state" in changes]
    assert steps == [("create", None, [None, "draft"]), ("submit", "clerka1", ["draft", "submitted"]),
                     ("accept", "districta", ["submitted", "accepted"])]


def test_returned_record_is_corrected_and_resubmitted(app, city, login):
    record = add_screening(app, city, "a1_1")
    clerk = login("clerka1")
    clerk.post(f"/screenings/action/submit/{record}")
    district = login("districta")
    assert district.get(f"/screenings/return/{record}").status_code == 200
    blank = district.post(f"/screenings/return/{record}", data={"reason": " "})
    assert blank.status_code == 200 and "请填写退回原因" in blank.data.decode()
    assert state_of(app, Screening, record) == "submitted"
    district.post(f"/screenings/return/{record}", data={"reason": "接触人数与申报不一致"})
    returned = newest(app, Screening, id=record)
    assert returned.state == "returned" and returned.return_reason == "接触人数与申报不一致"
    clerk = login("clerka1")
    assert "接触人数与申报不一致" in clerk.get(f"/screenings/show/{record}").data.decode()
    assert post_edit(clerk, f"/screenings/edit/{record}", screening_form(city, companion="更正后")).status_code == 302
    assert clerk.post(f"/screenings/action/submit/{record}").status_code == 302
    assert newest(app, Screening, id=record).state == "submitted"
    trail = audit_trail(app, "Screening", record)
    assert [action for action, *_ in trail] == ["create", "submit", "return", "update", "submit"]
    assert trail[2][2]["return_reason"] == [None, "接触人数与申报不一致"]
    assert trail[3][2]["companion"] == [None, "更正后"] and trail[3][1] == "clerka1"


@pytest.mark.parametrize("base", sorted(ENTITIES))
def test_clerk_cannot_change_a_submitted_record_on_any_path(app, city, login, base):
    model, make = ENTITIES[base]
    record = make(app, city, "a1_1")
    clerk = login("clerka1")
    clerk.post(f"/{base}/action/submit/{record}")
    form = screening_form(city) if base == "screenings" else patrol_form(app, city)
    edit = clerk.post(f"/{base}/edit/{record}", data={**form, "companion": "改动"}, follow_redirects=True)
    assert "该记录已上报，不能修改" in edit.data.decode()
    assert clerk.get(f"/{base}/edit/{record}").status_code == 302
    clerk.post(f"/{base}/delete/{record}")
    clerk.post(f"/{base}/action_post", data={"action": "muldelete", "rowid": [str(record)]})
    api = put_record(clerk, f"/api/v1/{base[:-1]}/{record}", {"companion": "改动"})
    assert api.status_code == 422 and "state" in api.json["message"]
    assert clerk.delete(f"/api/v1/{base[:-1]}/{record}").status_code == 422
    saved = newest(app, model, id=record)
    assert saved is not None and saved.companion != "改动" and saved.state == "submitted"
    assert "编辑" not in login("clerka1").get(f"/{base}/show/{record}").data.decode().split("workflow-panel")[1][:3000]


def test_the_district_may_correct_a_submitted_record_before_accepting(app, city, login):
    record = add_screening(app, city, "a1_1")
    login("clerka1").post(f"/screenings/action/submit/{record}")
    district = login("districta")
    assert post_edit(district, f"/screenings/edit/{record}", screening_form(city, companion="区级更正")).status_code == 302
    saved = newest(app, Screening, id=record)
    assert saved.companion == "区级更正" and saved.state == "submitted"


def test_the_model_refuses_what_the_buttons_hide(app, city, login):
    record = add_screening(app, city, "a1_1")
    with app.test_request_context():
        from flask import g

        g.user = db.session.scalar(select(PortalUser).where(PortalUser.username == "clerka1"))
        screening = db.session.get(Screening, record)
        with pytest.raises(RecordInvalid):
            screening.accept()
        screening.state = "accepted"  # not through a transition
        with pytest.raises(RecordInvalid) as refused:
            db.session.commit()
        assert "state" in refused.value.problems
        db.session.rollback()
        assert screening.allowed_transitions() == [SUBMIT]


def test_bulk_submit_from_the_list_skips_what_cannot_be_submitted(app, city, login):
    drafts = [add_patrol(app, city, "a1_1"), add_patrol(app, city, "a1_2")]
    clerk = login("clerka1")
    clerk.post(f"/patrols/action/submit/{drafts[1]}")
    response = clerk.post("/patrols/action_post", data={"action": "submit", "rowid": [str(i) for i in drafts]},
                          follow_redirects=True)
    assert "已上报 1 条记录" in response.data.decode()
    assert [state_of(app, Patrol, i) for i in drafts] == ["submitted", "submitted"]


def test_on_time_means_within_the_deadline_in_python_and_in_sql(app, city, login):
    late_visit = date.today() - timedelta(days=20)
    on_time, late = add_patrol(app, city, "a2_1"), add_patrol(app, city, "a2_1", visit_date=late_visit)
    client = login("districta")
    for record in (on_time, late):
        client.post(f"/patrols/action/submit/{record}")
    assert (newest(app, Patrol, id=on_time).on_time, newest(app, Patrol, id=late).on_time) == (True, False)
    with app.app_context():
        found = set(db.session.scalars(select(Patrol.id).where(Patrol.id.in_([on_time, late]), Patrol.on_time)))
        assert found == {on_time}
        last_minute = datetime.combine(late_visit + timedelta(days=7), datetime.max.time())
        db.session.get(Patrol, late).submitted_at = last_minute
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(Patrol.id == late, Patrol.on_time)) == 1
        assert db.session.get(Patrol, late).on_time  # the 7th day after the visit still counts


def test_a_closed_year_is_read_only_for_everyone_until_reopened(app, city, login):
    last_year_visit = date(2024, 6, 1)
    record = add_patrol(app, city, "a1_1", visit_date=last_year_visit)
    submitted = add_patrol(app, city, "a1_1", visit_date=last_year_visit)
    login("clerka1").post(f"/patrols/action/submit/{submitted}")
    city_admin = login("cityadmin")
    assert city_admin.post("/closedyears/add", data={"year": "2024"}).status_code == 302
    assert city_admin.post("/closedyears/add", data={"year": str(date.today().year + 1)}).status_code == 200
    try:
        clerk = login("clerka1")
        edit = clerk.post(f"/patrols/edit/{record}", data=patrol_form(app, city, visit_date="2024-06-01",
                                                                       companion="关闭后改动"), follow_redirects=True)
        assert "2024年度已关闭" in edit.data.decode()
        new = clerk.post("/patrols/add", data=patrol_form(app, city, visit_date="2024-07-01"))
        assert "2024年度已关闭" in errors_by_field(new.data)["visit_date"]
        assert put_record(clerk, f"/api/v1/patrol/{record}", {"companion": "关闭后改动"}).status_code == 422
        assert clerk.delete(f"/api/v1/patrol/{record}").status_code == 422
        clerk.post(f"/patrols/action/submit/{record}")
        login("districta").post(f"/patrols/action/accept/{submitted}")
        assert (state_of(app, Patrol, record), state_of(app, Patrol, submitted)) == ("draft", "submitted")
        # moving a record out of (or into) the closed year is refused too
        moved = add_patrol(app, city, "a1_1")
        moving = post_edit(login("clerka1"), f"/patrols/edit/{moved}", patrol_form(app, city, visit_date="2024-03-01"))
        assert "visit_date" in errors_by_field(moving.data)
    finally:
        with app.app_context():
            year = db.session.scalar(select(ClosedYear.id).where(ClosedYear.year == 2024))
        login("cityadmin").post("/closedyears/action_post", data={"action": "reopen", "rowid": [str(year)]})
    with app.app_context():
        assert db.session.scalar(select(ClosedYear).where(ClosedYear.year == 2024)) is None
        trail = db.session.scalars(select(AuditLog).where(AuditLog.entity == "ClosedYear")
                                   .order_by(AuditLog.id.desc()).limit(2)).all()
        assert [(e.action, e.username, e.record_id) for e in reversed(trail)] == [
            ("create", "cityadmin", year), ("delete", "cityadmin", year)]
    assert put_record(login("clerka1"), f"/api/v1/patrol/{record}", {"companion": "重新开放后"}).status_code == 200


def test_only_city_admins_close_years(app, login):
    for username in ("districta", "clerka1", "leader", "sysadmin"):
        assert login(username).post("/closedyears/add", data={"year": "2020"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(ClosedYear).where(ClosedYear.year == 2020)) is None


def test_closing_a_year_counts_at_once_within_the_same_transaction(app, city):
    """The closed years are read once per transaction; closing or reopening one in it is seen at once."""
    record = add_screening(app, city, visit_date=date(2023, 5, 6))
    with app.app_context():
        screening = db.session.get(Screening, record)
        assert screening.closed_year_problem() is None  # read (and kept) before the closing
        closing = ClosedYear(year=2023)
        db.session.add(closing)
        db.session.flush()
        assert "2023" in str(screening.closed_year_problem())
        db.session.delete(closing)
        db.session.flush()
        assert screening.closed_year_problem() is None
        db.session.rollback()
        db.session.delete(db.session.get(Screening, record))
        db.session.commit()
