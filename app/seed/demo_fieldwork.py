"""Field work for the demo city, this year and last: screenings of most employers first registered in the
period, patrols of declared hazardous employers in each half-year (not all covered), hazard reports, in
every workflow state — mostly submitted or accepted, some late, some returned, some drafts. Bulk inserts
(no per-row events) of values that keep every model rule; the demo clerk is the coordinator in their
township and the demo district admin the reviewer in their district. Deterministic (fixed seed)."""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from app.models import (ChecklistTemplate, Employer, HazardCategory, HazardFactor, HazardReport, OrgUnit, Patrol,
                        PatrolAnswer, PortalUser, Screening)
from app.models.checklist import ABSENT, NOT_APPLICABLE, PRESENT
from app.models.fieldwork import ALL, EXPOSURE_CATEGORIES, NONE, PARTIAL, PATROL_HEADER, REGISTER_FIELDS
from app.models.hazard_report import (ABNORMAL_WORKPLACE, ACUTE_POISONING, CLOSED, COMPLAINT, IMMEDIATE_CATEGORIES,
                                      IN_HAND, PENDING, VIOLATION, VULNERABLE_WORKERS)
from app.models.workflow import ACCEPTED, DRAFT, RETURNED, SUBMITTED

COMPANIONS = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
AGENCIES = ["上海市疾病预防控制中心", "上海华谊职业卫生技术服务有限公司", "上海申康职业卫生检测中心",
            "上海浦卫职业健康检测有限公司"]
HOSPITALS = ["上海市肺科医院", "上海市化工职业病防治院", "上海市第六人民医院职业病科", "区疾病预防控制中心体检中心"]
RETURN_REASONS = ["接触人数与申报不一致，请核实后重新上报", "培训人数填写有误", "缺少最近一次检测报告编号",
                  "巡查内容第7项未填写具体描述"]
REPORTED_TO = ["区卫生健康监督所", "区卫生健康委职业健康科", "区疾病预防控制中心"]
CLUES = {
    ACUTE_POISONING: "喷漆车间局部排风设施停用，现场有明显有机溶剂气味",
    VULNERABLE_WORKERS: "发现孕期女职工在打磨岗位作业",
    VIOLATION: "未按规定组织接触噪声劳动者在岗期间职业健康检查",
    COMPLAINT: "群众举报夜间粉尘排放、工人未佩戴防尘口罩",
    ABNORMAL_WORKPLACE: "工作场所地面有不明液体泄漏",
}


def seed_fieldwork_demo(session, region: str = "", clerk: str = "clerk", reviewer: str = "district") -> None:
    """The field work of the employers under the path ``region`` (all by default), ``clerk`` their coordinator
    in their township and ``reviewer`` the district admin who reviews."""
    rng = random.Random(20261124)
    today = date.today()
    now = datetime.now().replace(second=0, microsecond=0)
    start = date(today.year - 1, 1, 1)
    users = {u.username: u for u in session.scalars(select(PortalUser).where(
        PortalUser.username.in_([clerk, reviewer])))}
    clerk, district = users[clerk], users[reviewer]
    employers = session.scalars(select(Employer).join(Employer.org_unit).where(OrgUnit.path.startswith(region))
                                .order_by(Employer.id)).all()
    units = {unit.id: unit for unit in session.scalars(select(OrgUnit).order_by(OrgUnit.id))}
    coverage = {unit_id: rng.uniform(0.7, 1.0) for unit_id in units}  # how diligent each township is
    context = _Context(rng, now, clerk, district, units, coverage)

    screenings = [_screening(context, e) for e in employers
                  if e.registered_on >= start and rng.random() < 0.92]
    _screening_hazards(session, [row for row in screenings if row])

    template = ChecklistTemplate.default_for(units[employers[0].org_unit_id])
    factors = session.scalars(select(HazardFactor.id).join(HazardFactor.category).where(  # dust, chemicals, physical
        HazardCategory.code.in_(["1", "2", "3"])).order_by(HazardFactor.id)).all()
    patrols = []
    for year in (today.year - 1, today.year):
        for first, last in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))):
            if first > today:
                continue
            for employer in employers:
                if employer.has_hazard and employer.hazard_declared and \
                        rng.random() < coverage[employer.org_unit_id]:
                    patrols.append(_patrol(context, employer, first, min(last, today), template))
    ids = session.scalars(insert(Patrol).returning(Patrol.id, sort_by_parameter_order=True),
                          [row for row, _ in patrols]).all()
    answers, links, reports = [], [], []
    for patrol_id, (row, lines) in zip(ids, patrols):
        answers += [{**line, "patrol_id": patrol_id} for line in lines]
        if "hazards" in template.header_fields:
            links += [{"patrol_id": patrol_id, "hazard_factor_id": f} for f in rng.sample(factors, rng.randint(1, 3))]
        for line in lines:  # every clue found has its report (the patrol is submitted only with it)
            if line["clue_category"] is not None and line["answer"] == PRESENT:
                category = line["clue_category"]
                if category == VIOLATION:  # the clerk tells what kind of violation it is
                    category = rng.choice([VIOLATION, ACUTE_POISONING, VULNERABLE_WORKERS])
                reports.append(_report(context, row, patrol_id, category, line["item_number"]))
        if rng.random() < 0.02:  # a problem reported from the patrol besides its checklist
            reports.append(_report(context, row, patrol_id, rng.choice([VIOLATION, ACUTE_POISONING])))
    session.execute(insert(PatrolAnswer), answers)
    if links:  # only where the template's header names the hazards (Shanghai's)
        session.execute(insert(Patrol.hazards.property.secondary), links)
    for employer in rng.sample(employers, 40):  # clues that came without a patrol
        found = today - timedelta(days=rng.randint(0, (today - start).days))
        reports.append(_report(context, {"employer_id": employer.id, "org_unit_id": employer.org_unit_id,
                                         "visit_date": found}, None, rng.choice([COMPLAINT, ABNORMAL_WORKPLACE])))
    session.execute(insert(HazardReport), reports)
    session.flush()


