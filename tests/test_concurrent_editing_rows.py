"""Safe concurrent editing beyond the business records (issue 7): the rows of a record's tables (edited on
the record's page in their own forms), org units, checklist templates and their items, and the code
dictionaries carry a version too, and a patrol's version moves when only its checklist answers change."""
from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import select

from app.models import (ArchiveProduct, ChecklistItem, ChecklistTemplate, Coordinator, CoordinatorTraining,
                        Disease, DiseaseCategory, Employer, HealthArchive, JobType, OccupationalHistory, OrgUnit,
                        Patient, Patrol, db)
from app.models.org import TOWNSHIP
from tests.fieldwork import add_patrol
from tests.test_archive import new_employer
from tests.test_concurrent_editing import NO_VERSION, STALE, signed_in
from tests.test_patient import add_patient
from tests.versions import edit_form

ADMINS, CLERK_AND_DISTRICT = ("sysadmin", "sysadmin"), ("clerka1", "districta")


def _stored(record, *parents) -> list[tuple[type, int]]:
    """Store ``record`` (made with its ``parents``): what to delete afterwards, the record first, so the
    other tests' counts over townships stay as they were."""
    db.session.add(record)
    db.session.commit()
    return [(type(made), made.id) for made in (record, *parents)]


def _job_type(app, city):
    return _stored(JobType(code=f"T{uuid4().hex[:8]}", name="测试工种"))


def _disease(app, city):
    category = db.session.scalars(select(DiseaseCategory).order_by(DiseaseCategory.id)).first()
    return _stored(Disease(category=category, code=f"D{uuid4().hex[:8]}", name="测试职业病"))


def _township(app, city):
    district = db.session.get(OrgUnit, city.unit["b"])
    taken = set(db.session.scalars(select(OrgUnit.code).where(OrgUnit.parent_id == district.id)))
    code = next(f"{district.code}{n:03d}" for n in range(999, 0, -1) if f"{district.code}{n:03d}" not in taken)
    return _stored(OrgUnit(level=TOWNSHIP, code=code, name="测试街道", parent=district))


def _template():
    return ChecklistTemplate(name=f"测试巡查表{uuid4().hex[:8]}", region_code="310000", active=False)


def _template_item(app, city):
    template = _template()
    return _stored(ChecklistItem(template=template, number=1, text="测试巡查内容"), template)


def _archive_row(app, city):
    employer = db.session.get(Employer, new_employer(app, city, "a1"))
    archive = HealthArchive(employer=employer)
    return _stored(ArchiveProduct(archive=archive, rank=1, name="测试产品"), archive, employer)


def _patient_row(app, city):
    patient = db.session.get(Patient, add_patient(signed_in(app, "clerka1"), app, city))
    return _stored(OccupationalHistory(patient=patient, employer_name="测试铸造厂"), patient)


def _programme_row(app, city):
    coordinator = Coordinator(name="测试协管员", org_unit=db.session.get(OrgUnit, city.unit["a1"]),
                              phone="13800000000", appointed_on=date(2024, 3, 1), status="serving")
    return _stored(CoordinatorTraining(coordinator=coordinator, course="测试培训", held_on=date(2025, 4, 2)),
                   coordinator)


# model, route of its edit form, a text field of the form, the two users, how to make one
CASES = {
    "dictionary": (JobType, "jobtypeview", "name", ADMINS, _job_type),
    "disease": (Disease, "diseaseview", "name", ADMINS, _disease),
    "org unit": (OrgUnit, "orgunits", "name", ADMINS, _township),
    "checklist template": (ChecklistTemplate, "checklisttemplates", "name", ADMINS,
                           lambda app, city: _stored(_template())),
    "checklist item": (ChecklistItem, "checklistitems", "text", ADMINS, _template_item),
    "archive row": (ArchiveProduct, "archiveproductview", "name", CLERK_AND_DISTRICT, _archive_row),
    "patient row": (OccupationalHistory, "occupationalhistoryview", "employer_name", CLERK_AND_DISTRICT,
                    _patient_row),
    "programme row": (CoordinatorTraining, "coordinatortrainings", "course", CLERK_AND_DISTRICT, _programme_row),
}


def stored(app, model, record_id, field):
    with app.app_context():
        record = db.session.get(model, record_id)
        return getattr(record, field), record.version


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_second_save_of_the_same_version_is_refused_and_a_save_needs_its_version(app, city, case):
    model, route, field, users, make = case
    with app.app_context():
        made = make(app, city)
    record = made[0][1]
    url = f"/{route}/edit/{record}"
    try:
        first, second = (signed_in(app, user) for user in users)
        loaded_first, loaded_second = edit_form(first, url), edit_form(second, url)
        assert loaded_first["version"] == loaded_second["version"] == ["1"]
        assert first.post(url, data={**loaded_first, field: "第一位的修改"}).status_code == 302
        assert stored(app, model, record, field) == ("第一位的修改", 2)

        refused = second.post(url, data={**loaded_second, field: "第二位的修改"})
        assert refused.status_code == 200 and STALE in refused.data.decode()
        assert "第一位的修改" in refused.data.decode()  # the stored values, to check before saving again
        assert stored(app, model, record, field) == ("第一位的修改", 2)
        assert second.post(url, data={**edit_form(second, url), field: "第二位的修改"}).status_code == 302
        assert stored(app, model, record, field) == ("第二位的修改", 3)

        unversioned = {name: value for name, value in edit_form(first, url).items() if name != "version"}
        refused = first.post(url, data={**unversioned, field: "无版本号的修改"})
        assert refused.status_code == 200 and NO_VERSION in refused.data.decode()
        assert stored(app, model, record, field) == ("第二位的修改", 3)
    finally:
        with app.app_context():
            for made_model, made_id in made:
                db.session.delete(db.session.get(made_model, made_id))
                db.session.commit()


def patrol_answers(app, record) -> tuple[list[str], int]:
    with app.app_context():
        patrol = db.session.get(Patrol, record)
        return [answer.answer for answer in patrol.answers], patrol.version


def test_changing_only_a_patrols_answers_moves_its_version_so_a_stale_save_is_refused(app, city):
    record = add_patrol(app, city)
    url = f"/patrols/edit/{record}"
    first, second = signed_in(app, "clerka1"), signed_in(app, "districta")
    loaded_second = edit_form(second, url)
    assert first.post(url, data=edit_form(first, url)).status_code == 302
    assert patrol_answers(app, record) == (["yes"] * 6 + ["no"], 1)  # nothing changed: no new version

    assert first.post(url, data={**edit_form(first, url), "answers-answer-1": "no"}).status_code == 302
    assert patrol_answers(app, record) == (["no"] + ["yes"] * 5 + ["no"], 2)

    refused = second.post(url, data={**loaded_second, "answers-answer-2": "no"})
    assert refused.status_code == 200 and STALE in refused.data.decode()
    assert patrol_answers(app, record) == (["no"] + ["yes"] * 5 + ["no"], 2)
