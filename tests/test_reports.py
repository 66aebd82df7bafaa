"""The indicator rollup on a hand-built city whose every value is worked out by hand below."""
import io
import random
import re
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import delete, event, select

from app.models import (CITY, DISTRICT, TOWNSHIP, Employer, OrgUnit, ProductionStatus, RiskClass, TownshipSummary,
                        db)
from app.reports.engine import members, query_groups, rollup, with_half_years
from app.reports.indicators import INDICATORS, INDICATORS_BY_CODE
from app.reports.periods import parse_period
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD
from tests.report_city import report_city


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
                 "x1": OrgUnit(level=TOWNSHIP, code=f"{x.code}001", name="X1街道", parent=x),
                 "x2": OrgUnit(level=TOWNSHIP, code=f"{x.code}002", name="X2街道", parent=x),
                 "y1": OrgUnit(level=TOWNSHIP, code=f"{y.code}001", name="Y1街道", parent=y),
                 "y2": OrgUnit(level=TOWNSHIP, code=f"{y.code}002", name="Y2街道", parent=y)}
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


# --- every indicator of DOMAIN.md §4, on a second hand-built city -----------------------------------------

@pytest.fixture(scope="module")
def hefei(app):
    """City 340100 with every kind of record an indicator reads (tests/report_city.py)."""
    return report_city(app, "340100", "合肥市", "hf")


HEFEI_2025 = {  # (numerator, denominator) per unit, from the fixture's docstring
    "declaration": {"m1": (1, 2), "m2": (1, 1), "m": (2, 3), "n1": (1, 1), "n2": (0, 0), "n": (1, 1), "city": (3, 4)},
    "archive": {"m1": (1, 2), "m2": (0, 1), "m": (1, 3), "n1": (0, 1), "n2": (0, 0), "n": (0, 1), "city": (1, 4)},
    "new_screening": {"m1": (1, 2), "m2": (0, 0), "m": (1, 2), "n1": (0, 0), "n2": (0, 0), "n": (0, 0),
                      "city": (1, 2)},
    "patrol": {"m1": (0, 1), "m2": (0, 1), "m": (0, 2), "n1": (0, 1), "n2": (0, 0), "n": (0, 1), "city": (0, 3)},
    "patrol@2025H1": {"m1": (1, 1), "m2": (0, 1), "m": (1, 2), "n1": (0, 1), "n2": (0, 0), "n": (0, 1),
                      "city": (1, 3)},
    "patrol@2025H2": {"m1": (0, 1), "m2": (1, 1), "m": (1, 2), "n1": (0, 1), "n2": (0, 0), "n": (0, 1),
                      "city": (1, 3)},
    "follow_up": {"m1": (1, 2), "m2": (0, 0), "m": (1, 2), "n1": (0, 0), "n2": (0, 0), "n": (0, 0), "city": (1, 2)},
    "on_time": {"m1": (3, 4), "m2": (1, 3), "m": (4, 7), "n1": (0, 0), "n2": (0, 0), "n": (0, 0), "city": (4, 7)},
    "information": {"m1": (1, 2), "m2": (0, 0), "m": (1, 2), "n1": (1, 1), "n2": (0, 0), "n": (1, 1),
                    "city": (2, 3)},
    "detection": {"m1": (1, 2), "m2": (1, 1), "m": (2, 3), "n1": (0, 1), "n2": (0, 0), "n": (0, 1), "city": (2, 4)},
    "health_exam": {"m1": (8, 10), "m2": (0, 4), "m": (8, 14), "n1": (0, 2), "n2": (0, 0), "n": (0, 2),
                    "city": (8, 16)},
    "training": {"m1": (6, 10), "m2": (2, 4), "m": (8, 14), "n1": (0, 0), "n2": (0, 0), "n": (0, 0), "city": (8, 14)},
    "coordinator_attended": {"m1": (2, 2), "m2": (0, 1), "m": (2, 3), "n1": (0, 0), "n2": (0, 0), "n": (0, 0),
                             "city": (2, 3)},
    "coordinator_passed": {"m1": (1, 2), "m2": (0, 0), "m": (1, 2), "n1": (0, 0), "n2": (0, 0), "n": (0, 0),
                           "city": (1, 2)},
    "sme_declared": {"m1": (2, 2), "m2": (0, 1), "m": (2, 3), "n1": (0, 0), "n2": (0, 0), "n": (0, 0),
                     "city": (2, 3)},
    **{f"sme_{flag}": {"m1": (1, 2), "m2": (0, 1), "m": (1, 3), "n1": (0, 0), "n2": (0, 0), "n": (0, 0),
                       "city": (1, 3)} for flag in ("detected", "examined", "trained")},
    "key_declaration": {key: (0, 0) for key in ("m1", "m2", "m", "n1", "n2", "n", "city")},
    "dust_declaration": {"m1": (1, 1), "m2": (1, 1), "m": (2, 2), "n1": (1, 1), "n2": (0, 0), "n": (1, 1),
                         "city": (3, 3)},
    "dust_detection": {"m1": (1, 1), "m2": (1, 1), "m": (2, 2), "n1": (0, 1), "n2": (0, 0), "n": (0, 1),
                       "city": (2, 3)},
    "basic_info": {"m1": (0, 2), "m2": (0, 1), "m": (0, 3), "n1": (0, 1), "n2": (0, 0), "n": (0, 1), "city": (0, 4)},
    "key_patrol": {"m1": (1, 1), "m2": (0, 0), "m": (1, 1), "n1": (0, 1), "n2": (0, 0), "n": (0, 1), "city": (1, 2)},
    "promotion": {"m1": (0, 2), "m2": (0, 1), "m": (0, 3), "n1": (0, 0), "n2": (0, 0), "n": (0, 0), "city": (0, 3)},
    "sme_count": {"m1": (2, 0), "m2": (1, 0), "m": (3, 0), "n1": (0, 0), "n2": (0, 0), "n": (0, 0), "city": (3, 0)},
}
HEFEI_NAMES = {"m1": "M1街道", "m2": "M2街道", "m": "瑶海区", "n1": "N1街道", "n2": "N2街道", "n": "庐阳区"}


