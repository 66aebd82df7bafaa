"""导出Excel: every list exports what it shows — its columns with their Chinese headers, the user's rows only,
as filtered and ordered on screen — text stays text, a list too long for Excel is refused with a message,
and nothing is left behind on disk."""
import io
import tempfile
from datetime import date, timedelta

import pytest
from flask import g
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from app import exports
from app.models import Employer, HealthArchive, OrgUnit, Patrol, PortalUser, db
from app.models.archive import COMPLETENESS_GAPS
from app.views.base import ScopedModelView
from tests.conftest import PASSWORD
from tests.fieldwork import add_patrol
from tests.test_archive import complete_archive

FORMULA_LIKE = ["=1+1", "+86 139", "-1", "@SUM(A1)"]


def sheet(response):
    assert response.status_code == 200, response.headers.get("Location")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)).active


def rows_of(response) -> tuple[tuple, list[tuple]]:
    rows = list(sheet(response).iter_rows(values_only=True))
    return rows[0], rows[1:]


def exportable_views(app) -> list[ScopedModelView]:
    return [view for view in app.appbuilder.baseviews
            if isinstance(view, ScopedModelView) and view.list_template == "scoped/list.html"]


def view_named(app, name: str) -> ScopedModelView:
    return next(view for view in exportable_views(app) if type(view).__name__ == name)


def patrols_of(app, city, unit: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Patrol.id)).where(Patrol.org_unit_id == city.unit[unit]))


@pytest.fixture
def patrols(app, city):
    """Six patrols of employer a1_1 over the last days of this year and two of b1_1."""
    days = [max(date.today() - timedelta(days=n), date(date.today().year, 1, 1)) for n in range(6)]
    return [add_patrol(app, city, "a1_1", day) for day in days] + [add_patrol(app, city, "b1_1", day)
                                                                   for day in days[:2]]


@pytest.fixture
def formula_like_employers(app, city):
    """Employers of township a1 whose names look like spreadsheet formulas."""
    with app.app_context():
        unit = db.session.get(OrgUnit, city.unit["a1"])
        for name in FORMULA_LIKE:
            if db.session.scalar(select(Employer.id).where(Employer.name == name)) is None:
                db.session.add(Employer(name=name, org_unit=unit, credit_code_pending=True, total_workers=5,
                                        female_workers=0))
        db.session.commit()


@pytest.fixture
def archives(app, city):
    """Archives in every completeness state: complete (with and without hazards), each of the four gaps
    alone, and all four at once; in two townships."""
    made = {"complete": complete_archive(app, city),
            "no hazard, no table 4.4": complete_archive(app, city, "b1", with_exposure=False, has_hazard=False),
            "table 4.4": complete_archive(app, city, with_exposure=False),
            "review": complete_archive(app, city, "b1", reviewed_days_ago=400),
            "date established": complete_archive(app, city),
            "table 4.1": complete_archive(app, city),
            "everything": complete_archive(app, city, "b1", reviewed_days_ago=400, with_exposure=False)}
    with app.app_context():
        db.session.get(HealthArchive, made["date established"]).established_on = None
        db.session.get(HealthArchive, made["table 4.1"]).oh_manager = ""
        everything = db.session.get(HealthArchive, made["everything"])
        everything.established_on, everything.production_mode = None, None
        db.session.commit()
    return made


