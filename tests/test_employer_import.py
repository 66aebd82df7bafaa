"""Excel import of employers: a clerk who keeps a list fills in the template, sees every bad cell, and
either the whole file goes in or nothing does."""
import io
import random
import re
import time
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import xlsxwriter
from sqlalchemy import func, select, update

from app.models import TOWNSHIP, Employer, OrgUnit, PendingImport, PortalUser, RiskClass, db
from app.seed.demo import make_credit_code
from app.seed.dictionaries import DEVELOPMENT_ZONES

HEADERS = ["企业名称 *", "统一社会信用代码", "工作场所所在街道（乡镇） *", "在岗职工总人数", "其中女职工人数",
           "存在职业病危害", "危害风险分类"]

TAKEN = "该统一社会信用代码已被其他用人单位登记；如为其无法人资格的分支机构，请按分支机构登记"
NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()  # within the dates' bound, after today


@pytest.fixture
def names(app, city):
    with app.app_context():
        units = {key: db.session.get(OrgUnit, city.unit[key]) for key in ("a1", "a2", "b1")}
        serious = db.session.scalar(select(RiskClass.name).where(RiskClass.code == "2"))
        return {**{key: unit.name for key, unit in units.items()},
                **{f"{key} label": township_label(unit) for key, unit in units.items()}, "serious": serious}


@pytest.fixture
def twin(app, city):
    """A township of district b named like a1: names repeat across districts, codes within a district don't."""
    with app.app_context():
        unit = OrgUnit(level=TOWNSHIP, code="310104003", name=db.session.get(OrgUnit, city.unit["a1"]).name,
                       parent=db.session.get(OrgUnit, city.unit["b"]))
        db.session.add(unit)
        db.session.commit()
        label, unit_id = township_label(unit), unit.id
    yield label
    with app.app_context():
        db.session.delete(db.session.get(OrgUnit, unit_id))
        db.session.commit()


def township_label(unit) -> str:
    """The template's text for a township: its name and 9-digit code, so a repeated name is still one unit."""
    return f"{unit.name}（{unit.code}）"


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
    """One employer; ``township`` is a key of ``names`` or the cell's text itself (a code, a label)."""
    code = code if code is not None else make_credit_code(random.Random(), "310101")
    return [name, code, names.get(township, township), total, female, hazard,
            names["serious"] if hazard == "是" else None]


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


def imported(app, prefix) -> list[tuple]:
    with app.app_context():
        return [(e.name, e.org_unit.path, e.development_zone.code if e.development_zone else None, e.registered_on)
                for e in db.session.scalars(select(Employer).where(Employer.name.startswith(prefix))
                                            .order_by(Employer.name))]


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
    assert all(v.type == "list" for v in validations) and len(validations) == 12
    assert offered(book, "存在职业病危害") == ["是", "否"]
    assert offered(book, "危害风险分类") == ["一般", "严重"]
    assert offered(book, "工作场所所在街道（乡镇） *") == ["黄浦区1号街道（310101001）",
                                                    "黄浦区2号街道（310101002）"]
    assert offered(book, "开发区（园区）") == DEVELOPMENT_ZONES
    assert "首次登记日期" in headers  # Annex 4 cover's 建档日期


def test_clerk_template_offers_only_their_township_and_another_is_refused(app, login, names):
    client = login("clerka1")
    book = template_of(client)
    assert offered(book, "工作场所所在街道（乡镇） *") == [names["a1 label"]]
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
        # Annex 4 note 1 with the 9-digit township code (统计用区划代码) that holds the district's: code + serial
        assert all(e.archive_number and len(e.archive_number) == 13 for e in imported)
        assert imported[0].archive_number[:9] == "310101001" and imported[2].archive_number[:9] == "310101002"
        assert imported[0].total_workers == 20 and imported[0].has_hazard and imported[0].risk_class.code == "2"
    assert client.post("/employers/import/commit").status_code == 302  # the file is gone: no second import
    assert count_named(app, "整批企业") == 3
    found = problems(upload(client, workbook(rows)).data)  # the same list sent again
    assert found == [(str(n), "统一社会信用代码", TAKEN) for n in (3, 4, 5)]
    assert client.post("/employers/import/commit").status_code == 200
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
    assert found[0][2] == TAKEN
    assert "第4行" in found[1][2]
    client.post("/employers/import/commit")
    assert count_named(app, "重复企业") == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Employer.credit_code == existing,
                                                             Employer.is_branch.is_(False))) == 1


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
    assert problems(response.data) == [("4", "统一社会信用代码", TAKEN)]
    assert count_named(app, "晚到企业") == 0


