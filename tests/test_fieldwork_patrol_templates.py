"""What a checklist template declares (issue 14, item 2): the answers each item allows (有/无/不适用) and which of
the patrol form's header fields it uses. Guizhou's rules: "上述第1-5项巡查方式为检查资料有无（非建设项目第2项可为合理缺项）",
and its Annex 1 has no 生产经营状况 line (Shanghai Annex 3's "用人单位生产经营状况")."""
import re
from datetime import date

from sqlalchemy import select

from app.models import ChecklistItem, ChecklistTemplate, Employer, Patrol, db
from app.models.checklist import ABSENT, NOT_APPLICABLE, PRESENT
from app.reports.register import patrol_register
from tests.fieldwork import GUIZHOU, SHANGHAI, errors_by_field, newest, patrol_form, template_id

GUIZHOU_ALL_PRESENT = {number: "yes" for number in range(1, 6)} | {6: "no", 7: "no"}


def shown_rows(html: str) -> dict[str, bool]:
    """{field: shown?} for the rows of the add/edit form (a row the template does not use is hidden)."""
    return {field: not hidden for hidden, field in
            re.findall(r'<tr( hidden)?>\s*<td class="col-lg-2" id="([a-z_]+)-label"', html)}


def test_seeded_guizhou_item_2_may_be_not_applicable_and_no_other_item_may():
    """"非建设项目第2项可为合理缺项": only Guizhou's item 2 allows 不适用."""
    from app.seed.fieldwork import CHECKLIST_TEMPLATES

    allowing = {name: [number for number, _, allowed, *_ in items if NOT_APPLICABLE in allowed]
                for name, _, _, items in CHECKLIST_TEMPLATES}
    assert allowing == {SHANGHAI: [], GUIZHOU: [2]}


def test_a_non_construction_employer_answers_guizhou_item_2_not_applicable_合理缺项(app, city, login):
    client = login("clerka1")
    html = client.get(f"/patrols/add?template={template_id(app, GUIZHOU)}").data.decode()
    assert 'name="answers-answer-2" value="na"' in html and 'name="answers-answer-1" value="na"' not in html
    response = client.post("/patrols/add", data=patrol_form(
        app, city, "a1_1", template=GUIZHOU, answers=GUIZHOU_ALL_PRESENT | {2: "na"}, production_status=None))
    assert response.status_code == 302, errors_by_field(response.data)
    saved = newest(app, Patrol, employer_id=city.employer["a1_1"])
    assert [(a.item_number, a.answer) for a in saved.answers][:3] == [(1, PRESENT), (2, NOT_APPLICABLE),
                                                                      (3, PRESENT)]
    assert saved.problem_answers == []  # 合理缺项 is not a problem found
    show = client.get(f"/patrols/show/{saved.id}").data.decode()
    assert "不适用" in show


def test_the_register_does_not_list_合理缺项_as_a_problem(app, city, login):
    """Guizhou Annex 2 "发现的主要问题": 无 on item 2 is one, 不适用 is not."""
    client = login("clerka1")
    visited = date(date.today().year, 1, 2)
    for employer, answer in (("a1_2", "na"), ("a1_3", "no")):
        assert client.post("/patrols/add", data=patrol_form(
            app, city, employer, template=GUIZHOU, answers=GUIZHOU_ALL_PRESENT | {2: answer},
            production_status=None, visit_date=visited.isoformat())).status_code == 302
    with app.app_context():
        rows = {row.patrol_id: row.problems for row in patrol_register(city.unit["a1"], visited.year)}
    not_applicable = newest(app, Patrol, employer_id=city.employer["a1_2"]).id
    absent = newest(app, Patrol, employer_id=city.employer["a1_3"]).id
    assert rows[not_applicable] == []
    assert rows[absent] == ["2. 建设项目的职业病危害预评价报告、职业病防护设施设计、职业病危害控制效果评价报告完成情况"]


def test_an_answer_the_item_does_not_allow_is_refused_next_to_the_checklist(app, city, login):
    client = login("clerka1")
    before = newest(app, Patrol, employer_id=city.employer["a1_3"])
    guizhou = client.post("/patrols/add", data=patrol_form(
        app, city, "a1_3", template=GUIZHOU, answers=GUIZHOU_ALL_PRESENT | {1: "na"}, production_status=None))
    assert "第1项不能答“不适用”" in errors_by_field(guizhou.data)["answers"]
    shanghai = client.post("/patrols/add", data=patrol_form(app, city, "a1_3", answers={2: "na"}))
    assert "第2项不能答“不适用”" in errors_by_field(shanghai.data)["answers"]
    after = newest(app, Patrol, employer_id=city.employer["a1_3"])
    assert getattr(after, "id", None) == getattr(before, "id", None)


