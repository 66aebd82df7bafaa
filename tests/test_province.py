"""Issue 15, item 3 — "A province tier. The hierarchy accepts a province above the cities (province → city →
district/county → township; a municipality such as Shanghai or Chongqing keeps three levels), with GB/T 2260
codes for province, city and county and the official 9-digit township code (统计用区划代码, 6 + 3 digits) …
Scoping, roles (a province admin, a provincial leader), the rollup with drill-down, the due lists, the
score's rankings and the register work at every level; a demo province … is available by a flag."

A small Guizhou beside the small Shanghai of conftest: 贵阳市 (南明区 with two townships, 云岩区 with one) and
遵义市 (红花岗区 with one), three employers per township, and a user per role at each tier."""
import random
import re
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from app.models import CITY, DISTRICT, PROVINCE, TOWNSHIP, Employer, OrgUnit, Patrol, PortalUser, RiskClass, db
from app.models.checklist import ABSENT
from app.reports.due import DUE_LISTS, count
from app.reports.engine import rollup
from app.reports.indicators import INDICATORS_BY_CODE
from app.reports.periods import parse_period
from app.reports.score import ranking
from app.roles import (CITY_ADMIN, DISTRICT_ADMIN, LEADER, PROVINCE_ADMIN, PROVINCIAL_LEADER, SECURITY_ADMIN,
                       TOWNSHIP_CLERK)
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD
from tests.test_accounts import role_id, roles_of, save_account
from tests.test_migrations import migrated_sqlite
from tests.test_scoping import employers_listed

YEAR = date.today().year


@pytest.fixture(scope="module")
def guizhou(app, city) -> SimpleNamespace:
    rng = random.Random(520)
    with app.app_context():
        serious = db.session.scalars(select(RiskClass).where(RiskClass.code == "2")).one()
        province = OrgUnit(level=PROVINCE, code="520000", name="贵州省")
        gy = OrgUnit(level=CITY, code="520100", name="贵阳市", parent=province)
        zy = OrgUnit(level=CITY, code="520300", name="遵义市", parent=province)
        nm = OrgUnit(level=DISTRICT, code="520102", name="南明区", parent=gy)
        yy = OrgUnit(level=DISTRICT, code="520103", name="云岩区", parent=gy)
        hh = OrgUnit(level=DISTRICT, code="520302", name="红花岗区", parent=zy)
        units = {"province": province, "gy": gy, "zy": zy, "nm": nm, "yy": yy, "hh": hh,
                 "nm1": OrgUnit(level=TOWNSHIP, code="520102001", name="南明1街道", parent=nm),
                 "nm2": OrgUnit(level=TOWNSHIP, code="520102100", name="南明2镇", parent=nm),
                 "yy1": OrgUnit(level=TOWNSHIP, code="520103001", name="云岩1街道", parent=yy),
                 "hh1": OrgUnit(level=TOWNSHIP, code="520302001", name="红花岗1街道", parent=hh)}
        db.session.add_all(units.values())
        employers = {}
        for key in ("nm1", "nm2", "yy1", "hh1"):
            for n in (1, 2, 3):
                employers[f"{key}_{n}"] = Employer(
                    name=f"贵州{units[key].name}企业{n}", org_unit=units[key], total_workers=30, female_workers=5,
                    credit_code=make_credit_code(rng, units[key].parent.code), has_hazard=n != 3,
                    risk_class=serious if n != 3 else None, hazard_declared=n == 1,
                    declared_on=date(YEAR - 1, 3, 1) if n == 1 else None)
        db.session.add_all(employers.values())
        sm = app.appbuilder.sm
        users = {"provadmin": (PROVINCE_ADMIN, "province"), "provlead": (PROVINCIAL_LEADER, "province"),
                 "gycityadmin": (CITY_ADMIN, "gy"), "gyleader": (LEADER, "gy"),
                 "nmdistrict": (DISTRICT_ADMIN, "nm"), "nmclerk": (TOWNSHIP_CLERK, "nm1")}
        for username, (role, unit) in users.items():
            db.session.add(make_user(sm, username, role, units[unit], PASSWORD))
        db.session.commit()
        return SimpleNamespace(unit={key: unit.id for key, unit in units.items()},
                               employer={key: e.id for key, e in employers.items()})


