"""The demo city's archives and patients: archives for about half of the hazardous employers (some
incomplete, some with stale reviews), a few hundred patients with valid ID numbers, recent visits, some
lost to follow-up and some dead."""
from datetime import date, timedelta

from sqlalchemy import func, select

from app.codes import id_number_birth_date, id_number_problem, id_number_sex
from app.models import Employer, FollowUpVisit, HealthArchive, OrgUnit, Patient, db
from app.seed.demo import DEMO_DISTRICT, DEMO_TOWNSHIP
from tests.test_demo import demo_app  # noqa: F401  (the demo database, built once for this module)


def test_about_half_the_hazardous_employers_have_archives_of_every_kind(demo_app):  # noqa: F811
    today = date.today()
    with demo_app.app_context():
        hazardous = db.session.scalar(select(func.count(Employer.id)).where(Employer.has_hazard.is_(True)))
        archives = db.session.scalars(select(HealthArchive)).all()
        assert 0.4 * hazardous <= len(archives) <= 0.6 * hazardous
        complete = set(db.session.scalars(HealthArchive.complete_employer_ids(today)))
        gaps = [[str(gap) for gap in archive.completeness_gaps(today)] for archive in archives]
        assert {archive.employer_id for archive, found in zip(archives, gaps) if not found} == complete
        assert 0.5 * len(archives) < len(complete) < 0.9 * len(archives)
        assert any("12个月内的复核" in found for found in gaps)  # stale reviews
        assert any(any(gap.startswith("表4.4") for gap in found) for found in gaps)  # no table 4.4


def test_a_few_hundred_patients_with_valid_ids_and_visits_in_the_last_two_years(demo_app):  # noqa: F811
    today = date.today()
    with demo_app.app_context():
        patients = db.session.scalars(select(Patient)).all()
        assert 300 <= len(patients) <= 500
        assert sum(p.card_type == "pneumoconiosis" for p in patients) > 0.7 * len(patients)
        assert all(id_number_problem(p.id_number) is None for p in patients)
        assert all((p.birth_date, p.sex) == (id_number_birth_date(p.id_number), id_number_sex(p.id_number))
                   for p in patients)
        assert len({p.id_number for p in patients}) == len(patients)
        assert 0 < sum(p.dead for p in patients) < 0.2 * len(patients)
        assert 0 < sum(p.lost and not p.dead for p in patients) < 0.2 * len(patients)
        assert any(p.stage2_on for p in patients) and any(p.card_type == "other" for p in patients)
        oldest, newest = db.session.execute(select(func.min(FollowUpVisit.visited_on),
                                                   func.max(FollowUpVisit.visited_on))).one()
        assert today - timedelta(days=800) <= oldest and newest <= today
        managed = [p for p in patients if not p.dead and not p.lost]
        assert sum(bool(p.visits) for p in managed) > 0.9 * len(managed)


def test_the_demo_clerk_has_patients_and_archives_to_work_on(demo_app):  # noqa: F811
    with demo_app.app_context():
        path = f"310000/{DEMO_DISTRICT}/{DEMO_TOWNSHIP}/"
        township = db.session.scalar(select(OrgUnit.id).where(OrgUnit.path == path))
        assert db.session.scalar(select(func.count(Patient.id)).where(Patient.org_unit_id == township)) > 0
        assert db.session.scalar(select(func.count(HealthArchive.id)).join(Employer).where(
            Employer.org_unit_id == township)) > 0