def test_a_file_that_is_not_a_workbook_is_told_and_another_user_cannot_commit_it(app, login, names):
    client = login("districta")
    assert "不是 Excel 工作簿" in upload(client, b"name,code\n").data.decode()
    upload(client, workbook([row(names, "他人企业1")]))
    login("clerka1")
    assert client.post("/employers/import/commit").status_code == 302
    assert count_named(app, "他人企业") == 0


def test_the_previewed_file_waits_in_the_database_bound_to_its_uploader_for_a_day(app, login, names):
    """Issue 15: "the pending import lives in the database (bound to its uploader, expiring after a day)",
    so that any app server can commit it (tests/test_multiserver.py commits it through another)."""
    client = login("districta")
    upload(client, workbook([row(names, "过期企业1")]))
    with app.app_context():
        districta = db.session.scalar(select(PortalUser.id).where(PortalUser.username == "districta"))
        waiting = select(PendingImport.token).where(PendingImport.user_id == districta)
        [first] = db.session.scalars(waiting).all()
        db.session.execute(update(PendingImport).where(PendingImport.token == first)
                           .values(uploaded_at=datetime.now() - timedelta(hours=25)))
        db.session.commit()
    response = client.post("/employers/import/commit")
    assert response.status_code == 302 and response.headers["Location"].endswith("/employers/import/")
    assert count_named(app, "过期企业") == 0
    upload(client, workbook([row(names, "过期企业2")]))  # a new upload drops the day-old files
    with app.app_context():
        assert first not in db.session.scalars(select(PendingImport.token)).all()
        assert len(db.session.scalars(waiting).all()) == 1


def test_the_import_menu_item_shows_only_to_those_who_may_import(login):
    assert "/employers/import" in login("clerka1").get("/").data.decode()
    assert "/employers/import" not in login("leader").get("/").data.decode()


def test_township_given_by_code_path_or_drop_down_text_is_the_one_meant(app, login, names):
    client = login("districta")
    rows = [row(names, "代码企业1", 310101001),  # the 9-digit code typed into a number cell
            row(names, "代码企业2", "310101002"), row(names, "代码企业3", "310000/310101/310101002/"),
            row(names, "代码企业4", "310000/310101/310101001"), row(names, "代码企业5", names["a2 label"]),
            row(names, "代码企业6", names["a1 label"].replace("（", "(").replace("）", ")")),
            row(names, "代码企业7", names["a2"])]
    assert problems(upload(client, workbook(rows)).data) == []
    assert client.post("/employers/import/commit").status_code == 302
    a1, a2 = "310000/310101/310101001/", "310000/310101/310101002/"
    assert [(name, path) for name, path, *_ in imported(app, "代码企业")] == [
        ("代码企业1", a1), ("代码企业2", a2), ("代码企业3", a2), ("代码企业4", a1), ("代码企业5", a2),
        ("代码企业6", a1), ("代码企业7", a2)]


def test_a_name_shared_by_two_townships_is_told_with_the_candidates_and_a_code_names_one(app, login, names, twin):
    """The 9-digit township code (统计用区划代码) is unique: where a name fits two townships, the code fits one."""
    client = login("cityadmin")
    rows = [row(names, "同名企业1", names["a1"]), row(names, "同名企业2", "310101001"),
            row(names, "同名企业3", names["a1 label"]), row(names, "同名企业4", twin)]
    found = {r: m for r, c, m in problems(upload(client, workbook(rows)).data) if c == "工作场所所在街道（乡镇）"}
    assert set(found) == {"3"}
    assert "多个街道（乡镇）" in found["3"] and names["a1 label"] in found["3"] and twin in found["3"]
    assert count_named(app, "同名企业") == 0
    # District a sees one township of that name: it is the one meant.
    client = login("districta")
    assert problems(upload(client, workbook([row(names, "同名企业5", names["a1"])])).data) == []
    client.post("/employers/import/commit")
    assert [path for _, path, *_ in imported(app, "同名企业")] == ["310000/310101/310101001/"]