def unit(key, guizhou) -> OrgUnit:
    return db.session.get(OrgUnit, guizhou.unit[key])


# -- the model's rules -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("level, code, parent_key, field", [
    (PROVINCE, "520100", None, "code"),        # a province code ends in 0000
    (PROVINCE, "530000", "gy", "parent"),      # a province has no parent
    (CITY, "520000", "province", "code"),      # a city in a province ends in 00, not 0000
    (CITY, "530100", "province", "code"),      # another province's digits
    (CITY, "520101", "province", "code"),      # not ending in 00
    (DISTRICT, "520200", "gy", "code"),        # a county code does not end in 00
    (DISTRICT, "520201", "gy", "code"),        # 六盘水's digits under 贵阳
    (DISTRICT, "520104", "province", "parent"),  # a county hangs under a city
    (TOWNSHIP, "520102", "nm", "code"),        # 9 digits
    (TOWNSHIP, "520103001", "nm", "code"),     # the parent county's 6 digits + 3
    (TOWNSHIP, "520102000", "nm", "code"),     # its own 3 digits are 001–999
    (TOWNSHIP, "520102005", "gy", "parent"),   # a township hangs under a county
])
def test_each_tiers_code_follows_gbt_2260_and_its_parent(app, guizhou, level, code, parent_key, field):
    with app.app_context():
        parent = unit(parent_key, guizhou) if parent_key else None
        assert field in OrgUnit(level=level, code=code, name="x", parent=parent).problems()


def test_the_province_and_a_municipality_are_valid_as_they_stand(app, city, guizhou):
    """A municipality such as Shanghai keeps three levels: a city without a province above it."""
    with app.app_context():
        for key in guizhou.unit:
            assert unit(key, guizhou).problems() == {}, key
        assert db.session.get(OrgUnit, city.unit["city"]).problems() == {}
        assert unit("nm2", guizhou).path == "520000/520100/520102/520102100/"
        assert OrgUnit(level=CITY, code="500000", name="重庆市").problems() == {}


def test_a_code_error_is_told_in_chinese_next_to_the_field(app, guizhou, login):
    client = login("provadmin")
    response = client.post("/orgunits/add", data={"level": TOWNSHIP, "code": "520103009", "name": "南明错挂街道",
                                                  "parent": str(guizhou.unit["nm"])})
    page = response.data.decode()
    assert response.status_code == 200 and "alert-danger" in page
    assert "街道（乡镇）的代码应以其上级单位的代码（520102）开头" in page
    response = client.post("/orgunits/add", data={"level": TOWNSHIP, "code": "520102009", "name": "南明新设街道",
                                                  "parent": str(guizhou.unit["nm"])})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OrgUnit.path).where(OrgUnit.name == "南明新设街道")) == \
            "520000/520100/520102/520102009/"
        assert db.session.scalar(select(OrgUnit.id).where(OrgUnit.name == "南明错挂街道")) is None
        db.session.delete(db.session.scalar(select(OrgUnit).where(OrgUnit.name == "南明新设街道")))  # others count townships
        db.session.commit()


def test_an_employer_in_a_province_gets_the_township_code_and_a_serial(app, guizhou):
    """Annex 4 note 1 (district + township code + serial) with the 9-digit code that holds the county's."""
    with app.app_context():
        assert db.session.get(Employer, guizhou.employer["nm2_1"]).archive_number.startswith("520102100")
        assert len(db.session.get(Employer, guizhou.employer["nm2_1"]).archive_number) == 13


# -- the migration ------------------------------------------------------------------------------------------------

