"""The first README command's demo city: Shanghai's 16 real districts, townships, employers, logins."""
import re

import pytest
from sqlalchemy import event, func, select

from app import create_app
from app.cli import prepare_database
from app.codes import uscc_problem
from app.models import DISTRICT, TOWNSHIP, Employer, Industry, HazardFactor, OrgUnit, db
from app.seed.demo import DEMO_PASSWORD, DISTRICTS
from config import TestConfig


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"

    app = create_app(Config)
    with app.app_context():
        app.demo_logins = prepare_database(with_demo=True)
        assert prepare_database(with_demo=True) == app.demo_logins  # a second start adds nothing
    return app


def test_demo_city_has_shanghais_districts_and_townships(demo_app):
    with demo_app.app_context():
        districts = db.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.level == DISTRICT)).all()
        assert sorted(districts) == sorted(DISTRICTS)
        per_district = db.session.execute(select(OrgUnit.parent_id, func.count()).where(
            OrgUnit.level == TOWNSHIP).group_by(OrgUnit.parent_id)).all()
        assert len(per_district) == 16 and all(4 <= count <= 8 for _, count in per_district)


def test_demo_employers_have_valid_codes_and_unique_archive_numbers(demo_app):
    with demo_app.app_context():
        employers = db.session.scalars(select(Employer)).all()
        assert 1500 <= len(employers) <= 2500
        assert all(uscc_problem(e.credit_code) is None for e in employers if e.credit_code)
        assert any(e.credit_code.startswith("N2") for e in employers if e.credit_code)
        numbers = [e.archive_number for e in employers]
        assert len(set(numbers)) == len(numbers)
        # Annex 4 note 1: the 9-digit township code (its district's 6 digits + 3) and a 4-digit serial
        assert all(len(n) == 13 and n[:9] == e.org_unit.code and e.org_unit.code[:6] == e.org_unit.district_code
                   for n, e in zip(numbers, employers))


def test_dictionaries_are_seeded_with_the_national_lists(demo_app):
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).where(Industry.parent_id.is_(None))) == 20
        assert db.session.scalar(select(func.count()).where(Industry.parent_id.is_not(None))) == 97
        silica = db.session.scalar(select(HazardFactor).where(HazardFactor.cas_number == "14808-60-7"))
        assert silica.category.name == "粉尘"


def test_every_role_has_a_demo_login_that_works(demo_app):
    assert len(demo_app.demo_logins) == 7
    client = demo_app.test_client()
    for role, username, password in demo_app.demo_logins:
        assert password == DEMO_PASSWORD
        client.get("/logout/")
        response = client.post("/login/", data={"username": username, "password": password})
        assert response.status_code == 302 and "/login" not in response.headers["Location"], role


@pytest.mark.parametrize("view, route", [
    ("EmployerView", "employers"), ("ScreeningView", "screenings"), ("PatrolView", "patrols"),
    ("HazardReportView", "hazardreports"), ("ArchiveView", "archives"), ("PatientView", "patients"),
    ("SmeAssistanceView", "smeassistance"), ("DeclarationCandidateView", "declarationcandidates")])
def test_a_list_page_reads_the_links_of_its_rows_in_as_many_queries_for_ten_rows_as_for_fifty(
        demo_app, view, route):
    """A city's list page must not query once per row (each query is a round trip to the database). A
    link that no row of the smaller page has (a candidate not yet matched to an employer) is not queried
    there: one query more per such link, never one per row."""
    client = demo_app.test_client()
    client.post("/login/", data={"username": "city", "password": DEMO_PASSWORD})
    statements = []

    def queries_and_rows(size):
        with demo_app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            statements.clear()
            html = client.get(f"/{route}/list/?psize_{view}={size}").get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements), len(set(re.findall(rf'/{route}/show/(\d+)', html)))

    (ten_query_count, ten_rows), (fifty_query_count, fifty_rows) = queries_and_rows(10), queries_and_rows(50)
    assert ten_rows == 10 and fifty_rows > 25
    assert ten_query_count <= fifty_query_count <= ten_query_count + 2