def test_a_clerk_naming_another_township_by_its_code_is_refused_as_outside(app, login, names):
    client = login("clerka1")
    rows = [row(names, "越界代码企业1", "310101002"), row(names, "越界代码企业2", names["b1 label"]),
            row(names, "越界代码企业3", "310101099"), row(names, "越界代码企业4", "310101001")]
    found = problems(upload(client, workbook(rows)).data)
    assert found == [("3", "工作场所所在街道（乡镇）", "该街道（乡镇）不在您的管辖范围内"),
                     ("4", "工作场所所在街道（乡镇）", "该街道（乡镇）不在您的管辖范围内"),
                     ("5", "工作场所所在街道（乡镇）", "没有此名称或代码的街道（乡镇）")]
    client.post("/employers/import/commit")
    assert count_named(app, "越界代码企业") == 0


def test_development_zone_and_first_registration_date_are_columns_checked_against_their_rules(app, login, names):
    client = login("districta")
    headers = HEADERS + ["开发区（园区）", "首次登记日期"]
    rows = [row(names, "园区企业1") + [DEVELOPMENT_ZONES[1], "2019-05-01"], row(names, "园区企业2") + ["03", None],
            row(names, "园区企业3") + [None, None]]
    bad = [row(names, "园区坏企业1") + ["火星开发区", None], row(names, "园区坏企业2") + [None, NEXT_MONTH]]
    assert problems(upload(client, workbook(rows + bad, headers)).data) == [
        ("6", "开发区（园区）", "不在列表中，请从下拉列表中选择"), ("7", "首次登记日期", "日期不能晚于今天")]
    assert count_named(app, "园区") == 0
    assert problems(upload(client, workbook(rows, headers)).data) == []
    client.post("/employers/import/commit")
    assert [(name, zone, on) for name, _, zone, on in imported(app, "园区企业")] == [
        ("园区企业1", "02", date(2019, 5, 1)), ("园区企业2", "03", date.today()), ("园区企业3", None, date.today())]


def test_unknown_repeated_and_missing_headers_are_told_by_column_letter_and_block_the_import(app, login, names):
    client = login("districta")
    good = [row(names, "表头企业1"), row(names, "表头企业2")]
    headers = HEADERS + ["备注", "在岗职工总人数"]
    found = problems(upload(client, workbook([r + ["老客户", 30] for r in good], headers)).data)
    assert found == [("2", "H", "“备注”不是模板中的列"), ("2", "I", "“在岗职工总人数”列重复，D列已有该列")]
    assert client.post("/employers/import/commit").status_code == 200
    assert count_named(app, "表头企业") == 0
    found = problems(upload(client, workbook(good, ["企业名称"] + HEADERS[1:2] + [None] + HEADERS[3:])).data)
    assert found == [("2", "工作场所所在街道（乡镇）", "缺少此必填列")]
    stray = [good[0], good[1] + [None, "多余"], row(names, "表头企业3") + [None, "又多余"]]
    found = problems(upload(client, workbook(stray)).data)
    assert found == [("4", "I", "该列有数据但第2行没有表头：请补上表头或清除该列数据")]  # once per column
    client.post("/employers/import/commit")
    assert count_named(app, "表头企业") == 0
    assert problems(upload(client, workbook(good, [h.replace(" *", "") for h in HEADERS])).data) == []
    client.post("/employers/import/commit")
    assert count_named(app, "表头企业") == 2


def with_part(content: bytes, name: str, chunks) -> bytes:
    """The workbook with one part replaced by the bytes of ``chunks``, streamed into the zip as Excel would
    compress them (a part of hundreds of megabytes never exists here whole)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(name, "w") as part:
            for chunk in chunks:
                part.write(chunk)
    return buffer.getvalue()


def refused(response) -> list[tuple[str, str, str]]:
    """The problems of a preview that must not offer the import."""
    html = response.data.decode()
    assert response.status_code == 200
    assert "可以导入" not in html and "/employers/import/commit" not in html
    return problems(response.data)


@pytest.mark.parametrize("part, marker, filler", [
    ("xl/sharedStrings.xml", "巨串企业1", [b"A" * 2 ** 20] * 300),  # one 300 MB name
    ("xl/styles.xml", '<cellXfs count="1">', [b"<xf/>" * 2 ** 18]),  # 262 144 cell formats in 1.3 MB: ~15 s to parse
])
def test_a_small_file_unpacking_to_a_huge_part_is_refused_before_it_is_read(app, login, names, part, marker, filler):
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:  # Excel's way: text in the shared strings
        sheet = book.add_worksheet()
        for number, values in enumerate([["说明"], HEADERS, row(names, "巨串企业1")]):
            sheet.write_row(number, 0, values)
    content = buffer.getvalue()
    head, tail = zipfile.ZipFile(io.BytesIO(content)).read(part).split(marker.encode())
    bomb = with_part(content, part, [head, marker.encode(), *filler, tail])
    assert len(bomb) < 400_000
    client = login("districta")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = upload(client, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5 and peak < 30 * 2 ** 20
    [(_, _, message)] = refused(response)
    assert "解压后" in message
    assert client.post("/employers/import/commit").status_code == 200
    assert count_named(app, "巨串企业") == 0


def blank_rows(content: bytes, first: int, last: int) -> bytes:
    """The workbook with empty formatted rows ``first``..``last`` appended to its sheet, as a sheet
    formatted down to Excel's last row holds them."""
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    rows = [b'<row s="1" customFormat="1"><c s="1"/></row>'] * (last - first + 1)  # numbered by position
    return with_part(content, "xl/worksheets/sheet1.xml", [head, *rows, b"</sheetData>", tail])