def test_migration_0021_turns_two_digit_township_codes_into_nine_and_back(tmp_path):
    with migrated_sqlite(tmp_path / "codes.db") as (directory, _):
        downgrade(directory=directory, revision="0019_latest_screening_cover")
        run = lambda sql: db.session.execute(text(sql))  # noqa: E731
        run("INSERT INTO org_unit (id, level, code, name, parent_id, path, version) VALUES "
            "(1, 'city', '310000', '上海市', NULL, '310000/', 1), "
            "(2, 'district', '310101', '黄浦区', 1, '310000/310101/', 1), "
            "(3, 'township', '07', '外滩街道', 2, '310000/310101/07/', 1)")
        run("INSERT INTO employer (id, name, credit_code_pending, org_unit_id, registered_on, total_workers, "
            "female_workers, outsourced_workers, has_hazard, hazard_declared, version, archive_number) "
            "VALUES (1, '老企业', true, 3, '2024-01-01', 1, 0, 0, false, false, 1, '310101070005')")
        db.session.commit()
        upgrade(directory=directory)
        assert run("SELECT code, path FROM org_unit WHERE id = 3").one() == ("310101007", "310000/310101/310101007/")
        assert run("SELECT archive_number FROM employer").scalar() == "310101070005"  # printed: kept
        db.session.add(Employer(name="新企业", org_unit=db.session.get(OrgUnit, 3), credit_code_pending=True))
        db.session.commit()
        assert run("SELECT archive_number FROM employer WHERE id <> 1").scalar() == "3101010070001"
        downgrade(directory=directory, revision="0019_latest_screening_cover")
        assert run("SELECT code, path FROM org_unit WHERE id = 3").one() == ("07", "310000/310101/07/")
        assert set(run("SELECT archive_number FROM employer").scalars()) == {"310101070005", "310101070001"}


def test_a_province_blocks_the_downgrade_rather_than_losing_a_tier(tmp_path):
    with migrated_sqlite(tmp_path / "province.db") as (directory, _):
        db.session.add(OrgUnit(level=PROVINCE, code="520000", name="贵州省"))
        db.session.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's error and exits
            downgrade(directory=directory, revision="0019_latest_screening_cover")
        db.session.rollback()
        assert db.session.scalar(select(OrgUnit.code).where(OrgUnit.level == PROVINCE)) == "520000"


# -- scoping and roles --------------------------------------------------------------------------------------------

def employers_of(app, *keys, guizhou) -> set[int]:
    with app.app_context():
        paths = [unit(key, guizhou).path for key in keys]
        return {e.id for e in db.session.scalars(select(Employer).join(Employer.org_unit))
                if any(e.org_unit.path.startswith(p) for p in paths)}


@pytest.mark.parametrize("username, keys", [
    ("provadmin", ("province",)), ("provlead", ("province",)), ("gycityadmin", ("gy",)), ("gyleader", ("gy",)),
    ("nmdistrict", ("nm",)), ("nmclerk", ("nm1",)),
])
def test_each_role_sees_the_employers_of_its_own_tier_and_below_only(app, city, guizhou, login, username, keys):
    client = login(username)
    assert employers_listed(client) == employers_of(app, *keys, guizhou=guizhou)
    assert client.get(f"/employers/show/{city.employer['a1_1']}").status_code == 404  # Shanghai is not theirs


def test_the_provincial_leader_reads_but_does_not_write(guizhou, login):
    client = login("provlead")
    assert client.get(f"/employers/show/{guizhou.employer['hh1_1']}").status_code == 200
    assert client.post(f"/employers/edit/{guizhou.employer['hh1_1']}", data={"name": "改名"}).status_code == 403


def test_the_province_admin_gives_the_province_roles_and_a_city_admin_does_not(app, guizhou, login, user):
    staff = user("gzstaff", TOWNSHIP_CLERK, "a1")
    with app.app_context():  # a user of Guizhou's prefecture 贵阳
        db.session.scalar(select(PortalUser).where(PortalUser.username == "gzstaff")).org_unit_id = guizhou.unit["gy"]
        db.session.commit()
    for forged in (PROVINCE_ADMIN, PROVINCIAL_LEADER):
        save_account(login("gycityadmin"), staff, roles=[role_id(app, TOWNSHIP_CLERK), role_id(app, forged)])
        assert roles_of(app, "gzstaff") == {TOWNSHIP_CLERK}
    save_account(login("provadmin"), staff, roles=[role_id(app, PROVINCIAL_LEADER), role_id(app, SECURITY_ADMIN)])
    assert roles_of(app, "gzstaff") == {PROVINCIAL_LEADER}


