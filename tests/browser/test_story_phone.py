"""A township clerk fills a patrol on site, on a phone (390×844, touch): the home page, the menu, the patrol
and screening forms with their checklist, the patrol's page and its submit button are usable there — every
field, hint, checklist row and button inside the screen, no text cut off inside its panel, each label above
its field. At 1366 px the forms keep their labels beside the fields. Full-page screenshots of each page are
kept in test-artifacts/phone-*.png."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS, choose, state_of

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# What must lie wholly inside the screen's width, by what it is to the clerk. A select2 picker hides its
# select and shows a .select2-container; hints are Flask-AppBuilder's field descriptions (.help-block).
PARTS = {
    "field": "input:not([type=hidden]), select:not(.select2-hidden-accessible), textarea, .select2-container",
    "hint": ".help-block",
    "checklist row": "table.checklist tr",
    "button": ".btn, button",
}

LAYOUT_PROBLEMS = """(parts) => {
    const width = window.innerWidth;
    const shown = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== "hidden";
    };
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "")
        + ` "${(el.innerText || el.value || "").trim().slice(0, 30)}"`;
    const problems = [];
    for (const [kind, selector] of Object.entries(parts)) {
        for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (shown(el) && (box.left < 0 || box.right > width)) {
                problems.push(`${kind} ${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
            }
        }
    }
    // A panel, cell or box whose content is wider than itself scrolls it sideways or cuts it off. Inputs
    // scroll their own typed text, and a select's width is its options': those are not cut off.
    for (const el of document.querySelectorAll(".container *")) {
        if (shown(el) && !el.matches("input, textarea, select, option, .sr-only")
                && el.clientWidth && el.scrollWidth > el.clientWidth + 1) {
            problems.push(`${describe(el)} cuts off its content: ${el.scrollWidth} px in ${el.clientWidth} px`);
        }
    }
    if (document.documentElement.scrollWidth > width) {
        problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
    }
    return problems;
}"""

LABELLED_FIELDS = """() => {
    const shown = (el) => el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1;
    const pairs = [];
    for (const label of document.querySelectorAll("label[for]")) {
        let field = document.getElementById(label.htmlFor);
        if (field && field.classList.contains("select2-hidden-accessible")) {
            field = field.nextElementSibling;  // the picker the user sees
        }
        if (field && shown(label) && shown(field)) {
            const l = label.getBoundingClientRect(), f = field.getBoundingClientRect();
            pairs.push({label: label.innerText.trim(), label_bottom: l.bottom, label_right: l.right,
                        field_top: f.top, field_left: f.left});
        }
    }
    return pairs;
}"""


def keep_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def look_at(page, name: str) -> None:
    """Check the page's layout on the phone and keep a full-page screenshot of it."""
    keep_screenshot(page, f"phone-{name}")
    problems = page.evaluate(LAYOUT_PROBLEMS, PARTS)
    assert not problems, f"{name} at 390 px:\n" + "\n".join(problems)


def labelled_fields(page, at_least: int) -> list[dict]:
    pairs = page.evaluate(LABELLED_FIELDS)
    assert len(pairs) >= at_least, pairs  # the form's fields are there to be checked
    return pairs


def assert_labels_above_fields(page, at_least: int) -> None:
    beside = [pair["label"] for pair in labelled_fields(page, at_least)
              if pair["label_bottom"] > pair["field_top"] + 0.5]
    assert beside == [], f"labels not above their fields at 390 px: {beside}"


def test_a_clerk_fills_saves_and_submits_a_patrol_on_a_phone(portal, page_as):
    clerk = page_as("clerk", **PHONE)
    expect(clerk.locator("meta[name=viewport]")).to_have_attribute("content", re.compile("width=device-width"))
    expect(clerk.locator(".quick-links")).to_be_visible()
    # The demo clerk has a screening the district returned: its row is a card, each value after its name.
    expect(clerk.locator(".returned-records .due-list td[data-label='退回原因']").first).to_be_visible()
    look_at(clerk, "home")

    # The menu folds into the hamburger button, and opens with a tap.
    menu = clerk.locator(".navbar-collapse")
    expect(menu).to_be_hidden()
    clerk.tap(".navbar-toggle")
    expect(menu).to_have_class(re.compile(r"\bin\b"))  # opened, not still sliding open
    clerk.tap(".navbar-collapse a.dropdown-toggle:has-text('巡查排查')")
    patrols = clerk.locator(".navbar-collapse .dropdown-menu a[href='/patrols/list/']")
    expect(patrols).to_be_visible()
    keep_screenshot(clerk, "phone-menu")
    patrols.tap()
    clerk.wait_for_url(re.compile(r"/patrols/list"))

    clerk.goto(f"{portal}/")
    clerk.locator(".quick-links a:has-text('新增巡查')").tap()
    clerk.wait_for_url(re.compile(r"/patrols/add"))
    expect(clerk.locator("table.checklist tbody tr")).to_have_count(7)
    look_at(clerk, "patrol-add")
    assert_labels_above_fields(clerk, at_least=10)
    clerk.locator("#model_form button[type=submit]").tap()  # saved untouched: refused, the problems shown
    expect(clerk.locator("#model_form .alert-danger").first).to_be_visible()
    look_at(clerk, "patrol-add-refused")

    # The clerk picks the employer through the picker, with the finger.
    offered = clerk.request.get(f"{portal}/patrols/picker/employer?form=add&q=&page=1").json()["results"]
    employer = max(offered, key=lambda offer: len(offer["text"]))  # the longest name shows it whole
    name = employer["text"].split("（")[0]
    clerk.tap("#employer + .select2-container .select2-selection")
    clerk.fill(".select2-container--open .select2-search__field", name[2:6])
    offers = clerk.locator(".select2-container--open .select2-results__option")
    expect(offers.filter(has_not_text=name[2:6])).to_have_count(0)  # the search has answered
    look_at(clerk, "patrol-employer-picker")
    choose(clerk, employer["text"])
    clerk.wait_for_load_state("networkidle")  # the register fills the form
    expect(clerk.locator("#employer + .select2-container")).to_contain_text(employer["text"])

    for item in range(1, 7):
        clerk.locator(f"input[name='answers-answer-{item}'][value='yes']").tap()
    clerk.locator("input[name='answers-answer-7'][value='no']").tap()
    clerk.locator("input[name='answers-note-7']").fill("未发现其他违法行为")
    clerk.fill("#problems_found", "手机填写：车间噪声岗位未佩戴耳塞")
    clerk.fill("#disposal", "当场督促整改")
    look_at(clerk, "patrol-add-filled")
    assert_labels_above_fields(clerk, at_least=10)
    clerk.locator("#model_form button[type=submit]").tap()
    clerk.wait_for_url(re.compile(r"/patrols/show/\d+"))
    patrol_url = clerk.url
    assert state_of(clerk) == "草稿"
    expect(clerk.locator("table.checklist")).to_contain_text("未发现其他违法行为")
    look_at(clerk, "patrol-show")

    clerk.locator(".workflow-panel a:has-text('编辑')").tap()
    clerk.wait_for_url(re.compile(r"/patrols/edit/\d+"))
    expect(clerk.locator("input[name='answers-answer-7'][value='no']")).to_be_checked()
    look_at(clerk, "patrol-edit")
    assert_labels_above_fields(clerk, at_least=10)
    clerk.fill("#disposal", "当场督促整改，限期7日内完成")
    clerk.locator("#model_form button[type=submit]").tap()
    clerk.wait_for_url(patrol_url)  # back on the patrol's page
    expect(clerk.locator("#Home")).to_contain_text("限期7日内完成")
    clerk.locator(".workflow-panel button:has-text('上报区级')").tap()
    expect(clerk.locator("#workflow-state")).to_have_text("已上报")
    look_at(clerk, "patrol-submitted")

    clerk.goto(f"{portal}/screenings/add")
    look_at(clerk, "screening-add")
    assert_labels_above_fields(clerk, at_least=30)


def test_at_1366_px_the_forms_keep_their_labels_beside_the_fields(portal, page_as):
    clerk = page_as("clerk", **DESKTOP)
    for form in ("patrols", "screenings"):
        clerk.goto(f"{portal}/{form}/add")
        keep_screenshot(clerk, f"desktop-{form}-add")
        below = [pair["label"] for pair in labelled_fields(clerk, at_least=10)
                 if pair["label_right"] > pair["field_left"]]
        assert below == [], f"labels not beside their fields at 1366 px on /{form}/add: {below}"
