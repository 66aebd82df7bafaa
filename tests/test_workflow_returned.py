"""After a return (issue 13, finding 7): the clerk's home page announces the returned records with the reason,
who returned them and when; a resubmitted record shows no stale review; a clerk's list offers edit and delete
only on the rows the server lets them edit and delete."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.models import AuditLog, Patrol, Screening, db
from tests.fieldwork import add_patrol, add_screening, newest, screening_form
from tests.test_scoping import listed_ids
from tests.versions import post_edit

REVIEW_LABELS = ("审核时间", "审核人")


def returned_section(html: str) -> str:
    """The home page's list of returned records ('' when there is none)."""
    found = re.search(r'<div class="returned-records">(.*?)</table>', html, re.S)
    return found.group(1) if found else ""


def workflow_panel(html: str) -> str:
    return re.search(r'<div class="panel panel-default workflow-panel">(.*?)<div class="btn-toolbar">', html,
                     re.S).group(1)


def submit_and_return(login, base: str, record: int, clerk: str, district: str, reason: str) -> None:
    assert login(clerk).post(f"/{base}/action/submit/{record}").status_code == 302
    assert login(district).post(f"/{base}/return/{record}", data={"reason": reason}).status_code == 302


def test_a_clerks_home_page_lists_the_returned_records_with_the_reason_and_nothing_of_other_townships(
        app, city, login):
    patrol, screening = add_patrol(app, city, "a1_1"), add_screening(app, city, "a1_2")
    draft, elsewhere = add_patrol(app, city, "a1_2"), add_screening(app, city, "b1_1")
    submit_and_return(login, "patrols", patrol, "clerka1", "districta", "巡查问题描述不完整")
    submit_and_return(login, "screenings", screening, "clerka1", "districta", "接触人数与申报不一致")
    submit_and_return(login, "screenings", elsewhere, "clerkb1", "districtb", "徐汇区的退回原因")

    section = returned_section(login("clerka1").get("/").data.decode())
    assert "巡查问题描述不完整" in section and "接触人数与申报不一致" in section
    assert patrol in listed_ids(section.encode(), "/patrols") and screening in listed_ids(section.encode(), "/screenings")
    assert draft not in listed_ids(section.encode(), "/patrols")  # a draft is no returned record
    assert "徐汇区的退回原因" not in section and elsewhere not in listed_ids(section.encode(), "/screenings")
    returned = newest(app, Patrol, id=patrol)
    row = next(row for row in section.split("<tr") if f'href="/patrols/show/{patrol}"' in row)
    assert "黄浦区1号街道企业1" in row and "districta" in row
    assert returned.reviewed_at.strftime("%Y-%m-%d %H:%M:%S") in row
    assert "/due/returned" in section

    everything = login("clerka1").get("/due/returned").data.decode()
    assert "巡查问题描述不完整" in everything and "徐汇区的退回原因" not in everything


def test_the_home_page_shows_the_newest_returned_records_and_links_to_all_of_them(app, city, login, user,
                                                                                    monkeypatch):
    user("clerka2", unit="a2")
    older, newer = add_patrol(app, city, "a2_1"), add_patrol(app, city, "a2_2")
    for record, reason in ((older, "较早退回"), (newer, "较晚退回")):
        submit_and_return(login, "patrols", record, "clerka2", "districta", reason)
    with app.app_context():  # returned an hour before the other, whatever the clock's resolution
        db.session.execute(update(Patrol).where(Patrol.id == older)
                           .values(reviewed_at=datetime.now() - timedelta(hours=1)))
        db.session.commit()
    monkeypatch.setattr("app.views.home.RETURNED_SHOWN", 1)
    section = returned_section(login("clerka2").get("/").data.decode())
    assert listed_ids(section.encode(), "/patrols") == {newer} and "较晚退回" in section
    assert "仅显示最新的 1 条" in section and "/due/returned" in section
    everything = login("clerka2").get("/due/returned").data.decode()
    assert {older, newer} <= listed_ids(everything.encode(), "/patrols")
    assert everything.index("较晚退回") < everything.index("较早退回")  # newest first


