"""Leaders' reports (issue 16): "what every government statistical report they receive also carries is
missing: 同比 (the same period last year) and the trend". On a hand-built city whose declaration rate is
worked out by hand below, year by year."""
import io
import json
import random
import re
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import delete, event, select

from app.models import CITY, DISTRICT, TOWNSHIP, Employer, IndicatorTarget, OrgUnit, RiskClass, TownshipSummary, db
from app.reports.comparison import LAST_YEAR, PREVIOUS, change, compared_rollup
from app.reports.engine import Value, query_groups
from app.reports.indicators import INDICATORS, INDICATORS_BY_CODE
from app.reports.periods import parse_period, trend_periods
from app.reports.trend import trend
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD

DECLARATION = INDICATORS_BY_CODE["declaration"]


@pytest.fixture(scope="module")
def suzhou(app):
    """City 320500 with districts S (s1, s2) and T (t1), its leader and a district admin of T.

    Hazardous employers (registered, declared):
      s1: A 2020-01-01, 2023-05-01;  B 2020-01-01, 2026-02-01;  C 2024-07-01, never
      s2: D 2020-01-01, 2021-01-01
      t1: E 2025-06-01, 2026-08-01
    Declaration rate at each year's end — city: 2022 1/3, 2023 2/3, 2024 2/4, 2025 2/5, 2026 4/5;
    S: 1/3, 2/3, 2/4, 2/4, 3/4; T: —, —, —, 0/1, 1/1.
    The city's targets for the declaration rate: none before 2023 (the default, 95 %), 80 % from 2023,
    90 % from 2025.
    """
    rng = random.Random(3205)
    with app.app_context():
        risk = db.session.scalar(select(RiskClass).where(RiskClass.code == "1"))
        city = OrgUnit(level=CITY, code="320500", name="苏州市")
        s = OrgUnit(level=DISTRICT, code="320505", name="虎丘区", parent=city)
        t = OrgUnit(level=DISTRICT, code="320506", name="吴中区", parent=city)
        units = {"city": city, "s": s, "t": t, "s1": OrgUnit(level=TOWNSHIP, code="320505001", name="S1街道", parent=s),
                 "s2": OrgUnit(level=TOWNSHIP, code="320505002", name="S2街道", parent=s),
                 "t1": OrgUnit(level=TOWNSHIP, code="320506001", name="T1街道", parent=t)}
        db.session.add_all(units.values())
        for key, township, registered, declared in (
                ("A", "s1", date(2020, 1, 1), date(2023, 5, 1)), ("B", "s1", date(2020, 1, 1), date(2026, 2, 1)),
                ("C", "s1", date(2024, 7, 1), None), ("D", "s2", date(2020, 1, 1), date(2021, 1, 1)),
                ("E", "t1", date(2025, 6, 1), date(2026, 8, 1))):
            db.session.add(Employer(name=f"苏州{key}", org_unit=units[township], has_hazard=True, risk_class=risk,
                                    registered_on=registered, hazard_declared=declared is not None,
                                    declared_on=declared, credit_code=make_credit_code(rng, units[township].parent.code)))
        for year, target in ((2023, 80), (2025, 90)):
            db.session.add(IndicatorTarget(org_unit=city, year=year, indicator="declaration", used=True,
                                           target=target, source_document="苏州市测试目标"))
        sm = app.appbuilder.sm
        db.session.add(make_user(sm, "szleader", "Leader", city, PASSWORD))
        db.session.add(make_user(sm, "szdistrictt", "District admin", t, PASSWORD))
        db.session.commit()
        return SimpleNamespace(unit={key: unit.id for key, unit in units.items()})


def compared(app, suzhou, unit_key, period):
    with app.app_context():
        return compared_rollup([DECLARATION], parse_period(period), db.session.get(OrgUnit, suzhou.unit[unit_key]))


def changes(result, kind):
    """Per unit name: (earlier rate, change in percentage points)."""
    found = {row.unit.name: result.change(kind, DECLARATION, row) for row in [*result.rows, result.total]}
    return {name: (found.earlier, None if found.difference is None else round(found.difference, 6))
            for name, found in found.items()}


def test_a_year_is_compared_with_the_same_period_last_year_in_percentage_points(app, suzhou):
    """"同比 (the same period last year) … in percentage points for rates"; a year has no 环比."""
    result = compared(app, suzhou, "city", "2026")
    assert list(result.periods) == [LAST_YEAR] and result.periods[LAST_YEAR].key == "2025"
    assert changes(result, LAST_YEAR) == {"虎丘区": (0.5, 25.0), "吴中区": (0.0, 100.0), "苏州市": (0.4, 40.0)}
    assert result.total.values["declaration"].rate == 0.8


