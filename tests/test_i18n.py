"""The UI speaks Chinese by default and English on request; both catalogs cover every string."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.models import PortalUser, db

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_l": None, "lazy_gettext": None, "gettext": None, "_": None}


def source_messages() -> set[str]:
    found = extract_from_dir(str(ROOT / "app"), method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
                             keywords=KEYWORDS)
    messages = {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}
    with open(ROOT / "config.py", "rb") as config_file:
        from babel.messages.extract import extract_python
        messages |= {message for _, _, message, _ in extract_python(config_file, KEYWORDS, [], {})}
    return messages


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_string_in_the_code_is_translated_and_compiled(locale):
    folder = ROOT / "translations" / locale / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po_file:
        catalog = read_po(po_file)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = source_messages() - set(translated)
    assert not missing, f"untranslated in {locale}: {sorted(missing)}"
    with open(folder / "messages.mo", "rb") as mo_file:
        compiled = {m.id: m.string for m in read_mo(mo_file) if m.id}
    assert compiled == translated, "messages.mo is stale: run pybabel compile -d translations"


def test_chinese_is_the_default_and_english_is_one_click_away(login):
    client = login("clerka1")
    html = client.get("/employers/list/").data.decode()
    assert "企业名称" in html and "档案号" in html and "用人单位" in html
    client.get("/lang/en")
    html = client.get("/employers/list/").data.decode()
    assert "Employer name" in html and "企业名称" not in html
    client.get("/lang/zh")
    assert "企业名称" in client.get("/employers/list/").data.decode()


def test_model_messages_are_chinese_next_to_the_field(city, login):
    response = login("clerka1").post("/employers/add", data={
        "name": "中文提示企业", "org_unit": str(city.unit["a1"]), "total_workers": "5", "female_workers": "9",
        "outsourced_workers": "0", "registered_on": "2026-01-01", "credit_code_pending": "y"})
    assert "女职工人数不能超过在岗职工总人数" in response.data.decode()


# The words a Chinese page may show in Latin letters: the language switch, "Excel", HTML entities.
LATIN_ALLOWED = {"English", "Excel", "nbsp", "laquo", "raquo", "amp"}
PAGES = {
    "clerka1": ["/", "/patrols/list/", "/patrols/add", "/screenings/list/", "/screenings/add", "/employers/list/",
                "/employers/add", "/hazardreports/list/", "/hazardreports/add", "/archives/list/",
                "/patients/list/", "/due/"],
    "districta": ["/", "/patrols/list/", "/screenings/list/", "/reports/rollup", "/patrolregister/",
                  "/score/"],
    "leader": ["/", "/reports/rollup", "/score/ranking"],
    "auditor": ["/", "/auditlog/list/"],
}


def latin_words(html: str, usernames: set[str]) -> set[str]:
    """Words in Latin letters in the text of a page, but for user names (data, not interface; the test
    users' first and last names are their user names)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    names = re.compile("(?:" + "|".join(map(re.escape, sorted(usernames, key=len, reverse=True))) + ")+")
    return {word for word in re.findall(r"\b[A-Za-z]{4,}\b", text)  # a full name is the names run together
            if word not in LATIN_ALLOWED and not names.fullmatch(word)}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_page_speaks_chinese_buttons_and_dialogs_included(app, login, username):
    with app.app_context():
        usernames = set(db.session.scalars(select(PortalUser.username)))
    client = login(username)
    for path in PAGES[username]:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert re.search(r"[\u4e00-\u9fff]", html), path
        assert not latin_words(html, usernames), (path, latin_words(html, usernames))
