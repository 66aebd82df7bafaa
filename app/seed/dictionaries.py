"""The national code lists the dictionaries start with (DOMAIN.md §3, §6). Seeding is idempotent: an
entry is added when its code is missing and never overwritten, so an admin's edits stand."""
import csv
from pathlib import Path

from sqlalchemy import select

from app.models import (DetectionType, DevelopmentZone, Disease, DiseaseCategory, EconomicType, EnterpriseSize,
                        HazardCategory, HazardFactor, Industry, JobType, ProductionStatus,
                        ProtectiveMeasureType, RegistrationType, RiskClass)
from app.seed.fieldwork import seed_checklist_templates

# GB/T 4754-2017: the 20 sections and their 97 divisions.
INDUSTRY = {
    ("A", "农、林、牧、渔业"): ["农业", "林业", "畜牧业", "渔业", "农、林、牧、渔专业及辅助性活动"],
    ("B", "采矿业"): ["煤炭开采和洗选业", "石油和天然气开采业", "黑色金属矿采选业", "有色金属矿采选业",
                     "非金属矿采选业", "开采专业及辅助性活动", "其他采矿业"],
    ("C", "制造业"): [
        "农副食品加工业", "食品制造业", "酒、饮料和精制茶制造业", "烟草制品业", "纺织业", "纺织服装、服饰业",
        "皮革、毛皮、羽毛及其制品和制鞋业", "木材加工和木、竹、藤、棕、草制品业", "家具制造业", "造纸和纸制品业",
        "印刷和记录媒介复制业", "文教、工美、体育和娱乐用品制造业", "石油、煤炭及其他燃料加工业",
        "化学原料和化学制品制造业", "医药制造业", "化学纤维制造业", "橡胶和塑料制品业", "非金属矿物制品业",
        "黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业", "金属制品业", "通用设备制造业", "专用设备制造业",
        "汽车制造业", "铁路、船舶、航空航天和其他运输设备制造业", "电气机械和器材制造业",
        "计算机、通信和其他电子设备制造业", "仪器仪表制造业", "其他制造业", "废弃资源综合利用业",
        "金属制品、机械和设备修理业"],
    ("D", "电力、热力、燃气及水生产和供应业"): ["电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"],
    ("E", "建筑业"): ["房屋建筑业", "土木工程建筑业", "建筑安装业", "建筑装饰、装修和其他建筑业"],
    ("F", "批发和零售业"): ["批发业", "零售业"],
    ("G", "交通运输、仓储和邮政业"): ["铁路运输业", "道路运输业", "水上运输业", "航空运输业", "管道运输业",
                                   "多式联运和运输代理业", "装卸搬运和仓储业", "邮政业"],
    ("H", "住宿和餐饮业"): ["住宿业", "餐饮业"],
    ("I", "信息传输、软件和信息技术服务业"): ["电信、广播电视和卫星传输服务", "互联网和相关服务",
                                        "软件和信息技术服务业"],
    ("J", "金融业"): ["货币金融服务", "资本市场服务", "保险业", "其他金融业"],
    ("K", "房地产业"): ["房地产业"],
    ("L", "租赁和商务服务业"): ["租赁业", "商务服务业"],
    ("M", "科学研究和技术服务业"): ["研究和试验发展", "专业技术服务业", "科技推广和应用服务业"],
    ("N", "水利、环境和公共设施管理业"): ["水利管理业", "生态保护和环境治理业", "公共设施管理业", "土地管理业"],
    ("O", "居民服务、修理和其他服务业"): ["居民服务业", "机动车、电子产品和日用产品修理业", "其他服务业"],
    ("P", "教育"): ["教育"],
    ("Q", "卫生和社会工作"): ["卫生", "社会工作"],
    ("R", "文化、体育和娱乐业"): ["新闻和出版业", "广播、电视、电影和录音制作业", "文化艺术业", "体育", "娱乐业"],
    ("S", "公共管理、社会保障和社会组织"): ["中国共产党机关", "国家机构", "人民政协、民主党派", "社会保障",
                                        "群众团体、社会团体和其他成员组织", "基层群众自治组织及其他组织"],
    ("T", "国际组织"): ["国际组织"],
}

