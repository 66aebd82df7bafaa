"""Coordinators (Guizhou rules): appointment and dismissal, the linked login, training records and yearly
assessments on the coordinator's page, and the training-participation indicator."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Coordinator, CoordinatorAssessment, CoordinatorTraining, OrgUnit, PortalUser, db
from app.models.programme.coordinator import coordinator_training
from tests.programme_data import build_programme_records, field_errors


@pytest.fixture(scope="module")
def sample(app, city):
    return build_programme_records(app, city)


def form(city, **overrides):
    data = {"name": "王协管", "org_unit": str(city.unit["a1"]), "phone": "021-58881234",
            "appointed_on": "2025-02-01", "term_ends_on": "2028-01-31", "status": "serving",
            "background": "village_doctor", "education": "college"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def coordinator_named(app, name):
    with app.app_context():
        return db.session.scalar(select(Coordinator).where(Coordinator.name == name))


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(PortalUser.id).where(PortalUser.username == username))


def test_clerk_appoints_a_coordinator_in_their_township(app, city, login):
    response = login("clerka1").post("/coordinators/add", data=form(city, name="新聘协管员"))
    assert response.status_code == 302
    saved = coordinator_named(app, "新聘协管员")
    assert saved.org_unit_id == city.unit["a1"] and saved.status == "serving"
    assert saved.background == "village_doctor"
    html = login("clerka1").get(f"/coordinators/show/{saved.id}").data.decode()
    assert "村医" in html and "在聘" in html  # codes are stored, the document's words are shown


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"phone": "电话123"}, "phone"),
    ({"appointed_on": (date.today() + timedelta(days=3)).isoformat()}, "appointed_on"),
    ({"term_ends_on": "2024-12-31"}, "term_ends_on"),
    ({"status": "dismissed"}, "dismissed_on"),
    ({"status": "dismissed", "dismissed_on": "2025-06-01"}, "dismissal_reason"),
    ({"status": "dismissed", "dismissed_on": "2024-06-01", "dismissal_reason": "health"}, "dismissed_on"),
    ({"dismissed_on": "2025-06-01"}, "status"),
    ({"status": ""}, "status"),
    ({"org_unit": None}, "org_unit"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    name = overrides.get("name", f"坏数据{field}")
    response = login("clerka1").post("/coordinators/add", data=form(city, **{"name": name, **overrides}))
    assert response.status_code == 200
    assert field in field_errors(response.data), field_errors(response.data)
    assert coordinator_named(app, name) is None


def test_a_dismissal_needs_a_guizhou_ground(app, city, login):
    client = login("clerka1")
    response = client.post("/coordinators/add", data=form(
        city, name="已解聘协管员", status="dismissed", dismissed_on="2025-09-30", dismissal_reason="retirement"))
    assert response.status_code == 302
    api = client.post("/api/v1/coordinator/", json={
        "name": "接口协管员", "org_unit": city.unit["a1"], "appointed_on": "2025-01-01", "status": "dismissed",
        "dismissed_on": "2025-03-01", "dismissal_reason": "laziness"})
    assert api.status_code == 422 and "dismissal_reason" in api.json["message"]
    assert coordinator_named(app, "接口协管员") is None
    assert "符合退休条件" in client.get(f"/coordinators/show/{coordinator_named(app, '已解聘协管员').id}").data.decode()


def test_a_coordinator_links_to_one_login_of_their_township(app, city, login):
    client = login("districta")
    clerk = user_id(app, "clerka1")
    linked = client.post("/coordinators/add", data=form(city, name="有账号协管员", user=str(clerk)))
    assert linked.status_code == 302
    assert coordinator_named(app, "有账号协管员").user_id == clerk
    twice = client.post("/coordinators/add", data=form(city, name="重复账号协管员", user=str(clerk)))
    assert "user" in field_errors(twice.data)
    district_user = client.post("/coordinators/add", data=form(city, name="区级账号协管员",
                                                               user=str(user_id(app, "districta"))))
    assert "user" in field_errors(district_user.data)
    assert coordinator_named(app, "重复账号协管员") is None and coordinator_named(app, "区级账号协管员") is None


def test_training_records_are_added_on_the_coordinators_page(app, sample, login):
    client = login("clerka1")
    coordinator = sample.records["coordinator"]["a1"]
    page = client.get(f"/coordinators/show/{coordinator}").data.decode()
    assert "/coordinatortrainings/add?_flt_0_coordinator=" in page  # the related list's add button
    response = client.post(f"/coordinatortrainings/add?_flt_0_coordinator={coordinator}", data={
        "kind": "in_service", "course": "职业健康巡查业务培训（第二期）", "organiser": "区卫生健康委",
        "held_on": "2025-10-20", "attended": "y", "passed": "y"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(CoordinatorTraining).where(
            CoordinatorTraining.course == "职业健康巡查业务培训（第二期）"))
        assert saved.coordinator_id == coordinator and saved.passed
    assert "职业健康巡查业务培训（第二期）" in client.get(f"/coordinators/show/{coordinator}").data.decode()


@pytest.mark.parametrize("overrides, field", [
    ({"attended": None}, "passed"),
    ({"held_on": (date.today() + timedelta(days=1)).isoformat()}, "held_on"),
    ({"course": ""}, "course"),
])
def test_training_rules(app, sample, login, overrides, field):
    data = {"coordinator": str(sample.records["coordinator"]["a1"]), "kind": "in_service", "course": "规则培训",
            "held_on": "2025-05-05", "attended": "y", "passed": "y", **overrides}
    response = login("clerka1").post("/coordinatortrainings/add",
                                     data={k: v for k, v in data.items() if v is not None})
    assert field in field_errors(response.data)
    with app.app_context():
        assert db.session.scalar(select(CoordinatorTraining).where(
            CoordinatorTraining.held_on == date(2025, 5, 5))) is None


def test_a_clerk_cannot_add_a_training_to_another_townships_coordinator(app, sample, login):
    other = sample.records["coordinator"]["b1"]
    response = login("clerka1").post(f"/coordinatortrainings/add?_flt_0_coordinator={other}", data={
        "coordinator": str(other), "kind": "in_service", "course": "越界培训", "held_on": "2025-05-06",
        "attended": "y"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(CoordinatorTraining).where(
            CoordinatorTraining.course == "越界培训")) is None


def test_one_assessment_per_coordinator_and_year(app, sample, login):
    client = login("districta")
    coordinator = str(sample.records["coordinator"]["a1"])
    same_year = client.post("/coordinatorassessments/add", data={"coordinator": coordinator, "year": "2024",
                                                                 "result": "excellent"})
    assert "year" in field_errors(same_year.data)
    before_appointment = client.post("/coordinatorassessments/add", data={
        "coordinator": coordinator, "year": "2023", "result": "competent"})
    assert "year" in field_errors(before_appointment.data)
    commended_failure = client.post("/coordinatorassessments/add", data={
        "coordinator": coordinator, "year": "2025", "result": "failed", "commendation": "diligent"})
    assert "commendation" in field_errors(commended_failure.data)
    good = client.post("/coordinatorassessments/add", data={
        "coordinator": coordinator, "year": "2025", "result": "excellent", "commendation": "emergency"})
    assert good.status_code == 302
    with app.app_context():
        years = db.session.scalars(select(CoordinatorAssessment.year).where(
            CoordinatorAssessment.coordinator_id == int(coordinator))).all()
    assert sorted(years) == [2024, 2025]


def test_training_participation_is_one_query_over_coordinators_serving_that_year(app, city):
    with app.app_context():
        township = db.session.get(OrgUnit, city.unit["a2"])
        made = {
            "passed": Coordinator(name="参训合格", appointed_on=date(2020, 1, 1)),
            "attended": Coordinator(name="参训未合格", appointed_on=date(2020, 1, 1)),
            "absent": Coordinator(name="未参训", appointed_on=date(2020, 1, 1)),
            "other_year": Coordinator(name="往年参训", appointed_on=date(2020, 1, 1)),
            "gone": Coordinator(name="已解聘", appointed_on=date(2019, 1, 1), status="dismissed",
                                dismissed_on=date(2021, 6, 30), dismissal_reason="transferred"),
            "later": Coordinator(name="次年聘任", appointed_on=date(2023, 2, 1)),
        }
        for coordinator in made.values():
            coordinator.org_unit = township
        def training(day, attended, passed=False):
            return CoordinatorTraining(course="巡查业务培训", held_on=day, attended=attended, passed=passed)

        made["passed"].trainings = [training(date(2022, 3, 1), True, True)]
        made["attended"].trainings = [training(date(2022, 3, 1), True), training(date(2022, 9, 1), False)]
        made["absent"].trainings = [training(date(2022, 3, 1), False)]
        made["other_year"].trainings = [training(date(2021, 3, 1), True, True)]
        db.session.add_all(made.values())
        db.session.commit()
        rows = {row.coordinator_id: (row.attended, row.passed)
                for row in coordinator_training(2022, township.path)}
        assert rows == {made["passed"].id: (True, True), made["attended"].id: (True, False),
                        made["absent"].id: (False, False), made["other_year"].id: (False, False)}
