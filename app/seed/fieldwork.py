"""The patrol checklist templates every installation starts with. Idempotent: a template is added when no
template has its name, and never overwritten, so the system admin's edits stand (migration 0016 gave the
templates already seeded their header fields, allowed answers and clue items)."""
from sqlalchemy import select

from app.models import ChecklistItem, ChecklistTemplate
from app.models.checklist import NOT_APPLICABLE, PRESENT_OR_ABSENT
from app.models.hazard_report import ABNORMAL_WORKPLACE, COMPLAINT, VIOLATION

YES_NO, MAY_BE_MISSING = tuple(PRESENT_OR_ABSENT), (*PRESENT_OR_ABSENT, NOT_APPLICABLE)
# (name, region, header fields, items: (number, text, allowed answers, asks for a description,
# 有 is the finding, 有 is a clue of this hazard-report category))
CHECKLIST_TEMPLATES = [
    ("上海市职业健康协管巡查个案信息表", "310000",  # Shanghai Annex 3
     ["address", "contact_person", "contact_phone", "hazards", "production_status"], [
         (1, "职业病危害项目申报情况", YES_NO, False, False, None),
         (2, "建设项目职业病防护设施“三同时”落实情况", YES_NO, False, False, None),
         (3, "工作场所职业病危害因素检测与评价情况", YES_NO, False, False, None),
         (4, "劳动者职业健康检查和职业健康监护档案情况", YES_NO, False, False, None),
         (5, "工作场所职业病防护设施、个人防护用品情况", YES_NO, False, False, None),
         (6, "其他职业病防治工作落实情况", YES_NO, False, False, None),
         (7, "可能存在的其他违法行为（具体描述）", YES_NO, True, True, VIOLATION),  # Annex 6 "立即上报"
     ]),
    # Guizhou Annex 1 (地址, 法定代表人, 联系电话; no 生产经营状况): "上述第1-5项巡查方式为检查资料有无（非建设项目第2项
    # 可为合理缺项），第6-7项为发现线索".
    ("贵州省职业健康监督协管巡查个案信息表", "520000", ["address", "legal_representative", "contact_phone"], [
        (1, "职业病危害项目申报情况", YES_NO, False, False, None),
        (2, "建设项目的职业病危害预评价报告、职业病防护设施设计、职业病危害控制效果评价报告完成情况", MAY_BE_MISSING, False,
         False, None),
        (3, "工作场所职业病危害因素检测与评价情况", YES_NO, False, False, None),
        (4, "劳动者职业健康检查及职业健康监护档案情况", YES_NO, False, False, None),
        (5, "劳动者职业健康教育培训情况", YES_NO, False, False, None),
        (6, "工作场所异常情况", YES_NO, True, True, ABNORMAL_WORKPLACE),
        (7, "群众投诉举报情况", YES_NO, True, True, COMPLAINT),
    ]),
]


def seed_checklist_templates(session) -> None:
    existing = set(session.scalars(select(ChecklistTemplate.name)))
    for name, region_code, header_fields, items in CHECKLIST_TEMPLATES:
        if name in existing:
            continue
        session.add(ChecklistTemplate(
            name=name, region_code=region_code, is_default=True, active=True, header_fields=header_fields,
            items=[ChecklistItem(number=number, text=text, allowed_answers=list(allowed), asks_description=asks,
                                 problem_if_present=present, clue_category=clue)
                   for number, text, allowed, asks, present, clue in items]))
    session.flush()