@pytest.mark.parametrize("last, told", [(1_048_002, "解压后"), (20_000, "表头以下最多 5000 行（空行也计算在内）")])
def test_blank_rows_count_and_a_sheet_of_a_million_is_refused_at_once(app, login, names, last, told):
    content = blank_rows(workbook([row(names, "空行企业1")]), 4, last)
    client = login("districta")
    started = time.perf_counter()
    found = refused(upload(client, content))
    assert time.perf_counter() - started < 1
    assert len(found) == 1 and told in found[0][2]
    assert client.post("/employers/import/commit").status_code == 200
    assert count_named(app, "空行企业") == 0


def test_each_cell_is_bounded_by_its_columns_length(app, login, names):
    client = login("districta")
    headers = HEADERS + ["工作场所地址（路号）", "生产产品"]
    rows = [row(names, "长" * 5 * 2 ** 20) + [None, None], row(names, "长地址企业") + ["路" * 10_000, None],
            row(names, "长产品企业") + [None, "产" * 100_000], row(names, "长数字企业", total="1" * 5000, female=0) + [None, None]]
    found = refused(upload(client, workbook(rows, headers)))
    assert found == [("3", "企业名称", "超过 200 个字符"), ("4", "工作场所地址（路号）", "超过 200 个字符"),
                     ("5", "生产产品", "超过 2000 个字符"), ("6", "在岗职工总人数", "超过 200 个字符")]
    assert count_named(app, "长") == 0


def test_formula_cells_are_refused_not_read_as_blank(app, login, names):
    client = login("districta")
    rows = [row(names, "公式企业1", total="=5*2", female=0), row(names, '=CONCAT("公式","企业2")')]
    found = refused(upload(client, workbook(rows)))
    assert found == [("3", "在岗职工总人数", "公式单元格请改为数值"), ("4", "企业名称", "公式单元格请改为数值")]
    assert count_named(app, "公式企业") == 0


def test_the_template_keeps_a_township_named_like_a_formula_as_text(app, login, city):
    with app.app_context():
        # short Latin words: the township's name is in the audit log, whose pages must read Chinese
        unit = OrgUnit(level=TOWNSHIP, code="310101009", name="=SUM(1,2)",
                       parent=db.session.get(OrgUnit, city.unit["a"]))
        db.session.add(unit)
        db.session.commit()
        unit_id, label = unit.id, township_label(unit)
    try:
        lists = template_of(login("districta"))["lists"]
        cell = next(cell for column in lists.iter_cols() for cell in column if label in str(cell.value))
        assert (cell.value, cell.data_type) == (label, "s")
    finally:
        with app.app_context():
            db.session.delete(db.session.get(OrgUnit, unit_id))
            db.session.commit()


