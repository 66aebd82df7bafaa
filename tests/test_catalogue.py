"""The hazard-factor catalogue (issue 14 item 4): 《职业病危害因素分类目录》(国卫疾控发〔2015〕92号) in full —
"粉尘 52, 化学因素 375, 物理因素 15, 放射性因素 8, 生物因素 6, 其他因素 3" — typed once into
app/seed/data/hazard_factors.csv, seeded with its numbering and CAS numbers, and searched by the pickers."""
import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.models import HazardCategory, HazardFactor, db
from app.seed.dictionaries import HAZARD_CATALOGUE, HAZARD_CATEGORIES, hazard_catalogue, hazard_factor_code

PER_CATEGORY = {"1": 52, "2": 375, "3": 15, "4": 8, "5": 6, "6": 3}
CAS = re.compile(r"\d{2,7}-\d{2}-\d")


def cas_check_digit_ok(number: str) -> bool:
    """CAS: the last digit is the sum of the other digits, each times its place from the right, mod 10."""
    body, check = number[:-2].replace("-", ""), int(number[-1])
    return sum(place * int(digit) for place, digit in enumerate(reversed(body), start=1)) % 10 == check


def test_the_data_file_names_its_source():
    head = HAZARD_CATALOGUE.read_text(encoding="utf-8").splitlines()[0]
    assert "职业病危害因素分类目录" in head and "国卫疾控发〔2015〕92号" in head


def test_the_catalogue_counts_52_375_15_8_6_3_factors():
    rows = hazard_catalogue()
    assert Counter(row["category"] for row in rows) == PER_CATEGORY
    assert len(rows) == 459
    assert [code for code, _ in HAZARD_CATEGORIES] == list(PER_CATEGORY)


@pytest.mark.parametrize("category", PER_CATEGORY)
def test_numbering_is_contiguous_and_names_unique_within_a_category(category):
    rows = [row for row in hazard_catalogue() if row["category"] == category]
    assert [row["number"] for row in rows] == list(range(1, PER_CATEGORY[category] + 1))
    names = [row["name"] for row in rows]
    assert len(set(names)) == len(names)
    if category != "6":  # "以上未提及的可导致职业病的其他…" closes each category but 其他因素
        assert names[-1].startswith("以上未提及的可导致职业病的其他")


def test_every_cas_number_is_well_formed_and_passes_its_check_digit():
    numbers = []
    for row in hazard_catalogue():
        if row["cas"]:
            found = CAS.findall(row["cas"])
            assert found, row
            numbers += found
    assert len(numbers) > 300
    assert [n for n in numbers if not cas_check_digit_ok(n)] == []
    assert not cas_check_digit_ok("7440-67-2")  # a mistyped check digit is caught


def test_known_entries_keep_their_number_and_cas():
    by_code = {hazard_factor_code(row["category"], row["number"]): row for row in hazard_catalogue()}
    assert by_code["1001"]["name"].startswith("矽尘") and by_code["1001"]["cas"] == "14808-60-7"
    assert by_code["1010"]["name"] == "铝尘"
    assert by_code["2028"]["name"] == "苯" and by_code["2028"]["cas"] == "71-43-2"
    assert by_code["2080"]["name"] == "2-二乙氨基乙醇"
    assert by_code["3001"]["name"] == "噪声"
    assert by_code["6003"]["name"].startswith("刮研作业")


def test_the_seeded_dictionary_holds_all_459(app):
    with app.app_context():
        counts = dict(db.session.execute(
            select(HazardCategory.code, func.count(HazardFactor.id)).join(HazardFactor.category)
            .group_by(HazardCategory.code)).all())
        assert counts == PER_CATEGORY
        benzene = db.session.scalar(select(HazardFactor).where(HazardFactor.code == "2028"))
        assert (benzene.name, benzene.cas_number, benzene.category.name) == ("苯", "71-43-2", "化学因素")


def test_the_picker_searches_the_catalogue_by_name_cas_and_code(app, city, login):
    client = login("clerka1")
    add = client.get("/screenings/add").data.decode()
    assert add.count("2-二乙氨基乙醇") == 0  # the 459 are not written into the page
    url = "/screenings/picker/hazards?form=add&q="
    assert [r["text"] for r in client.get(url + "71-43-2").json["results"]] == ["2028 苯"]
    assert "1001 矽尘（游离SiO2含量≥10%）" in [r["text"] for r in client.get(url + "矽尘").json["results"]]
    assert [r["text"] for r in client.get(url + "2080").json["results"]] == ["2080 2-二乙氨基乙醇"]
    first = client.get(url).json
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True


def test_the_migration_moves_the_old_short_lists_factors_to_their_catalogue_codes(tmp_path):
    """A record naming 1,2-二氯乙烷 (old 2016) or 木粉尘 (old 1013) names the same row after the upgrade, now
    二氯乙烷 2035 and 木粉尘 1032; the catalogue's other factors are added."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.test_migrations import migrated_sqlite
    old = [("1", "1001", "矽尘（游离SiO2含量≥10%）"), ("1", "1013", "木粉尘"), ("1", "1016", "以上未提及的可导致职业病的其他粉尘"),
           ("2", "2007", "苯"), ("2", "2016", "1,2-二氯乙烷"), ("2", "2021", "以上未提及的可导致职业病的其他化学因素"),
           ("3", "3001", "噪声")]
    with migrated_sqlite(tmp_path / "catalogue.db") as (directory, city):
        downgrade(directory=directory, revision="0014")
        db.session.commit()
        for code, name in HAZARD_CATEGORIES:
            db.session.execute(text("INSERT INTO hazard_category (code, name, sort_order, active, version) "
                                    "VALUES (:code, :name, 0, 1, 1)"), {"code": code, "name": name})
        for category, code, name in old:
            db.session.execute(text(
                "INSERT INTO hazard_factor (code, name, sort_order, active, version, category_id) VALUES "
                "(:code, :name, 0, 1, 1, (SELECT id FROM hazard_category WHERE code = :category))"),
                {"code": code, "name": name, "category": category})
        ids = dict(db.session.execute(text("SELECT code, id FROM hazard_factor")).all())
        db.session.commit()
        upgrade(directory=directory)
        after = {pk: (code, name) for pk, code, name in db.session.execute(
            text("SELECT id, code, name FROM hazard_factor")).all()}
        assert after[ids["2016"]] == ("2035", "二氯乙烷")
        assert after[ids["1013"]] == ("1032", "木粉尘")
        assert after[ids["1016"]] == ("1052", "以上未提及的可导致职业病的其他粉尘")
        assert after[ids["2007"]] == ("2028", "苯")
        assert after[ids["2021"]] == ("2375", "以上未提及的可导致职业病的其他化学因素")
        assert after[ids["1001"]][0] == "1001" and after[ids["3001"]][0] == "3001"
        assert len(after) == 459 and len({code for code, _ in after.values()}) == 459