def test_a_quarter_is_compared_with_last_years_quarter_and_the_quarter_before(app, suzhou):
    """"for a quarter or half-year also the previous period (环比)": 2026Q1 against 2025Q1 (同比) and
    2025Q4 (环比)."""
    result = compared(app, suzhou, "city", "2026Q1")
    assert {kind: period.key for kind, period in result.periods.items()} == {LAST_YEAR: "2025Q1", PREVIOUS: "2025Q4"}
    assert result.total.values["declaration"].rate == 0.6
    assert changes(result, LAST_YEAR)["苏州市"] == (0.5, 10.0)
    assert changes(result, PREVIOUS)["苏州市"] == (0.4, 20.0)
    assert changes(result, PREVIOUS)["吴中区"] == (0.0, 0.0)


def test_a_unit_with_nothing_to_measure_last_year_has_no_change(app, suzhou):
    result = compared(app, suzhou, "t", "2025")  # T1 had no employer at the end of 2024
    assert changes(result, LAST_YEAR) == {"T1街道": (None, None), "吴中区": (None, None)}


def test_a_count_changes_in_number_and_per_cent_and_a_ratio_per_head():
    sme_count, promotion = INDICATORS_BY_CODE["sme_count"], INDICATORS_BY_CODE["promotion"]
    def parts(found):
        return found.earlier, found.difference, found.percent

    assert parts(change(sme_count, Value(25, 25), Value(20, 20))) == (20, 5, 0.25)
    assert parts(change(sme_count, Value(3, 3), Value(0, 0))) == (0, 3, None)
    assert parts(change(promotion, Value(3, 2), Value(1, 1))) == (1.0, 0.5, None)


