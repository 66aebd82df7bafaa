"""The UI speaks Chinese by default and English on request; both catalogs cover every string."""
import json
import re
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.models import Employer, OrgUnit, PortalUser, db
from tests.fieldwork import add_patrol, add_screening

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


# The words in Latin letters a Chinese page may show: the language switch; brand and format names
# (Excel, its xlsx files); the codes of standards (GB/T 4754, the CAS number of a chemical); the medical
# abbreviation the seed form prints (COPD, in Annex 5.1); HTML entities.
LATIN_ALLOWED = {"English", "Excel", "xlsx", "GB", "CAS", "COPD", "nbsp", "laquo", "raquo", "amp"}
# Each role's crawl starts at the home page (its menus and quick links) and the user's own pages.
START = ["/", "/users/userinfo/", "/userinfoeditview/form", "/resetmypassword/form"]
UNFOLLOWED = re.compile(r"^/(logout|lang|static|api|favicon)|/(export|download|delete|action|action_post|"
                        r"print)(/|$)|/picker/")
PAGES_PER_ROLE = 400  # a bound far above what any role reaches (about 120 page kinds)


def page_kind(url: str) -> tuple:
    """Pages that differ only in record ids or argument values are one kind: the crawl reads one of each."""
    parts = urlsplit(url)
    return re.sub(r"/\d+", "/N", parts.path), tuple(sorted({key for key, _ in parse_qsl(parts.query)}))


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text, tooltips and placeholders, and the search panel, which a
    script draws from its data (field names, the filters' operators and their choices)."""
    texts = []
    for arguments in re.findall(r"new AdminFilters\((.*?)\);\s*\}\)\(jQuery\)", html, re.S):
        _, labels, fields, filters, _ = json.loads("[" + arguments.replace("'#filter_form'", '""', 1) + "]")
        texts += [*labels.values(), *(name for names in filters.values() for name in names),
                  *map(visible_text, fields.values())]
    html = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", " ", html, flags=re.S)
    texts += re.findall(r'\b(?:title|placeholder|alt)="([^"]*)"', html)
    texts.append(re.sub(r"<[^>]+>", " ", html))
    return unescape(" ".join(texts))


def latin_words(html: str, usernames: set[str]) -> set[str]:
    """Words in Latin letters a reader sees on a page, but for user names, e-mail addresses and codes
    such as report numbers (data, not interface; the test users' names are their user names)."""
    text = re.sub(r"[\w.+-]+@[\w.-]+", " ", visible_text(html))
    words = re.findall(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])", text)  # not a part of a code (SH-JC-2025-001)
    return {word for word in words if word not in LATIN_ALLOWED | usernames}


def crawl(client, start: list[str]):
    """Each kind of page the signed-in user reaches by following links from ``start`` (GET only; no
    sign-out, language switch, file download or state change), as (url, response)."""
    queue, seen = deque(start), {page_kind(url) for url in start}
    for _ in range(PAGES_PER_ROLE):
        if not queue:
            return
        url = queue.popleft()
        response = client.get(url)
        yield url, response
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in re.findall(r'href="(/[^"#]*)"', response.get_data(as_text=True)):
            link = unescape(link)
            if not UNFOLLOWED.search(link) and page_kind(link) not in seen:
                seen.add(page_kind(link))
                queue.append(link)
    raise AssertionError(f"more than {PAGES_PER_ROLE} kinds of page: the crawl follows something endless")


@pytest.fixture(scope="module")
def records_to_see(app, city):
    """A screening and a patrol, so that their pages are among those crawled whichever tests ran before."""
    return add_screening(app, city), add_patrol(app, city)


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor", "cityadmin", "districta", "clerka1",
                                      "leader"])
def test_every_page_a_role_reaches_speaks_chinese_titles_filters_and_user_pages_included(
        app, login, records_to_see, username):
    with app.app_context():
        # Data, not interface: user names, and the Latin words of employer and org-unit names other tests
        # gave (an employer named "@SUM(A1)" shows on the list and in the audit log).
        usernames = set(db.session.scalars(select(PortalUser.username)))
        usernames |= {word for name in db.session.scalars(select(Employer.name).union(select(OrgUnit.name)))
                      for word in re.findall(r"[A-Za-z]{2,}", name)}
    client = login(username)
    english, reached = {}, []
    for url, response in crawl(client, START):
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        reached.append(url)
        html = response.get_data(as_text=True)
        assert re.search(r"[\u4e00-\u9fff]", html), url
        if words := latin_words(html, usernames):
            english[url] = sorted(words)
    assert not english, english
    assert len(reached) >= 5, reached


def test_the_crawl_reads_dictionary_titles_user_pages_and_the_search_panel(app, login, records_to_see):
    """What the crawl must reach for the test above to mean anything, and what it must see."""
    client = login("sysadmin")
    kinds = {page_kind(url)[0] for url, _ in crawl(client, START)}
    for kind in ("/industryview/list/", "/industryview/show/N", "/industryview/add", "/industryview/edit/N",
                 "/users/list/", "/users/show/N", "/users/add", "/users/edit/N", "/users/userinfo/"):
        assert kind in kinds, kind
    html = client.get("/industryview/list/").get_data(as_text=True)
    assert {"等于", "属于", "不属于"} <= set(visible_text(html).split())  # the filters' operators
    assert latin_words("<p>Show Industry 行业 TJ-2025-08</p>", set()) == {"Show", "Industry"}


def test_a_code_dictionarys_pages_are_titled_in_chinese(app, login):
    client = login("sysadmin")
    with app.app_context():
        from app.models import Industry
        industry = db.session.scalar(select(Industry.id).limit(1))
    titles = {path: re.search(r'<div class="panel-heading">\s*<h4 class="panel-title">(.*?)</h4>',
                              client.get(path).get_data(as_text=True), re.S).group(1).strip()
              for path in ("/industryview/add", f"/industryview/edit/{industry}", f"/industryview/show/{industry}",
                           "/jobtypeview/add")}
    assert titles == {"/industryview/add": "新增行业分类", f"/industryview/edit/{industry}": "编辑行业分类",
                      f"/industryview/show/{industry}": "行业分类", "/jobtypeview/add": "新增工种"}


def test_the_portal_has_an_icon(client, login):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\0\0\1\0"  # an ICO file
    html = login("clerka1").get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html).group(1)
    assert client.get(icon).status_code == 200


def test_a_filtered_list_says_which_filters_apply_and_how_to_clear_them(app, city, login):
    client = login("districta")
    html = client.get("/patrols/list/?_flt_3_state=submitted").get_data(as_text=True)
    line = re.search(r'<div class="alert alert-info filters-on".*?</div>', html, re.S).group(0)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", line)).split())
    assert text == "已筛选： 状态 等于 已上报 清除筛选"
    assert 'href="/patrols/list/"' in line
    employer = city.employer["a1_1"]
    html = client.get(f"/patrols/list/?_flt_0_employer={employer}").get_data(as_text=True)
    assert "用人单位 关联 黄浦区1号街道企业1" in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "filters-on" not in client.get("/patrols/list/").get_data(as_text=True)
    assert "启用 等于 是" in " ".join(unescape(re.sub(r"<[^>]+>", " ", login("sysadmin").get(
        "/jobtypeview/list/?_flt_0_active=y").get_data(as_text=True))).split())
