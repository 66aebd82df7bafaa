"""Programme records for the small city of conftest.py, built straight in the database (no user, so no
scope) for the programme tests: one record of each kind per township a1 and b1, one institution per
district a and b."""
import re
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.models import (Coordinator, CoordinatorAssessment, CoordinatorTraining, DeclarationCandidate,
                        Employer, EnterpriseSize, InstitutionProblem, InstitutionQualityControl, OrgUnit,
                        PreventionInstitution, ServicePlan, SmeAssistance, TrainingActivity, WorkSummary, db)

def field_errors(html: bytes) -> dict[str, str]:
    """Messages rendered next to each form field: {field name: message} (field names may hold digits)."""
    found = {}
    for block in re.findall(r"<tr>(.*?)</tr>", html.decode(), re.S):
        field = re.search(r'name="([a-z_0-9]+)"', block)
        errors = re.findall(r'class="alert alert-danger">\s*([^<]+?)\s*<', block)
        if field and errors:
            found[field.group(1)] = " ".join(errors)
    return found


SAMPLE_MARK = "样例"  # every sample record's name carries it, so building twice finds the first build
PLAN_YEAR = 2023


def make_employer(township: OrgUnit, name: str, size_code: str | None) -> Employer:
    size = db.session.scalar(select(EnterpriseSize).where(EnterpriseSize.code == size_code))
    employer = Employer(name=name, org_unit=township, credit_code_pending=True, total_workers=30,
                        enterprise_size=size)
    db.session.add(employer)
    return employer


def _township_records(key: str, township: OrgUnit, employer: Employer) -> dict:
    today = date.today()
    coordinator = Coordinator(name=f"{SAMPLE_MARK}协管员{key}", org_unit=township, phone="13800000000",
                              appointed_on=date(2024, 3, 1), status="serving")
    coordinator.trainings.append(CoordinatorTraining(course=f"{SAMPLE_MARK}巡查业务培训", kind="in_service",
                                                     held_on=date(2025, 4, 2), attended=True, passed=True))
    coordinator.assessments.append(CoordinatorAssessment(year=2024, result="competent"))
    return {
        "coordinator": coordinator,
        "activity": TrainingActivity(org_unit=township, held_on=today - timedelta(days=20), kind="promotion",
                                     topic=f"{SAMPLE_MARK}职业病防治法宣传", audience_count=40,
                                     employers=[employer]),
        "plan": ServicePlan(org_unit=township, year=PLAN_YEAR, screen_h1=5, screen_h2=5, patrol_h1=20,
                            patrol_h2=20, notes=SAMPLE_MARK),
        "candidate": DeclarationCandidate(org_unit=township, name=f"{SAMPLE_MARK}疑似危害企业{key}",
                                          source="department", found_on=today - timedelta(days=10)),
        "assistance": SmeAssistance(employer=employer, year=2025, team=f"{SAMPLE_MARK}管家团队"),
        "summary": WorkSummary(org_unit=township, year=2025, kind="annual", title=f"{SAMPLE_MARK}年度总结{key}",
                               due_on=date(2026, 1, 15), submitted_on=date(2026, 1, 10)),
    }


def build_programme_records(app, city) -> SimpleNamespace:
    """Ids: ``records[kind][key]`` for key a1/b1 (a/b for institutions and their child rows)."""
    with app.app_context():
        existing = db.session.scalar(select(Coordinator).where(Coordinator.name == f"{SAMPLE_MARK}协管员a1"))
        if existing is None:
            built = {}
            for key in ("a1", "b1"):
                township = db.session.get(OrgUnit, city.unit[key])
                employer = make_employer(township, f"{SAMPLE_MARK}小微企业{key}", "4")
                for kind, record in _township_records(key, township, employer).items():
                    built.setdefault(kind, {})[key] = record
            for key in ("a", "b"):
                institution = PreventionInstitution(
                    org_unit=db.session.get(OrgUnit, city.unit[key]), name=f"{SAMPLE_MARK}职业卫生技术服务机构{key}",
                    kind="oh_service")
                institution.quality_controls.append(
                    InstitutionQualityControl(year=2024, score=88, rating="green"))
                institution.problems_found.append(InstitutionProblem(
                    found_on=date(2025, 5, 6), source="quality_control", description="原始记录不完整",
                    deadline=date(2025, 6, 30)))
                built.setdefault("institution", {})[key] = institution
            db.session.add_all(record for records in built.values() for record in records.values())
            db.session.commit()
        return SimpleNamespace(records=_ids(city), mark=SAMPLE_MARK)


def _ids(city) -> dict:
    key_of = {unit_id: key for key, unit_id in city.unit.items()}
    found = {}
    sample_coordinators = select(Coordinator).where(Coordinator.name.startswith(SAMPLE_MARK))
    for coordinator in db.session.scalars(sample_coordinators):
        key = key_of[coordinator.org_unit_id]
        found.setdefault("coordinator", {})[key] = coordinator.id
        found.setdefault("training", {})[key] = coordinator.trainings[0].id
        found.setdefault("assessment", {})[key] = coordinator.assessments[0].id
    queries = {
        "activity": select(TrainingActivity).where(TrainingActivity.topic.startswith(SAMPLE_MARK)),
        "plan": select(ServicePlan).where(ServicePlan.notes == SAMPLE_MARK),
        "candidate": select(DeclarationCandidate).where(DeclarationCandidate.name.startswith(SAMPLE_MARK)),
        "assistance": select(SmeAssistance).where(SmeAssistance.team.startswith(SAMPLE_MARK)),
        "summary": select(WorkSummary).where(WorkSummary.title.startswith(SAMPLE_MARK)),
        "institution": select(PreventionInstitution).where(
            PreventionInstitution.name.startswith(SAMPLE_MARK)),
    }
    for kind, query in queries.items():
        for record in db.session.scalars(query):
            key = key_of[record.org_unit_id]
            found.setdefault(kind, {})[key] = record.id
            if kind == "institution":
                found.setdefault("quality_control", {})[key] = record.quality_controls[0].id
                found.setdefault("problem", {})[key] = record.problems_found[0].id
    return found
