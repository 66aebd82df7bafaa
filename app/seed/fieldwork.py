"""The patrol checklist templates every installation starts with. Idempotent: a template is added when no
template has its name, and never overwritten, so the system admin's edits stand."""
from sqlalchemy import select

from app.models import ChecklistItem, ChecklistTemplate

# (number, text, asks for a description, 有 is the finding)
CHECKLIST_TEMPLATES = [
    ("上海市职业健康协管巡查个案信息表", "310000", [  # Shanghai Annex 3
        (1, "职业病危害项目申报情况", False, False),
        (2, "建设项目职业病防护设施“三同时”落实情况", False, False),
        (3, "工作场所职业病危害因素检测与评价情况", False, False),
        (4, "劳动者职业健康检查和职业健康监护档案情况", False, False),
        (5, "工作场所职业病防护设施、个人防护用品情况", False, False),
        (6, "其他职业病防治工作落实情况", False, False),
        (7, "可能存在的其他违法行为（具体描述）", True, True),
    ]),
    ("贵州省职业健康监督协管巡查个案信息表", "520000", [  # Guizhou Annex 1; items 6–7 are clues
        (1, "职业病危害项目申报情况", False, False),
        (2, "建设项目的职业病危害预评价报告、职业病防护设施设计、职业病危害控制效果评价报告完成情况", False, False),
        (3, "工作场所职业病危害因素检测与评价情况", False, False),
        (4, "劳动者职业健康检查及职业健康监护档案情况", False, False),
        (5, "劳动者职业健康教育培训情况", False, False),
        (6, "工作场所异常情况", True, True),
        (7, "群众投诉举报情况", True, True),
    ]),
]


def seed_checklist_templates(session) -> None:
    existing = set(session.scalars(select(ChecklistTemplate.name)))
    for name, region_code, items in CHECKLIST_TEMPLATES:
        if name in existing:
            continue
        session.add(ChecklistTemplate(
            name=name, region_code=region_code, is_default=True, active=True,
            items=[ChecklistItem(number=number, text=text, asks_description=asks, problem_if_present=present)
                   for number, text, asks, present in items]))
    session.flush()
