"""Programme records are bounded like every record: a clerk sees and changes their township's rows only,
a district admin their district's, and another unit's row is 404 on every path and absent from pickers.
Prevention institutions belong to districts: clerks have no access to them at all."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import (Coordinator, CoordinatorAssessment, CoordinatorTraining, DeclarationCandidate,
                        Employer, InstitutionProblem, InstitutionQualityControl, OrgUnit,
                        PreventionInstitution, ServicePlan, SmeAssistance, TrainingActivity, WorkSummary, db)
from tests.programme_data import build_programme_records
from tests.test_scoping import listed_ids, picker_values

Entity = SimpleNamespace
TOWNSHIP_ENTITIES = [
    Entity(kind="coordinator", route="/coordinators", view="CoordinatorView", api="coordinator",
           model=Coordinator),
    Entity(kind="training", route="/coordinatortrainings", view="CoordinatorTrainingView", api=None,
           model=CoordinatorTraining),
    Entity(kind="assessment", route="/coordinatorassessments", view="CoordinatorAssessmentView", api=None,
           model=CoordinatorAssessment),
    Entity(kind="activity", route="/trainingactivities", view="TrainingActivityView", api="trainingactivity",
           model=TrainingActivity),
    Entity(kind="plan", route="/serviceplans", view="ServicePlanView", api="serviceplan", model=ServicePlan),
    Entity(kind="candidate", route="/declarationcandidates", view="DeclarationCandidateView",
           api="declarationcandidate", model=DeclarationCandidate),
    Entity(kind="assistance", route="/smeassistance", view="SmeAssistanceView", api="smeassistance",
           model=SmeAssistance),
    Entity(kind="summary", route="/worksummaries", view="WorkSummaryView", api="worksummary",
           model=WorkSummary),
]
DISTRICT_ENTITIES = [
    Entity(kind="institution", route="/institutions", view="PreventionInstitutionView", api="institution",
           model=PreventionInstitution),
    Entity(kind="quality_control", route="/institutionqualitycontrols", view="InstitutionQualityControlView",
           api=None, model=InstitutionQualityControl),
    Entity(kind="problem", route="/institutionproblems", view="InstitutionProblemView", api=None,
           model=InstitutionProblem),
]
by_kind = pytest.mark.parametrize("entity", TOWNSHIP_ENTITIES, ids=lambda e: e.kind)
by_district_kind = pytest.mark.parametrize("entity", DISTRICT_ENTITIES, ids=lambda e: e.kind)


@pytest.fixture(scope="module")
def sample(app, city):
    return build_programme_records(app, city)


def ids_under(app, city, entity, unit_key) -> set[int]:
    """The entity's rows under a unit, read from the database through the model's own scope rule."""
    with app.app_context():
        path = db.session.get(OrgUnit, city.unit[unit_key]).path
        condition = entity.model.scope_clause(path)  # None: every row is under the unit
        query = select(entity.model.id)
        return set(db.session.scalars(query if condition is None else query.where(condition)))


def listed(client, entity) -> set[int]:
    response = client.get(f"{entity.route}/list/?psize_{entity.view}=100")
    assert response.status_code == 200
    return listed_ids(response.data, entity.route)


def assert_404_everywhere(app, client, entity, record_id):
    assert client.get(f"{entity.route}/show/{record_id}").status_code == 404
    assert client.get(f"{entity.route}/edit/{record_id}").status_code == 404
    assert client.post(f"{entity.route}/edit/{record_id}", data={"notes": "越界"}).status_code == 404
    assert client.post(f"{entity.route}/delete/{record_id}").status_code == 404
    client.post(f"{entity.route}/action_post", data={"action": "muldelete", "rowid": [str(record_id)]})
    if entity.api:
        assert client.get(f"/api/v1/{entity.api}/{record_id}").status_code == 404
        assert client.put(f"/api/v1/{entity.api}/{record_id}", json={"notes": "越界"}).status_code == 404
        assert client.delete(f"/api/v1/{entity.api}/{record_id}").status_code == 404
    with app.app_context():
        assert db.session.get(entity.model, record_id) is not None


@by_kind
def test_clerk_lists_exactly_their_townships_rows(app, city, sample, login, entity):
    shown = listed(login("clerka1"), entity)
    assert sample.records[entity.kind]["a1"] in shown
    assert shown == ids_under(app, city, entity, "a1")


@by_kind
def test_another_townships_row_is_404_on_every_path(app, sample, login, entity):
    assert_404_everywhere(app, login("clerka1"), entity, sample.records[entity.kind]["b1"])


@by_kind
def test_district_admin_sees_the_district_and_not_the_other(app, city, sample, login, entity):
    client = login("districta")
    assert listed(client, entity) == ids_under(app, city, entity, "a")
    assert_404_everywhere(app, client, entity, sample.records[entity.kind]["b1"])


@by_kind
def test_leader_reads_but_cannot_write(sample, login, entity):
    client = login("leader")
    record_id = sample.records[entity.kind]["b1"]
    assert client.get(f"{entity.route}/show/{record_id}").status_code == 200
    assert client.get(f"{entity.route}/add").status_code == 403
    assert client.post(f"{entity.route}/delete/{record_id}").status_code == 403


@by_kind
def test_city_admin_sees_every_township(app, city, sample, login, entity):
    assert listed(login("cityadmin"), entity) == ids_under(app, city, entity, "city")


@by_district_kind
def test_institutions_belong_to_districts(app, city, sample, login, entity):
    client = login("districta")
    assert listed(client, entity) == ids_under(app, city, entity, "a")
    assert sample.records[entity.kind]["a"] in listed(client, entity)
    assert_404_everywhere(app, client, entity, sample.records[entity.kind]["b"])
    assert listed(login("cityadmin"), entity) == ids_under(app, city, entity, "city")


@by_district_kind
def test_clerks_have_no_access_to_institutions(sample, login, entity):
    client = login("clerka1")
    assert client.get(f"{entity.route}/list/").status_code == 403
    assert client.get(f"{entity.route}/show/{sample.records[entity.kind]['a']}").status_code == 403
    assert client.get("/api/v1/institution/").status_code in (401, 403)


def test_pickers_offer_only_rows_in_scope(app, city, sample, login):
    client = login("clerka1")
    with app.app_context():
        a1_employers = {str(i) for i in db.session.scalars(
            select(Employer.id).where(Employer.org_unit_id == city.unit["a1"]))}
    for route in ("/coordinators", "/trainingactivities", "/serviceplans", "/declarationcandidates",
                  "/worksummaries"):
        assert picker_values(client, f"{route}/add", "org_unit") == {str(city.unit["a1"])}, route
    assert picker_values(client, "/trainingactivities/add", "employers") == a1_employers
    assert picker_values(client, "/smeassistance/add", "employer") == a1_employers
    assert picker_values(client, "/declarationcandidates/add", "employer") == a1_employers
    coordinators = picker_values(client, "/coordinatortrainings/add", "coordinator")
    assert str(sample.records["coordinator"]["a1"]) in coordinators
    assert str(sample.records["coordinator"]["b1"]) not in coordinators
    client = login("districta")
    assert picker_values(client, "/institutions/add", "org_unit") == {str(city.unit["a"])}
    assert picker_values(client, "/institutions/add", "served_township") == {
        str(city.unit["a1"]), str(city.unit["a2"])}
    institutions = picker_values(client, "/institutionqualitycontrols/add", "institution")
    assert str(sample.records["institution"]["a"]) in institutions
    assert str(sample.records["institution"]["b"]) not in institutions


def test_api_lists_only_rows_in_scope(app, city, sample, login):
    client = login("clerka1")
    for entity in TOWNSHIP_ENTITIES:
        if entity.api:
            result = client.get(f"/api/v1/{entity.api}/?q=(page_size:100)").json["result"]
            assert {row["id"] for row in result} == ids_under(app, city, entity, "a1"), entity.kind