def test_periods_compared_and_trend_periods():
    assert parse_period("2026H1").previous().key == "2025H2"
    assert parse_period("2026Q3").previous().key == "2026Q2"
    assert parse_period("2026").previous() is None
    assert parse_period("2026H2").same_period_last_year().key == "2025H2"
    assert parse_period("2024-02-29..2024-03-31").same_period_last_year().start == date(2023, 2, 28)
    assert [p.key for p in trend_periods(parse_period("2026"), "years")] == ["2022", "2023", "2024", "2025", "2026"]
    assert [p.key for p in trend_periods(parse_period("2026"), "quarters", date(2026, 5, 3))] == [
        "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]


def test_the_comparison_is_one_grouped_query_per_group_and_period_run_together(app, suzhou):
    """"from the same engine (one grouped query per indicator and period, run side by side as today)":
    with nothing kept, a grouped query per group and period; kept, none until a write (issue 15 item 4)."""
    statements = []
    with app.app_context():
        root = db.session.get(OrgUnit, suzhou.unit["city"])
        groups = len(query_groups(INDICATORS, parse_period("2026Q2")))
        db.session.execute(delete(TownshipSummary))
        db.session.commit()

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        def grouped_statements():
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                compared_rollup(INDICATORS, parse_period("2026Q2"), root)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            return [statement for statement in statements if "GROUP BY" in statement]

        assert len(grouped_statements()) == 3 * groups  # the period, last year's, the previous quarter
        assert grouped_statements() == []  # all kept: nothing is scanned again


def test_the_trend_shows_the_unit_and_each_child_over_five_years_against_each_years_target(app, suzhou):
    """"A trend view per indicator: the chosen unit and each of its children over the last 5 years …
    against the target"."""
    with app.app_context():
        city = db.session.get(OrgUnit, suzhou.unit["city"])
        found = trend(DECLARATION, city, trend_periods(parse_period("2026"), "years"))
        rates = {line.unit.name: [value.rate for value in line.values] for line in found.lines}
        met = {line.unit.name: [value.met for value in line.values] for line in found.lines}
    assert [line.unit.name for line in found.lines] == ["苏州市", "虎丘区", "吴中区"]
    assert rates == {"苏州市": [pytest.approx(1 / 3), pytest.approx(2 / 3), 0.5, 0.4, 0.8],
                     "虎丘区": [pytest.approx(1 / 3), pytest.approx(2 / 3), 0.5, 0.5, 0.75],
                     "吴中区": [None, None, None, 0.0, 1.0]}
    assert found.targets == [0.95, 0.8, 0.8, 0.9, 0.9]
    assert met["苏州市"] == [False, False, False, False, False] and met["吴中区"] == [None, None, None, False, True]


def test_a_leader_reads_yoy_on_the_rollup_its_chart_data_and_the_trend(app, suzhou, login):
    client = login("szleader")
    html = client.get("/reports/rollup?period=2026").data.decode()
    assert "同比 +40.0个百分点" in html and "同比 +25.0个百分点" in html and "环比" not in html.split("<table")[1]
    assert "vendor/echarts/echarts.min.js" in html and "js/report_charts.js" in html
    assert not re.search(r"<script[^>]+(?:cdn|https?://)", html)  # never a CDN
    nonce = re.search(r"nonce-([^';]+)", client.get("/reports/rollup?period=2026").headers["Content-Security-Policy"])
    assert nonce
    chart = json.loads(re.search(r'<script type="application/json" id="rollup-data"[^>]*>(.*?)</script>',
                                 html, re.S).group(1))
    assert chart["names"] == ["虎丘区", "吴中区"] and chart["values"] == [75.0, 100.0]
    assert chart["met"] == [False, True] and chart["target"] == 90.0
    assert chart["links"][0] == f"/reports/rollup?unit={suzhou.unit['s']}&period=2026&indicator=declaration"
    table = html.split('id="rollup-chart-table"')[1].split("</table>")[0]  # the chart's table equivalent
    assert "虎丘区" in table and "75.0%" in table and "50.0%" in table and "+25.0个百分点" in table
    quarter = client.get("/reports/rollup?period=2026Q1").data.decode()
    assert "环比 +20.0个百分点" in quarter and "同比 +10.0个百分点" in quarter

    page = client.get(f"/reports/trend?unit={suzhou.unit['city']}&period=2026&indicator=declaration&span=years")
    assert page.status_code == 200
    html = page.data.decode()
    lines = json.loads(re.search(r'id="trend-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert lines["periods"] == ["2022年", "2023年", "2024年", "2025年", "2026年"]
    assert [line["name"] for line in lines["lines"]] == ["苏州市", "虎丘区", "吴中区"]
    assert lines["lines"][0]["values"] == [33.3, 66.7, 50.0, 40.0, 80.0]
    assert lines["lines"][2]["values"] == [None, None, None, 0.0, 100.0]
    assert lines["targets"] == [95.0, 80.0, 80.0, 90.0, 90.0]
    assert "trend-chart-table" in html and "4 / 5" in html
    quarters = client.get(f"/reports/trend?unit={suzhou.unit['s']}&period=2026&indicator=declaration&span=quarters")
    assert quarters.status_code == 200 and "S1街道" in quarters.data.decode()


def test_the_trend_stays_within_the_users_area_and_refuses_nonsense(app, suzhou, login):
    district = login("szdistrictt")
    assert district.get(f"/reports/trend?unit={suzhou.unit['s']}&indicator=declaration").status_code == 404
    assert district.get(f"/reports/trend?unit={suzhou.unit['t']}&indicator=nothing").status_code == 404
    assert district.get(f"/reports/trend?unit={suzhou.unit['t']}&indicator=declaration&span=days").status_code == 400
    html = district.get("/reports/trend?indicator=declaration&period=2026").data.decode()
    assert "T1街道" in html and "虎丘区" not in html


def test_the_xlsx_carries_last_year_and_the_change_and_for_a_quarter_the_previous_period(app, suzhou, login):
    """"the xlsx export carries the same columns"."""
    client = login("szleader")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/reports/rollup.xlsx?period=2026").data)).active
    headers = [cell.value for cell in sheet[4]]
    assert headers[1:6] == ["分子", "分母", "比率", "上年同期", "同比（百分点）"]
    rows = [[round(cell.value, 6) if isinstance(cell.value, float) else cell.value for cell in row][:6]
            for row in sheet.iter_rows(min_row=5)]
    assert rows == [["虎丘区", 3, 4, 0.75, 0.5, 25], ["吴中区", 1, 1, 1, 0, 100], ["合计（苏州市）", 4, 5, 0.8, 0.4, 40]]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/reports/rollup.xlsx?period=2026Q1").data)).active
    assert [cell.value for cell in sheet[4]][4:8] == ["上年同期", "同比（百分点）", "上期", "环比（百分点）"]
    total = [cell.value for cell in sheet[7]][:8]
    assert total[0] == "合计（苏州市）" and total[3:] == [0.6, 0.5, pytest.approx(10), 0.4, pytest.approx(20)]
