"""The demo city's programme work: coordinators with their training and assessments, training and
promotion, service plans, work summaries and declaration-expansion candidates in every township; SME
assistance and prevention institutions in every district. Deterministic (its own fixed seed), dated
relative to today, and never in the future."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.enterprise_size import LARGE
from app.models import (DISTRICT, TOWNSHIP, Coordinator, CoordinatorAssessment, CoordinatorTraining,
                        DeclarationCandidate, Employer, EnterpriseSize, InstitutionProblem,
                        InstitutionQualityControl, OrgUnit, PortalUser, PreventionInstitution, ServicePlan,
                        SmeAssistance, TrainingActivity, WorkSummary)
from app.models.programme.assistance import BEFORE_AFTER, SIX_ITEMS
from app.models.programme.candidate import CANDIDATE_SOURCES
from app.models.programme.coordinator import BACKGROUNDS, DISMISSAL_REASONS, EDUCATION
from app.models.programme.institution import LAB_COMPARISON, PROBLEM_SOURCES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = ["建华", "丽萍", "国强", "秀英", "志刚", "海燕", "红梅", "卫东", "晓燕", "永明", "春华", "桂兰",
               "德明", "雪梅", "立新", "玉珍"]
TRAINING_COURSES = ["职业健康监督协管岗前培训", "职业健康巡查业务培训", "职业病危害项目申报培训",
                    "《职业病防治法》宣传周业务培训", "协管信息系统操作培训"]
ACTIVITY_TOPICS = {
    "attended_training": ["区卫生监督所职业健康巡查业务培训", "区疾控中心职业病危害因素识别培训"],
    "attended_meeting": ["区职业健康工作推进会", "季度协管工作例会"],
    "gave_training": ["劳动者职业健康权利与义务培训", "粉尘、噪声危害防护培训", "职业病危害项目申报辅导"],
    "promotion": ["《职业病防治法》宣传周活动", "职业健康知识进企业", "职业病危害告知与警示标识宣传"],
}
SME_TEAMS = ["区职业健康管家服务团队", "区疾控中心职业卫生科", "区职业病防治院技术服务团队", "第三方职业卫生技术服务机构"]
NONCONFORMING_REASONS = ["未附巡查工作登记表", "数据与系统记录不一致", "未分析存在问题及改进措施"]
QUALIFICATIONS = {
    "oh_service": "职业卫生技术服务（乙级）", "radiation_service": "放射卫生技术服务（放射诊疗建设项目评价）",
    "health_exam": "职业健康检查（粉尘、化学、物理因素类）", "diagnosis": "职业病诊断（尘肺病、职业性化学中毒）",
}
INSTITUTION_PROBLEMS = ["原始记录不完整", "检测报告未经授权签字人签发", "仪器设备未按期检定", "采样人员未持证上岗",
                        "体检报告未及时告知劳动者", "康复档案不规范"]


def seed_programme(session) -> None:
    rng = random.Random(20261124)
    today = date.today()
    townships = session.scalars(select(OrgUnit).where(OrgUnit.level == TOWNSHIP).order_by(OrgUnit.path)).all()
    districts = session.scalars(select(OrgUnit).where(OrgUnit.level == DISTRICT).order_by(OrgUnit.path)).all()
    employers = {}
    for employer in session.scalars(select(Employer).order_by(Employer.id)):
        employers.setdefault(employer.org_unit_id, []).append(employer)
    for township in townships:
        mine = employers.get(township.id, [])
        session.add_all(_coordinators(rng, township, today))
        session.add_all(_activities(rng, township, mine, today))
        session.add_all(_plans(township, mine, today))
        session.add_all(_summaries(rng, township, today))
        session.add_all(_candidates(rng, township, mine, today))
    sizes = {size.id: size.code for size in session.scalars(select(EnterpriseSize))}
    for district in districts:
        its_townships = [t for t in townships if t.parent_id == district.id]
        smes = [e for t in its_townships for e in employers.get(t.id, [])
                if sizes.get(e.enterprise_size_id) not in (None, LARGE)]
        session.add_all(_assistance(rng, smes, today))
        session.add_all(_institutions(rng, district, its_townships, today))
    session.flush()
    _link_demo_clerk(session)


def _day_between(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _coordinators(rng, township, today):
    made = []
    for _ in range(rng.randint(1, 3)):
        appointed = _day_between(rng, date(today.year - 6, 1, 1), today - timedelta(days=60))
        coordinator = Coordinator(
            org_unit=township, name=_person(rng),
            phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
            workplace=f"{township.name}社区卫生服务中心", education=rng.choice(list(EDUCATION)[1:4]),
            background=rng.choice(list(BACKGROUNDS)), appointed_on=appointed,
            term_ends_on=appointed + timedelta(days=3 * 365), status="serving")
        if rng.random() < 0.08:
            coordinator.status = "dismissed"
            coordinator.dismissal_reason = rng.choice(list(DISMISSAL_REASONS))
            coordinator.dismissed_on = _day_between(rng, appointed + timedelta(days=30), today)
        last_day = coordinator.dismissed_on or today
        coordinator.trainings.append(CoordinatorTraining(
            kind="pre_service", course=TRAINING_COURSES[0], organiser="区卫生健康委",
            held_on=appointed - timedelta(days=rng.randint(7, 30)), attended=True, passed=True))
        for year in range(appointed.year, last_day.year + 1):
            for _ in range(rng.randint(1, 2)):
                held = _day_between(rng, max(appointed, date(year, 1, 1)), min(last_day, date(year, 12, 31)))
                attended = rng.random() < 0.93
                coordinator.trainings.append(CoordinatorTraining(
                    kind="in_service", course=rng.choice(TRAINING_COURSES[1:]), organiser="区卫生健康监督所",
                    held_on=held, attended=attended, passed=attended and rng.random() < 0.9))
            if year < min(last_day.year + 1, today.year):
                result = rng.choices(["excellent", "competent", "failed"], [20, 75, 5])[0]
                coordinator.assessments.append(CoordinatorAssessment(
                    year=year, result=result,
                    commendation="diligent" if result == "excellent" and rng.random() < 0.4 else None))
        made.append(coordinator)
    return made


def _activities(rng, township, employers, today):
    made = []
    for _ in range(rng.randint(3, 6)):
        kind = rng.choice(list(ACTIVITY_TOPICS))
        reaches = kind in ("gave_training", "promotion") and employers
        reached = rng.sample(employers, min(len(employers), rng.randint(2, 6))) if reaches else []
        made.append(TrainingActivity(
            org_unit=township, held_on=_day_between(rng, today - timedelta(days=540), today), kind=kind,
            topic=rng.choice(ACTIVITY_TOPICS[kind]),
            organiser={"attended_training": "区卫生健康监督所", "attended_meeting": "区疾控中心"}.get(kind, township.name),
            audience_count=rng.randint(20, 80) if reached else rng.randint(1, 3), employers=reached))
    return made


def _plans(township, employers, today):
    """Annex 6 targets: new employers of the year screened, declared employers patrolled each half."""
    made = []
    declared = sum(1 for e in employers if e.hazard_declared)
    for year in (today.year - 1, today.year):
        new = [e for e in employers if e.registered_on.year == year]
        first_half = sum(1 for e in new if e.registered_on.month <= 6)
        made.append(ServicePlan(org_unit=township, year=year, screen_h1=first_half,
                                screen_h2=len(new) - first_half, patrol_h1=declared, patrol_h2=declared))
    return made


def _summaries(rng, township, today):
    due = [(today.year - 1, "interim", f"{today.year - 1}年上半年工作小结", date(today.year - 1, 7, 10)),
           (today.year - 1, "annual", f"{today.year - 1}年度工作总结", date(today.year, 1, 15)),
           (today.year, "interim", f"{today.year}年上半年工作小结", date(today.year, 7, 10))]
    made = []
    for year, kind, title, due_on in due:
        submitted = due_on + timedelta(days=rng.choice([-6, -3, -1, 0, 2, 9]))
        if submitted > today:
            if due_on > today + timedelta(days=30):
                continue  # not yet asked for
            submitted = None
        summary = WorkSummary(org_unit=township, year=year, kind=kind, title=title, due_on=due_on,
                              submitted_on=submitted)
        if submitted is not None and rng.random() < 0.8:
            summary.review = "nonconforming" if rng.random() < 0.12 else "conforming"
            if summary.review == "nonconforming":
                summary.review_reason = rng.choice(NONCONFORMING_REASONS)
        made.append(summary)
    return made


def _candidates(rng, township, employers, today):
    """Chongqing Annex 2: found from several sources; most verified within the month, some overdue."""
    made = []
    for _ in range(rng.randint(1, 4)):
        found = _day_between(rng, today - timedelta(days=240), today)
        candidate = DeclarationCandidate(
            org_unit=township, name=f"{township.name[:2]}{rng.choice(['鑫达', '永兴', '宏发', '利民', '顺通'])}"
                                   f"{rng.choice(['五金加工厂', '石材加工厂', '家具厂', '汽修厂', '印刷厂'])}",
            source=rng.choice(list(CANDIDATE_SOURCES)), found_on=found,
            address=f"{rng.choice(['工业', '振兴', '建设'])}路{rng.randint(1, 500)}号")
        verified = found + timedelta(days=rng.randint(5, 40))
        if verified <= today and rng.random() < 0.75:
            hazardous = [e for e in employers if e.has_hazard]
            outcome = rng.choice(["declared", "to_declare", "not_hazardous", "closed"])
            match = [e for e in hazardous if e.hazard_declared == (outcome == "declared")]
            if outcome in ("declared", "to_declare") and not match:
                outcome = "not_hazardous"
            candidate.verified_on, candidate.outcome = verified, outcome
            # Reported to the city CDC at once, on the city's list a week before the verification.
            candidate.reported_on, candidate.listed_on = found, max(found, verified - timedelta(days=7))
            if outcome in ("declared", "to_declare"):
                candidate.employer = rng.choice(match)
                candidate.name = candidate.employer.name
        made.append(candidate)
    return made


def _assistance(rng, smes, today):
    """Chongqing Annex 3: at least 20 SMEs per district and year; last year's done, this year's under way."""
    made = []
    for year in (today.year - 1, today.year):
        end = min(today, date(year, 12, 31))
        for employer in rng.sample(smes, min(len(smes), rng.randint(20, 24))):
            record = SmeAssistance(employer=employer, year=year, team=rng.choice(SME_TEAMS),
                                   team_leader=_person(rng))
            share = 1.0 if year < today.year else (end.timetuple().tm_yday / 366)
            for item in SIX_ITEMS:
                if rng.random() < 0.2 + 0.8 * share:
                    setattr(record, f"{item}_done", True)
                    setattr(record, f"{item}_on", _day_between(rng, date(year, 1, 1), end))
            for flag in BEFORE_AFTER:
                before = rng.random() < 0.4
                setattr(record, f"{flag}_before", before)
                setattr(record, f"{flag}_after", before or rng.random() < 0.6 + 0.35 * share)
            made.append(record)
    return made


def _institutions(rng, district, townships, today):
    short = district.name.removesuffix("新区").removesuffix("区")
    plan = [("cdc", f"{district.name}疾病预防控制中心"), ("health_exam", f"{district.name}职业病防治院"),
            ("health_exam", f"{short}{rng.choice(['仁和', '康宁', '协和'])}体检中心")]
    plan += [("oh_service", f"上海{firm}{short}职业卫生检测有限公司")
             for firm in rng.sample(["申安", "华测", "立源", "正信"], rng.randint(0, 2))]
    if rng.random() < 0.3:
        plan.append(("radiation_service", f"上海{short}{rng.choice(['辐安', '瑞康'])}放射卫生技术服务有限公司"))
    if rng.random() < 0.25:
        plan.append(("diagnosis", f"{district.name}中心医院"))
    if rng.random() < 0.4:
        plan.append(("rehab_station", f"{rng.choice(townships).name}尘肺病康复站"))
    made = []
    for kind, name in plan:
        qualified = kind in QUALIFICATIONS
        institution = PreventionInstitution(
            org_unit=district, kind=kind, name=name, qualification=QUALIFICATIONS.get(kind),
            certificate_number=f"{district.code}-{rng.randint(1000, 9999)}" if qualified else None,
            valid_until=date(today.year + rng.randint(0, 4), 12, 31) if qualified else None,
            confirmation={"rehab_station": "assessment", "cdc": "standard"}.get(kind, "direct"),
            confirmed_on=_day_between(rng, today - timedelta(days=700), today - timedelta(days=30)),
            served_township=next((t for t in townships if name.startswith(t.name)), None),
            phone=f"021-{rng.randint(50000000, 69999999)}")
        for year in (today.year - 2, today.year - 1):
            rating = rng.choices(["green", "yellow", "red"], [60, 30, 10])[0]
            low, high = {"green": (85, 98), "yellow": (70, 85), "red": (55, 70)}[rating]
            institution.quality_controls.append(InstitutionQualityControl(
                year=year, score=round(rng.uniform(low, high), 1), rating=rating,
                lab_comparison=rng.choice(["satisfactory"] if rating == "green" else list(LAB_COMPARISON))))
        for _ in range(rng.randint(0, 3)):
            found = _day_between(rng, today - timedelta(days=500), today - timedelta(days=10))
            problem = InstitutionProblem(found_on=found, source=rng.choice(list(PROBLEM_SOURCES)),
                                         description=rng.choice(INSTITUTION_PROBLEMS),
                                         deadline=found + timedelta(days=rng.choice([30, 60, 90])))
            if rng.random() < 0.7:
                problem.rectified_on = _day_between(rng, found + timedelta(days=5),
                                                    min(today, problem.deadline))
                problem.rectification = "已按要求整改并提交整改报告"
            institution.problems_found.append(problem)
        made.append(institution)
    return made


def _link_demo_clerk(session) -> None:
    """The demo clerk is a coordinator of their township."""
    clerk = session.scalars(select(PortalUser).where(PortalUser.username == "clerk")).first()
    if clerk is None:
        return
    coordinator = session.scalars(select(Coordinator).where(Coordinator.org_unit_id == clerk.org_unit_id,
                                                            Coordinator.status == "serving")).first()
    if coordinator is not None:
        coordinator.user = clerk