def signed_in(app, username: str):
    client = app.test_client()
    assert client.post("/login/", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_every_list_offers_its_export_with_its_columns_under_chinese_headers(app, city):
    readers = [signed_in(app, username) for username in ("cityadmin", "sysadmin")]  # records, dictionaries
    for view in exportable_views(app):
        client = next(reader for reader in readers if reader.get(f"{view.route_base}/list/").status_code == 200)
        assert "导出Excel" in client.get(f"{view.route_base}/list/").data.decode(), view
        header, _ = rows_of(client.get(f"{view.route_base}/export/"))
        with app.test_request_context(), force_locale("zh"):
            assert list(header) == [str(view.label_columns[column]) for column in view.list_columns], view


def test_headers_follow_the_users_language(login):
    client = login("cityadmin")
    client.get("/lang/en")
    header, _ = rows_of(client.get("/employers/export/"))
    assert "Employer name" in header and "企业名称" not in header
    client.get("/lang/zh")
    assert "企业名称" in rows_of(client.get("/employers/export/"))[0]


def test_a_clerk_exports_their_townships_patrols_and_nothing_else(app, city, login, patrols):
    _, body = rows_of(login("clerka1").get("/patrols/export/"))
    assert len(body) == patrols_of(app, city, "a1")
    township = view_named(app, "PatrolView").list_columns.index("org_unit")
    with app.app_context():
        a1 = db.session.get(OrgUnit, city.unit["a1"]).name
    assert {row[township] for row in body} == {a1}


def test_the_export_holds_the_lists_filtered_rows_in_its_order(app, city, login, patrols):
    client = login("cityadmin")
    employer = city.employer["a1_1"]
    with app.app_context():
        expected = db.session.scalar(select(func.count(Patrol.id)).where(Patrol.employer_id == employer))
    _, newest_first = rows_of(client.get(f"/patrols/export/?_flt_0_employer={employer}"))
    assert len(newest_first) == expected
    dates = [row[0] for row in newest_first]
    assert dates == sorted(dates, reverse=True)  # the list's own order: newest first
    _, oldest_first = rows_of(client.get(
        f"/patrols/export/?_flt_0_employer={employer}&_oc_PatrolView=visit_date&_od_PatrolView=asc"))
    assert [row[0] for row in oldest_first] == sorted(dates)


def test_an_order_the_list_does_not_offer_is_a_bad_request_for_the_export_as_for_the_list(login, city, patrols):
    client = login("cityadmin")
    query = f"?_flt_0_employer={city.employer['a1_1']}&_oc_PatrolView=return_reason&_od_PatrolView=asc"
    assert client.get(f"/patrols/list/{query}").status_code == 400  # app/request_bounds.py
    assert client.get(f"/patrols/export/{query}").status_code == 400
    dates = [row[0] for row in rows_of(client.get(f"/patrols/export/?_flt_0_employer={city.employer['a1_1']}"))[1]]
    assert dates == sorted(dates, reverse=True)  # the list's own order


def test_text_that_looks_like_a_formula_is_stored_as_text(login, formula_like_employers):
    book = sheet(login("clerka1").get("/employers/export/"))
    name = [cell.value for cell in book[1]].index("企业名称")
    cells = {row[name].value: row[name] for row in book.iter_rows(min_row=2)}
    for text in FORMULA_LIKE:
        assert cells[text].data_type == "s", text


def test_the_patrol_register_stores_formula_like_text_as_text(app, city, login, patrols):
    with app.app_context():
        patrol = db.session.get(Patrol, patrols[0])
        patrol.disposal = "=1+1"
        db.session.commit()
    book = sheet(login("clerka1").get(f"/patrolregister/register.xlsx?unit={city.unit['a1']}"
                                      f"&year={date.today().year}"))
    cells = [cell for row in book.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_list_longer_than_excel_allows_is_refused_back_on_the_list(app, city, login, patrols, monkeypatch):
    monkeypatch.setattr(exports, "LIST_ROWS", 5)
    client = login("cityadmin")
    employer = city.employer["a1_1"]
    with app.app_context():
        count = db.session.scalar(select(func.count(Patrol.id)).where(Patrol.employer_id == employer))
    response = client.get(f"/patrols/export/?_flt_0_employer={employer}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/patrols/list/?_flt_0_employer={employer}"
    page = client.get(response.headers["Location"]).data.decode()
    assert f"导出的记录超过 Excel 的上限 5 行，请先用筛选条件缩小范围（当前 {count} 行）" in page


def test_a_report_longer_than_a_worksheet_is_refused_and_leaves_no_file(app, city, login, patrols, monkeypatch,
                                                                        tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr("app.xlsx.SHEET_ROWS", 6)  # title, unit line, headers and three patrols
    query = f"unit={city.unit['a1']}&year={date.today().year}"
    client = login("clerka1")
    response = client.get(f"/patrolregister/register.xlsx?{query}")
    assert response.status_code == 302 and response.headers["Location"] == f"/patrolregister/?{query}"
    assert "导出的记录超过 Excel 的上限 3 行，请先用筛选条件缩小范围" in client.get(response.headers["Location"]).data.decode()
    assert list(tmp_path.iterdir()) == []


def test_an_export_leaves_no_temporary_file(login, tmp_path, monkeypatch, patrols):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = login("cityadmin").get("/patrols/export/")
    assert rows_of(response)[1]
    response.close()
    assert list(tmp_path.iterdir()) == []


def _as_written(rows):
    """Cells as the workbook receives them: a number, a date or nothing as itself, the rest as its text."""
    return [[value if isinstance(value, (int, float, date, type(None))) else str(value) for value in row]
            for row in rows]


def test_rows_read_in_sql_are_those_the_objects_show(app, city, patrols, formula_like_employers, archives):
    """A list read as plain rows (every column in SQL) exports exactly what its objects show on screen,
    and every list reads its rows in a few queries, never one per row. The archive list reads in SQL,
    its completeness said as on screen in every state."""
    statements, in_sql, archive_rows = [], set(), []
    with app.test_request_context():
        g.user = db.session.scalar(select(PortalUser).where(PortalUser.username == "cityadmin"))
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            for view in exportable_views(app):
                filters, *order = view.listed()
                del statements[:]
                shown = list(exports.list_rows(view, filters, *order))
                if type(view).__name__ != "ServicePlanView":  # progress is counted per plan (a few a year)
                    assert len(statements) <= 1 + len(view.list_loads) + 4, (view, len(shown), statements)
                specs = [exports._sql_column(view.datamodel, column) for column in view.list_columns]
                if all(spec is not None for spec in specs):
                    query = exports._query(view, filters, *order)
                    formatters = [view.formatters_columns.get(column) for column in view.list_columns]
                    assert _as_written(shown) == _as_written(exports.object_rows(view, query, formatters)), view
                    in_sql.add(type(view).__name__)
                if type(view).__name__ == "ArchiveView":
                    archive_rows = shown
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert "ArchiveView" in in_sql
    with app.test_request_context(), force_locale("zh"):
        gaps = [str(gap) for gap in COMPLETENESS_GAPS]
        column = view_named(app, "ArchiveView").list_columns.index("completeness_gaps_mask")
        with app.app_context():
            numbers = {name: db.session.get(HealthArchive, archive_id).archive_number
                       for name, archive_id in archives.items()}
    shown = {row[0]: str(row[column]) for row in archive_rows}
    assert {name: shown[number] for name, number in numbers.items()} == {
        "complete": "规范", "no hazard, no table 4.4": "规范",
        "date established": f"缺：{gaps[0]}", "table 4.1": f"缺：{gaps[1]}", "table 4.4": f"缺：{gaps[2]}",
        "review": f"缺：{gaps[3]}", "everything": "缺：" + "；".join(gaps)}
