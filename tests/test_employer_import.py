"""Excel import of employers: a clerk who keeps a list fills in the template, sees every bad cell, and
either the whole file goes in or nothing does."""
import io
import random
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from app.models import Employer, OrgUnit, RiskClass, db
from app.seed.demo import make_credit_code

HEADERS = ["企业名称 *", "统一社会信用代码", "工作场所所在街道（乡镇） *", "在岗职工总人数", "其中女职工人数",
           "存在职业病危害", "危害风险分类"]


@pytest.fixture
def names(app, city):
    with app.app_context():
        units = {key: db.session.get(OrgUnit, city.unit[key]).name for key in ("a1", "a2", "b1")}
        serious = db.session.scalar(select(RiskClass.name).where(RiskClass.code == "2"))
        return {**units, "serious": serious}


def workbook(rows, headers=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["说明"])
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(names, name, township="a1", code=None, total=20, female=5, hazard="是"):
    code = code if code is not None else make_credit_code(random.Random(), "310101")
    return [name, code, names[township], total, female, hazard, names["serious"] if hazard == "是" else None]


def upload(client, content):
    return client.post("/employers/import/upload", data={"file": (io.BytesIO(content), "list.xlsx")},
                       content_type="multipart/form-data")


def problems(html: bytes) -> list[tuple[str, str, str]]:
    table = re.search(r'id="import-problems".*?<tbody>(.*?)</tbody>', html.decode(), re.S)
    if table is None:
        return []
    return [tuple(cell.strip() for cell in re.findall(r"<td>(.*?)</td>", line, re.S))
            for line in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]


def count_named(app, prefix):
    with app.app_context():
        return db.session.scalar(select(func.count(Employer.id)).where(Employer.name.startswith(prefix)))


def template_of(client):
    response = client.get("/employers/import/template")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


def offered(book, header) -> list[str]:
    """The values of the drop-down on a column, read from the hidden sheet its validation points at."""
    sheet = book.worksheets[0]
    letter = openpyxl.utils.get_column_letter([cell.value for cell in sheet[2]].index(header) + 1)
    validation = next(v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(f"{letter}3:"))
    source = validation.formula1.split("!")[1].replace("$", "").split(":")
    return [row[0].value for row in book["lists"][source[0]:source[1]]]


def test_template_has_chinese_headers_instructions_and_dropdowns(login):
    book = template_of(login("districta"))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["企业名称 *", "统一社会信用代码", "尚未取得统一社会信用代码"]
    assert set(HEADERS) <= set(headers)
    assert "从第3行起" in sheet["A1"].value
    validations = sheet.data_validations.dataValidation
    assert all(v.type == "list" for v in validations) and len(validations) == 10
    assert offered(book, "存在职业病危害") == ["是", "否"]
    assert offered(book, "危害风险分类") == ["一般", "严重"]
    assert offered(book, "工作场所所在街道（乡镇） *") == ["黄浦区1号街道", "黄浦区2号街道"]


def test_clerk_template_offers_only_their_township_and_another_is_refused(app, login, names):
    client = login("clerka1")
    book = template_of(client)
    assert offered(book, "工作场所所在街道（乡镇） *") == [names["a1"]]
    response = upload(client, workbook([row(names, "导入甲", "a1"), row(names, "导入乙", "a2")]))
    assert ("4", "工作场所所在街道（乡镇）", "该街道（乡镇）不在您的管辖范围内") in problems(response.data)
    assert client.post("/employers/import/commit").status_code == 200
    assert count_named(app, "导入") == 0


