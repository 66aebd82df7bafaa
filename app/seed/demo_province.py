"""The demo province (issue 15, item 3): 贵州省 with its 9 prefecture-level divisions and 88 counties under
their real GB/T 2260 codes (2023), a few made-up townships per county with 9-digit codes (county + 3 digits),
made-up employers and field work, and a login for each province-tier role and for one prefecture, county and
township. Added by ``flask portal init --demo --province`` (or ``run.py --province``) beside the demo city;
deterministic (fixed random seed) and kept small so that it builds in seconds."""
import random

from sqlalchemy import exists, select

from app.models import CITY, DISTRICT, PROVINCE, TOWNSHIP, OrgUnit
from app.seed.demo import DEMO_PASSWORD, PROVINCE_USERS, TOWNSHIP_WORDS, make_user, seed_employers
from app.seed.demo_fieldwork import seed_fieldwork_demo

GUIZHOU = ("520000", "贵州省")
PREFECTURES = {  # GB/T 2260: prefecture-level division → its counties (districts, county-level cities, counties)
    ("520100", "贵阳市"): [
        ("520102", "南明区"), ("520103", "云岩区"), ("520111", "花溪区"), ("520112", "乌当区"), ("520113", "白云区"),
        ("520115", "观山湖区"), ("520121", "开阳县"), ("520122", "息烽县"), ("520123", "修文县"), ("520181", "清镇市")],
    ("520200", "六盘水市"): [("520201", "钟山区"), ("520203", "六枝特区"), ("520204", "水城区"), ("520281", "盘州市")],
    ("520300", "遵义市"): [
        ("520302", "红花岗区"), ("520303", "汇川区"), ("520304", "播州区"), ("520322", "桐梓县"), ("520323", "绥阳县"),
        ("520324", "正安县"), ("520325", "道真仡佬族苗族自治县"), ("520326", "务川仡佬族苗族自治县"), ("520327", "凤冈县"),
        ("520328", "湄潭县"), ("520329", "余庆县"), ("520330", "习水县"), ("520381", "赤水市"), ("520382", "仁怀市")],
    ("520400", "安顺市"): [
        ("520402", "西秀区"), ("520403", "平坝区"), ("520422", "普定县"), ("520423", "镇宁布依族苗族自治县"),
        ("520424", "关岭布依族苗族自治县"), ("520425", "紫云苗族布依族自治县")],
    ("520500", "毕节市"): [
        ("520502", "七星关区"), ("520521", "大方县"), ("520523", "金沙县"), ("520524", "织金县"), ("520525", "纳雍县"),
        ("520526", "威宁彝族回族苗族自治县"), ("520527", "赫章县"), ("520581", "黔西市")],
    ("520600", "铜仁市"): [
        ("520602", "碧江区"), ("520603", "万山区"), ("520621", "江口县"), ("520622", "玉屏侗族自治县"), ("520623", "石阡县"),
        ("520624", "思南县"), ("520625", "印江土家族苗族自治县"), ("520626", "德江县"), ("520627", "沿河土家族自治县"),
        ("520628", "松桃苗族自治县")],
    ("522300", "黔西南布依族苗族自治州"): [
        ("522301", "兴义市"), ("522302", "兴仁市"), ("522323", "普安县"), ("522324", "晴隆县"), ("522325", "贞丰县"),
        ("522326", "望谟县"), ("522327", "册亨县"), ("522328", "安龙县")],
    ("522600", "黔东南苗族侗族自治州"): [
        ("522601", "凯里市"), ("522622", "黄平县"), ("522623", "施秉县"), ("522624", "三穗县"), ("522625", "镇远县"),
        ("522626", "岑巩县"), ("522627", "天柱县"), ("522628", "锦屏县"), ("522629", "剑河县"), ("522630", "台江县"),
        ("522631", "黎平县"), ("522632", "榕江县"), ("522633", "从江县"), ("522634", "雷山县"), ("522635", "麻江县"),
        ("522636", "丹寨县")],
    ("522700", "黔南布依族苗族自治州"): [
        ("522701", "都匀市"), ("522702", "福泉市"), ("522722", "荔波县"), ("522723", "贵定县"), ("522725", "瓮安县"),
        ("522726", "独山县"), ("522727", "平塘县"), ("522728", "罗甸县"), ("522729", "长顺县"), ("522730", "龙里县"),
        ("522731", "惠水县"), ("522732", "三都水族自治县")],
}
TOWNSHIPS_PER_COUNTY = (2, 3)
EMPLOYERS_PER_TOWNSHIP = (2, 5)
DEMO_COUNTY = "520102"  # 南明区, in 贵阳市: the county of the demo logins (PROVINCE_USERS)

def seed_demo_province(session, security_manager) -> bool:
    """Add Guizhou unless it is there; returns whether it did."""
    if session.scalar(select(exists().where(OrgUnit.level == PROVINCE, OrgUnit.code == GUIZHOU[0]))):
        return False
    rng = random.Random(20261129)
    province = OrgUnit(level=PROVINCE, code=GUIZHOU[0], name=GUIZHOU[1])
    units, townships = {PROVINCE: province}, []
    for (city_code, city_name), counties in PREFECTURES.items():
        city = OrgUnit(level=CITY, code=city_code, name=city_name, parent=province)
        for county_code, county_name in counties:
            county = OrgUnit(level=DISTRICT, code=county_code, name=county_name, parent=city)
            short = county_name[:2]
            for number, word in enumerate(rng.sample(TOWNSHIP_WORDS, rng.randint(*TOWNSHIPS_PER_COUNTY)), start=1):
                # 统计用区划代码: 001–099 streets, 100–199 towns
                code, kind = (f"{county_code}{number:03d}", "街道") if number == 1 else (
                    f"{county_code}{99 + number:03d}", "镇")
                townships.append(OrgUnit(level=TOWNSHIP, code=code, name=f"{short}{word}{kind}", parent=county))
            if county_code == DEMO_COUNTY:
                units.update({CITY: city, DISTRICT: county})
    session.add_all(townships)  # their counties, cities and the province with them
    session.flush()
    units[TOWNSHIP] = next(t for t in townships if t.parent is units[DISTRICT])
    seed_employers(session, rng, townships, EMPLOYERS_PER_TOWNSHIP, place="贵州", postcode="55")
    for role, username, name, level in PROVINCE_USERS:
        session.add(make_user(security_manager, username, role, units[level], DEMO_PASSWORD, name=name))
    session.flush()
    seed_fieldwork_demo(session, region=province.path, clerk="gyclerk", reviewer="gydistrict")
    return True
