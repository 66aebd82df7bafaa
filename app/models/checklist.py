"""Patrol checklist templates (巡查表模板): the items of a patrol case form differ by province (Shanghai
Annex 3, Guizhou Annex 1). A settings table kept by the system admin; a patrol copies the items it answers,
so editing a template never rewrites old patrols."""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model, Validated, db
from app.models.versioned import Versioned

REGION_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class ChecklistRow:
    """One line of a patrol form as it is answered: 序号, 巡查内容, and how to read 有/无."""

    number: int
    text: str
    asks_description: bool  # the form asks for a description (e.g. Annex 3 item 7 （具体描述）)
    problem_if_present: bool  # 有 is the finding (a violation, a complaint); otherwise 无 is


class ChecklistTemplate(Validated, Versioned, Audited, Model):
    __tablename__ = "checklist_template"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    # GB/T 2260 code of the province, city or district whose townships use it by default.
    region_code = Column(String(6), nullable=False, index=True)
    is_default = Column(Boolean, nullable=False, default=False)
    active = Column(Boolean, nullable=False, default=True)
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

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not (self.name or "").strip():
            found["name"] = _l("Enter the name")
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


class ChecklistItem(Validated, Versioned, Audited, Model):
    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_checklist_item_number"),)

    id = Column(Integer, primary_key=True)
    template_id = Column(Integer, ForeignKey("checklist_template.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    template = relationship(ChecklistTemplate, back_populates="items")
    number = Column(Integer, nullable=False)
    text = Column(String(200), nullable=False)
    asks_description = Column(Boolean, nullable=False, default=False)
    problem_if_present = Column(Boolean, nullable=False, default=False)

    def __repr__(self):
        return f"{self.number} {self.text}" if self.text else ""

    @property
    def row(self) -> ChecklistRow:
        return ChecklistRow(self.number, self.text, bool(self.asks_description), bool(self.problem_if_present))

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
        return found
