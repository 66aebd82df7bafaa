"""The indicator rollup on a hand-built city whose every value is worked out by hand below."""
import io
import random
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import select

from app.models import CITY, DISTRICT, TOWNSHIP, Employer, OrgUnit, ProductionStatus, RiskClass, db
from app.reports.engine import members, rollup
from app.reports.indicators import INDICATORS_BY_CODE
from app.reports.periods import parse_period
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD


@pytest.fixture(scope="module")
def hangzhou(app):
    """City 330100 with districts X (x1, x2) and Y (y1, y2 empty), and its own users.

    Employers (declaration rate, as at the end of the period):
      x1: A hazardous, registered 2025-01-01, declared 2026-02-01
          B hazardous, registered 2025-01-01, not declared
          C hazardous, declared 2026-03-01, but closed (关闭): never counted
          D no hazards: never counted
      x2: E hazardous, registered 2025-01-01, declared 2025-06-01
          F hazardous, registered 2026-06-01, not declared
      y1: G hazardous, registered 2025-01-01, declared 2025-03-01
    """
    rng = random.Random(11)
    with app.app_context():
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        closed = db.session.scalar(select(ProductionStatus).where(ProductionStatus.code == "4"))
        city = OrgUnit(level=CITY, code="330100", name="杭州市")
        x = OrgUnit(level=DISTRICT, code="330102", name="上城区", parent=city)
        y = OrgUnit(level=DISTRICT, code="330105", name="拱墅区", parent=city)
        units = {"city": city, "x": x, "y": y,
                 "x1": OrgUnit(level=TOWNSHIP, code="01", name="X1街道", parent=x),
                 "x2": OrgUnit(level=TOWNSHIP, code="02", name="X2街道", parent=x),
                 "y1": OrgUnit(level=TOWNSHIP, code="01", name="Y1街道", parent=y),
                 "y2": OrgUnit(level=TOWNSHIP, code="02", name="Y2街道", parent=y)}
        db.session.add_all(units.values())

        def employer(key, township, hazard=True, registered=date(2025, 1, 1), declared=None, status=None):
            return Employer(name=f"杭州{key}", org_unit=units[township], has_hazard=hazard,
                            risk_class=risk if hazard else None, registered_on=registered,
                            hazard_declared=declared is not None, declared_on=declared,
                            production_status=status, credit_code=make_credit_code(rng, units[township].parent.code))

        employers = {
            "A": employer("A", "x1", declared=date(2026, 2, 1)),
            "B": employer("B", "x1"),
            "C": employer("C", "x1", declared=date(2026, 3, 1), status=closed),
            "D": employer("D", "x1", hazard=False),
            "E": employer("E", "x2", declared=date(2025, 6, 1)),
            "F": employer("F", "x2", registered=date(2026, 6, 1)),
            "G": employer("G", "y1", declared=date(2025, 3, 1)),
        }
        db.session.add_all(employers.values())
        sm = app.appbuilder.sm
        for username, role, unit in (("hzleader", "Leader", city), ("hzdistrictx", "District admin", x),
                                     ("hzclerkx1", "Township clerk", units["x1"])):
            db.session.add(make_user(sm, username, role, unit, PASSWORD))
        db.session.commit()
        return SimpleNamespace(unit={k: u.id for k, u in units.items()}, employer={k: e.id for k, e in employers.items()})


def values(app, hangzhou, unit_key, period, code="declaration"):
    with app.app_context():
        root = db.session.get(OrgUnit, hangzhou.unit[unit_key])
        total, rows = rollup([INDICATORS_BY_CODE[code]], parse_period(period), root)
        result = {row.unit.name: (row.values[code].numerator, row.values[code].denominator, row.values[code].rate)
                  for row in rows}
        result["total"] = (total.values[code].numerator, total.values[code].denominator, total.values[code].rate)
        return result


def test_declaration_rate_for_a_year_at_every_level(app, hangzhou):
    assert values(app, hangzhou, "city", "2026") == {
        "上城区": (2, 4, 0.5), "拱墅区": (1, 1, 1.0), "total": (3, 5, 0.6)}
    assert values(app, hangzhou, "x", "2026") == {
        "X1街道": (1, 2, 0.5), "X2街道": (1, 2, 0.5), "total": (2, 4, 0.5)}
    assert values(app, hangzhou, "y", "2026") == {
        "Y1街道": (1, 1, 1.0), "Y2街道": (0, 0, None), "total": (1, 1, 1.0)}


def test_declaration_rate_for_a_half_year_counts_only_what_was_true_by_its_end(app, hangzhou):
    # 2025H1 ends 2025-06-30: A declared later (0/1), B 0/1; E declared 2025-06-01, F not registered yet.
    assert values(app, hangzhou, "x", "2025H1") == {
        "X1街道": (0, 2, 0.0), "X2街道": (1, 1, 1.0), "total": (1, 3, pytest.approx(1 / 3))}
    assert values(app, hangzhou, "city", "2025H1")["total"] == (2, 4, 0.5)


def test_drill_down_lists_the_employers_behind_numerator_and_gap(app, hangzhou):
    with app.app_context():
        x1 = db.session.get(OrgUnit, hangzhou.unit["x1"])
        indicator, period = INDICATORS_BY_CODE["declaration"], parse_period("2026")
        assert set(db.session.scalars(members(indicator, period, x1, gap=False))) == {hangzhou.employer["A"]}
        assert set(db.session.scalars(members(indicator, period, x1, gap=True))) == {hangzhou.employer["B"]}


def test_periods_parse_from_the_url():
    assert parse_period("2026H2").start == date(2026, 7, 1) and parse_period("2026H2").end == date(2026, 12, 31)
    assert parse_period("2024Q1").end == date(2024, 3, 31)
    assert parse_period("2026-03-01..2026-03-31").end == date(2026, 3, 31)
    for bad in ("2026H3", "26", "2026-03-31..2026-03-01"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_leader_opens_the_rollup_drills_down_and_downloads_it(app, hangzhou, login):
    client = login("hzleader")
    html = client.get("/reports/rollup?period=2026").data.decode()
    assert "上城区" in html and "拱墅区" in html and "60.0%" in html and "3 / 5" in html
    assert "黄浦区" not in html  # another city's units never appear
    html = client.get(f"/reports/rollup?unit={hangzhou.unit['y']}&period=2026").data.decode()
    assert "Y2街道" in html and "—" in html
    html = client.get(f"/reports/members?unit={hangzhou.unit['x1']}&period=2026&indicator=declaration&part=gap"
                      ).data.decode()
    assert "杭州B" in html and "杭州A" not in html
    response = client.get("/reports/rollup.xlsx?period=2026")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_col=4)]
    assert table == [["上城区", 2, 4, 0.5], ["拱墅区", 1, 1, 1], ["合计（杭州市）", 3, 5, 0.6]]


def test_a_district_admin_sees_only_its_townships_and_nothing_above(app, hangzhou, login):
    client = login("hzdistrictx")
    html = client.get("/reports/rollup?period=2026").data.decode()
    assert "X1街道" in html and "X2街道" in html and "Y1街道" not in html
    assert client.get(f"/reports/rollup?unit={hangzhou.unit['y']}").status_code == 404
    assert client.get(f"/reports/rollup?unit={hangzhou.unit['city']}").status_code == 404
    assert client.get(f"/reports/members?unit={hangzhou.unit['y1']}&indicator=declaration").status_code == 404


def test_system_admin_has_no_reports(login):
    assert login("sysadmin").get("/reports/rollup").status_code == 403