def test_district_and_city_admins_see_how_many_records_await_the_clerks(app, city, login):
    record = add_screening(app, city, "a1_3")
    submit_and_return(login, "screenings", record, "clerka1", "districta", "请补充体检信息")
    for username in ("districta", "cityadmin"):
        html = login(username).get("/").data.decode()
        count = int(html.split('data-list="returned"')[1].split("<strong>")[1].split("<")[0])
        assert count >= 1 and returned_section(html) == "", username
    district_b = login("districtb").get("/due/returned").data.decode()
    assert "请补充体检信息" not in district_b


@pytest.mark.parametrize("base, model, make", [("screenings", Screening, add_screening),
                                               ("patrols", Patrol, add_patrol)])
def test_a_resubmitted_record_shows_no_stale_review(app, city, login, base, model, make):
    record = make(app, city, "a1_1")
    submit_and_return(login, base, record, "clerka1", "districta", "请更正")
    returned = newest(app, model, id=record)
    assert returned.reviewed_at is not None and returned.reviewed_by.username == "districta"
    clerk = login("clerka1")
    if base == "screenings":
        assert post_edit(clerk, f"/screenings/edit/{record}", screening_form(city, companion="已更正")).status_code == 302
    assert clerk.post(f"/{base}/action/submit/{record}").status_code == 302

    resubmitted = newest(app, model, id=record)
    assert resubmitted.state == "submitted"
    assert (resubmitted.reviewed_at, resubmitted.reviewed_by_id, resubmitted.return_reason) == (None, None, None)
    panel = workflow_panel(clerk.get(f"/{base}/show/{record}").data.decode())
    assert "已上报" in panel and not any(label in panel for label in REVIEW_LABELS) and "请更正" not in panel
    api = clerk.get(f"/api/v1/{base[:-1]}/{record}").json["result"]
    assert api["reviewed_at"] is None and api["return_reason"] is None
    with app.app_context():  # the return stays in the audit log
        submit = db.session.scalars(select(AuditLog).where(
            AuditLog.entity == model.__name__, AuditLog.record_id == record, AuditLog.action == "submit")
            .order_by(AuditLog.id.desc())).first()
        assert submit.changes["return_reason"] == ["请更正", None]
        assert submit.changes["reviewed_at"][0] == str(returned.reviewed_at)

    assert login("districta").post(f"/{base}/action/accept/{record}").status_code == 302
    accepted = newest(app, model, id=record)
    assert accepted.return_reason is None and accepted.reviewed_by.username == "districta"
    panel = workflow_panel(login("clerka1").get(f"/{base}/show/{record}").data.decode())
    assert all(label in panel for label in REVIEW_LABELS) and "districta" in panel


def row_links(html: str, base: str, record: int) -> set[str]:
    """Which of show, edit and delete the list offers on the record's row."""
    return {name for name in ("show", "edit", "delete") if f"/{base}/{name}/{record}" in html}


@pytest.mark.parametrize("base, model, make", [("screenings", Screening, add_screening),
                                               ("patrols", Patrol, add_patrol)])
def test_a_clerks_list_offers_edit_and_delete_only_on_rows_they_may_change(app, city, login, user, base, model,
                                                                           make):
    user("clerkb2", unit="b2")
    draft, submitted, accepted = (make(app, city, "b2_1") for _ in range(3))
    clerk = login("clerkb2")
    for record in (submitted, accepted):
        assert clerk.post(f"/{base}/action/submit/{record}").status_code == 302
    assert login("districtb").post(f"/{base}/action/accept/{accepted}").status_code == 302

    listed = login("clerkb2").get(f"/{base}/list/?_flt_0_employer={city.employer['b2_1']}").data.decode()
    assert row_links(listed, base, draft) == {"show", "edit", "delete"}
    assert row_links(listed, base, submitted) == row_links(listed, base, accepted) == {"show"}
    # The district corrects a submitted record but deletes none that was reported.
    district = login("districtb").get(f"/{base}/list/?_flt_0_employer={city.employer['b2_1']}").data.decode()
    assert row_links(district, base, submitted) == {"show", "edit"}

    clerk = login("clerkb2")  # what the list hides, the server still refuses
    assert clerk.get(f"/{base}/edit/{accepted}").status_code == 302
    clerk.post(f"/{base}/delete/{accepted}")
    clerk.post(f"/{base}/action_post", data={"action": "muldelete", "rowid": [str(submitted)]})
    assert newest(app, model, id=accepted).state == "accepted"
    assert newest(app, model, id=submitted).state == "submitted"
