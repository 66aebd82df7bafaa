"""The declaration-expansion database (申报扩面“数据库”, Chongqing Annex 2): employers that may have
occupational hazards, where they were found, and their verification within one month."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text, and_, bindparam
from sqlalchemy.orm import column_property, relationship

from app.codes import uscc_problem
from app.models.audit import Audited
from app.models.base import Model
from app.models.dictionaries import Industry
from app.models.employer import Employer
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import CodeList, CodedColumns, add_month, coded, future_dates
from app.models.versioned import Versioned
from app.scoping import in_scope

# Annex 2 tasks 1–7: where the names in the database come from.
CANDIDATE_SOURCES = CodeList(
    basic_info=_l("Screening of employers' basic information by risk class"),
    data_comparison=_l("Health-exam or detection data without a declaration"),
    department=_l("Information from a sector department"),
    enforcement=_l("Health supervision and enforcement"),
    coordination=_l("Health supervision coordination"),
    township=_l("Township/street"),
    park=_l("Industrial park"),
    complaint=_l("Rewarded work-safety report"),
    other=_l("Other key sector added locally"),
)
DECLARED, TO_DECLARE = "declared", "to_declare"
OUTCOMES = CodeList(
    declared=_l("Has hazards and has declared"),
    to_declare=_l("Has hazards, urged to declare"),
    not_hazardous=_l("No occupational hazards"),
    closed=_l("Closed or deregistered"),
)
HAZARDOUS_OUTCOMES = (DECLARED, TO_DECLARE)


class DeclarationCandidate(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "declaration_candidate"
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, index=True)
    credit_code = Column(String(18))
    address = Column(String(200))
    industry_id = Column(Integer, ForeignKey("industry.id"))
    industry = relationship(Industry)
    contact_person = Column(String(50))
    phone = Column(String(30), info={"phone": True})
    source = coded(CANDIDATE_SOURCES, nullable=False)
    source_detail = Column(String(200))  # e.g. which department or report
    found_on = Column(Date, nullable=False, index=True)
    # Annex 2 task 8: found employers are verified within one month. The deadline is the same day of the
    # next month (that month's last day when it has no such day); unverified after it, the row is overdue.
    verify_by = Column(Date, nullable=False, index=True)
    verified_on = Column(Date)
    outcome = coded(OUTCOMES)
    employer_id = Column(Integer, ForeignKey("employer.id"), index=True)
    employer = relationship(Employer)
    notes = Column(Text)
    overdue = column_property(and_(
        verified_on.is_(None), verify_by < bindparam("today", callable_=date.today, type_=Date, unique=True)))

    def __repr__(self):
        return self.name or ""

    @classmethod
    def overdue_clause(cls, today: date | None = None):
        """The candidates unverified past their deadline, for reports' set-based queries."""
        return and_(cls.verified_on.is_(None), cls.verify_by < (today or date.today()))

    @property
    def status(self):
        if self.verified_on is not None:
            return _l("Verified")
        return _l("Overdue") if self.verify_by is not None and self.verify_by < date.today() \
            else _l("Awaiting verification")

    def clean(self) -> None:
        super().clean()
        self.verify_by = add_month(self.found_on) if self.found_on is not None else None

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "found_on", "verified_on"))
        if not (self.name or "").strip():
            found["name"] = _l("Enter the employer's name")
        if self.credit_code:
            self.credit_code = self.credit_code.upper()
            problem = uscc_problem(self.credit_code)
            if problem:
                found["credit_code"] = _l("Unified social credit code: %(problem)s", problem=problem)
        if self.found_on is None:
            found["found_on"] = _l("Enter the date the employer was found")
        elif self.verified_on is not None and self.verified_on < self.found_on:
            found.setdefault("verified_on", _l("Verification cannot precede the date found"))
        if (self.verified_on is None) != (self.outcome is None):
            found.setdefault("verified_on" if self.verified_on is None else "outcome",
                             _l("A verification has both its date and its outcome"))
        found.update(self._employer_problems())
        return found

    def _employer_problems(self) -> dict[str, str]:
        employer = self.employer
        if employer is None:
            if self.outcome in HAZARDOUS_OUTCOMES:
                return {"employer": _l("Link the employer's record: it has occupational hazards")}
            return {}
        if employer.org_unit is None or not in_scope(employer.org_unit.path) \
                or employer.org_unit is not self.org_unit:
            return {"employer": _l("Choose an employer of this township")}
        if self.verified_on is None:
            return {"employer": _l("Link the employer once the candidate is verified")}
        if self.outcome == DECLARED and not employer.hazard_declared:
            return {"employer": _l("The employer's record does not say it has declared")}
        if self.outcome == TO_DECLARE and not employer.has_hazard:
            return {"employer": _l("The employer's record does not say it has occupational hazards")}
        return {}
