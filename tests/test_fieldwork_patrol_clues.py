"""Clues found on a patrol (issue 14, item 3). Guizhou's rules: "第6-7项为发现线索" and "职业病危害信息报告率=报告的事件
或线索次数/发现的事件或线索次数×100%"; Shanghai Annex 3's item 7 "可能存在的其他违法行为（具体描述）" is a violation to
report ("立即上报"). A patrol answering 有 on such an item needs a hazard report made from it before it is submitted,
and the information reporting rate counts every such clue as found."""
import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from app.models import ChecklistTemplate, Employer, HazardReport, OrgUnit, Patrol, ProductionStatus, db
from app.models.base import RecordInvalid
from app.models.checklist import ABSENT, PRESENT
from app.reports.engine import township_values
from app.reports.indicators import INDICATORS_BY_CODE
from app.reports.periods import parse_period
from tests.fieldwork import GUIZHOU, SHANGHAI, errors_by_field, newest, patrol_form

GUIZHOU_CLUE_7 = {number: "yes" for number in range(1, 6)} | {6: "no", 7: "yes"}


def test_the_seeded_templates_declare_their_clue_items():
    """Data, not item numbers in code: Guizhou 6 工作场所异常情况, 7 群众投诉举报情况; Shanghai 7 其他违法行为."""
    from app.seed.fieldwork import CHECKLIST_TEMPLATES

    clues = {name: {number: clue for number, _, _, _, _, clue in items if clue}
             for name, _, _, items in CHECKLIST_TEMPLATES}
    assert clues == {SHANGHAI: {7: "violation"}, GUIZHOU: {6: "abnormal_workplace", 7: "complaint"}}


def guizhou_patrol_with_a_complaint(app, city, client, employer="a1_2") -> int:
    response = client.post("/patrols/add", data=patrol_form(
        app, city, employer, template=GUIZHOU, answers=GUIZHOU_CLUE_7, notes={7: "群众举报夜间粉尘排放"},
        production_status=None))
    assert response.status_code == 302, errors_by_field(response.data)
    return newest(app, Patrol, employer_id=city.employer[employer]).id


def test_a_patrol_with_a_clue_cannot_be_submitted_before_its_hazard_report_第6_7项为发现线索(app, city, login):
    client = login("clerka1")
    patrol = guizhou_patrol_with_a_complaint(app, city, client)
    refused = client.post(f"/patrols/action/submit/{patrol}", follow_redirects=True).data.decode()
    assert "第7项答“有”，是发现的线索：请先从本巡查填报问题隐患报告" in refused
    assert newest(app, Patrol, id=patrol).state == "draft"

    show = client.get(f"/patrols/show/{patrol}").data.decode()
    link = f"/hazardreports/add?patrol={patrol}&amp;item=7"
    assert link in show  # "create hazard report from this patrol", next to the clue
    form = client.get(link.replace("&amp;", "&")).data.decode()
    visited = newest(app, Patrol, id=patrol)
    assert re.search(rf'<option selected value="{city.employer["a1_2"]}"', form)  # the employer
    assert re.search(rf'<option selected value="{city.unit["a1"]}"', form)  # the township
    assert re.search(rf'<option selected value="{patrol}"', form)  # the patrol
    assert f'value="{visited.visit_date:%Y-%m-%d} 00:00:00"' in form  # found on the patrol's day
    assert re.search(r'<option selected value="complaint"', form)  # the item's clue
    assert "群众举报夜间粉尘排放" in form and 'id="item_number"' in form and 'value="7"' in form

    saved = client.post(link.replace("&amp;", "&"), data={
        "category": "complaint", "description": "群众举报夜间粉尘排放", "found_at": f"{visited.visit_date} 00:00:00",
        "reported_at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"), "reported_to": "区卫生健康监督所",
        "handling_status": "pending", "employer": str(city.employer["a1_2"]), "org_unit": str(city.unit["a1"]),
        "patrol": str(patrol), "item_number": "7"})
    assert saved.status_code == 302, errors_by_field(saved.data)
    report = newest(app, HazardReport, patrol_id=patrol)
    assert (report.item_number, report.employer_id, report.org_unit_id) == (7, city.employer["a1_2"],
                                                                            city.unit["a1"])
    assert f"/hazardreports/add?patrol={patrol}&amp;item=7" not in client.get(f"/patrols/show/{patrol}").data.decode()
    assert client.post(f"/patrols/action/submit/{patrol}").status_code == 302
    assert newest(app, Patrol, id=patrol).state == "submitted"


