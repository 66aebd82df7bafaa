"""A clerk patrols an employer with the township's checklist template (Shanghai Annex 3, Guizhou Annex 1);
answers are kept per item as they were asked, and the production status follows the latest patrol."""
import re
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select

from app.models import ChecklistItem, ChecklistTemplate, Employer, Patrol, db
from tests.fieldwork import (GUIZHOU, SHANGHAI, add_patrol, errors_by_field, newest, patrol_form,
                             production_status_id, template_id)
from tests.versions import post_edit
from tests.test_scoping import picker_answers, picker_url


def patrols_of(app, employer_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Patrol.id)).where(Patrol.employer_id == employer_id))


def radio_rows(html: str) -> list[str]:
    """The checklist item texts rendered as rows of 有/无 radio buttons, in order."""
    return re.findall(r'<td>\d+</td>\s*<td>([^<]+)</td>\s*<td>\s*<label class="radio-inline">', html)


def test_seeded_templates_have_seven_items_each():
    from app.seed.fieldwork import CHECKLIST_TEMPLATES

    assert [(name, len(items)) for name, _, _, items in CHECKLIST_TEMPLATES] == [(SHANGHAI, 7), (GUIZHOU, 7)]


def test_a_township_uses_its_districts_default_else_its_citys_else_its_provinces(app):
    with app.app_context():
        shanghai_township = SimpleNamespace(path="310000/310101/310101001/")
        guizhou_township = SimpleNamespace(path="520000/520100/520102/520102003/")  # Guiyang: the Guizhou province default
        assert ChecklistTemplate.default_for(shanghai_township).name == SHANGHAI
        assert ChecklistTemplate.default_for(guizhou_township).name == GUIZHOU
        district_own = ChecklistTemplate(name="徐汇区巡查表", region_code="310104", is_default=True,
                                         items=[ChecklistItem(number=1, text="职业病危害项目申报情况")])
        db.session.add(district_own)
        db.session.flush()
        assert ChecklistTemplate.default_for(SimpleNamespace(path="310000/310104/310104001/")) is district_own
        assert ChecklistTemplate.default_for(shanghai_township).name == SHANGHAI
        db.session.rollback()


def test_clerk_enters_a_patrol_with_the_shanghai_checklist(app, city, login):
    client = login("clerka1")
    html = client.get("/patrols/add").data.decode()
    assert radio_rows(html)[1] == "建设项目职业病防护设施“三同时”落实情况" and len(radio_rows(html)) == 7
    response = client.post("/patrols/add", data=patrol_form(
        app, city, answers={3: "no", 7: "yes"}, notes={7: "未设置警示标识"}, problems_found="未检测",
        disposal="已报告区卫生健康监督所"))
    assert response.status_code == 302
    saved = newest(app, Patrol, employer_id=city.employer["a1_1"])
    assert saved.template.name == SHANGHAI and saved.state == "draft"
    assert saved.org_unit_id == city.unit["a1"] and saved.coordinator.username == "clerka1"
    assert [(a.item_number, a.answer) for a in saved.answers] == [
        (1, "yes"), (2, "yes"), (3, "no"), (4, "yes"), (5, "yes"), (6, "yes"), (7, "yes")]
    assert saved.answers[6].note == "未设置警示标识"
    assert [a.item_number for a in saved.problem_answers] == [3, 7]  # 无 on a record, 有 on a violation
    assert saved.contact_person == saved.employer.contact_person  # left empty: the register's


def test_clerk_enters_a_patrol_with_the_guizhou_checklist(app, city, login):
    client = login("clerka1")
    guizhou = template_id(app, GUIZHOU)
    html = client.get(f"/patrols/add?template={guizhou}").data.decode()
    assert radio_rows(html)[4] == "劳动者职业健康教育培训情况"
    response = client.post("/patrols/add", data=patrol_form(
        app, city, "a1_2", template=GUIZHOU, answers={6: "no", 7: "yes"}, notes={7: "群众反映噪声扰民"}))
    assert response.status_code == 302
    saved = newest(app, Patrol, employer_id=city.employer["a1_2"])
    assert saved.template.name == GUIZHOU
    assert [a.item_text for a in saved.answers][5:] == ["工作场所异常情况", "群众投诉举报情况"]
    assert [a.item_number for a in saved.problem_answers] == [7]