REGISTRATION_TYPES = [
    ("110", "国有企业"), ("120", "集体企业"), ("130", "股份合作企业"), ("141", "国有联营企业"),
    ("142", "集体联营企业"), ("143", "国有与集体联营企业"), ("149", "其他联营企业"), ("151", "国有独资公司"),
    ("159", "其他有限责任公司"), ("160", "股份有限公司"), ("171", "私营独资企业"), ("172", "私营合伙企业"),
    ("173", "私营有限责任公司"), ("174", "私营股份有限公司"), ("190", "其他企业"),
    ("210", "合资经营企业（港或澳、台资）"), ("220", "合作经营企业（港或澳、台资）"),
    ("230", "港、澳、台商独资经营企业"), ("240", "港、澳、台商投资股份有限公司"), ("290", "其他港、澳、台商投资企业"),
    ("310", "中外合资经营企业"), ("320", "中外合作经营企业"), ("330", "外资企业"), ("340", "外商投资股份有限公司"),
    ("390", "其他外商投资企业"),
]
ECONOMIC_TYPES = ["国有企业", "集体企业", "私营企业", "联营企业", "股份制企业", "外资企业", "港澳台企业",
                  "个体经济", "其他企业"]  # Annex 2
ENTERPRISE_SIZES = [("1", "大型"), ("2", "中型"), ("3", "小型"), ("4", "微型")]
RISK_CLASSES = [("1", "一般"), ("2", "严重")]
PRODUCTION_STATUSES = [("1", "正常生产"), ("2", "停产"), ("3", "搬迁"), ("4", "关闭")]  # Annex 3

# 职业病危害因素分类目录 (2015): the six categories; their 459 factors are in data/hazard_factors.csv.
HAZARD_CATEGORIES = [("1", "粉尘"), ("2", "化学因素"), ("3", "物理因素"), ("4", "放射性因素"), ("5", "生物因素"),
                     ("6", "其他因素")]
HAZARD_CATALOGUE = Path(__file__).with_name("data") / "hazard_factors.csv"


def hazard_factor_code(category: str, number: int) -> str:
    """A factor's code: its category's code and its number in the catalogue (矽尘 1001, 苯 2028)."""
    return f"{category}{number:03d}"


CAS_WIDTH = 20  # hazard_factor.cas_number


def stored_cas(cas: str | None) -> str | None:
    """The catalogue's CAS text as the dictionary keeps it: whole where it fits (all but one entry), else its
    first number and 等 (磷化氢、磷化锌、磷化铝 lists three; the data file keeps all three)."""
    if cas is None or len(cas) <= CAS_WIDTH:
        return cas
    return cas.split("、")[0] + "等"


def hazard_catalogue() -> list[dict]:
    """The catalogue's rows: category, number (int), name and cas (None where it gives none)."""
    with HAZARD_CATALOGUE.open(encoding="utf-8", newline="") as lines:
        rows = csv.DictReader(line for line in lines if not line.startswith("#"))
        return [{**row, "number": int(row["number"]), "cas": row["cas"] or None} for row in rows]


_DISEASES_COMMON = ["职业性尘肺病及其他呼吸系统疾病", "职业性皮肤病", "职业性眼病", "职业性耳鼻喉口腔疾病",
                    "职业性化学中毒", "物理因素所致职业病", "职业性放射性疾病", "职业性传染病", "职业性肿瘤"]
DISEASE_CATEGORIES = {
    "2013": _DISEASES_COMMON + ["其他职业病"],
    "2024": _DISEASES_COMMON + ["职业性肌肉骨骼疾病", "职业性精神和行为障碍", "其他职业病"],  # in force 2025-08-01
}
# Named diseases per category (by category name, for both catalogues where the category exists): the
# 12 pneumoconioses and "other pneumoconiosis" of both catalogues first (card 5.1), then common ones.
PNEUMOCONIOSES = ["矽肺", "煤工尘肺", "石墨尘肺", "炭黑尘肺", "石棉肺", "滑石尘肺", "水泥尘肺", "云母尘肺", "陶工尘肺",
                  "铝尘肺", "电焊工尘肺", "铸工尘肺", "其他尘肺病"]