# -- reports at province and prefecture level ---------------------------------------------------------------------

@pytest.mark.parametrize("root, children", [("province", ["gy", "zy"]), ("gy", ["nm", "yy"])])
def test_the_rollup_of_a_province_lists_its_cities_and_of_a_prefecture_its_counties(app, guizhou, root, children):
    """Declaration rate 申报率: one declared of the two hazardous employers in each township."""
    declaration = INDICATORS_BY_CODE["declaration"]
    with app.app_context():
        total, rows = rollup([declaration], parse_period(str(YEAR)), unit(root, guizhou))
        assert [row.unit.id for row in rows] == [guizhou.unit[key] for key in children]
        townships = {"province": 4, "gy": 3}[root]
        assert (total.values["declaration"].numerator, total.values["declaration"].denominator) == (
            townships, 2 * townships)
        assert sum(row.values["declaration"].denominator for row in rows) == total.values["declaration"].denominator


@pytest.mark.parametrize("target, met", [(0, True), (1, False)])
def test_a_count_target_is_met_by_a_city_or_province_when_every_county_below_meets_it(app, guizhou, target, met):
    """Chongqing Annex 3: 每个区县每年帮扶不少于N家 — judged per county; Guizhou's counties assisted none."""
    sme_count = replace(INDICATORS_BY_CODE["sme_count"], target=target)
    with app.app_context():
        total, rows = rollup([sme_count], parse_period(str(YEAR)), unit("province", guizhou))
        assert total.values["sme_count"].met is met and all(row.values["sme_count"].met is met for row in rows)
        _, counties = rollup([sme_count], parse_period(str(YEAR)), unit("gy", guizhou))
        assert all(row.values["sme_count"].met is met for row in counties)


def test_the_province_admin_drills_down_from_the_province_to_a_citys_employers(guizhou, login):
    client = login("provadmin")
    page = client.get("/reports/rollup").data.decode()
    assert "贵阳市" in page and "遵义市" in page and "黄浦区" not in page
    assert f"unit={guizhou.unit['gy']}" in page
    page = client.get(f"/reports/rollup?unit={guizhou.unit['gy']}").data.decode()
    assert "南明区" in page and "云岩区" in page and "遵义市" not in page.split("<table")[-1]
    gap = client.get(f"/reports/members?unit={guizhou.unit['zy']}&indicator=declaration&part=gap&period={YEAR}")
    assert gap.status_code == 200
    gap = gap.data.decode()
    assert "贵州红花岗1街道企业2" in gap and "南明" not in gap


def test_a_prefecture_admin_cannot_open_the_provinces_rollup(guizhou, login):
    client = login("gycityadmin")
    assert client.get(f"/reports/rollup?unit={guizhou.unit['province']}").status_code == 404
    assert client.get(f"/reports/rollup?unit={guizhou.unit['zy']}").status_code == 404
    assert client.get(f"/reports/rollup?unit={guizhou.unit['nm']}").status_code == 200


def test_every_due_list_of_the_province_is_the_sum_of_its_cities(app, guizhou):
    with app.app_context():
        province, gy, zy = (unit(key, guizhou) for key in ("province", "gy", "zy"))
        for due_list in DUE_LISTS:
            assert count(due_list, province) == count(due_list, gy) + count(due_list, zy), due_list.code
        not_patrolled = next(d for d in DUE_LISTS if d.code == "not_patrolled")
        assert count(not_patrolled, province) >= 4  # the declared employer of each township, unpatrolled


def test_the_province_admins_due_list_shows_guizhous_employers_and_not_shanghais(guizhou, login):
    client = login("provadmin")
    assert client.get("/due/").status_code == 200
    response = client.get("/due/not_patrolled")
    page = response.data.decode()
    assert response.status_code == 200 and "贵州南明1街道企业1" in page and "黄浦区" not in page


