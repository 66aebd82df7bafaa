"""The demo city's field work: a year and more of screenings, patrols and hazard reports in every workflow
state, for the reports to show — and every record keeps the model's rules."""
from datetime import date

import pytest
from sqlalchemy import and_, func, select

from app import create_app
from app.cli import prepare_database
from app.models import Employer, HazardReport, OrgUnit, Patrol, PortalUser, Screening, db
from config import TestConfig


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('demo_fieldwork') / 'demo.db'}"

    app = create_app(Config)
    with app.app_context():
        prepare_database(with_demo=True)
    return app


def test_most_employers_first_registered_in_the_period_are_screened(demo_app):
    start = date(date.today().year - 1, 1, 1)
    with demo_app.app_context():
        new = db.session.scalar(select(func.count(Employer.id)).where(Employer.registered_on >= start))
        screened = db.session.scalar(select(func.count(func.distinct(Screening.employer_id))).join(Employer).where(
            Employer.registered_on >= start, Screening.visit_date >= start))
        assert 0.8 * new <= screened < new


def test_declared_employers_are_patrolled_each_half_year_but_not_all(demo_app):
    today = date.today()
    with demo_app.app_context():
        declared = db.session.scalar(select(func.count(Employer.id)).where(
            Employer.has_hazard.is_(True), Employer.hazard_declared.is_(True)))
        for year in (today.year - 1, today.year):
            for first, last in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))):
                if first > today:
                    continue
                patrolled = db.session.scalar(select(func.count(func.distinct(Patrol.employer_id))).where(
                    Patrol.visit_date.between(first, last)))
                assert 0.6 * declared < patrolled < declared, (first, patrolled, declared)


def test_records_are_in_every_state_some_late(demo_app):
    with demo_app.app_context():
        for model in (Screening, Patrol):
            states = dict(db.session.execute(select(model.state, func.count()).group_by(model.state)).all())
            assert set(states) == {"draft", "submitted", "accepted", "returned"}
            assert states["accepted"] > sum(states.values()) / 2
            reported = states["submitted"] + states["accepted"]
            on_time = db.session.scalar(select(func.count()).select_from(model).where(model.on_time))
            assert 0.7 * reported < on_time < reported


def test_hazard_reports_are_mostly_reported_in_time(demo_app):
    with demo_app.app_context():
        found = db.session.scalar(select(func.count(HazardReport.id)))
        reported = db.session.scalar(select(func.count()).where(HazardReport.reported_at.is_not(None)))
        in_time = db.session.scalar(select(func.count()).where(HazardReport.reported_in_time))
        from_patrols = db.session.scalar(select(func.count()).where(HazardReport.patrol_id.is_not(None)))
        assert found >= 100 and 0 < from_patrols < found
        assert 0.6 * found < in_time < reported < found


def test_the_demo_clerk_and_district_admin_are_on_their_records(demo_app):
    with demo_app.app_context():
        clerk = db.session.scalar(select(PortalUser).where(PortalUser.username == "clerk"))
        district = db.session.scalar(select(PortalUser).where(PortalUser.username == "district"))
        in_township = and_(Patrol.org_unit_id == clerk.org_unit_id)
        assert db.session.scalar(select(func.count()).where(in_township, Patrol.coordinator_id == clerk.id)) == \
            db.session.scalar(select(func.count()).where(in_township)) > 0
        assert db.session.scalar(select(func.count()).where(Patrol.coordinator_id.is_not(None),
                                                            Patrol.org_unit_id != clerk.org_unit_id)) == 0
        reviewed_elsewhere = select(func.count()).where(
            Patrol.reviewed_by_id == district.id, Patrol.org_unit_id.not_in(
                select(OrgUnit.id).where(OrgUnit.parent_id == district.org_unit_id)))
        assert db.session.scalar(reviewed_elsewhere) == 0
        assert db.session.scalar(select(func.count()).where(Patrol.reviewed_by_id == district.id)) > 0


def test_every_demo_record_keeps_the_model_rules(demo_app):
    with demo_app.app_context():
        for model in (Screening, Patrol, HazardReport):
            broken = {record.id: record.problems() for record in db.session.scalars(select(model))
                      if record.problems()}
            assert broken == {}, (model.__name__, list(broken.items())[:3])


def test_the_demo_clerk_opens_their_patrols(demo_app):
    client = demo_app.test_client()
    client.post("/login/", data={"username": "clerk", "password": "Demo@2026!"})
    response = client.get("/patrols/list/")
    assert response.status_code == 200 and "/patrols/show/" in response.data.decode()