class _Context:
    def __init__(self, rng, now, clerk, district, units, coverage):
        self.rng, self.now, self.clerk, self.district = rng, now, clerk, district
        self.units, self.coverage = units, coverage

    def coordinator(self, unit_id):
        return self.clerk.id if unit_id == self.clerk.org_unit_id else None

    def reviewer(self, unit_id):
        return self.district.id if self.units[unit_id].parent_id == self.district.org_unit_id else None

    def workflow(self, unit_id, visit: date) -> dict:
        """Mostly submitted within the deadline and accepted; some late, some returned, some drafts
        (most of them among the last week's visits)."""
        rng = self.rng
        recent = (self.now.date() - visit).days < 7
        if rng.random() < (0.6 if recent else 0.03):
            return {"state": DRAFT, "submitted_at": None, "reviewed_at": None, "reviewed_by_id": None,
                    "return_reason": None}
        late = rng.random() < 0.12
        submitted = datetime.combine(visit, time(9)) + timedelta(
            days=rng.randint(9, 30) if late else rng.randint(0, 6), minutes=rng.randint(0, 540))
        submitted = min(submitted, self.now - timedelta(minutes=5))
        reviewed = submitted + timedelta(days=rng.randint(1, 10), minutes=rng.randint(-240, 240))
        if reviewed > self.now:
            return {"state": SUBMITTED, "submitted_at": submitted, "reviewed_at": None, "reviewed_by_id": None,
                    "return_reason": None}
        state = rng.choices([ACCEPTED, SUBMITTED, RETURNED], weights=[85, 9, 6])[0]
        return {"state": state, "submitted_at": submitted,
                "reviewed_at": reviewed if state != SUBMITTED else None,
                "reviewed_by_id": self.reviewer(unit_id) if state != SUBMITTED else None,
                "return_reason": rng.choice(RETURN_REASONS) if state == RETURNED else None}


# The factors a demo screening names for each kind it counts (Annex 2 粉尘种类…接触人数), by catalogue code.
DEMO_FACTORS = {"1": ["1001", "1011", "1012", "1032", "1036"], "2": ["2001", "2003", "2028", "2029", "2030", "2046"],
                "3": ["3001", "3002", "3006"]}


def _screening_hazards(session, rows: list[dict]) -> None:
    """Inserts the screenings and, for each category they count, one or two of its common factors (a random
    of its own, so the rest of the demo stays as it was)."""
    ids = session.scalars(insert(Screening).returning(Screening.id, sort_by_parameter_order=True), rows).all()
    factor_ids = dict(session.execute(select(HazardFactor.code, HazardFactor.id)).all())
    rng = random.Random(1405)
    links = [{"screening_id": screening_id, "hazard_factor_id": factor_ids[code]}
             for screening_id, row in zip(ids, rows) for field, category in EXPOSURE_CATEGORIES.items()
             if row[field] for code in rng.sample(DEMO_FACTORS[category], rng.randint(1, 2))]
    if links:
        session.execute(insert(Screening.hazards.property.secondary), links)


