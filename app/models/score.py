"""The assessment of a township's coordination work (考核评估, Shanghai Annex 6): the items of the
100-point table, and the deductions the district enters by hand for what the records cannot decide."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, Numeric, Text
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import CodeList, CodedColumns, coded, year_problem
from app.models.security import PortalUser
from app.models.versioned import Versioned
from app.scoping import current_user_or_none, scope_prefix

# Annex 6, in the table's order: item → the points it is worth (the most it can lose).
ITEMS = CodeList(
    archive=_l("Basic data: archive maintenance"), training=_l("Basic data: training and promotion"),
    screening=_l("Coordination: routine screening"), patrol=_l("Coordination: routine patrols"),
    patients=_l("Coordination: key occupational-disease patients"), other=_l("Coordination: other work"),
    records=_l("Reporting: screening and patrol records"), hazards=_l("Reporting: hazards found"),
    summaries=_l("Reporting: work summaries"),
)
MAX_POINTS = {"archive": 10, "training": 10, "screening": 10, "patrol": 30, "patients": 5, "other": 5,
              "records": 10, "hazards": 10, "summaries": 10}
# Annex 6 deducts half a point per record found untrue (排查/巡查信息与实际不符扣0.5分).
STEP = Decimal("0.5")


class ScoreAdjustment(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    """A deduction the district enters for a township and year, with its reason (e.g. Annex 6 "未参加培训、
    会议，每次扣2分"). It adds to what the records decide for the same item; the item never loses more
    than it is worth."""

    __tablename__ = "score_adjustment"
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    item = coded(ITEMS, nullable=False)
    points = Column(Numeric(4, 1), nullable=False)
    reason = Column(Text, nullable=False)
    entered_by_id = Column(Integer, ForeignKey("ab_user.id"))
    entered_by = relationship(PortalUser)

    def __repr__(self):
        return f"{ITEMS.label(self.item)} −{self.points}"

    @property
    def item_label(self):
        return ITEMS.label(self.item)

    def clean(self) -> None:
        super().clean()
        if self.entered_by is None and self.entered_by_id is None:
            self.entered_by = current_user_or_none()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if message := year_problem(self.year):
            found["year"] = message
        points = self.points
        if points is None:
            found["points"] = _l("Enter the points deducted")
        elif "item" not in found and self.item in MAX_POINTS and not (
                0 < Decimal(points) <= MAX_POINTS[self.item] and Decimal(points) % STEP == 0):
            found["points"] = _l("Deduct from 0.5 to %(max)s points, in steps of 0.5", max=MAX_POINTS[self.item])
        if not (self.reason or "").strip():
            found["reason"] = _l("Give the reason for the deduction")
        unit = self.org_unit
        if unit is not None and scope_prefix() == unit.path:
            # Annex 6 is the district's assessment of its townships: a township never scores itself.
            found["org_unit"] = _l("The district enters a township's deductions")
        return found
