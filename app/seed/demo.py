"""The demo city: Shanghai's 16 districts (real GB/T 2260 codes), made-up townships and employers, and
one login per role. Deterministic (fixed random seed) so every new installation looks the same."""
import random
from datetime import date, timedelta

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.codes import ORG_CODE_WEIGHTS, uscc_check_char
from app.models import (CITY, DISTRICT, PROVINCE, TOWNSHIP, EconomicType, Employer, Industry, OrgUnit, PortalUser,
                        ProductionStatus, RegistrationType, RiskClass)
from app.roles import (AUDIT_ADMIN, CITY_ADMIN, DISTRICT_ADMIN, LEADER, PROVINCE_ADMIN, PROVINCIAL_LEADER,
                       SECURITY_ADMIN, SYSTEM_ADMIN, TOWNSHIP_CLERK)
from app.reports.targets import default_targets
from app.seed.demo_archive import seed_demo_archives
from app.seed.demo_fieldwork import seed_fieldwork_demo
from app.seed.demo_patient import seed_demo_patients
from app.seed.demo_programme import seed_programme

SHANGHAI = ("310000", "上海市")
DISTRICTS = [
    ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"), ("310107", "普陀区"),
    ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"), ("310113", "宝山区"), ("310114", "嘉定区"),
    ("310115", "浦东新区"), ("310116", "金山区"), ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"),
    ("310151", "崇明区"),
]
TOWNSHIP_WORDS = ["东风", "新华", "民生", "长兴", "永安", "和平", "光明", "前进", "友谊", "朝阳", "红星", "丰收",
                  "春晓", "临江", "望海", "北桥", "南苑", "西渡", "清河", "金穗"]
FIRM_WORDS = ["华力", "恒通", "申达", "宏远", "浦江", "东方", "金泰", "联创", "鑫源", "盛世", "嘉禾", "立信", "中实",
              "天成", "新锐", "永固", "瑞丰", "博越", "晨光", "海纳"]
FIRM_KINDS = ["机械制造", "精密铸造", "电子科技", "化工", "家具", "塑料制品", "印刷", "汽车零部件", "金属制品",
              "建材", "纺织", "制药", "食品", "物流", "建筑工程"]
DEMO_PASSWORD = "Demo@2026!"
DEMO_DISTRICT, DEMO_TOWNSHIP = "310115", "310115001"
DEMO_USERS = [  # (role, username, name, unit level)
    (SYSTEM_ADMIN, "sysadmin", "系统管理员", CITY),
    (SECURITY_ADMIN, "secadmin", "安全管理员", CITY),
    (AUDIT_ADMIN, "auditor", "审计管理员", CITY),
    (CITY_ADMIN, "city", "市级管理员", CITY),
    (DISTRICT_ADMIN, "district", "区级管理员", DISTRICT),
    (TOWNSHIP_CLERK, "clerk", "乡镇协管员", TOWNSHIP),
    (LEADER, "leader", "委领导", CITY),
]
# The demo province's (app.seed.demo_province): its two roles, and one prefecture, county and township.
PROVINCE_USERS = [
    (PROVINCE_ADMIN, "province", "省级管理员", PROVINCE),
    (PROVINCIAL_LEADER, "provleader", "省级领导", PROVINCE),
    (CITY_ADMIN, "gycity", "贵阳市管理员", CITY),
    (DISTRICT_ADMIN, "gydistrict", "南明区管理员", DISTRICT),
    (TOWNSHIP_CLERK, "gyclerk", "南明区协管员", TOWNSHIP),
]
EMPLOYERS_PER_TOWNSHIP = (12, 28)


