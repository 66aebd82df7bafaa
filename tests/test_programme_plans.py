"""Service plans: per township and year, employers to screen and patrol in each half-year; progress is the
number of distinct employers actually screened or patrolled (submitted or accepted) in that half-year.

The visits are real screening and patrol rows in every workflow state; they are written straight into
their tables because the workflow would not let a test back-date a submission."""
from datetime import date

import pytest
from sqlalchemy import event, select

from app.models import ChecklistTemplate, OrgUnit, Patrol, ProductionStatus, Screening, ServicePlan, db
from app.models.programme.plan import Progress, plan_progress
from tests.programme_data import build_programme_records, field_errors


@pytest.fixture(scope="module")
def visits(app, city):
    """Township a2 in 2024: screenings and patrols in every state, on both sides of 30 June and 1 July,
    plus rows of another year and another township that must not count."""
    e = city.employer
    a2, b2 = city.unit["a2"], city.unit["b2"]
    rows = {
        "screening": [
            (e["a2_1"], a2, date(2024, 2, 10), "submitted"),
            (e["a2_1"], a2, date(2024, 3, 1), "accepted"),   # the same employer twice: counted once
            (e["a2_2"], a2, date(2024, 5, 1), "draft"),      # not yet done
            (e["a2_3"], a2, date(2024, 6, 30), "returned"),  # returned by the district: not done
            (e["a2_2"], a2, date(2024, 7, 1), "submitted"),  # second half
            (e["a2_3"], a2, date(2023, 3, 1), "accepted"),   # another year
            (e["b2_1"], b2, date(2024, 3, 1), "accepted"),   # another township
        ],
        "patrol": [
            (e["a2_1"], a2, date(2024, 1, 5), "accepted"),
            (e["a2_2"], a2, date(2024, 4, 5), "submitted"),
            (e["a2_3"], a2, date(2024, 6, 30), "accepted"),
            (e["a2_1"], a2, date(2024, 12, 31), "submitted"),
            (e["b2_1"], b2, date(2024, 8, 1), "accepted"),
        ],
    }
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        status = db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == "1"))
        extra = {"screening": {}, "patrol": {"template_id": template, "production_status_id": status}}
        for model in (Screening, Patrol):
            name = model.__tablename__
            db.session.execute(model.__table__.insert(), [
                {"employer_id": emp, "org_unit_id": unit, "visit_date": day, "state": state, **extra[name]}
                for emp, unit, day, state in rows[name]])
        plans = {key: ServicePlan(org_unit=db.session.get(OrgUnit, city.unit[key]), year=2024, screen_h1=4,
                                  screen_h2=2, patrol_h1=3, patrol_h2=3) for key in ("a2", "b2")}
        db.session.add_all(plans.values())
        db.session.commit()
        return {key: plan.id for key, plan in plans.items()}


def test_progress_counts_distinct_employers_done_per_half_year(app, visits):
    with app.app_context():
        progress = db.session.get(ServicePlan, visits["a2"]).progress()
    assert progress == {"screen_h1": Progress(1, 4), "screen_h2": Progress(1, 2),
                        "patrol_h1": Progress(3, 3), "patrol_h2": Progress(1, 3)}
    assert str(progress["screen_h1"]) == "1/4（25%）" and progress["patrol_h1"].percent == 100


def test_progress_of_many_plans_is_one_query_per_visit_table(app, visits):
    statements = []
    with app.app_context():
        plans = db.session.scalars(select(ServicePlan).where(ServicePlan.id.in_(visits.values()))).all()

        def count(conn, cursor, statement, *args):
            if "FROM screening" in statement or "FROM patrol" in statement:
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            found = plan_progress(plans)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
    assert found[visits["b2"]]["screen_h1"] == Progress(1, 4)
    assert found[visits["b2"]]["patrol_h2"] == Progress(1, 3)
    assert found[visits["a2"]]["patrol_h1"] == Progress(3, 3)


def test_the_plan_page_shows_progress_done_over_planned(visits, login):
    client = login("districta")
    html = client.get(f"/serviceplans/show/{visits['a2']}").data.decode()
    assert "1/4（25%）" in html and "3/3（100%）" in html
    listed = client.get("/serviceplans/list/?_flt_0_year=2024").data.decode()
    assert "1/2（50%）" in listed
    assert client.get(f"/serviceplans/show/{visits['b2']}").status_code == 404


@pytest.mark.parametrize("overrides, field", [
    ({"year": "1999"}, "year"),
    ({"year": str(date.today().year + 2)}, "year"),
    ({"patrol_h2": "-1"}, "patrol_h2"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    data = {"org_unit": str(city.unit["a1"]), "year": "2022", "screen_h1": "3", "screen_h2": "3",
            "patrol_h1": "10", "patrol_h2": "10", "notes": "坏计划", **overrides}
    response = login("clerka1").post("/serviceplans/add", data=data)
    assert field in field_errors(response.data)
    with app.app_context():
        assert db.session.scalar(select(ServicePlan).where(ServicePlan.notes == "坏计划")) is None


def test_one_plan_per_township_and_year(app, city, login):
    build_programme_records(app, city)  # a1 has its sample plan for 2023
    client = login("clerka1")
    data = {"org_unit": str(city.unit["a1"]), "year": "2023", "screen_h1": "1", "screen_h2": "1",
            "patrol_h1": "1", "patrol_h2": "1"}
    assert "year" in field_errors(client.post("/serviceplans/add", data=data).data)
    assert client.post("/serviceplans/add", data={**data, "year": "2021"}).status_code == 302