def test_a_shanghai_violation_on_item_7_needs_its_report_too(app, city):
    """Annex 3 item 7 "可能存在的其他违法行为（具体描述）": 有 is a violation to report (Annex 6 "立即上报")."""
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == SHANGHAI))
        employer = db.session.get(Employer, city.employer["b2_2"])
        running = db.session.scalar(select(ProductionStatus).where(ProductionStatus.code == "1"))
        patrol = Patrol(employer=employer, template=template, production_status=running, visit_date=date.today())
        patrol.fill_answers({n: (PRESENT, "未设置警示标识" if n == 7 else None) for n in range(1, 8)})
        db.session.add(patrol)
        db.session.commit()
        with pytest.raises(RecordInvalid) as refused:
            patrol.submit()
        assert "第7项" in str(refused.value.problems["answers"])
        db.session.rollback()
        db.session.add(HazardReport(patrol=patrol, item_number=7, category="violation", description="未设置警示标识",
                                    found_at=datetime.combine(date.today(), time())))
        db.session.commit()
        patrol.submit()
        db.session.commit()
        assert patrol.state == "submitted"


def test_a_report_names_a_clue_of_its_patrol(app, city):
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == GUIZHOU))
        employer = db.session.get(Employer, city.employer["b2_3"])
        patrol = Patrol(employer=employer, template=template, visit_date=date.today())
        patrol.fill_answers({n: (PRESENT if n < 6 else ABSENT, None) for n in range(1, 8)})
        db.session.add(patrol)
        db.session.flush()
        found = datetime.combine(date.today(), time())
        not_a_clue = HazardReport(patrol=patrol, item_number=3, category="violation", description="x", found_at=found)
        assert "第3项" in str(not_a_clue.all_problems()["item_number"])
        answered_no = HazardReport(patrol=patrol, item_number=7, category="complaint", description="x", found_at=found)
        assert "item_number" in answered_no.all_problems()  # 无 on item 7: nothing was found there
        alone = HazardReport(employer=employer, item_number=7, category="complaint", description="x", found_at=found)
        assert "patrol" in alone.all_problems()
        db.session.rollback()


def information(app, unit_id):
    with app.app_context():
        unit = db.session.get(OrgUnit, unit_id)
        value = township_values(INDICATORS_BY_CODE["information"], parse_period(str(date.today().year)), unit)
        found = value.get(unit_id)
        return (found.numerator, found.denominator) if found else (0, 0)


def test_the_information_reporting_rate_counts_every_clue_found_on_a_patrol(app, city):
    """"职业病危害信息报告率=报告的事件或线索次数/发现的事件或线索次数": a reported patrol's clue answer is found, and
    reported when its hazard report is; one found on a patrol submitted before the rule (no report) counts
    as found and not reported."""
    before = information(app, city.unit["b1"])
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == GUIZHOU))
        employer = db.session.get(Employer, city.employer["b1_1"])
        earlier = Patrol(employer=employer, template=template, visit_date=date.today(), state="submitted",
                         submitted_at=datetime.now())  # as a script or an older release left it
        earlier.fill_answers({n: (PRESENT, "异常" if n > 5 else None) for n in range(1, 8)})
        db.session.add(earlier)
        patrol = Patrol(employer=employer, template=template, visit_date=date.today())
        patrol.fill_answers({n: (ABSENT if n == 6 else PRESENT, "群众举报" if n == 7 else None) for n in range(1, 8)})
        db.session.add(patrol)
        db.session.flush()
        db.session.add(HazardReport(patrol=patrol, item_number=7, category="complaint", description="群众举报",
                                    found_at=datetime.combine(date.today(), time()), reported_at=datetime.now(),
                                    reported_to="区卫生健康监督所"))
        db.session.commit()
        patrol.submit()
        db.session.commit()
    after = information(app, city.unit["b1"])
    assert (after[0] - before[0], after[1] - before[1]) == (1, 3)  # 2 clues of the earlier patrol, 1 reported
