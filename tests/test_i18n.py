"""The UI speaks Chinese by default and English on request; both catalogs cover every string."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

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
