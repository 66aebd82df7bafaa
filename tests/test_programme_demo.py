"""The demo city's programme work: every township and district has realistic rows of each kind."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app import create_app
from app.cli import prepare_database
from app.enterprise_size import LARGE
from app.models import (DISTRICT, TOWNSHIP, Coordinator, CoordinatorTraining, DeclarationCandidate, Employer,
                        EnterpriseSize, OrgUnit, PortalUser, PreventionInstitution, ServicePlan, SmeAssistance,
                        TrainingActivity, WorkSummary, db)
from config import TestConfig


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('programme-demo') / 'demo.db'}"

    app = create_app(Config)
    with app.app_context():
        prepare_database(with_demo=True)
    return app


def units_without(model, level):
    unit_ids = select(OrgUnit.id).where(OrgUnit.level == level)
    covered = select(model.org_unit_id).distinct()
    return db.session.scalar(select(func.count()).where(OrgUnit.id.in_(unit_ids), OrgUnit.id.not_in(covered)))


def test_every_township_has_coordinators_plans_activities_and_summaries(demo):
    with demo.app_context():
        for model in (Coordinator, TrainingActivity, ServicePlan, WorkSummary, DeclarationCandidate):
            assert units_without(model, TOWNSHIP) == 0, model.__name__
        this_year = db.session.scalar(select(func.count()).where(ServicePlan.year == date.today().year))
        assert this_year == db.session.scalar(select(func.count()).where(OrgUnit.level == TOWNSHIP))
        assert db.session.scalar(select(func.count(CoordinatorTraining.id))) > 500
        assert db.session.scalar(select(func.count()).select_from(DeclarationCandidate).where(
            DeclarationCandidate.overdue_clause())) > 0


def test_every_district_assists_at_least_twenty_smes_a_year_and_has_institutions(demo):
    with demo.app_context():
        assert units_without(PreventionInstitution, DISTRICT) == 0
        per_district = db.session.execute(
            select(OrgUnit.parent_id, SmeAssistance.year, func.count())
            .join(OrgUnit, SmeAssistance.org_unit_id == OrgUnit.id)
            .group_by(OrgUnit.parent_id, SmeAssistance.year)).all()
        assert len(per_district) == 32 and all(count >= 20 for *_, count in per_district)
        sizes = db.session.scalars(select(EnterpriseSize.code).join(
            Employer, Employer.enterprise_size_id == EnterpriseSize.id).join(
            SmeAssistance, SmeAssistance.employer_id == Employer.id)).all()
        assert LARGE not in sizes


def test_nothing_recorded_as_done_lies_in_the_future(demo):
    today = date.today()
    with demo.app_context():
        for column in (CoordinatorTraining.held_on, TrainingActivity.held_on, WorkSummary.submitted_on,
                       DeclarationCandidate.found_on, DeclarationCandidate.verified_on):
            assert db.session.scalar(select(func.max(column))) <= today, column


def test_the_demo_clerk_is_a_coordinator_of_their_township(demo):
    with demo.app_context():
        clerk = db.session.scalar(select(PortalUser).where(PortalUser.username == "clerk"))
        coordinator = db.session.scalar(select(Coordinator).where(Coordinator.user_id == clerk.id))
        assert coordinator.org_unit_id == clerk.org_unit_id
