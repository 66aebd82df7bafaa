"""What the browser stories do often: read a record's state, search a server-searched picker, choose an offer."""
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
