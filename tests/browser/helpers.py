"""What the browser stories do often: read a record's state, search a server-searched picker, choose an offer,
answer and save a patrol."""
import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def state_of(page) -> str:
    return page.locator("#workflow-state").inner_text().strip()


def search_picker(page, select: str, typed: str) -> None:
    """Open the server-searched picker ``select`` (select2) and type into its search box."""
    page.click(f"{select} + .select2-container .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)


def choose(page, label: str) -> None:
    page.click(f".select2-container--open .select2-results__option:has-text('{label}')")


def answer_and_save_a_patrol(page, problems_found: str) -> tuple[str, str]:
    """On a patrol form whose employer is chosen: items 1–6 有, item 7 无, the problems found and 当场督促整改,
    saved. The new patrol's page address and id."""
    for item in range(1, 7):
        page.check(f"input[name='answers-answer-{item}'][value='yes']")
    page.check("input[name='answers-answer-7'][value='no']")
    page.fill("#problems_found", problems_found)
    page.fill("#disposal", "当场督促整改")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url(re.compile(r"/patrols/show/\d+"))
    return page.url, page.url.rstrip("/").split("/")[-1]