def test_the_score_ranks_a_provinces_cities_and_a_prefectures_counties(app, guizhou, login):
    with app.app_context():
        cities = ranking(YEAR, unit("province", guizhou))
        assert [(row.unit.name, row.townships) for row in sorted(cities, key=lambda r: r.unit.code)] == [
            ("贵阳市", 3), ("遵义市", 1)]
        counties = ranking(YEAR, unit("gy", guizhou))
        assert sorted(row.unit.name for row in counties) == ["云岩区", "南明区"]
    page = login("provadmin").get(f"/score/ranking?unit={guizhou.unit['province']}&year={YEAR}")
    assert page.status_code == 200 and "贵阳市" in page.data.decode() and "遵义市" in page.data.decode()
    assert "市级得分为其所辖各乡镇（街道）得分的平均值" in page.data.decode()


def test_the_province_admin_opens_a_townships_register_and_score_but_not_shanghais(app, city, guizhou, login):
    with app.app_context():  # Guizhou's checklist, every item answered 无
        patrol = Patrol(employer=db.session.get(Employer, guizhou.employer["hh1_1"]), visit_date=date(YEAR, 1, 15))
        patrol.fill_answers({number: (ABSENT, None) for number in range(1, 8)})
        db.session.add(patrol)
        db.session.commit()
    client = login("provadmin")
    register = client.get(f"/patrolregister/?unit={guizhou.unit['hh1']}&year={YEAR}")
    assert register.status_code == 200 and "贵州红花岗1街道企业1" in register.data.decode()
    assert client.get(f"/patrolregister/?unit={city.unit['a1']}&year={YEAR}").status_code == 404
    assert client.get(f"/score/?unit={guizhou.unit['hh1']}&year={YEAR}").status_code == 200
    assert client.get(f"/score/?unit={city.unit['a1']}&year={YEAR}").status_code == 404


# -- the demo province ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_province(tmp_path_factory):
    from app import create_app
    from app.cli import prepare_database
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('province') / 'demo.db'}"

    app = create_app(Config)
    with app.app_context():
        app.demo_logins = prepare_database(with_demo=False, with_province=True)
        assert prepare_database(with_demo=False, with_province=True) == app.demo_logins  # once only
    return app


def test_the_demo_flag_builds_guizhou_with_its_9_prefectures_and_88_counties(demo_province):
    from app.seed.demo_province import PREFECTURES
    with demo_province.app_context():
        levels = dict(db.session.execute(select(OrgUnit.level, func.count()).group_by(OrgUnit.level)).all())
        assert levels[PROVINCE] == 1 and levels[CITY] == 9 and levels[DISTRICT] == 88
        assert sorted(db.session.scalars(select(OrgUnit.code).where(OrgUnit.level == CITY))) == [
            "520100", "520200", "520300", "520400", "520500", "520600", "522300", "522600", "522700"]
        assert ("520326", "务川仡佬族苗族自治县") in PREFECTURES[("520300", "遵义市")]
        units = db.session.scalars(select(OrgUnit)).all()
        assert all(u.problems() == {} for u in units)
        assert all(re.fullmatch(r"\d{9}", u.code) and u.code.startswith(u.parent.code)
                   for u in units if u.level == TOWNSHIP)
        assert db.session.scalar(select(func.count(Employer.id))) > 300
        assert db.session.scalar(select(func.count(Patrol.id))) > 0
    assert {username for _, username, _ in demo_province.demo_logins} == {
        "province", "provleader", "gycity", "gydistrict", "gyclerk"}


def test_the_demo_province_admin_sees_the_nine_prefectures_in_the_rollup(demo_province):
    client = demo_province.test_client()
    client.post("/login/", data={"username": "province", "password": "Demo@2026!"})
    page = client.get("/reports/rollup").data.decode()
    assert all(name in page for name in ("贵阳市", "六盘水市", "黔南布依族苗族自治州"))
