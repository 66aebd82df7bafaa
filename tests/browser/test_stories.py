"""Each role's story in a real browser (Debian's chromium driven by Playwright), against the portal
started on loopback with the demo city, in Chinese throughout. A failing step saves a screenshot under
test-artifacts/. The portal, the browser and the signed-in pages are fixtures of tests/browser/conftest.py."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS, answer_and_save_a_patrol, choose, search_picker, state_of


def test_a_patrol_goes_from_the_clerk_to_the_district_and_back_and_is_accepted(portal, page_as):
    clerk = page_as("clerk")
    for form in ("screenings", "patrols"):  # nothing is chosen for the clerk: the picker waits, empty
        clerk.goto(f"{portal}/{form}/add")
        expect(clerk.locator("#employer option[selected]")).to_have_count(0)
        expect(clerk.locator("#employer + .select2-container")).to_contain_text("请输入名称或代码搜索")
    offered = clerk.request.get(f"{portal}/patrols/picker/employer?form=add&q=&page=1").json()["results"]
    employer = offered[len(offered) // 2]
    name = employer["text"].split("（")[0]
    search_picker(clerk, "#employer", name[2:6])  # part of the name: only matches are offered
    offered = clerk.locator(".select2-container--open .select2-results__option")
    expect(offered.filter(has_not_text=name[2:6])).to_have_count(0)
    expect(offered.filter(has_text=name)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    clerk.screenshot(path=str(ARTIFACTS / "patrol-add-employer-picker.png"))
    choose(clerk, employer["text"])
    register = clerk.request.get(f"{portal}/patrols/register?employer={employer['id']}").json()
    expect(clerk.locator("#address")).to_have_value(register["address"] or "")  # the register fills the form
    expect(clerk.locator("#employer + .select2-container")).to_contain_text(name)
    expect(clerk.locator("body")).to_contain_text("巡查内容")
    patrol_url, patrol_id = answer_and_save_a_patrol(clerk, "浏览器测试：防护用品佩戴不规范")
    assert state_of(clerk) == "草稿"
    clerk.click("button:has-text('上报区级')")
    assert state_of(clerk) == "已上报"

    district = page_as("district")
    district.goto(patrol_url)
    district.click("a:has-text('退回街道（乡镇）')")
    district.fill("#reason", "处置方式写得不具体，请补充整改期限")
    district.click("button[type=submit]:has-text('退回街道（乡镇）')")
    district.goto(patrol_url)
    assert state_of(district) == "已退回"

    clerk.goto(patrol_url)
    expect(clerk.locator("body")).to_contain_text("处置方式写得不具体")
    clerk.click("a:has-text('编辑')")
    clerk.fill("#disposal", "当场督促整改，限期7日内完成")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.goto(patrol_url)
    clerk.click("button:has-text('上报区级')")
    assert state_of(clerk) == "已上报"

    district.goto(patrol_url)
    district.click("button:has-text('审核通过')")
    district.goto(patrol_url)
    assert state_of(district) == "已通过"

    clerk.goto(f"{portal}/patrols/list/")  # FAB's list scripts: actions and filters
    expect(clerk.locator("table.table-bordered")).to_contain_text("已通过")
    clerk.click("a.accordion-toggle:has-text('搜索')")
    clerk.click("button:has-text('添加过滤条件')")  # a filter's field is a clone that searches the server too
    clerk.click("a.filter[name='employer']")
    search_picker(clerk, "#filter_form [name='_flt_0_employer']", name[2:6])
    choose(clerk, employer["text"])
    clerk.click("#filter_form button[type=submit]")
    clerk.wait_for_url(re.compile(rf"_flt_0_employer={employer['id']}"))
    expect(clerk.locator("table.table-bordered")).to_contain_text(name)
    clerk.click("a.accordion-toggle:has-text('搜索')")
    expect(clerk.locator("#filter_form [name='_flt_0_employer'] + .select2-container")).to_contain_text(name)
    clerk.goto(f"{portal}/patrols/print/{patrol_id}")
    expect(clerk.locator("button#print")).to_have_text("打印")

    auditor = page_as("auditor")
    auditor.goto(f"{portal}/auditlog/list/?_flt_0_entity=Patrol&_flt_0_record_id={patrol_id}&psize_AuditLogView=100")
    log = auditor.locator("table.table-bordered").inner_text()
    for action in ("新增", "上报", "退回", "审核通过"):
        assert action in log, action
    assert "clerk" in log and "district" in log


def test_a_leader_drills_from_city_to_district_to_township_and_downloads_the_rollup(portal, page_as, tmp_path):
    leader = page_as("leader")
    leader.goto(f"{portal}/reports/rollup?period=2026")
    expect(leader.locator("h3")).to_contain_text("上海市")
    leader.click("table.rollup a:has-text('浦东新区')")
    expect(leader.locator("h3")).to_contain_text("浦东新区")
    township_cell = leader.locator("table.rollup tbody tr").first.locator("td a").first
    township_cell.click()
    expect(leader.locator("h3")).to_contain_text("浦东")
    leader.goto(f"{portal}/reports/rollup?period=2026")
    with leader.expect_download() as download:
        leader.click("a:has-text('导出Excel')")
    saved = tmp_path / "rollup.xlsx"
    download.value.save_as(saved)
    import openpyxl
    sheet = openpyxl.load_workbook(saved).active
    names = [row[0].value for row in sheet.iter_rows(min_row=5) if row[0].value]
    assert "浦东新区" in names and any(str(name).startswith("合计") for name in names)
