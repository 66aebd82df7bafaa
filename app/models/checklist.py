"""Patrol checklist templates (巡查表模板): the items of a patrol case form differ by province (Shanghai
Annex 3, Guizhou Annex 1). A settings table kept by the system admin; a patrol copies the items it answers,
so editing a template never rewrites old patrols.

A template declares which of the form's header fields it prints (Guizhou has 法定代表人 but no 联系人, 主要职业病
危害因素 or 生产经营状况), each item the answers it allows (Guizhou: "非建设项目第2项可为合理缺项", so item 2 may be
不适用) and, for an item whose 有 is a clue to report (Guizhou "第6-7项为发现线索", Shanghai item 7), the kind of
hazard report it leads to."""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model, Validated, db
from app.models.versioned import Versioned

REGION_CODE = re.compile(r"^\d{6}$")
# The answers of a checklist line: 有, 无, and 不适用 (合理缺项) where the item allows it.
PRESENT, ABSENT, NOT_APPLICABLE = "yes", "no", "na"
ANSWERS = {PRESENT: _l("Present"), ABSENT: _l("Absent"), NOT_APPLICABLE: _l("Not applicable")}
PRESENT_OR_ABSENT = [PRESENT, ABSENT]
# The patrol form's header fields a template may use (the employer is always there). Shanghai Annex 3:
# 经营地址, 联系人, 联系电话, 主要职业病危害因素, 生产经营状况; Guizhou Annex 1: 地址, 法定代表人, 联系电话.
HEADER_FIELDS = {
    "address": _l("Business address"), "legal_representative": _l("Legal representative"),
    "contact_person": _l("Contact person"), "contact_phone": _l("Contact phone"),
    "hazards": _l("Main occupational hazards"), "production_status": _l("Production status"),
}


@dataclass(frozen=True)
class ChecklistRow:
    """One line of a patrol form as it is answered: 序号, 巡查内容, and how to read 有/无."""

    number: int
    text: str
    asks_description: bool  # the form asks for a description (e.g. Annex 3 item 7 （具体描述）)
    problem_if_present: bool  # 有 is the finding (a violation, a complaint); otherwise 无 is
    allowed_answers: tuple[str, ...] = tuple(PRESENT_OR_ABSENT)
    clue_category: str | None = None  # 有 is a clue: the hazard report's category it leads to

    def answer_problem(self, answer: str | None):
        """Why ``answer`` does not answer this line, or None."""
        if answer not in self.allowed_answers:
            return _l("Item %(number)s cannot be answered “%(answer)s”", number=self.number,
                      answer=ANSWERS.get(answer, answer))
        return None


def allowed_answers_problem(allowed) -> str | None:
    if not allowed or not set(allowed) <= set(ANSWERS):
        return _l("Choose the answers the item allows")
    return None