def hefei_values(app, hefei, root_key, code):
    with app.app_context():
        root = db.session.get(OrgUnit, hefei.unit[root_key])
        period = parse_period("2025")
        indicator = next(i for i in with_half_years(INDICATORS, period) if i.code == code)
        total, rows = rollup([indicator], period, root)
        found = {row.unit.name: row.values[code] for row in rows}
        found["total"] = total.values[code]
        return found


@pytest.mark.parametrize("code", list(HEFEI_2025))
def test_every_indicator_at_township_district_and_city_level(app, hefei, code):
    expected = HEFEI_2025[code]
    for root, children in (("city", ("m", "n")), ("m", ("m1", "m2")), ("n", ("n1", "n2"))):
        found = hefei_values(app, hefei, root, code)
        wanted = {HEFEI_NAMES[key]: expected[key] for key in children} | {"total": expected[root]}
        assert {name: (v.numerator, v.denominator) for name, v in found.items()} == wanted, root
        for name, (numerator, denominator) in wanted.items():
            rate = found[name].rate
            assert rate == (pytest.approx(numerator / denominator) if denominator else None), (root, name)


def test_rates_are_judged_against_their_target_and_nothing_to_measure_is_not_judged(app, hefei):
    found = hefei_values(app, hefei, "city", "dust_detection")  # target 100 %
    assert (found["瑶海区"].met, found["庐阳区"].met, found["total"].met) == (True, False, False)
    found = hefei_values(app, hefei, "n", "follow_up")
    assert (found["N1街道"].met, found["total"].met) == (None, None)


def test_the_sme_count_is_judged_per_district_and_the_city_when_every_district_meets_it(app, hefei):
    from dataclasses import replace
    period = parse_period("2025")
    with app.app_context():
        unit = {key: db.session.get(OrgUnit, hefei.unit[key]) for key in ("city", "m")}
        for target, district_met, city_met in ((20, (False, False), False), (1, (True, False), False),
                                               (0, (True, True), True)):
            indicator = replace(INDICATORS_BY_CODE["sme_count"], target=target)
            total, rows = rollup([indicator], period, unit["city"])
            assert tuple(row.values["sme_count"].met for row in rows) == district_met
            assert total.values["sme_count"].met is city_met
        total, rows = rollup([replace(INDICATORS_BY_CODE["sme_count"], target=1)], period, unit["m"])
        assert [row.values["sme_count"].met for row in rows] == [None, None]  # townships are not judged
        assert total.values["sme_count"].met is True