def _screening(context, employer: Employer) -> dict | None:
    rng = context.rng
    visit = employer.registered_on + timedelta(days=rng.randint(0, 45))
    if visit > context.now.date():
        return None
    row = {field: getattr(employer, source) for field, source in REGISTER_FIELDS.items()
           if field not in ("industry", "economic_type", "enterprise_size")}
    row.update(industry_id=employer.industry_id, economic_type_id=employer.economic_type_id,
               enterprise_size_id=employer.enterprise_size_id)
    exposed = rng.randint(1, employer.total_workers) if employer.has_hazard and employer.total_workers else 0
    categories = dict.fromkeys(("exposed_dust", "exposed_chemical", "exposed_physical", "exposed_radioactive",
                                "exposed_biological", "exposed_other"), 0)
    if exposed:
        for category in rng.sample(["exposed_dust", "exposed_chemical", "exposed_physical"], rng.randint(1, 3)):
            categories[category] = rng.randint(1, exposed)
    coverage = rng.choice([ALL, ALL, PARTIAL, NONE]) if exposed else None
    if coverage == PARTIAL and exposed < 2:
        coverage = ALL
    trained = {ALL: exposed, PARTIAL: rng.randint(1, max(1, exposed - 1)), NONE: 0, None: 0}[coverage]
    detection = rng.choice([ALL, ALL, PARTIAL, NONE]) if exposed else NONE
    exam = rng.choice([ALL, ALL, PARTIAL, NONE]) if exposed else NONE
    if exam == PARTIAL and exposed < 2:
        exam = ALL
    done = {ALL: exposed, PARTIAL: rng.randint(1, max(1, exposed - 1)), NONE: 0}[exam]
    row.update(
        org_unit_id=employer.org_unit_id, employer_id=employer.id, visit_date=visit,
        exposed_total=exposed, **categories, hazard_declared=employer.hazard_declared,
        leader_trained=rng.random() < 0.8, manager_trained=rng.random() < 0.7, workers_trained=trained,
        training_coverage=coverage, detection_status=detection, exam_status=exam,
        exam_due_count=exposed, exam_done_count=done, companion=rng.choice(COMPANIONS) + "经理",
        coordinator_id=context.coordinator(employer.org_unit_id),
        **_report_fields(rng, "detection", detection, AGENCIES, visit),
        **_report_fields(rng, "exam", exam, HOSPITALS, visit),
        **context.workflow(employer.org_unit_id, visit),
    )
    return row


def _report_fields(rng, prefix: str, status: str, agencies, visit: date) -> dict:
    if status == NONE:
        return {f"{prefix}_report_number": None, f"{prefix}_agency": None, f"{prefix}_report_date": None}
    issued = visit - timedelta(days=rng.randint(30, 900))
    letters = "JC" if prefix == "detection" else "TJ"
    return {f"{prefix}_report_number": f"{letters}{issued:%Y}-{rng.randint(1, 9999):04d}",
            f"{prefix}_agency": rng.choice(agencies), f"{prefix}_report_date": issued}


def _patrol(context, employer: Employer, first: date, last: date, template) -> tuple[dict, list[dict]]:
    rng = context.rng
    visit = first + timedelta(days=rng.randint(0, (last - first).days))
    lines = []
    for item in template.items:
        present = rng.random() < 0.05 if item.problem_if_present else rng.random() > 0.1
        answer = PRESENT if present else ABSENT
        if NOT_APPLICABLE in item.allowed_answers and rng.random() < 0.3:  # 合理缺项
            answer = NOT_APPLICABLE
        lines.append({"item_number": item.number, "item_text": item.text, "asks_description": item.asks_description,
                      "problem_if_present": item.problem_if_present, "allowed_answers": item.allowed_answers,
                      "clue_category": item.clue_category, "answer": answer,
                      "note": "现场发现劳动者未佩戴防护用品" if answer == PRESENT and item.asks_description else None})
    found = [line["item_text"] for line in lines
             if line["answer"] == (PRESENT if line["problem_if_present"] else ABSENT)]
    used = template.header_fields
    row = {
        "org_unit_id": employer.org_unit_id, "employer_id": employer.id, "template_id": template.id,
        **{field: getattr(employer, source) if field in used else None for field, source in PATROL_HEADER.items()},
        "production_status_id": employer.production_status_id if "production_status" in used else None,
        "problems_found": "；".join(found) or None,
        "disposal": "已督促整改，并报告区卫生健康监督所" if found else None,
        "companion": rng.choice(COMPANIONS) + "主管", "coordinator_id": context.coordinator(employer.org_unit_id),
        "visit_date": visit, **context.workflow(employer.org_unit_id, visit),
    }
    return row, lines


def _report(context, visit: dict, patrol_id, category: str, item_number: int | None = None) -> dict:
    rng = context.rng
    found = min(datetime.combine(visit["visit_date"], time(9)) + timedelta(minutes=rng.randint(0, 480)),
                context.now - timedelta(hours=1))
    immediate = category in IMMEDIATE_CATEGORIES
    roll = rng.random()
    if roll < 0.8:  # in time
        delay = timedelta(hours=rng.randint(1, 20)) if immediate else timedelta(days=rng.randint(0, 6))
    elif roll < 0.93:  # late
        delay = timedelta(hours=rng.randint(30, 96)) if immediate else timedelta(days=rng.randint(9, 20))
    else:
        delay = None
    reported = found + delay if delay is not None and found + delay < context.now else None
    age = (context.now - found).days
    status = CLOSED if reported and age > 30 else IN_HAND if reported and age > 5 else PENDING
    return {
        "org_unit_id": visit["org_unit_id"], "employer_id": visit["employer_id"], "patrol_id": patrol_id,
        "item_number": item_number, "category": category, "description": CLUES[category], "found_at": found, "reported_at": reported,
        "reported_to": rng.choice(REPORTED_TO) if reported else None, "handling_status": status,
        "handling_result": "已责令整改并复查合格" if status == CLOSED else None,
    }
