"""Safe concurrent editing (issue 7): two users open the same record; the first save wins, the second is
refused with the latest values shown — on the edit form and through the REST API — and nothing is
silently overwritten. The workflow steps move the version too."""
import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.core import UnboundField

from app.models import Employer, Screening, db, workflow
from app.models.versioned import Versioned
from app.views.base import ScopedApi, ScopedModelView
from app.views.employer import EmployerApi, EmployerView
from tests.conftest import PASSWORD
from tests.fieldwork import add_screening, screening_form
from tests.versions import loaded_version, put_record

STALE = "该记录已被其他用户修改，请核对最新内容后重新保存"
NO_VERSION = "本次保存未注明所依据的记录版本，请重新读取该记录后再保存"


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    return client


def employer_form(app, employer_id, **overrides):
    """The employer's stored values as its edit form would post them, with ``overrides``."""
    with app.app_context():
        employer = db.session.get(Employer, employer_id)
        data = {"name": employer.name, "org_unit": str(employer.org_unit_id),
                "credit_code_pending": "y",
                "total_workers": "30", "female_workers": "10", "outsourced_workers": "0",
                "registered_on": "2026-03-01"}
    data.update(overrides)
    return data


def stored_employer(app, employer_id):
    with app.app_context():
        employer = db.session.get(Employer, employer_id)
        db.session.refresh(employer)
        return employer.name, employer.version


@pytest.fixture
def employer_id(app, city):
    """A fresh employer of township a1, so the tests do not depend on each other's edits."""
    with app.app_context():
        original = db.session.get(Employer, city.employer["a1_1"])
        employer = Employer(name=f"并发测试企业{random.Random().randint(0, 10**9)}", org_unit=original.org_unit,
                            credit_code_pending=True)
        db.session.add(employer)
        db.session.commit()
        return employer.id


def test_the_second_save_of_the_same_version_is_refused_and_shows_the_first(app, city, employer_id):
    first, second = signed_in(app, "clerka1"), signed_in(app, "districta")
    version_first = loaded_version(first.get(f"/employers/edit/{employer_id}").data)
    version_second = loaded_version(second.get(f"/employers/edit/{employer_id}").data)
    assert version_first == version_second == "1"

    saved = first.post(f"/employers/edit/{employer_id}",
                       data=employer_form(app, employer_id, name="第一位的名称", version=version_first))
    assert saved.status_code == 302
    assert stored_employer(app, employer_id) == ("第一位的名称", 2)

    refused = second.post(f"/employers/edit/{employer_id}",
                          data=employer_form(app, employer_id, name="第二位的名称", version=version_second))
    assert refused.status_code == 200
    page = refused.data.decode()
    assert STALE in page
    assert "第一位的名称" in page and "第二位的名称" not in page  # the latest stored values, not the stale ones
    assert loaded_version(refused.data) == "2"  # reviewed, it can be saved against the new version
    assert stored_employer(app, employer_id) == ("第一位的名称", 2)

    resaved = second.post(f"/employers/edit/{employer_id}",
                          data=employer_form(app, employer_id, name="第二位核对后的名称", version="2"))
    assert resaved.status_code == 302
    assert stored_employer(app, employer_id) == ("第二位核对后的名称", 3)


def test_a_save_of_the_current_version_goes_through(app, city, employer_id):
    client = signed_in(app, "clerka1")
    for expected_version, name in ((1, "第一次"), (2, "第二次")):
        version = loaded_version(client.get(f"/employers/edit/{employer_id}").data)
        assert version == str(expected_version)
        response = client.post(f"/employers/edit/{employer_id}",
                               data=employer_form(app, employer_id, name=name, version=version))
        assert response.status_code == 302
        assert stored_employer(app, employer_id) == (name, expected_version + 1)


def test_the_api_answers_409_with_the_latest_record_for_a_stale_version(app, city, employer_id):
    first, second = signed_in(app, "clerka1"), signed_in(app, "districta")
    loaded = second.get(f"/api/v1/employer/{employer_id}").json
    version = loaded["result"]["version"]
    assert first.put(f"/api/v1/employer/{employer_id}", json={"name": "接口第一位", "version": version}
                     ).status_code == 200
    refused = second.put(f"/api/v1/employer/{employer_id}", json={"name": "接口第二位", "version": version})
    assert refused.status_code == 409
    assert refused.json["message"] == STALE
    assert refused.json["version"] == version + 1 and refused.json["result"]["name"] == "接口第一位"
    assert stored_employer(app, employer_id) == ("接口第一位", version + 1)

    assert second.put(f"/api/v1/employer/{employer_id}", json={"name": "接口第二位", "version": version + 1}
                      ).status_code == 200
    assert stored_employer(app, employer_id) == ("接口第二位", version + 2)