def test_every_item_needs_an_answer_and_a_reported_violation_a_description(app, city, login):
    client = login("clerka1")
    before = patrols_of(app, city.employer["a1_3"])
    unanswered = client.post("/patrols/add", data=patrol_form(app, city, "a1_3", answers={4: None}))
    assert "第4项" in errors_by_field(unanswered.data)["answers"]
    undescribed = client.post("/patrols/add", data=patrol_form(app, city, "a1_3", answers={7: "yes"}))
    assert "第7项的具体描述" in errors_by_field(undescribed.data)["answers"]
    future = client.post("/patrols/add", data=patrol_form(
        app, city, "a1_3", visit_date=(date.today() + timedelta(days=1)).isoformat()))
    assert "visit_date" in errors_by_field(future.data)
    assert patrols_of(app, city.employer["a1_3"]) == before
    assert 'value="yes" checked' in undescribed.data.decode()  # the answers given are kept on the form


def test_the_production_status_found_becomes_the_employers(app, city, login):
    client = login("clerka1")
    stopped = production_status_id(app, "2")
    assert client.post("/patrols/add", data=patrol_form(app, city, "a1_3", production_status=str(stopped))
                       ).status_code == 302
    with app.app_context():
        assert db.session.get(Employer, city.employer["a1_3"]).production_status_id == stopped
    # An older patrol entered later does not overwrite what the latest one found.
    older = (date.today() - timedelta(days=30)).isoformat()
    assert client.post("/patrols/add", data=patrol_form(app, city, "a1_3", visit_date=older)).status_code == 302
    with app.app_context():
        assert db.session.get(Employer, city.employer["a1_3"]).production_status_id == stopped


def test_a_later_template_change_does_not_rewrite_old_patrols(app, city, login):
    record = add_patrol(app, city, "a1_1")
    with app.app_context():
        item = db.session.scalars(select(ChecklistItem).join(ChecklistTemplate).where(
            ChecklistTemplate.name == SHANGHAI, ChecklistItem.number == 2)).one()
        old_text, item.text, item_id = item.text, "建设项目“三同时”（修订）", item.id
        db.session.commit()
    try:
        client = login("clerka1")
        edit = client.get(f"/patrols/edit/{record}").data.decode()
        assert radio_rows(edit)[1] == old_text
        data = patrol_form(app, city, "a1_1", answers={1: "no"}, companion="改后陪同人")
        assert post_edit(client, f"/patrols/edit/{record}", data).status_code == 302
        saved = newest(app, Patrol, id=record)
        assert saved.answers[1].item_text == old_text and saved.answers[0].answer == "no"
        assert saved.companion == "改后陪同人"
        assert radio_rows(client.get("/patrols/add").data.decode())[1] == "建设项目“三同时”（修订）"
    finally:
        with app.app_context():
            db.session.get(ChecklistItem, item_id).text = old_text
            db.session.commit()


def test_the_employer_picker_offers_the_clerks_township_by_name_and_credit_code(app, city, login):
    client = login("clerka1")
    url = picker_url(client.get("/patrols/add").data, "employer")
    with app.app_context():
        mine = set(db.session.scalars(select(Employer.id).where(Employer.org_unit_id == city.unit["a1"])))
        code = db.session.get(Employer, city.employer["a1_1"]).credit_code
    assert {record["id"] for record in picker_answers(client, url)} == mine
    by_name = picker_answers(client, url, "1号街道企业1")
    assert [record["text"] for record in by_name] == [f"黄浦区1号街道企业1（{code}）"]
    by_code = picker_answers(client, url, code[4:12])
    # other tests add employers to a1, a branch with a1_1's own code among them: every answer is in the
    # township and carries the fragment searched for, and a1_1 is among them
    assert city.employer["a1_1"] in [record["id"] for record in by_code]
    assert {record["id"] for record in by_code} <= mine
    assert all(code[4:12] in record["text"] for record in by_code)


def test_the_printed_patrol_follows_its_template_with_signature_lines(app, city, login):
    record = add_patrol(app, city, "a1_1")
    html = login("clerka1").get(f"/patrols/print/{record}").data.decode()
    for text in (SHANGHAI, "可能存在的其他违法行为（具体描述）", "用人单位陪同人员签字", "协管员签字", "巡查时间",
                 "☑ 正常生产", "size: A4 portrait"):
        assert text in html, text


def test_the_show_page_lists_the_answers_and_links_the_printed_form(app, city, login):
    record = add_patrol(app, city, "a1_1")
    html = login("clerka1").get(f"/patrols/show/{record}").data.decode()
    assert f"/patrols/print/{record}" in html and "工作场所职业病防护设施、个人防护用品情况" in html
