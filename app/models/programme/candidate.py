"""The declaration-expansion database (申报扩面“数据库”, Chongqing Annex 2): employers that may have
occupational hazards, where they were found, and the two one-month deadlines of task 8: reported to the
city CDC within a month of being found, and verified within a month of the city's list naming them."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text, and_, bindparam, or_
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
    # Annex 2 task 8 "发现可能存在职业病危害的用人单位后,相关信息要在1个月内报告市疾控中心": reported to the
    # city CDC within a month of being found; then "由市卫生健康委下发到各区县进行核实确认。各区县应在1个月内将
    # 核实情况反馈市疾控中心": verified within a month of the city's list (listed_on). A month is the same day
    # of the next month (that month's last day when it has no such day); a deadline passed is overdue.
    report_by = Column(Date, nullable=False, index=True)
    reported_on = Column(Date)
    listed_on = Column(Date)
    verify_by = Column(Date, index=True)  # none until the city's list names the candidate
    verified_on = Column(Date)
    outcome = coded(OUTCOMES)
    employer_id = Column(Integer, ForeignKey("employer.id"), index=True)
    employer = relationship(Employer)
    notes = Column(Text)

    @staticmethod
    def _overdue(report_by, reported_on, verify_by, verified_on, today):
        return or_(and_(reported_on.is_(None), report_by < today),
                   and_(verified_on.is_(None), verify_by.is_not(None), verify_by < today))

    overdue = column_property(_overdue(report_by, reported_on, verify_by, verified_on,
                                       bindparam("today", callable_=date.today, type_=Date, unique=True)))

    def __repr__(self):
        return self.name or ""

    @classmethod
    def overdue_clause(cls, today: date | None = None):
        """The candidates past either deadline, for reports' set-based queries."""
        return cls._overdue(cls.report_by, cls.reported_on, cls.verify_by, cls.verified_on, today or date.today())

    @property
    def status(self):
        today = date.today()
        if self.reported_on is None and self.report_by is not None and self.report_by < today:
            return _l("Not reported to the city CDC within a month")
        if self.verified_on is not None:
            return _l("Verified")
        if self.verify_by is not None and self.verify_by < today:
            return _l("Not verified within a month of the city's list")
        if self.reported_on is None:
            return _l("Awaiting report to the city CDC")
        return _l("Awaiting verification")

    def clean(self) -> None:
        super().clean()
        self.report_by = add_month(self.found_on) if self.found_on is not None else None
        self.verify_by = add_month(self.listed_on) if self.listed_on is not None else None

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "found_on", "reported_on", "listed_on", "verified_on"))
        if not (self.name or "").strip():
            found["name"] = _l("Enter the employer's name")
        if self.credit_code:
            self.credit_code = self.credit_code.upper()
            problem = uscc_problem(self.credit_code)
            if problem:
                found["credit_code"] = _l("Unified social credit code: %(problem)s", problem=problem)
        if self.found_on is None:
            found["found_on"] = _l("Enter the date the employer was found")
        else:
            for field, message in (("reported_on", _l("The report cannot precede the date found")),
                                   ("listed_on", _l("The city's list cannot precede the date found")),
                                   ("verified_on", _l("Verification cannot precede the date found"))):
                if getattr(self, field) is not None and getattr(self, field) < self.found_on:
                    found.setdefault(field, message)
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