@pytest.mark.parametrize("body", [{"name": "无版本号保存"}, {"name": "无版本号保存", "version": None},
                                  {"name": "无版本号保存", "version": ""}])
def test_the_api_refuses_a_save_without_a_version_with_428(app, city, employer_id, body):
    client = signed_in(app, "clerka1")
    refused = client.put(f"/api/v1/employer/{employer_id}", json=body)
    assert refused.status_code == 428 and refused.json["message"] == NO_VERSION
    assert "version" not in refused.json  # the client must load the record, not retry blindly
    assert stored_employer(app, employer_id)[1] == 1 and stored_employer(app, employer_id)[0] != "无版本号保存"
    version = client.get(f"/api/v1/employer/{employer_id}").json["result"]["version"]
    assert client.put(f"/api/v1/employer/{employer_id}", json={**body, "version": version}).status_code == 200
    assert stored_employer(app, employer_id) == ("无版本号保存", 2)


def test_an_api_save_out_of_scope_is_404_before_any_version_question(app, city):
    client = signed_in(app, "clerka1")
    other = city.employer["b1_1"]
    assert client.put(f"/api/v1/employer/{other}", json={"name": "越权"}).status_code == 404


def test_a_save_racing_another_is_stale_data_and_never_overwrites(app, city, employer_id):
    """What the hidden field cannot see — two saves of the same loaded row — SQLAlchemy's counter refuses."""
    with app.app_context():
        late = db.session.get(Employer, employer_id)
        late.name = "迟到的保存"
        with db.engine.begin() as connection:  # another user's save commits in between
            connection.execute(Employer.__table__.update().where(Employer.__table__.c.id == employer_id)
                               .values(name="先到的保存", version=Employer.__table__.c.version + 1))
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
    assert stored_employer(app, employer_id) == ("先到的保存", 2)


def test_workflow_steps_move_the_version_and_a_form_loaded_before_them_is_stale(app, city):
    record = add_screening(app, city)
    clerk, district = signed_in(app, "clerka1"), signed_in(app, "districta")
    stale = loaded_version(district.get(f"/screenings/edit/{record}").data)
    assert clerk.post(f"/screenings/action/submit/{record}").status_code == 302
    with app.app_context():
        submitted = db.session.get(Screening, record)
        assert (submitted.state, submitted.version) == ("submitted", int(stale) + 1)

    refused = district.post(f"/screenings/edit/{record}", data=screening_form(city, companion="旧表单", version=stale))
    assert refused.status_code == 200 and STALE in refused.data.decode()
    current = loaded_version(refused.data)
    assert district.post(f"/screenings/edit/{record}",
                         data=screening_form(city, companion="区级更正", version=current)).status_code == 302
    assert district.post(f"/screenings/action/accept/{record}").status_code == 302
    with app.app_context():
        accepted = db.session.scalar(select(Screening).where(Screening.id == record))
        db.session.refresh(accepted)
        assert (accepted.state, accepted.companion, accepted.version) == ("accepted", "区级更正", int(current) + 2)


def test_every_record_with_an_edit_form_carries_its_version(app):
    """Business records, the rows of their tables, org units, checklist templates and dictionaries."""
    editable = [view for view in app.appbuilder.baseviews if isinstance(view, ScopedModelView)
                and "edit" in (view.include_route_methods or {"edit"})]
    assert {view.datamodel.obj.__name__ for view in editable} >= {
        "Employer", "Screening", "Patrol", "HazardReport", "HealthArchive", "Patient", "Coordinator",
        "DeclarationCandidate", "PreventionInstitution", "ServicePlan", "SmeAssistance", "TrainingActivity",
        "WorkSummary", "ScoreAdjustment", "ExposureDetection", "FollowUpVisit", "CoordinatorTraining",
        "InstitutionProblem", "OrgUnit", "ChecklistTemplate", "ChecklistItem", "Industry", "Disease"}
    for view in editable:
        assert issubclass(view.datamodel.obj, Versioned), view
        assert view.datamodel.obj.__mapper__.version_id_col is not None
        assert isinstance(getattr(view.edit_form, "version", None), UnboundField), view
    for view in app.appbuilder.baseviews:
        if isinstance(view, ScopedApi) and issubclass(view.datamodel.obj, Versioned):
            assert "version" in view.show_columns, view


