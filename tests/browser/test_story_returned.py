"""A returned patrol as the clerk meets it (issue 13, finding 7), at 1366×900: the district returns it with a
reason; the clerk's home page announces it with the reason and a link; after the correction and the new
submission the record shows no review of its own until the district reviews it again; once accepted, the
clerk's list offers neither edit nor delete on its row."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS, answer_and_save_a_patrol, state_of

REASON = "整改期限未写明，请补充后重新上报"
SCREEN = {"width": 1366, "height": 900}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"returned-{name}.png"), full_page=True)


def test_a_returned_patrol_is_announced_corrected_resubmitted_and_locked(portal, page_as):
    clerk = page_as("clerk")
    clerk.set_viewport_size(SCREEN)
    employer = clerk.request.get(f"{portal}/patrols/picker/employer?form=add&q=&page=1").json()["results"][1]
    name = employer["text"].split("（")[0]
    clerk.goto(f"{portal}/patrols/add?employer={employer['id']}")  # the register fills the form
    expect(clerk.locator("#employer + .select2-container")).to_contain_text(name)
    patrol_url, patrol_id = answer_and_save_a_patrol(clerk, "退回故事：警示标识缺失")
    clerk.click("button:has-text('上报区级')")
    assert state_of(clerk) == "已上报"

    district = page_as("district")
    district.set_viewport_size(SCREEN)
    district.goto(patrol_url)
    district.click("a:has-text('退回街道（乡镇）')")
    district.fill("#reason", REASON)
    district.click("button[type=submit]:has-text('退回街道（乡镇）')")
    district.goto(patrol_url)
    assert state_of(district) == "已退回"
    reviewer = re.search(r"审核人\s+(.+)", district.locator(".workflow-panel p").first.inner_text()).group(1).strip()

    # The clerk's home page says so, apart from the drafts: which record, why, who returned it and when.
    clerk.goto(f"{portal}/")
    returned = clerk.locator(".returned-records")
    expect(returned).to_contain_text("被区县退回的记录")
    row = returned.locator("tr", has=clerk.locator(f"a[href='/patrols/show/{patrol_id}']"))
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text(reviewer)
    expect(returned.locator("a:has-text('查看全部退回记录')")).to_have_attribute("href", re.compile(r"/due/returned"))
    shot(clerk, "1-home")
    row.locator(f"a[href='/patrols/show/{patrol_id}']").click()
    clerk.wait_for_url(re.compile(rf"/patrols/show/{patrol_id}"))
    expect(clerk.locator(".workflow-panel")).to_contain_text(REASON)

    clerk.click(".workflow-panel a:has-text('编辑')")
    clerk.fill("#disposal", "当场督促整改，限期7日内设置警示标识")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.goto(patrol_url)
    clerk.click("button:has-text('上报区级')")
    assert state_of(clerk) == "已上报"
    panel = clerk.locator(".workflow-panel")
    for stale in ("审核时间", "审核人", REASON):  # awaiting a new review: the last one is not shown as this one
        expect(panel).not_to_contain_text(stale)
    shot(clerk, "2-resubmitted")
    clerk.goto(f"{portal}/")
    expect(clerk.locator(f".returned-records a[href='/patrols/show/{patrol_id}']")).to_have_count(0)

    district.goto(patrol_url)
    district.click("button:has-text('审核通过')")
    district.goto(patrol_url)
    assert state_of(district) == "已通过"
    expect(district.locator(".workflow-panel")).to_contain_text("审核时间")

    clerk.goto(f"{portal}/patrols/list/?_flt_0_employer={employer['id']}")
    row = clerk.locator("table.table-bordered tr", has=clerk.locator(f"a[href*='/patrols/show/{patrol_id}']"))
    expect(row).to_contain_text("已通过")
    expect(row.locator("a[href*='/patrols/edit/'], a[id^='btn-delete-']")).to_have_count(0)
    shot(clerk, "3-list")
    clerk.goto(f"{portal}/patrols/edit/{patrol_id}")  # typed by hand: the server still refuses
    expect(clerk.locator("body")).to_contain_text("该记录已上报")
    assert f"/patrols/edit/{patrol_id}" not in clerk.url
