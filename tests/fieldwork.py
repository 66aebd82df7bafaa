"""Helpers for the field-work tests: form data as a clerk would post it, records made directly, and
the messages a form shows next to each field."""
import re
from datetime import date

from sqlalchemy import select

from app.models import ChecklistTemplate, Employer, Patrol, ProductionStatus, Screening, db
from app.models.checklist import ABSENT, PRESENT

SHANGHAI, GUIZHOU = "上海市职业健康协管巡查个案信息表", "贵州省职业健康监督协管巡查个案信息表"


def errors_by_field(html: bytes) -> dict[str, str]:
    """{field id: messages} as FAB renders them under each field (robust to the checklist's own table)."""
    parts = re.split(r'<label for="([a-z_]+)"', html.decode())
    found = {}
    for field, chunk in zip(parts[1::2], parts[2::2]):
        errors = re.findall(r'class="alert alert-danger">\s*(.*?)\s*</div>', chunk, re.S)
        if errors:
            found[field] = " ".join(" ".join(error.split()) for error in errors)
    return found


def template_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ChecklistTemplate.id).where(ChecklistTemplate.name == name))


def production_status_id(app, code: str = "1") -> int:
    with app.app_context():
        return db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == code))


def screening_form(city, employer: str = "a1_1", **overrides) -> dict:
    """A consistent Annex 2 form: 10 exposed (6 dust: 矽尘, 4 chemicals: 苯), all trained, exams 8 of 10."""
    data = {
        "employer": str(city.employer[employer]), "visit_date": date.today().isoformat(),
        "exposed_total": "10", "exposed_dust": "6", "exposed_chemical": "4", "exposed_physical": "0",
        "exposed_radioactive": "0", "exposed_biological": "0", "exposed_other": "0", "hazard_declared": "y",
        "hazards": [str(city.factor["1001"]), str(city.factor["2028"])],
        "leader_trained": "y", "workers_trained": "10", "training_coverage": "all",
        "detection_status": "all", "detection_report_number": "JC2026-0001", "detection_agency": "上海市疾病预防控制中心",
        "exam_status": "partial", "exam_report_number": "TJ2026-0002", "exam_agency": "上海市肺科医院",
        "exam_due_count": "10", "exam_done_count": "8", "companion": "王经理",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def patrol_form(app, city, employer: str = "a1_1", template: str = SHANGHAI, answers: dict | None = None,
                notes: dict | None = None, **overrides) -> dict:
    """A patrol with every item answered: 有 for items 1–6, 无 for item 7 unless told otherwise."""
    answers = {**{number: "yes" for number in range(1, 7)}, 7: "no", **(answers or {})}
    data = {
        "employer": str(city.employer[employer]), "template": str(template_id(app, template)),
        "visit_date": date.today().isoformat(), "production_status": str(production_status_id(app)),
        "companion": "李主管",
        **{f"answers-answer-{number}": answer for number, answer in answers.items() if answer is not None},
        **{f"answers-note-{number}": note for number, note in (notes or {}).items()},
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def newest(app, model, **filters):
    """The most recent record of ``model`` matching ``filters``, loaded with what tests look at."""
    with app.app_context():
        query = select(model).filter_by(**filters).order_by(model.id.desc())
        record = db.session.scalars(query).first()
        if record is not None:
            for relation in ("answers", "employer", "org_unit", "coordinator", "template", "reviewed_by"):
                getattr(record, relation, None)
        return record


def add_screening(app, city, employer: str = "a1_1", visit_date: date | None = None) -> int:
    """A draft screening made as a script would (no signed-in user)."""
    with app.app_context():
        record = Screening(employer=db.session.get(Employer, city.employer[employer]),
                           visit_date=visit_date or date.today())
        db.session.add(record)
        db.session.commit()
        return record.id


def add_patrol(app, city, employer: str = "a1_1", visit_date: date | None = None) -> int:
    """A draft patrol answered 有 on items 1–6 and 无 on item 7 of the township's default template."""
    with app.app_context():
        status = db.session.get(ProductionStatus, production_status_id(app))
        record = Patrol(employer=db.session.get(Employer, city.employer[employer]), production_status=status,
                        visit_date=visit_date or date.today())
        record.fill_answers({number: (PRESENT if number != 7 else ABSENT, None) for number in range(1, 8)})
        db.session.add(record)
        db.session.commit()
        return record.id