def test_an_edit_form_without_its_version_is_refused_and_then_shows_the_version_to_save_against(
        app, city, employer_id):
    client = signed_in(app, "clerka1")
    before = stored_employer(app, employer_id)
    for posted in ({}, {"version": ""}):  # a form from before versions existed, a script
        refused = client.post(f"/employers/edit/{employer_id}",
                              data=employer_form(app, employer_id, name="无版本号的保存", **posted))
        assert refused.status_code == 200 and NO_VERSION in refused.data.decode()
        assert stored_employer(app, employer_id) == before
    assert loaded_version(refused.data) == "1"
    saved = client.post(f"/employers/edit/{employer_id}",
                        data=employer_form(app, employer_id, name="无版本号的保存", version="1"))
    assert saved.status_code == 302 and stored_employer(app, employer_id) == ("无版本号的保存", 2)


def test_an_add_form_needs_no_version(app, city, employer_id):
    name = f"新登记企业{random.Random().randint(0, 10**9)}"
    added = signed_in(app, "clerka1").post("/employers/add", data=employer_form(app, employer_id, name=name))
    assert added.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Employer.version).where(Employer.name == name)) == 1


def another_save_in_the_same_instant(model, record_id, **values) -> None:
    """Another user's UPDATE that gets in after this save's version check and before its flush (in the
    same session: this save's failure rolls it back too, or commits it where the step commits anyway)."""
    table = model.__table__
    with db.session.no_autoflush:
        db.session.execute(table.update().where(table.c.id == record_id)
                           .values(**values, version=table.c.version + 1))


def test_a_form_save_that_loses_the_race_in_the_same_instant_is_told_so_and_writes_nothing(
        app, city, employer_id, monkeypatch):
    monkeypatch.setattr(EmployerView, "pre_update", lambda view, item: another_save_in_the_same_instant(
        Employer, item.id, name="同一瞬间的另一次保存"))
    client = signed_in(app, "clerka1")
    before = stored_employer(app, employer_id)
    version = loaded_version(client.get(f"/employers/edit/{employer_id}").data)
    lost = client.post(f"/employers/edit/{employer_id}",
                       data=employer_form(app, employer_id, name="输掉竞争的保存", version=version))
    assert lost.status_code == 302
    page = client.get(lost.headers["Location"]).data.decode()
    assert STALE in page and "Database Error" not in page and "数据库错误" not in page
    assert stored_employer(app, employer_id) == before


def test_an_api_save_that_loses_the_race_in_the_same_instant_answers_409(app, city, employer_id, monkeypatch):
    monkeypatch.setattr(EmployerApi, "pre_update", lambda api, item: another_save_in_the_same_instant(
        Employer, item.id, name="同一瞬间的另一次保存"))
    client = signed_in(app, "clerka1")
    before = stored_employer(app, employer_id)
    lost = put_record(client, f"/api/v1/employer/{employer_id}", {"name": "输掉竞争的接口保存"})
    assert lost.status_code == 409 and lost.json["message"] == STALE
    assert stored_employer(app, employer_id) == before


@pytest.mark.parametrize("step", ["submit", "accept"])
def test_a_workflow_step_that_loses_the_race_in_the_same_instant_is_refused(app, city, monkeypatch, step):
    record = add_screening(app, city)
    if step == "accept":
        assert signed_in(app, "clerka1").post(f"/screenings/action/submit/{record}").status_code == 302
    with app.app_context():
        version = db.session.get(Screening, record).version
    real_now = workflow._now

    def another_correction_first():
        another_save_in_the_same_instant(Screening, record, companion="同一瞬间的更正")
        return real_now()

    monkeypatch.setattr(workflow, "_now", another_correction_first)
    user = "clerka1" if step == "submit" else "districta"
    response = signed_in(app, user).post(f"/screenings/action/{step}/{record}", follow_redirects=True)
    assert STALE in response.data.decode()
    with app.app_context():
        screening = db.session.get(Screening, record)
        assert (screening.state, screening.companion, screening.version) == (
            "draft" if step == "submit" else "submitted", "同一瞬间的更正", version + 1)