class ChecklistTemplate(Validated, Versioned, Audited, Model):
    __tablename__ = "checklist_template"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    # GB/T 2260 code of the province, city or district whose townships use it by default.
    region_code = Column(String(6), nullable=False, index=True)
    is_default = Column(Boolean, nullable=False, default=False)
    active = Column(Boolean, nullable=False, default=True)
    header_fields = Column(JSON, nullable=False, default=list, server_default="[]")  # of HEADER_FIELDS
    items = relationship("ChecklistItem", back_populates="template", order_by="ChecklistItem.number",
                         cascade="all, delete-orphan")

    def __repr__(self):
        return self.name or ""

    @property
    def rows(self) -> list[ChecklistRow]:
        return [item.row for item in self.items]

    @staticmethod
    def region_codes(unit) -> list[str]:
        """The regions a unit lies in, most specific first: its district, its city, its province."""
        codes = [part for part in reversed(unit.path.split("/")) if len(part) == 6]
        if codes:
            codes.append(f"{codes[-1][:2]}0000")
        return list(dict.fromkeys(codes))

    @classmethod
    def default_for(cls, unit) -> "ChecklistTemplate | None":
        """A township uses its district's default template, else its city's, else its province's."""
        if unit is None or not unit.path:
            return None
        codes = cls.region_codes(unit)
        with db.session.no_autoflush:
            found = {t.region_code: t for t in db.session.scalars(select(cls).where(
                cls.region_code.in_(codes), cls.is_default.is_(True), cls.active.is_(True)))}
        return next((found[code] for code in codes if code in found), None)

    def clean(self) -> None:
        super().clean()
        if self.header_fields is None:
            self.header_fields = []

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not (self.name or "").strip():
            found["name"] = _l("Enter the name")
        if not isinstance(self.header_fields, list) or not set(self.header_fields) <= set(HEADER_FIELDS):
            found["header_fields"] = _l("Choose among the patrol form's fields")
        if not REGION_CODE.match(self.region_code or ""):
            found["region_code"] = _l("A region is a 6-digit administrative division code, e.g. 310000")
        elif self.is_default:
            with db.session.no_autoflush:
                other = db.session.scalar(select(ChecklistTemplate.name).where(
                    ChecklistTemplate.region_code == self.region_code, ChecklistTemplate.is_default.is_(True),
                    ChecklistTemplate.id != (self.id or 0)))
            if other:
                found["is_default"] = _l("%(name)s is already this region's default", name=other)
        return found


class ItemRules:
    """What an item declares about its answers, and a patrol's answer keeps as it was on the day."""

    asks_description = Column(Boolean, nullable=False, default=False)
    problem_if_present = Column(Boolean, nullable=False, default=False)
    allowed_answers = Column(JSON, nullable=False, default=lambda: list(PRESENT_OR_ABSENT),
                             server_default='["yes", "no"]')
    clue_category = Column(String(20))  # app.models.hazard_report.CATEGORIES


class ChecklistItem(ItemRules, Validated, Versioned, Audited, Model):
    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_checklist_item_number"),)

    id = Column(Integer, primary_key=True)
    template_id = Column(Integer, ForeignKey("checklist_template.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    template = relationship(ChecklistTemplate, back_populates="items")
    number = Column(Integer, nullable=False)
    text = Column(String(200), nullable=False)

    def __repr__(self):
        return f"{self.number} {self.text}" if self.text else ""

    @property
    def row(self) -> ChecklistRow:
        return ChecklistRow(self.number, self.text, bool(self.asks_description), bool(self.problem_if_present),
                            tuple(self.allowed_answers or PRESENT_OR_ABSENT), self.clue_category)

    def clean(self) -> None:
        super().clean()
        if not self.allowed_answers:  # none chosen: the checklist's 有/无
            self.allowed_answers = list(PRESENT_OR_ABSENT)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.template is None and self.template_id is None:
            found["template"] = _l("Choose the template")
        if self.number is None or self.number < 1:
            found["number"] = _l("Number the items from 1")
        elif self.template_id is not None or self.template is not None:
            template_id = self.template_id or self.template.id
            with db.session.no_autoflush:
                taken = db.session.scalar(select(ChecklistItem.id).where(
                    ChecklistItem.template_id == template_id, ChecklistItem.number == self.number,
                    ChecklistItem.id != (self.id or 0)))
            if taken:
                found["number"] = _l("The template already has an item with this number")
        if not (self.text or "").strip():
            found["text"] = _l("Enter what is checked")
        problem = allowed_answers_problem(self.allowed_answers)
        if problem:
            found["allowed_answers"] = problem
        if self.clue_category is not None:
            from app.models.hazard_report import CATEGORIES  # hazard reports refer to patrols, and so to this

            if self.clue_category not in CATEGORIES:
                found["clue_category"] = _l("Choose what was found")
            elif not self.problem_if_present or PRESENT not in (self.allowed_answers or ()):
                found["clue_category"] = _l("A clue is something found: tick “有 is the finding”")
        return found
