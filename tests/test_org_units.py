"""The org-unit hierarchy: code rules, one-query subtrees, and who may change it."""
import pytest
from sqlalchemy import select

from app.models import DISTRICT, TOWNSHIP, Employer, OrgUnit, RecordInvalid, db


@pytest.mark.parametrize("level, code, parent_key, field", [
    (DISTRICT, "31010", "city", "code"),      # not 6 digits
    (DISTRICT, "320101", "city", "code"),     # another province's prefix
    (TOWNSHIP, "01", "a", "code"),            # a township code is 9 digits (统计用区划代码)
    (TOWNSHIP, "310101000", "a", "code"),     # its own 3 digits are 001–999
    (TOWNSHIP, "310104001", "a", "code"),     # another district's digits
    (TOWNSHIP, "310101005", "city", "parent"),  # a township hangs under a district
    (DISTRICT, "310199", None, "parent"),     # a district needs its city
])
def test_code_and_parent_rules(app, city, level, code, parent_key, field):
    with app.app_context():
        parent = db.session.get(OrgUnit, city.unit[parent_key]) if parent_key else None
        assert field in OrgUnit(level=level, code=code, name="x", parent=parent).problems()


def test_moving_a_district_carries_its_subtree_in_one_statement(app, city):
    with app.app_context():
        district = OrgUnit(level=DISTRICT, code="310106", name="静安区", parent=db.session.get(OrgUnit, city.unit["city"]))
        township = OrgUnit(level=TOWNSHIP, code=f"{district.code}001", name="静安1号街道", parent=district)
        db.session.add_all([district, township])
        db.session.commit()
        district.code = "310107"
        db.session.commit()
        db.session.refresh(township)
        assert township.path == "310000/310107/310106001/"
        db.session.delete(township)
        db.session.delete(district)
        db.session.commit()


def test_city_admin_adds_a_township_with_the_form(app, city, login):
    client = login("cityadmin")
    response = client.post("/orgunits/add", data={"level": TOWNSHIP, "code": "310104009", "name": "新设街道",
                                                   "parent": str(city.unit["b"])})
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "新设街道"))
        assert unit.path == "310000/310104/310104009/"


def test_a_duplicate_or_malformed_township_code_is_refused_next_to_the_field(app, city, login):
    client = login("cityadmin")
    response = client.post("/orgunits/add", data={"level": TOWNSHIP, "code": "310104", "name": "坏代码街道",
                                                   "parent": str(city.unit["b"])})
    assert response.status_code == 200 and "alert-danger" in response.data.decode()
    with app.app_context():
        assert db.session.scalar(select(OrgUnit).where(OrgUnit.name == "坏代码街道")) is None


def test_district_admin_may_read_but_not_change_the_tree(city, login):
    client = login("districta")
    assert client.get(f"/orgunits/show/{city.unit['a1']}").status_code == 200
    assert client.get(f"/orgunits/show/{city.unit['b1']}").status_code == 404
    assert client.post("/orgunits/add", data={"level": TOWNSHIP, "code": "310101008", "name": "擅自街道",
                                              "parent": str(city.unit["a"])}).status_code == 403


def test_a_unit_with_employers_cannot_be_deleted(app, city):
    with app.app_context():
        unit = db.session.get(OrgUnit, city.unit["a1"])
        assert db.session.scalar(select(Employer.id).where(Employer.org_unit_id == unit.id))
        db.session.delete(unit)
        with pytest.raises(Exception):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(OrgUnit, city.unit["a1"]) is not None


def test_township_under_a_district_outside_scope_is_refused(app, city):
    from flask import g
    from app.models import PortalUser
    with app.test_request_context():
        g.user = db.session.scalar(select(PortalUser).where(PortalUser.username == "districta"))
        from flask_login import login_user
        login_user(g.user)
        unit = OrgUnit(level=TOWNSHIP, code="310104007", name="越界街道", parent=db.session.get(OrgUnit, city.unit["b"]))
        assert "parent" in unit.problems()
        db.session.add(unit)
        with pytest.raises(RecordInvalid):
            db.session.flush()
        db.session.rollback()


def test_deleting_a_unit_that_still_has_employers_says_why(app, city, login):
    client = login("cityadmin")
    response = client.post(f"/orgunits/delete/{city.unit['b1']}", follow_redirects=True)
    assert "仍有其他记录引用" in response.data.decode()
    with app.app_context():
        assert db.session.get(OrgUnit, city.unit["b1"]) is not None
