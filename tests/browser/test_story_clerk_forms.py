"""A township clerk fills a patrol and a screening at 1366×900 as a first-time user would: nothing is chosen
for them, choosing the employer fills in the register without losing what was typed, a failed save lists
every problem at the top and scrolls there, required fields are marked, the date picker speaks Chinese with
the week from Monday, and dates typed as 2026/10/15 or 20261015 are taken."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS, choose, search_picker

GUIZHOU = "贵州省职业健康监督协管巡查个案信息表"
WEEK_FROM_MONDAY = ["一", "二", "三", "四", "五", "六", "日"]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"clerk-forms-{name}.png"))


def employer_with_register(page, portal, form: str, skip: int, needed: str) -> tuple[dict, dict]:
    """An employer of the clerk's township whose register holds ``needed``, and that register as the form's
    endpoint gives it (the stories share the portal: each picks its own offers)."""
    offered = page.request.get(f"{portal}/{form}/picker/employer?form=add&q=&page=1").json()["results"]
    for employer in offered[skip:]:
        register = page.request.get(f"{portal}/{form}/register?employer={employer['id']}").json()
        if register.get(needed):
            return employer, register
    raise AssertionError(f"no employer with {needed} in the register")


def pick_employer(page, employer: dict) -> None:
    search_picker(page, "#employer", employer["text"].split("（")[0][-4:])
    choose(page, employer["text"])


def summary_fields(page) -> list[str]:
    return page.locator("#form-error-summary a[data-field]").evaluate_all(
        "links => links.map(link => link.dataset.field)")


def test_a_clerk_fills_a_patrol_and_a_screening_without_losing_anything(portal, page_as):
    clerk = page_as("clerk")
    clerk.set_viewport_size({"width": 1366, "height": 900})

    clerk.goto(f"{portal}/patrols/add")
    expect(clerk.locator("#employer")).to_have_value("")  # nothing chosen for the clerk
    expect(clerk.locator("#employer option[selected]")).to_have_count(0)
    clerk.evaluate("window.typedOnThisPage = true")  # a reload of the page would forget it
    for item in range(1, 7):
        clerk.check(f"input[name='answers-answer-{item}'][value='yes']")
    clerk.fill("#problems_found", "防护用品佩戴不规范")
    clerk.fill("#contact_person", "现场联系人赵六")
    employer, register = employer_with_register(clerk, portal, "patrols", 1, "address")
    pick_employer(clerk, employer)
    expect(clerk.locator("#address")).to_have_value(register["address"])  # from the register
    expect(clerk.locator("#legal_representative")).to_have_value(register["legal_representative"] or "")
    if register["production_status"]:
        expect(clerk.locator("#production_status")).to_have_value(str(register["production_status"]["id"]))
    expect(clerk.locator("#contact_person")).to_have_value("现场联系人赵六")  # typed: kept
    expect(clerk.locator("#problems_found")).to_have_value("防护用品佩戴不规范")
    for item in range(1, 7):
        expect(clerk.locator(f"input[name='answers-answer-{item}'][value='yes']")).to_be_checked()
    assert clerk.evaluate("window.typedOnThisPage") is True and clerk.url.endswith("/patrols/add")
    shot(clerk, "patrol-filled-from-register")

    shanghai = clerk.locator("#template + .select2-container .select2-selection__rendered").get_attribute("title")
    for template in (GUIZHOU, shanghai):  # another checklist, and back: the answers of the same items stay
        clerk.click("#template + .select2-container .select2-selection")
        clerk.click(f".select2-container--open .select2-results__option:has-text('{template}')")
        expect(clerk.locator("#answers")).to_contain_text("群众投诉举报情况" if template == GUIZHOU else "可能存在的其他违法行为")
        # Guizhou Annex 1 prints 法定代表人 but no 联系人 or 生产经营状况: the form shows the template's own fields
        shown, hidden = (("#legal_representative", "#production_status-label") if template == GUIZHOU
                         else ("#production_status-label", "#legal_representative"))
        expect(clerk.locator(shown)).to_be_visible()
        expect(clerk.locator(hidden)).to_be_hidden()
        if template == GUIZHOU:
            expect(clerk.locator("input[name='answers-answer-2'][value='na']")).to_be_visible()  # 合理缺项
        for item in range(1, 7):
            expect(clerk.locator(f"input[name='answers-answer-{item}'][value='yes']")).to_be_checked()
    assert clerk.evaluate("window.typedOnThisPage") is True

    for field in ("employer", "template", "answers", "production_status", "visit_date"):
        expect(clerk.locator(f"label[for='{field}'] strong")).to_have_text("*")
    expect(clerk.locator("table.checklist th", has_text="有/无").locator("strong")).to_have_text("*")

    clerk.click("#visit_date")
    picker = clerk.locator(".datepicker-dropdown .datepicker-days")
    expect(picker).to_be_visible()
    assert picker.locator("th.dow").all_inner_texts() == WEEK_FROM_MONDAY
    expect(picker.locator(".datepicker-switch")).to_have_text(re.compile(r"^\d{4}年\d{2}月$"))
    shot(clerk, "patrol-date-picker")
    clerk.keyboard.press("Escape")

    clerk.fill("#visit_date", "2026-13-45")  # and item 7 left unanswered
    clerk.click("button[type=submit]:has-text('保存')")
    summary = clerk.locator("#form-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_in_viewport()  # the page is at the problems, not 3 000 px above them
    assert summary_fields(clerk) == ["answers", "visit_date"]
    expect(summary).to_contain_text("7")
    expect(summary).to_contain_text("日期格式应为 2026-10-15")
    expect(clerk.locator("#problems_found")).to_have_value("防护用品佩戴不规范")
    shot(clerk, "patrol-problems-summary")
    clerk.click("#form-error-summary a[data-field='answers']")
    expect(clerk.locator("#answers")).to_be_in_viewport()
    clerk.check("input[name='answers-answer-7'][value='no']")
    clerk.fill("#visit_date", "2026/10/15")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.wait_for_url(re.compile(r"/patrols/show/\d+"))
    expect(clerk.locator("body")).to_contain_text("2026-10-15")
    expect(clerk.locator("body")).to_contain_text("现场联系人赵六")

    clerk.goto(f"{portal}/screenings/add")
    expect(clerk.locator("#employer")).to_have_value("")
    for field in ("training_coverage", "detection_status", "exam_status"):  # no default to contradict counts
        expect(clerk.locator(f"#{field}")).to_have_value("")
        expect(clerk.locator(f"label[for='{field}'] strong")).to_have_text("*")
    clerk.fill("#products", "现场所见：铸件")
    for field, count in (("exposed_total", "2"), ("exposed_dust", "2"), ("workers_trained", "2"),
                         ("exam_due_count", "2"), ("exam_done_count", "3")):
        clerk.fill(f"#{field}", count)
    employer, register = employer_with_register(clerk, portal, "screenings", 2, "employer_name")
    pick_employer(clerk, employer)
    expect(clerk.locator("#employer_name")).to_have_value(register["employer_name"])
    expect(clerk.locator("#products")).to_have_value("现场所见：铸件")
    expect(clerk.locator("#exposed_total")).to_have_value("2")
    clerk.locator("#hazards").evaluate("select => jQuery(select).val(null).trigger('change')")  # none named
    clerk.fill("#visit_date", "20261015")
    clerk.click("button[type=submit]:has-text('保存')")
    expect(clerk.locator("#form-error-summary")).to_be_in_viewport()
    # Annex 2 "粉尘种类…接触人数": two workers exposed to dust, and no dust named
    assert summary_fields(clerk) == ["exposed_dust", "training_coverage", "detection_status", "exam_status",
                                     "exam_done_count"]
    expect(clerk.locator("#visit_date")).to_have_value("2026-10-15")  # read, and shown as the form writes it
    shot(clerk, "screening-problems-summary")
    for field, value in (("training_coverage", "all"), ("detection_status", "none"), ("exam_status", "partial")):
        clerk.locator(f"#{field}").evaluate("(select, value) => jQuery(select).val(value).trigger('change')",
                                            value)
    search_picker(clerk, "#hazards", "矽尘")
    choose(clerk, "矽尘")
    clerk.fill("#exam_done_count", "1")
    clerk.fill("#exam_report_number", "TJ2026-015")  # asked for once some were examined
    clerk.fill("#exam_agency", "区疾病预防控制中心")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.wait_for_url(re.compile(r"/screenings/show/\d+"))
    expect(clerk.locator("body")).to_contain_text("2026-10-15")
    expect(clerk.locator("body")).to_contain_text("现场所见：铸件")
    expect(clerk.locator("body")).to_contain_text("矽尘")
    shot(clerk, "screening-saved")
