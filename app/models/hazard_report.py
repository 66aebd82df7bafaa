"""Hazard and clue reports (问题隐患报告, Annex 1 "问题隐患立即上报", Annex 6 信息上报, Guizhou 信息报告):
what was found — on a patrol or otherwise — when it was reported, to whom, and how it was handled. A clue
answered 有 on a patrol's checklist (Guizhou "第6-7项为发现线索", Shanghai item 7) is reported from that patrol:
the report names the patrol and the item, and the patrol is not submitted without it."""
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model
from app.models.employer import Employer
from app.models.fieldwork import Patrol, employer_elsewhere, fill_defaults, follow_employer, in_future
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.versioned import Versioned
from app.models.workflow import LOCKED_STATES, YearLocked, days_after, deadline_days, stored_value
from app.roles import HAZARD_REPORT

# Hazard / clue reports. Annex 6 (信息上报 · 发现安全隐患): a risk of acute occupational poisoning, minors or
# pregnant/nursing women doing hazardous work, and other violations are reported immediately (here: within
# 24 hours of being found); Guizhou's other clues (complaints, abnormal workplaces) "及时" — within the
# configured REPORT_DEADLINE_DAYS.
ACUTE_POISONING, VULNERABLE_WORKERS, VIOLATION = "acute_poisoning", "vulnerable_workers", "violation"
COMPLAINT, ABNORMAL_WORKPLACE = "complaint", "abnormal_workplace"
CATEGORIES = {
    ACUTE_POISONING: _l("Risk of acute occupational poisoning"),
    VULNERABLE_WORKERS: _l("Minors or pregnant/nursing women in hazardous work"),
    VIOLATION: _l("Other violation of occupational-disease law"),
    COMPLAINT: _l("Public complaint or report"),
    ABNORMAL_WORKPLACE: _l("Abnormal workplace condition"),
}
IMMEDIATE_CATEGORIES = (ACUTE_POISONING, VULNERABLE_WORKERS, VIOLATION)
IMMEDIATE_DAYS = 1
PENDING, IN_HAND, CLOSED = "pending", "in_hand", "closed"
HANDLING_STATUSES = {PENDING: _l("Pending"), IN_HAND: _l("Being handled"), CLOSED: _l("Dealt with")}


class HazardReport(InOrgUnit, YearLocked, Versioned, Audited, Model):
    """问题隐患报告: a problem or clue found (on a patrol or otherwise), when it was reported, to whom, and
    how it was handled. Information reporting rate = reported / found (Guizhou)."""

    __tablename__ = "hazard_report"
    __table_args__ = (Index("ix_hazard_report_unit_found", "org_unit_id", "found_at"),)
    unit_level = TOWNSHIP
    year_field = "found_at"
    permission_name = HAZARD_REPORT

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), index=True)
    employer = relationship(Employer)
    patrol_id = Column(Integer, ForeignKey("patrol.id", ondelete="SET NULL"), index=True)
    patrol = relationship(Patrol)
    item_number = Column(Integer)  # the patrol's checklist item whose 有 this reports
    category = Column(String(20), nullable=False, index=True)
    description = Column(Text, nullable=False)
    found_at = Column(DateTime, nullable=False)
    reported_at = Column(DateTime)
    reported_to = Column(String(100))
    handling_status = Column(String(10), nullable=False, default=PENDING)
    handling_result = Column(Text)

    def __repr__(self):
        return f"{self.category_label} {self.employer or ''}".strip()

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category or "")

    @property
    def handling_status_label(self):
        return HANDLING_STATUSES.get(self.handling_status, self.handling_status or "")

    @hybrid_property
    def report_days(self) -> int:
        return IMMEDIATE_DAYS if self.category in IMMEDIATE_CATEGORIES else deadline_days()

    @report_days.inplace.expression
    @classmethod
    def _report_days_expression(cls):
        return case((cls.category.in_(IMMEDIATE_CATEGORIES), IMMEDIATE_DAYS), else_=deadline_days())

    @hybrid_property
    def reported_in_time(self) -> bool:
        """Reported at most ``report_days`` after it was found (Annex 6: −3 points per clue that is not)."""
        if self.reported_at is None or self.found_at is None:
            return False
        return (self.reported_at - self.found_at).total_seconds() <= self.report_days * 86400

    @reported_in_time.inplace.expression
    @classmethod
    def _reported_in_time_expression(cls):
        return cls.reported_at.is_not(None) & (cls.reported_at <= days_after(cls.found_at, cls.report_days))

    @staticmethod
    def values_from_patrol(patrol: Patrol, item_number: int | None) -> dict:
        """A new report of what ``patrol`` found, as its page offers it: the patrol, its employer, township
        and day and, for one of its clues, the item, its category and the description the patrol gave."""
        values = {"patrol": patrol, "employer": patrol.employer, "org_unit": patrol.org_unit,
                  "found_at": datetime.combine(patrol.visit_date, time()) if patrol.visit_date else None}
        answer = next((a for a in patrol.clue_answers if a.item_number == item_number), None)
        if answer is not None:
            values.update(item_number=answer.item_number, category=answer.clue_category,
                          description=answer.note or answer.item_text)
        return values

    def clean(self) -> None:
        super().clean()
        fill_defaults(self)
        if self.patrol is not None and self.employer is None:
            self.employer = self.patrol.employer
        follow_employer(self)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.category not in CATEGORIES:
            found["category"] = _l("Choose what was found")
        if not (self.description or "").strip():
            found["description"] = _l("Describe what was found")
        if self.found_at is None:
            found.setdefault("found_at", _l("Enter when it was found"))
        elif in_future(self.found_at):
            found.setdefault("found_at", _l("The time cannot be in the future"))
        if self.reported_at is not None:
            if in_future(self.reported_at):
                found["reported_at"] = _l("The time cannot be in the future")
            elif self.found_at is not None and self.reported_at < self.found_at:
                found["reported_at"] = _l("It cannot be reported before it was found")
            if not self.reported_to:
                found["reported_to"] = _l("Say to whom it was reported")
        elif self.reported_to:
            found["reported_at"] = _l("Enter when it was reported")
        if self.handling_status not in HANDLING_STATUSES:
            found["handling_status"] = _l("Choose the handling status")
        elif self.handling_status == CLOSED and not self.handling_result:
            found["handling_result"] = _l("Enter the result before closing")
        if self.patrol is not None and self.employer is not None and self.patrol.employer_id != self.employer.id:
            found["employer"] = _l("The patrol was of %(employer)s", employer=self.patrol.employer)
        if employer_elsewhere(self):
            found["employer"] = employer_elsewhere(self)
        if self.item_number is not None:
            if self.patrol is None:
                found["patrol"] = _l("Choose the patrol whose checklist item this reports")
            elif self.item_number not in {answer.item_number for answer in self.patrol.clue_answers}:
                found["item_number"] = _l("Item %(number)s of the patrol is not a clue it found (有 on a clue item)",
                                          number=self.item_number)
        return found

    def delete_problems(self) -> dict[str, str]:
        found = super().delete_problems()
        if self.item_number is not None and self.patrol is not None \
                and stored_value(self.patrol, "state") in LOCKED_STATES:
            found["patrol"] = _l("This reports a clue of a submitted patrol and cannot be deleted")
        return found