def test_an_upload_over_the_size_cap_is_refused_unread_with_the_reason(app, login):
    client = login("districta")
    body = io.BytesIO(b"x" * 7 * 2 ** 20)
    for send in (lambda: upload(client, b"x" * (5 * 2 ** 20 + 1)),
                 lambda: client.post("/employers/import/upload", input_stream=body, headers={
                     "Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(7 * 2 ** 20)})):
        response = send()
        assert response.status_code == 302 and response.headers["Location"].endswith("/employers/import/")
        assert "不超过 5 MB" in client.get("/employers/import/").data.decode()
    assert body.tell() == 0  # refused by its length, not spooled to disk first


BRANCH_HEADERS = HEADERS + ["分支机构（无法人资格）", "上级单位统一社会信用代码"]


def test_branches_are_imported_with_their_parents_code_from_the_register_or_the_file(app, login, names, city):
    """Annex 4 cover, note 3: "如填报单位无法人资格，但其上级具有法人资格的，应填写其上级单位的统一社会信用代码". A branch row
    gives its parent's code twice — as its own and as its parent's; the parent is registered already or a
    row of the same file, above or below; the code stays unique among the rows that are no branch."""
    with app.app_context():  # a parent of its own: other tests search the small city's employers by code
        registered = make_credit_code(random.Random(), "310101")
        db.session.add(Employer(name="导入分支的上级单位", org_unit=db.session.get(OrgUnit, city.unit["a1"]),
                                credit_code=registered))
        db.session.commit()
    in_file = make_credit_code(random.Random(), "310101")
    rows = [row(names, "分支导入甲分公司", code=registered) + ["是", registered],
            row(names, "分支导入乙分公司", code="") + ["是", in_file],
            row(names, "分支导入乙总公司", code=in_file) + ["否", None]]
    client = login("clerka1")
    assert problems(upload(client, workbook(rows, BRANCH_HEADERS)).data) == []
    assert client.post("/employers/import/commit").status_code == 302
    with app.app_context():
        found = {e.name: (e.credit_code, e.is_branch, e.parent.credit_code if e.parent else None)
                 for e in db.session.scalars(select(Employer).where(Employer.name.startswith("分支导入")))}
    assert found == {"分支导入甲分公司": (registered, True, registered), "分支导入乙分公司": (in_file, True, in_file),
                     "分支导入乙总公司": (in_file, False, None)}


def test_a_branch_row_with_another_code_an_unknown_parent_or_no_flag_is_told(app, login, names, city):
    with app.app_context():  # a parent of its own: other tests change the small city's codes
        registered = make_credit_code(random.Random(), "310101")
        db.session.add(Employer(name="导入测试的上级单位", org_unit=db.session.get(OrgUnit, city.unit["a1"]),
                                credit_code=registered))
        db.session.commit()
        other = make_credit_code(random.Random(), "310101")
        elsewhere = db.session.get(Employer, city.employer["b1_1"]).credit_code
    rows = [row(names, "坏分支甲", code=other) + ["是", registered],
            row(names, "坏分支乙", code="") + ["是", make_credit_code(random.Random(), "310101")],
            row(names, "坏分支丙", code=registered) + ["否", None],
            row(names, "坏分支丁") + ["否", registered],
            row(names, "坏分支戊", code="") + ["是", elsewhere]]
    told = problems(upload(login("clerka1"), workbook(rows, BRANCH_HEADERS)).data)
    assert [(number, column) for number, column, _ in told] == [
        ("3", "统一社会信用代码"), ("4", "上级单位统一社会信用代码"), ("5", "统一社会信用代码"),  # 5: no flag
        ("6", "上级单位统一社会信用代码"), ("7", "上级单位统一社会信用代码")]
    assert "辖区" in told[4][2]
    assert count_named(app, "坏分支") == 0


def test_a_date_cell_typed_as_text_is_read_as_the_forms_read_it(app, login, names):
    """A clerk's sheet holds dates typed as text in the forms' usual ways (2019/5/1, 2019年5月1日, 20190501);
    the import reads them as the forms do (app/dates.py), and refuses a text that names no date with the
    forms' message."""
    client = login("districta")
    headers = HEADERS + ["首次登记日期"]
    rows = [row(names, "文本日期企业1") + ["2019/5/1"], row(names, "文本日期企业2") + ["2019年5月2日"],
            row(names, "文本日期企业3") + ["20190503"]]
    bad = [row(names, "文本日期坏企业") + ["2019-02-30"]]
    assert problems(upload(client, workbook(rows + bad, headers)).data) == [
        ("6", "首次登记日期", "日期格式应为 2026-10-15（也可输入 2026/10/15 或 20261015）")]
    assert problems(upload(client, workbook(rows, headers)).data) == []
    client.post("/employers/import/commit")
    assert [on for *_, on in imported(app, "文本日期企业")] == [date(2019, 5, 1), date(2019, 5, 2), date(2019, 5, 3)]
