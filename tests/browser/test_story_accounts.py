"""Issue 13, findings 8–11, as people meet them at 1366×900: one 姓名 in the greeting and the menu, the
menu in one row for every role, an audit log a person can read (sign-ins as 登录 rows with the user, a
change as a table of field, old and new value), Chinese page titles, the portal's icon, and a filtered
review list that says it is filtered. Screenshots under test-artifacts/."""
import re
import time

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS

ROLES = ("sysadmin", "secadmin", "auditor", "city", "district", "clerk", "leader")


def at_1366(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"accounts-{name}.png"))


def test_names_menus_audit_log_titles_icon_and_filters_read_as_a_chinese_user_expects(portal, page_as):
    clerk = at_1366(page_as("clerk"))
    expect(clerk.locator("h3").first).to_contain_text("欢迎，乡镇协管员")
    expect(clerk.locator(".navbar-right")).to_contain_text("乡镇协管员")
    expect(clerk.locator(".navbar-right")).not_to_contain_text("乡镇 协管员")
    shot(clerk, "clerk-home")

    for username in ROLES:  # the menu keeps to one row at 1366 px, whoever signs in
        page = clerk if username == "clerk" else at_1366(page_as(username))
        height = page.locator(".navbar").first.bounding_box()["height"]
        tops = page.locator(".navbar-collapse > ul > li").evaluate_all(
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))")
        assert height < 60 and len(set(tops)) == 1, (username, height, tops)
        if username in ("city", "district"):
            shot(page, f"{username}-navbar")
        if username == "sysadmin":
            sysadmin = page
        if username == "auditor":
            auditor = page
        if username == "district":
            district = page

    job_type = f"浏览器工种{int(time.time())}"  # a record of this story's own
    sysadmin.goto(f"{portal}/jobtypeview/add")
    expect(sysadmin.locator(".panel-title").first).to_have_text("新增工种")
    shot(sysadmin, "dictionary-add-title")
    sysadmin.fill("#code", job_type[-6:])
    sysadmin.fill("#name", job_type)
    sysadmin.click("button[type=submit]:has-text('保存')")
    sysadmin.goto(f"{portal}/jobtypeview/list/?_flt_0_name={job_type}")
    sysadmin.click("table.table-bordered.table-hover a[href*='/jobtypeview/edit/']")
    expect(sysadmin.locator(".panel-title").first).to_have_text("编辑工种")
    sysadmin.fill("#name", job_type + "（改）")
    sysadmin.click("button[type=submit]:has-text('保存')")
    assert sysadmin.request.get(f"{portal}/favicon.ico").status == 200
    icon = sysadmin.locator("link[rel=icon]").get_attribute("href")
    assert sysadmin.request.get(f"{portal}{icon}").status == 200

    auditor.goto(f"{portal}/auditlog/list/?_flt_0_username=clerk&_flt_0_action=login")
    clerk_id = auditor.locator("table.table-bordered.table-hover tbody tr").first.locator("td").nth(5).inner_text()
    auditor.goto(f"{portal}/auditlog/list/?_flt_0_entity=PortalUser&_flt_0_record_id={clerk_id.strip()}")
    entries = auditor.locator("table.table-bordered.table-hover tbody tr")  # what happened to the account
    expect(entries.first).to_contain_text(re.compile(r"乡镇协管员（clerk）\s*登录"))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?!\.)", entries.first.inner_text())
    log = auditor.locator("table.table-bordered.table-hover").inner_text()
    assert "修改" not in log and not re.search(r":\d\d\.\d", log)  # a sign-in is no change of the account
    shot(auditor, "audit-sign-ins")
    auditor.goto(f"{portal}/auditlog/list/?_flt_0_entity=JobType&_flt_0_action=update&_flt_0_username=sysadmin")
    auditor.locator("table.table-bordered.table-hover tbody tr").first.locator("a[href*='/auditlog/show/']").click()
    changes = auditor.locator("table.audit-changes")
    expect(changes.locator("thead")).to_have_text(re.compile(r"字段\s*原值\s*新值"))
    expect(changes.locator("tbody tr").filter(has_text="名称")).to_have_text(
        re.compile(rf"名称\s*{job_type}\s*{job_type}（改）"))
    expect(auditor.locator("body")).not_to_contain_text("{'name'")
    shot(auditor, "audit-change-table")

    district.goto(portal)
    district.click("a.btn:has-text('待审核的巡查')")
    filtered = district.locator(".filters-on")
    expect(filtered).to_contain_text(re.compile(r"已筛选：\s*状态\s*等于\s*已上报"))
    shot(district, "filtered-review-list")
    filtered.locator("a:has-text('清除筛选')").click()
    expect(district.locator(".filters-on")).to_have_count(0)