DISEASES = {
    "职业性尘肺病及其他呼吸系统疾病": PNEUMOCONIOSES + [
        "过敏性肺炎", "棉尘病", "哮喘", "金属及其化合物粉尘肺沉着病", "刺激性化学物所致慢性阻塞性肺疾病", "硬金属肺病"],
    "职业性皮肤病": ["接触性皮炎", "光接触性皮炎", "电光性皮炎", "化学性皮肤灼伤"],
    "职业性眼病": ["化学性眼部灼伤", "电光性眼炎", "白内障"],
    "职业性耳鼻喉口腔疾病": ["噪声聋", "铬鼻病", "牙酸蚀病"],
    "职业性化学中毒": ["铅及其化合物中毒", "汞及其化合物中毒", "锰及其化合物中毒", "苯中毒", "甲苯中毒", "二甲苯中毒",
                  "正己烷中毒", "一氧化碳中毒", "硫化氢中毒", "1,2-二氯乙烷中毒", "氯气中毒"],
    "物理因素所致职业病": ["中暑", "减压病", "手臂振动病", "冻伤"],
    "职业性放射性疾病": ["外照射急性放射病", "外照射慢性放射病", "放射性皮肤疾病"],
    "职业性传染病": ["炭疽", "森林脑炎", "布鲁氏菌病", "莱姆病"],
    "职业性肿瘤": ["石棉所致肺癌、间皮瘤", "苯所致白血病", "联苯胺所致膀胱癌", "氯乙烯所致肝血管肉瘤"],
    "职业性肌肉骨骼疾病": ["腕管综合征"],
    "职业性精神和行为障碍": ["创伤后应激障碍"],
    "其他职业病": ["金属烟热", "滑囊炎（限于井下工人）"],
}
DETECTION_TYPES = [("1", "日常检测"), ("2", "现状评价"), ("3", "监督检测")]  # Annex 4 table 4-2 note 8
JOB_TYPES = ["电焊工", "打磨工", "喷漆工", "铸造工", "冲压工", "注塑工", "搅拌工", "包装工", "化验员", "操作工",
             "维修工", "叉车工", "木工", "司炉工", "放射工作人员"]
PROTECTIVE_MEASURES = ["局部排风除尘装置", "局部排毒装置", "全面通风", "隔声降噪设施", "防尘口罩", "防毒面具",
                       "耳塞或耳罩", "防护手套", "防护眼镜", "应急喷淋洗眼装置"]
DEVELOPMENT_ZONES = ["上海漕河泾新兴技术开发区", "上海张江高科技园区", "上海金桥经济技术开发区",
                     "上海外高桥保税区", "上海化学工业区", "上海市莘庄工业区", "上海嘉定工业区",
                     "上海松江经济技术开发区", "上海青浦工业园区", "上海金山工业区"]


def _numbered(names):
    return [(f"{index:02d}", name) for index, name in enumerate(names, start=1)]


def _ensure(session, model, code, name, sort_order, **extra):
    filters = [model.code == code] + [getattr(model, key) == value for key, value in extra.items()
                                      if key in model.unique_within]
    found = session.scalars(select(model).where(*filters)).first()
    if found is None:
        found = model(code=code, name=name, sort_order=sort_order, active=True, **extra)
        session.add(found)
    return found


def seed_dictionaries(session) -> None:
    division = 0
    for section_order, ((section_code, section_name), divisions) in enumerate(INDUSTRY.items()):
        section = _ensure(session, Industry, section_code, section_name, section_order * 100)
        session.flush()
        for name in divisions:
            division += 1
            _ensure(session, Industry, f"{division:02d}", name, section_order * 100 + division, parent=section)
    simple = [
        (RegistrationType, REGISTRATION_TYPES), (EconomicType, _numbered(ECONOMIC_TYPES)),
        (EnterpriseSize, ENTERPRISE_SIZES), (RiskClass, RISK_CLASSES), (ProductionStatus, PRODUCTION_STATUSES),
        (DetectionType, DETECTION_TYPES), (JobType, _numbered(JOB_TYPES)),
        (ProtectiveMeasureType, _numbered(PROTECTIVE_MEASURES)), (DevelopmentZone, _numbered(DEVELOPMENT_ZONES)),
    ]
    for model, entries in simple:
        for order, (code, name) in enumerate(entries):
            _ensure(session, model, code, name, order)
    categories = {}
    for code, name in HAZARD_CATEGORIES:
        categories[code] = _ensure(session, HazardCategory, code, name, int(code))
    session.flush()
    for row in hazard_catalogue():
        _ensure(session, HazardFactor, hazard_factor_code(row["category"], row["number"]), row["name"],
                row["number"], category_id=categories[row["category"]].id, cas_number=stored_cas(row["cas"]))
    for catalogue, names in DISEASE_CATEGORIES.items():
        for order, (code, name) in enumerate(_numbered(names)):
            category = _ensure(session, DiseaseCategory, code, name, order, catalogue=catalogue)
            session.flush()
            for number, disease in enumerate(DISEASES.get(name, []), start=1):
                _ensure(session, Disease, f"{code}{number:02d}", disease, number, category_id=category.id,
                        pneumoconiosis=disease in PNEUMOCONIOSES)
    session.flush()
    seed_checklist_templates(session)