def make_credit_code(rng: random.Random, region: str, department: str = "9", category: str = "1") -> str:
    """A valid unified social credit code: department, category, region, organisation code, check."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS))
    org_check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first17 = f"{department}{category}{region}{body}{org_check}"
    return first17 + uscc_check_char(first17)


def seed_demo(session, security_manager) -> bool:
    """Add the demo city to a database that has no org units yet; returns whether it did."""
    if session.scalar(select(func.count(OrgUnit.id))):
        return False
    rng = random.Random(20261123)
    city = OrgUnit(level=CITY, code=SHANGHAI[0], name=SHANGHAI[1])
    session.add(city)
    townships = []
    for district_code, district_name in DISTRICTS:
        district = OrgUnit(level=DISTRICT, code=district_code, name=district_name, parent=city)
        session.add(district)
        for index, word in enumerate(rng.sample(TOWNSHIP_WORDS, rng.randint(4, 8)), start=1):
            suffix = "街道" if int(district_code[-2:]) < 12 else rng.choice(["镇", "街道"])
            short = district_name.removesuffix("新区").removesuffix("区")
            township = OrgUnit(level=TOWNSHIP, code=f"{district_code}{index:03d}", name=f"{short}{word}{suffix}",
                               parent=district)
            session.add(township)
            townships.append(township)
    session.flush()
    seed_employers(session, rng, townships)
    seed_demo_archives(session)
    seed_demo_patients(session)
    _seed_users(session, security_manager, city)
    seed_programme(session)
    session.add_all(default_targets(city, date.today().year - 2))  # Shanghai's indicator set (DOMAIN.md §4)
    session.flush()
    seed_fieldwork_demo(session)
    return True


def seed_employers(session, rng, townships, per_township=EMPLOYERS_PER_TOWNSHIP, place="上海",
                   postcode="20") -> None:
    """Made-up employers in each township, named after ``place``, with postcodes starting ``postcode``."""
    divisions = session.scalars(select(Industry).where(Industry.parent_id.is_not(None))).all()
    manufacturing = [d for d in divisions if d.parent.code == "C"]
    economic_types = session.scalars(select(EconomicType)).all()
    registration_types = session.scalars(select(RegistrationType)).all()
    risk = {r.code: r for r in session.scalars(select(RiskClass))}
    statuses = {s.code: s for s in session.scalars(select(ProductionStatus))}
    today = date.today()
    used_names = set()
    for township in townships:
        for _ in range(rng.randint(*per_township)):
            name = f"{place}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}有限公司"
            while name in used_names:
                name = name.replace("有限公司", f"{rng.choice('一二三四五六七八九')}厂有限公司", 1)
            used_names.add(name)
            total = rng.choice([rng.randint(3, 19), rng.randint(20, 299), rng.randint(300, 1500)])
            has_hazard = rng.random() < 0.6
            pending = rng.random() < 0.02
            district_code = township.parent.code
            collective = rng.random() < 0.01
            employer = Employer(
                name=name, org_unit=township,
                credit_code=None if pending else make_credit_code(
                    rng, district_code, *(("N", "2") if collective else ("9", "1"))),
                credit_code_pending=pending,
                workplace_address=f"{rng.choice(FIRM_WORDS)}路{rng.randint(1, 2000)}号",
                registered_district=township.parent.name, registered_township=township.name,
                registered_address=f"{rng.choice(FIRM_WORDS)}路{rng.randint(1, 2000)}号",
                postcode=f"{postcode}{rng.randint(0, 1)}{rng.randint(100, 999)}",
                start_date=today - timedelta(days=rng.randint(400, 9000)),
                registered_on=today - timedelta(days=rng.randint(0, 1100)),
                industry=rng.choice(manufacturing if rng.random() < 0.7 else divisions),
                legal_representative=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "强", "敏", "军", "洁"]),
                contact_person=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["磊", "静", "涛", "丽", "斌", "燕"]),
                contact_phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                total_workers=total, female_workers=rng.randint(0, total // 2),
                outsourced_workers=rng.randint(0, total // 5),
                annual_revenue=round(total * rng.uniform(20, 120), 2),
                economic_type=rng.choice(economic_types), registration_type=rng.choice(registration_types),
                products=rng.choice(["机械零件", "铸件", "电子元器件", "涂料", "家具", "塑料件", "印刷品", "药品"]),
                raw_materials=rng.choice(["钢材", "树脂", "油漆", "木材", "化工原料", "铝锭"]),
                has_hazard=has_hazard,
                risk_class=(risk["2"] if rng.random() < 0.3 else risk["1"]) if has_hazard else None,
                hazard_declared=has_hazard and rng.random() < 0.85,
                production_status=statuses["1"] if rng.random() < 0.92 else statuses[rng.choice("234")],
            )
            if employer.hazard_declared:
                employer.declared_on = min(today, employer.registered_on + timedelta(days=rng.randint(5, 60)))
            session.add(employer)
        session.flush()


def _seed_users(session, security_manager, city) -> None:
    district = session.scalars(select(OrgUnit).where(OrgUnit.path == f"{city.path}{DEMO_DISTRICT}/")).one()
    township = session.scalars(select(OrgUnit).where(
        OrgUnit.path == f"{district.path}{DEMO_TOWNSHIP}/")).one()
    units = {CITY: city, DISTRICT: district, TOWNSHIP: township}
    for role, username, name, level in DEMO_USERS:
        session.add(make_user(security_manager, username, role, units[level], DEMO_PASSWORD, name=name))


def make_user(security_manager, username, role, unit, password, **fields) -> PortalUser:
    """A user in ``unit`` with one role (FAB's own add_user would flush before the unit is set), named by
    ``name``, by FAB's ``first_name`` and ``last_name`` (PortalUser.clean), or else by the user name."""
    if not fields.keys() & {"name", "first_name", "last_name"}:
        fields["name"] = username
    fields.setdefault("email", f"{username}@demo.invalid")
    return PortalUser(username=username, active=True, roles=[security_manager.find_role(role)],
                      org_unit=unit, password=generate_password_hash(password), **fields)


def demo_logins(session) -> list[tuple[str, str, str]]:
    """The demo logins that exist in this database (the demo city's, the demo province's), for printing at
    start."""
    users = DEMO_USERS + PROVINCE_USERS
    names = [username for _, username, *_ in users]
    present = set(session.scalars(select(PortalUser.username).where(PortalUser.username.in_(names))))
    return [(role, username, DEMO_PASSWORD) for role, username, *_ in users if username in present]