def test_the_model_refuses_a_disallowed_answer_on_every_path(app, city):
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == SHANGHAI))
        patrol = Patrol(employer=db.session.get(Employer, city.employer["b1_1"]), template=template,
                        visit_date=date.today())
        patrol.fill_answers({number: (NOT_APPLICABLE if number == 3 else PRESENT, None) for number in range(1, 8)})
        assert "第3项不能答“不适用”" in str(patrol.all_problems()["answers"])
        patrol.fill_answers({number: ("maybe" if number == 1 else ABSENT, None) for number in range(1, 8)})
        assert "第1项" in str(patrol.all_problems()["answers"])
        db.session.rollback()


def test_a_guizhou_patrol_has_no_production_status_生产经营状况_and_a_shanghai_one_must(app, city, login):
    client = login("clerkb1")
    guizhou = client.post("/patrols/add", data=patrol_form(
        app, city, "b1_2", template=GUIZHOU, answers=GUIZHOU_ALL_PRESENT, production_status=None))
    assert guizhou.status_code == 302, errors_by_field(guizhou.data)
    saved = newest(app, Patrol, employer_id=city.employer["b1_2"])
    assert saved.production_status_id is None and saved.contact_person is None  # Guizhou asks neither
    assert saved.legal_representative == saved.employer.legal_representative  # 法定代表人 it asks
    printed = client.get(f"/patrols/print/{saved.id}").data.decode()
    assert "法人代表姓名" in printed and "生产经营状况" not in printed and "联系人" not in printed
    shanghai = client.post("/patrols/add", data=patrol_form(app, city, "b1_3", production_status=None))
    assert "production_status" in errors_by_field(shanghai.data)
    assert newest(app, Patrol, employer_id=city.employer["b1_3"]) is None


def test_the_form_shows_only_the_header_fields_the_template_uses(app, city, login):
    client = login("clerka1")
    shanghai = shown_rows(client.get("/patrols/add").data.decode())
    guizhou = shown_rows(client.get(f"/patrols/add?template={template_id(app, GUIZHOU)}").data.decode())
    assert shanghai["production_status"] and shanghai["contact_person"] and shanghai["hazards"]
    assert not shanghai["legal_representative"]
    assert not guizhou["production_status"] and not guizhou["contact_person"] and not guizhou["hazards"]
    assert guizhou["legal_representative"] and guizhou["address"] and guizhou["employer"]
    checklist = client.get(f"/patrols/checklist?template={template_id(app, GUIZHOU)}").data.decode()
    assert re.search(r'data-header-fields="address legal_representative contact_phone"', checklist)


def test_a_template_names_only_fields_of_the_form(app):
    with app.app_context():
        template = ChecklistTemplate(name="试用模板", region_code="310104", header_fields=["address", "shoe_size"],
                                     items=[ChecklistItem(number=1, text="职业病危害项目申报情况")])
        assert "header_fields" in template.all_problems()
        clue = ChecklistItem(template=template, number=2, text="群众投诉举报情况", clue_category="complaint",
                             problem_if_present=False)
        assert "clue_category" in clue.all_problems()  # a clue is something found: 有 is the finding
        db.session.rollback()


def test_the_system_admin_declares_header_fields_answers_and_clues_on_the_forms(app, login):
    client = login("sysadmin")
    added = client.post("/checklisttemplates/add", data={
        "name": "徐汇区试行巡查表", "region_code": "310104", "active": "y",
        "header_fields": ["address", "contact_phone"]})
    assert added.status_code == 302, errors_by_field(added.data)
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == "徐汇区试行巡查表"))
        assert template.header_fields == ["address", "contact_phone"]
        template_pk = template.id
    item = client.post("/checklistitems/add", data={
        "template": str(template_pk), "number": "1", "text": "群众投诉举报情况", "asks_description": "y",
        "problem_if_present": "y", "allowed_answers": ["yes", "no", "na"], "clue_category": "complaint"})
    assert item.status_code == 302, errors_by_field(item.data)
    plain = client.post("/checklistitems/add", data={
        "template": str(template_pk), "number": "2", "text": "职业病危害项目申报情况", "allowed_answers": ["yes", "no"],
        "clue_category": ""})
    assert plain.status_code == 302, errors_by_field(plain.data)
    with app.app_context():
        rows = db.session.get(ChecklistTemplate, template_pk).rows
        assert [(row.allowed_answers, row.clue_category) for row in rows] == [
            (("yes", "no", "na"), "complaint"), (("yes", "no"), None)]
        db.session.delete(db.session.get(ChecklistTemplate, template_pk))
        db.session.commit()