def test_good_file_previews_clean_and_inserts_every_row_with_archive_numbers(app, login, names):
    client = login("districta")
    rows = [row(names, f"整批企业{n}", "a1" if n < 3 else "a2") for n in (1, 2, 3)]
    response = upload(client, workbook(rows))
    assert response.status_code == 200 and problems(response.data) == []
    assert "3" in response.data.decode() and "整批企业2" in response.data.decode()
    assert count_named(app, "整批企业") == 0  # the preview writes nothing
    response = client.post("/employers/import/commit")
    assert response.status_code == 302
    with app.app_context():
        imported = db.session.scalars(select(Employer).where(Employer.name.startswith("整批企业"))
                                      .order_by(Employer.name)).all()
        assert [e.credit_code for e in imported] == [r[1] for r in rows]
        assert all(e.archive_number and len(e.archive_number) == 12 for e in imported)
        assert imported[0].archive_number[:8] == "31010101" and imported[2].archive_number[:8] == "31010102"
        assert imported[0].total_workers == 20 and imported[0].has_hazard and imported[0].risk_class.code == "2"
    assert client.post("/employers/import/commit").status_code == 302  # the file is gone: no second import
    assert count_named(app, "整批企业") == 3


def test_bad_row_lists_each_bad_cell_and_commit_changes_nothing(app, login, names):
    client = login("districta")
    rows = [row(names, "坏批企业1"), row(names, "坏批企业2", code="91310101ABCDEFGH12", female=30),
            row(names, "坏批企业3", "b1"), row(names, "坏批企业4", hazard="也许")]
    response = upload(client, workbook(rows))
    found = problems(response.data)
    assert {(r, c) for r, c, _ in found} == {("4", "统一社会信用代码"), ("4", "其中女职工人数"),
                                            ("5", "工作场所所在街道（乡镇）"), ("6", "存在职业病危害")}
    reasons = {(r, c): m for r, c, m in found}
    assert reasons[("4", "其中女职工人数")] == "女职工人数不能超过在岗职工总人数"
    assert "不在您的管辖范围内" in reasons[("5", "工作场所所在街道（乡镇）")]
    assert client.post("/employers/import/commit").status_code == 200
    assert count_named(app, "坏批企业") == 0


def test_duplicates_in_database_and_in_file_are_reported_once_and_nothing_doubled(app, login, names, city):
    with app.app_context():
        existing = db.session.get(Employer, city.employer["a1_1"]).credit_code
    client = login("districta")
    twin = make_credit_code(random.Random(), "310101")
    rows = [row(names, "重复企业1", code=existing), row(names, "重复企业2", code=twin),
            row(names, "重复企业3", code=twin.lower())]
    found = problems(upload(client, workbook(rows)).data)
    assert [(r, c) for r, c, _ in found] == [("3", "统一社会信用代码"), ("5", "统一社会信用代码")]
    assert found[0][2] == "该统一社会信用代码已被其他用人单位登记"
    assert "第4行" in found[1][2]
    client.post("/employers/import/commit")
    assert count_named(app, "重复企业") == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Employer.credit_code == existing)) == 1


def test_leader_may_not_import(login):
    client = login("leader")
    assert client.get("/employers/import/template").status_code in (302, 403)
    assert client.post("/employers/import/commit").status_code in (302, 403)


def test_commit_checks_the_file_again_and_refuses_what_changed_since_the_preview(app, login, names, city):
    client = login("districta")
    rows = [row(names, "晚到企业1"), row(names, "晚到企业2")]
    assert problems(upload(client, workbook(rows)).data) == []
    with app.app_context():
        db.session.add(Employer(name="抢先登记企业", org_unit=db.session.get(OrgUnit, city.unit["a2"]),
                                credit_code=rows[1][1]))
        db.session.commit()
    response = client.post("/employers/import/commit")
    assert response.status_code == 200
    assert problems(response.data) == [("4", "统一社会信用代码", "该统一社会信用代码已被其他用人单位登记")]
    assert count_named(app, "晚到企业") == 0


def test_a_file_that_is_not_a_workbook_is_told_and_another_user_cannot_commit_it(app, login, names):
    client = login("districta")
    assert "不是 Excel 工作簿" in upload(client, b"name,code\n").data.decode()
    upload(client, workbook([row(names, "他人企业1")]))
    login("clerka1")
    assert client.post("/employers/import/commit").status_code == 302
    assert count_named(app, "他人企业") == 0


def test_the_import_menu_item_shows_only_to_those_who_may_import(login):
    assert "/employers/import" in login("clerka1").get("/").data.decode()
    assert "/employers/import" not in login("leader").get("/").data.decode()
