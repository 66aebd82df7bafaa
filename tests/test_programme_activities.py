"""Training and promotion activities: what the township did, and which of its employers it reached —
never an employer outside the user's jurisdiction or the activity's township, on any write path."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import TrainingActivity, db
from tests.programme_data import build_programme_records, field_errors
from tests.versions import put_record


@pytest.fixture(scope="module")
def sample(app, city):
    return build_programme_records(app, city)


def form(city, **overrides):
    data = {"org_unit": str(city.unit["a1"]), "held_on": "2025-11-05", "kind": "gave_training",
            "topic": "劳动者职业健康权利与义务培训", "audience_count": "35",
            "employers": [str(city.employer["a1_1"]), str(city.employer["a1_2"])]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def activity_with_topic(app, topic):
    with app.app_context():
        activity = db.session.scalar(select(TrainingActivity).where(TrainingActivity.topic == topic))
        return (activity, {e.id for e in activity.employers}) if activity is not None else (None, set())


def test_clerk_records_a_training_given_to_their_employers(app, city, login):
    client = login("clerka1")
    assert client.post("/trainingactivities/add", data=form(city, topic="防尘口罩佩戴培训")).status_code == 302
    activity, employers = activity_with_topic(app, "防尘口罩佩戴培训")
    assert activity.org_unit_id == city.unit["a1"] and activity.audience_count == 35
    assert employers == {city.employer["a1_1"], city.employer["a1_2"]}


@pytest.mark.parametrize("overrides, field", [
    ({"held_on": (date.today() + timedelta(days=2)).isoformat()}, "held_on"),
    ({"audience_count": "-3"}, "audience_count"),
    ({"kind": ""}, "kind"),
    ({"topic": ""}, "topic"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    response = login("clerka1").post("/trainingactivities/add", data=form(city, notes="坏数据", **overrides))
    assert field in field_errors(response.data), field_errors(response.data)
    with app.app_context():
        assert db.session.scalar(select(TrainingActivity).where(TrainingActivity.notes == "坏数据")) is None


def test_an_employer_outside_the_clerks_township_is_refused_in_the_form_and_the_api(app, city, login):
    client = login("clerka1")
    outside = str(city.employer["b1_1"])
    # The form's picker searches only in-scope employers; an id posted from outside it is refused by name.
    response = client.post("/trainingactivities/add", data=form(city, topic="越界表单", employers=[outside]))
    assert field_errors(response.data)["employers"] == "所选记录不存在或不在您的辖区内"
    assert activity_with_topic(app, "越界表单")[0] is None
    api = client.post("/api/v1/trainingactivity/", json={
        "org_unit": city.unit["a1"], "held_on": "2025-11-06", "kind": "promotion", "topic": "越界接口",
        "audience_count": 10, "employers": [city.employer["a1_1"], city.employer["b1_1"]]})
    assert api.status_code == 422 and "employers" in api.json["message"]
    assert "徐汇区" not in str(api.json)  # the refusal names no employer it may not see
    assert activity_with_topic(app, "越界接口")[0] is None


def test_the_api_cannot_add_an_outside_employer_to_an_existing_activity(app, city, sample, login):
    mine = sample.records["activity"]["a1"]
    response = put_record(login("clerka1"), f"/api/v1/trainingactivity/{mine}", {
        "employers": [city.employer["b2_1"]]})
    assert response.status_code == 422
    with app.app_context():
        activity = db.session.get(TrainingActivity, mine)
        assert city.employer["b2_1"] not in {e.id for e in activity.employers}


def test_a_district_admin_cannot_mix_townships_in_one_activity(app, city, login):
    response = login("districta").post("/trainingactivities/add", data=form(
        city, topic="跨乡镇培训", employers=[str(city.employer["a1_1"]), str(city.employer["a2_1"])]))
    assert "employers" in field_errors(response.data)
    assert activity_with_topic(app, "跨乡镇培训")[0] is None


def test_an_attended_meeting_is_recorded_without_employers(app, city, login):
    response = login("clerka1").post("/trainingactivities/add", data=form(
        city, kind="attended_meeting", topic="区疾控中心职业健康工作会议", organiser="区疾控中心",
        audience_count="1", employers=None))
    assert response.status_code == 302
    activity, employers = activity_with_topic(app, "区疾控中心职业健康工作会议")
    assert activity.kind == "attended_meeting" and employers == set()