def test_drill_down_lists_the_subject_of_each_indicator(app, hefei):
    period = parse_period("2025")

    def listed(code, unit_key, gap):
        with app.app_context():
            unit = db.session.get(OrgUnit, hefei.unit[unit_key])
            return set(db.session.execute(members(INDICATORS_BY_CODE[code], period, unit, gap)).tuples())

    assert listed("follow_up", "m1", gap=True) == {(hefei.patient["Pb"], "patient")}
    assert listed("on_time", "m1", gap=True) == {(hefei.screening["S2"], "screening")}
    assert listed("on_time", "m2", gap=True) == {(hefei.screening["S5"], "screening"), (hefei.patrol["P2"], "patrol")}
    assert listed("information", "city", gap=True) == {(hefei.report["H2"], "hazard_report")}
    assert listed("coordinator_passed", "m", gap=True) == {(hefei.coordinator["K2"], "coordinator")}
    assert listed("sme_count", "m", gap=False) == {(hefei.assistance[key], "sme_assistance") for key in "ACD"}
    assert listed("new_screening", "m1", gap=True) == {(hefei.employer["B"], "employer")}


def test_the_city_rollup_is_one_query_per_table_read_plus_the_unit_lookup(app, hefei):
    """Indicators that read the same rows share one pass: the active hazardous employers (declaration,
    key-industry and dust declaration, basic information, archive, key patrol coverage, detection, dust
    detection, health exams), the year's SME assistance; on-time reporting, promotions and information
    reporting are a query per branch of their union (screenings and patrols; promotions and coordinators;
    hazard reports and patrol clues without one); the others are a query each."""
    statements = []
    with app.app_context():
        root = db.session.get(OrgUnit, hefei.unit["city"])
        db.session.execute(delete(TownshipSummary))  # nothing kept: every group is scanned
        db.session.commit()

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            groups = [[indicator.code for indicator in group]
                      for group, _ in query_groups(INDICATORS, parse_period("2025"))]
            rollup(INDICATORS, parse_period("2025"), root)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    shared = [["declaration", "key_declaration", "dust_declaration", "basic_info", "archive", "key_patrol",
               "detection", "dust_detection", "health_exam"],
              ["sme_declared", "sme_detected", "sme_examined", "sme_trained", "sme_count"]]
    assert sorted(groups) == sorted(shared + [["on_time"], ["promotion"], ["information"]] + [
        [code] for code in INDICATORS_BY_CODE if not any(code in group for group in shared)])
    assert len([statement for statement in statements if "GROUP BY" in statement]) == len(groups)


def test_leader_sees_every_indicator_drills_into_records_and_downloads_them(app, hefei, login):
    client = login("hfleader")
    html = client.get("/reports/rollup?period=2025").data.decode()
    shown = with_half_years([indicator for indicator in INDICATORS if indicator.used], parse_period("2025"))
    for indicator in shown:  # Hefei has set none: the default set, the patrol coverage of each half-year
        assert str(indicator.name) in html or indicator.code in html
    assert "basic_info" not in html and "4 / 7" in html and "8 / 16" in html and "—" in html
    html = client.get(f"/reports/members?unit={hefei.unit['m2']}&period=2025&indicator=on_time&part=gap").data.decode()
    assert f"/screenings/show/{hefei.screening['S5']}" in html and f"/patrols/show/{hefei.patrol['P2']}" in html
    assert f"/screenings/show/{hefei.screening['S4']}" not in html
    html = client.get(f"/reports/members?unit={hefei.unit['m1']}&period=2025&indicator=follow_up&part=gap"
                      ).data.decode()
    assert "合肥病人b" in html and "合肥病人a" not in html
    response = client.get("/reports/rollup.xlsx?period=2025")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    # The period's own columns (the same period last year and 同比 beside each: test_reports_comparison.py).
    own = [0] + [number for number, cell in enumerate(sheet[4]) if cell.value in ("分子", "分母", "比率", "数量")]
    table = [[round(c.value, 4) if isinstance(c.value, float) else c.value for c in (row[n] for n in own)]
             for row in sheet.iter_rows(min_row=5)]

    def expected(key):
        cells = []
        for indicator in shown:
            numerator, denominator = HEFEI_2025[indicator.code][key]
            if indicator.is_count:
                cells.append(numerator)
            else:
                cells += [numerator, denominator, round(numerator / denominator, 4) if denominator else "—"]
        return cells

    assert table == [["瑶海区", *expected("m")], ["庐阳区", *expected("n")], ["合计（合肥市）", *expected("city")]]
    district = login("hfdistrictm")
    assert district.get(f"/reports/members?unit={hefei.unit['n1']}&period=2025&indicator=on_time").status_code == 404


