"""Occupational-disease prevention institutions (职业病防治机构) under Chongqing's quality-and-compliance
action (Annex 1): each institution's type and qualification, its yearly quality-control result with the
red/yellow/green risk rating, and the problems found with their rectification."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.codes import uscc_problem
from app.models.audit import Audited
from app.models.base import Model
from app.models.org import DISTRICT, TOWNSHIP, InOrgUnit, OrgUnit
from app.models.programme.common import (ChildRow, CodeList, CodedColumns, coded, future_dates, year_problem)
from app.models.versioned import Versioned

# Chongqing Annex 1, "行动范围": the institutions the action covers.
INSTITUTION_KINDS = CodeList(
    oh_service=_l("Occupational-health technical service institution"),
    radiation_service=_l("Radiation-health technical service institution"),
    health_exam=_l("Occupational health examination institution"),
    diagnosis=_l("Occupational disease diagnosis institution"),
    rehab_station=_l("Pneumoconiosis rehabilitation station"),
    cdc=_l("Centre for disease control and prevention"),
    engineering=_l("Occupational-hazard engineering protection guidance centre"),
)
# Annex 1 tasks 3–5: capability confirmed directly (qualified or filed), by meeting the standard, or by
# assessment (rehabilitation stations).
CONFIRMATIONS = CodeList(direct=_l("Confirmed directly"), standard=_l("Confirmed on meeting the standard"),
                         assessment=_l("Confirmed by assessment"))
# Annex 1 task 10: high, medium and low risk managed as red, yellow and green (三色管理).
RATINGS = CodeList(red=_l("Red (high risk)"), yellow=_l("Yellow (medium risk)"), green=_l("Green (low risk)"))
LAB_COMPARISON = CodeList(satisfactory=_l("Satisfactory"), questionable=_l("Questionable"),
                          unsatisfactory=_l("Unsatisfactory"))
# Annex 1 task 7: the ways problems come to light.
PROBLEM_SOURCES = CodeList(
    self_check=_l("Self-inspection"),
    evaluation=_l("Evaluation and inspection"),
    quality_control=_l("Quality control"),
    lab_comparison=_l("Laboratory comparison"),
    random_inspection=_l("Random inspection (double random, one public)"),
    extended_inspection=_l("Extended inspection"),
    complaint=_l("Complaint verification"),
)


class PreventionInstitution(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "prevention_institution"
    picker_columns = ("name", "credit_code")
    unit_level = DISTRICT  # supervised by the district's health administration

    id = Column(Integer, primary_key=True)
    org_unit = relationship(OrgUnit, foreign_keys="PreventionInstitution.org_unit_id")
    name = Column(String(200), nullable=False, index=True)
    kind = coded(INSTITUTION_KINDS, nullable=False)
    credit_code = Column(String(18))
    qualification = Column(String(200))  # 资质或备案项目
    certificate_number = Column(String(50))
    valid_until = Column(Date, info={"years_ahead": 10})  # a qualification runs for years
    confirmation = coded(CONFIRMATIONS)
    confirmed_on = Column(Date)
    # Annex 1 goal 1: townships with ≥100 resident pneumoconiosis patients have a rehabilitation station.
    served_township_id = Column(Integer, ForeignKey("org_unit.id"), index=True)
    served_township = relationship(OrgUnit, foreign_keys=[served_township_id])
    # Annex 1 task 12: institutions from other provinces take a quality-control number in the city.
    from_other_province = Column(Boolean, nullable=False, default=False)
    quality_control_number = Column(String(50))
    address = Column(String(200))
    contact_person = Column(String(50))
    phone = Column(String(30), info={"phone": True})
    notes = Column(Text)
    quality_controls = relationship("InstitutionQualityControl", back_populates="institution",
                                    cascade="all, delete-orphan", order_by="InstitutionQualityControl.year")
    problems_found = relationship("InstitutionProblem", back_populates="institution",
                                  cascade="all, delete-orphan", order_by="InstitutionProblem.found_on")

    def __repr__(self):
        return self.name or ""

    @property
    def rating(self) -> str | None:
        """The colour of the latest quality-control year."""
        return self.quality_controls[-1].rating if self.quality_controls else None

    @property
    def open_problems(self) -> int:
        return sum(1 for problem in self.problems_found if problem.rectified_on is None)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "confirmed_on"))
        if not (self.name or "").strip():
            found["name"] = _l("Enter the institution's name")
        if self.credit_code:
            self.credit_code = self.credit_code.upper()
            problem = uscc_problem(self.credit_code)
            if problem:
                found["credit_code"] = _l("Unified social credit code: %(problem)s", problem=problem)
        if self.confirmed_on is not None and self.confirmation is None:
            found["confirmation"] = _l("Choose how the capability was confirmed")
        township = self.served_township
        if township is not None and (township.level != TOWNSHIP or township.parent is not self.org_unit):
            found["served_township"] = _l("Choose a township of the institution's district")
        if self.from_other_province and not self.quality_control_number:
            found["quality_control_number"] = _l(
                "An institution from another province needs its quality-control number")
        return found


class InstitutionQualityControl(ChildRow, CodedColumns, Audited, Model):
    """Annex 1 task 10: the yearly performance assessment's quality score and laboratory comparison
    decide the institution's colour."""

    __tablename__ = "institution_quality_control"
    __table_args__ = (UniqueConstraint("institution_id", "year", name="uq_institution_quality_control_year"),)
    parent_model, parent_key, parent_relation = PreventionInstitution, "institution_id", "institution"

    id = Column(Integer, primary_key=True)
    institution_id = Column(Integer, ForeignKey("prevention_institution.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    institution = relationship(PreventionInstitution, back_populates="quality_controls")
    year = Column(Integer, nullable=False)
    score = Column(Numeric(5, 1))
    lab_comparison = coded(LAB_COMPARISON)
    rating = coded(RATINGS, nullable=False)
    notes = Column(Text)

    def __repr__(self):
        return f"{self.year} {RATINGS.label(self.rating)}"

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if message := year_problem(self.year):
            found["year"] = message
        elif self.year > date.today().year:
            found["year"] = _l("A year is assessed once it has begun")
        elif (self.institution is not None
              and self.another_has(institution_id=self.institution.id, year=self.year)):
            found["year"] = _l("This institution already has a result for this year")
        if self.score is not None and not 0 <= self.score <= 100:
            found["score"] = _l("A score is from 0 to 100")
        return found


class InstitutionProblem(ChildRow, CodedColumns, Audited, Model):
    """Annex 1 task 9: a problem found, its deadline and its rectification (target: 100 % rectified)."""

    __tablename__ = "institution_problem"
    parent_model, parent_key, parent_relation = PreventionInstitution, "institution_id", "institution"

    id = Column(Integer, primary_key=True)
    institution_id = Column(Integer, ForeignKey("prevention_institution.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    institution = relationship(PreventionInstitution, back_populates="problems_found")
    found_on = Column(Date, nullable=False)
    source = coded(PROBLEM_SOURCES, nullable=False)
    description = Column(Text, nullable=False)
    deadline = Column(Date)
    rectified_on = Column(Date)
    rectification = Column(Text)

    def __repr__(self):
        return (self.description or "")[:40]

    @property
    def status(self):
        if self.rectified_on is not None:
            return _l("Rectified")
        if self.deadline is not None and self.deadline < date.today():
            return _l("Overdue")
        return _l("Being rectified")

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "found_on", "rectified_on"))
        if self.found_on is None:
            found["found_on"] = _l("Enter the date the problem was found")
        else:
            if self.deadline is not None and self.deadline < self.found_on:
                found["deadline"] = _l("The deadline cannot precede the date found")
            if self.rectified_on is not None and self.rectified_on < self.found_on:
                found.setdefault("rectified_on", _l("Rectification cannot precede the date found"))
        if not (self.description or "").strip():
            found["description"] = _l("Describe the problem")
        if self.rectified_on is not None and not (self.rectification or "").strip():
            found["rectification"] = _l("Describe how the problem was rectified")
        return found