def test_a_drill_down_lists_its_subjects_a_page_at_a_time(app, hangzhou, login, monkeypatch):
    monkeypatch.setattr("app.views.reports.MEMBERS_PAGE_SIZE", 1)
    client = login("hzleader")
    url = f"/reports/members?unit={hangzhou.unit['city']}&period=2026&indicator=declaration&part=gap"
    pages = [client.get(url).data.decode(), client.get(f"{url}&page_employer=2").data.decode()]
    shown = [{name for name in ("杭州B", "杭州F") if name in html} for html in pages]
    assert shown == [{"杭州B"}, {"杭州F"}]  # in id order, one per page, each once
    assert all("用人单位: 2" in html or "Employers: 2" in html for html in pages)
    assert "page_employer=2" in pages[0] and "page_employer=1" in pages[1]
    assert client.get(f"{url}&page_employer=99").data.decode().count("/employers/show/") == 1  # the last page


def test_page_links_stay_few_however_many_pages(app):
    template = app.jinja_env.from_string(
        "{% from 'pager.html' import pager %}{{ pager('ReportsView.members', number, pages, {'unit': 7}) }}")
    with app.test_request_context():
        html = template.render(number=500, pages=1000)
        assert html.count("<a ") == 7 and html.count("…") == 2
        assert {int(n) for n in re.findall(r"page=(\d+)", html)} == {1, 498, 499, 500, 501, 502, 1000}
        assert "unit=7" in html
        assert "<a " not in template.render(number=1, pages=1)
        assert re.findall(r"page=(\d+)", template.render(number=1, pages=3)) == ["1", "2", "3"]


@pytest.mark.parametrize("period", ["2024", "2025", "2025H1", "2025Q3", str(date.today().year)])
def test_the_kept_latest_dates_give_what_the_records_give_in_every_period(app, hefei, period):
    """Patrol coverage, new-employer screening and periodic detection read each employer's kept latest
    date when it is no later than the period's end (always so for the current period) and probe the
    records otherwise; without kept dates every employer is probed. Both must agree."""
    codes = ["patrol", "new_screening", "detection"]

    def values():
        root = db.session.get(OrgUnit, hefei.unit["city"])
        total, rows = rollup([INDICATORS_BY_CODE[code] for code in codes], parse_period(period), root)
        return {(row.unit.name, code): (row.values[code].numerator, row.values[code].denominator)
                for row in [total, *rows] for code in codes}

    table = Employer.__table__
    dates = [table.c.last_detected_on, table.c.last_screened_on, table.c.last_patrolled_on]
    with app.app_context():
        kept = values()
        saved = db.session.execute(select(table.c.id, *dates)).all()
        # Committed: the engine runs its queries on connections of their own.
        db.session.execute(table.update().values({column: None for column in dates}))
        db.session.commit()
        try:
            assert values() == kept
        finally:
            for employer_id, *row in saved:
                db.session.execute(table.update().where(table.c.id == employer_id)
                                   .values(dict(zip((c.key for c in dates), row))))
            db.session.commit()


@pytest.mark.parametrize("period", ["2024", "2025", "2025H1", "2025Q3", str(date.today().year)])
def test_indicators_counted_in_one_scan_give_what_each_gives_alone(app, hefei, period):
    """The rollup counts the indicators that read the same rows in one pass (query_groups); every value
    must be what the indicator's own grouped query gives."""
    with app.app_context():
        root = db.session.get(OrgUnit, hefei.unit["city"])
        total, rows = rollup(INDICATORS, parse_period(period), root)
        together = {(row.unit.name, code): row.values[code] for row in [total, *rows] for code in INDICATORS_BY_CODE}
        alone = {}
        for indicator in INDICATORS:
            total, rows = rollup([indicator], parse_period(period), root)
            alone.update({(row.unit.name, indicator.code): row.values[indicator.code] for row in [total, *rows]})
    assert together == alone
    assert any(value.numerator for value in together.values())
