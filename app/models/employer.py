"""The employer (用人单位): Annex 2's header and Annex 4's cover."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Column, Date, ForeignKey, Index, Integer, Numeric, String, Text, event, func,
                        inspect, or_, select, text)
from sqlalchemy.orm import Session, relationship

from app.codes import org_code_problem, uscc_problem
from app.enterprise_size import SIZE_NAMES, suggest_size
from app.models.audit import Audited
from app.models.base import Model, RecordInvalid
from app.models.dictionaries import (DevelopmentZone, EconomicType, EnterpriseSize, Industry,
                                     ProductionStatus, RegistrationType, RiskClass)
from app.models.form_codes import linked
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.versioned import Versioned
from app.scoping import in_scope

ARCHIVE_SERIAL_MAX = 9999


class Employer(InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "employer"
    picker_columns = ("name", "credit_code")
    # The indicators' filters and the kept dates they read, covered in township order (app/reports,
    # migrations 0006 and 0012): an indicator over the employers never reads their wide rows.
    __table_args__ = (
        Index("ix_employer_indicators", "org_unit_id", "has_hazard", "registered_on", "production_status_id",
              "hazard_declared", "declared_on", "risk_class_id", "last_detected_on", "last_patrolled_on",
              "last_screened_on", "id"),
        Index("ix_employer_registered", "registered_on", "org_unit_id", "id"),
        # The due lists' filters over the kept dates below, and the archive number they are ordered by
        # (app/reports/due.py, migration 0009).
        Index("ix_employer_detection", "has_hazard", "risk_class_id", "last_detected_on", "production_status_id",
              "org_unit_id", "archive_number"),
        Index("ix_employer_patrolled", "hazard_declared", "last_patrolled_on", "production_status_id",
              "org_unit_id", "archive_number"),
        Index("ix_employer_screened", "registered_on", "last_screened_on", "production_status_id", "org_unit_id"),
        Index("ix_employer_evaluation", "has_hazard", "risk_class_id", "last_evaluated_on", "production_status_id",
              "org_unit_id", "archive_number"),
        # Annex 4 cover, note 3: a branch without legal-person status gives its parent's credit code, so the
        # code is unique only among the employers that are not branches (migration 0015).
        Index("uq_employer_credit_code", "credit_code", unique=True, sqlite_where=text("NOT is_branch"),
              postgresql_where=text("NOT is_branch")),
    )
    unit_level = TOWNSHIP  # the township of the workplace address

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, index=True)
    credit_code = Column(String(18))  # unique among non-branches: uq_employer_credit_code
    credit_code_pending = Column(Boolean, nullable=False, default=False)  # 尚未取得
    organization_code = Column(String(9))
    archive_number = Column(String(13), unique=True)  # every employer's own, a branch's too
    # Annex 4 cover, note 3: a unit without legal-person status (分支机构) whose parent has it.
    is_branch = Column(Boolean, nullable=False, default=False)
    parent_id = Column(Integer, ForeignKey("employer.id"), index=True)
    parent = relationship("Employer", remote_side=[id], backref="branches")
    development_zone_id = Column(Integer, ForeignKey("development_zone.id"))
    development_zone = relationship(DevelopmentZone)
    workplace_address = Column(String(200))  # 路号 within the township
    registered_district = Column(String(50))
    registered_township = Column(String(50))
    registered_address = Column(String(200))
    postcode = Column(String(6))
    phone = Column(String(30), info={"phone": True})
    start_date = Column(Date)  # 投产日期
    registered_on = Column(Date, nullable=False, default=date.today)  # first entered in the registry
    industry_id = Column(Integer, ForeignKey("industry.id"))
    industry = relationship(Industry)
    legal_representative = Column(String(50))
    contact_person = Column(String(50))
    contact_phone = Column(String(30), info={"phone": True})
    total_workers = Column(Integer, nullable=False, default=0)
    female_workers = Column(Integer, nullable=False, default=0)
    outsourced_workers = Column(Integer, nullable=False, default=0)  # 外委（劳务派遣）, part of the total
    annual_revenue = Column(Numeric(14, 2))  # 万元, for the size rule
    economic_type_id = Column(Integer, ForeignKey("economic_type.id"))
    economic_type = relationship(EconomicType)
    enterprise_size_id = Column(Integer, ForeignKey("enterprise_size.id"))
    enterprise_size = relationship(EnterpriseSize)
    registration_type_id = Column(Integer, ForeignKey("registration_type.id"))
    registration_type = relationship(RegistrationType)
    products = Column(Text)
    raw_materials = Column(Text)
    has_hazard = Column(Boolean, nullable=False, default=False)
    risk_class_id = Column(Integer, ForeignKey("risk_class.id"))
    risk_class = relationship(RiskClass)
    hazard_declared = Column(Boolean, nullable=False, default=False)
    declared_on = Column(Date)
    # Annex 3 notes, 一.1: the declaration is made online and "取得备案回执".
    declaration_receipt_number = Column(String(50))
    declaration_receipt_on = Column(Date)
    production_status_id = Column(Integer, ForeignKey("production_status.id"))
    production_status = relationship(ProductionStatus)
    display_columns = ("name",)  # what __repr__ reads, for exports in SQL (app.exports)
    # Kept by the database in the same statement as the write that changes them (triggers of migration
    # 0009 on screenings, patrols and archive 4-2 rows), never by this class: the due lists read them
    # instead of probing every employer's visits. Reported = submitted or accepted.
    last_detected_on = Column(Date)  # latest reported screening's detection report date or 4-2 date
    last_screened_on = Column(Date)  # latest reported screening's visit date
    last_patrolled_on = Column(Date)  # latest reported patrol's visit date
    last_evaluated_on = Column(Date)  # latest 4-2 row of detection type 2 现状评价 (migration 0015)

    def __repr__(self):
        return self.name or ""

    @property
    def picker_label(self) -> str:
        """How a picker offers the employer: two of the same name differ by their credit code."""
        return f"{self.name}（{self.credit_code or _l('Credit code not yet obtained')}）"

    @classmethod
    def active_condition(cls):
        """In production (正常生产, or no status recorded): stopped, moved and closed employers are not
        counted by the indicators."""
        normal = select(ProductionStatus.id).where(ProductionStatus.code == "1").scalar_subquery()
        return or_(cls.production_status_id.is_(None), cls.production_status_id == normal)

    def _branch_problems(self, found: dict) -> None:
        """Annex 4 cover, note 3: "如填报单位无法人资格，但其上级具有法人资格的，应填写其上级单位的统一社会信用代码".
        A branch names its parent — an employer that is no branch, in the user's jurisdiction — and gives the
        parent's credit code (a blank code is taken from the parent)."""
        parent = linked(self, "parent")
        if not self.is_branch:
            self.parent, self.parent_id = None, None
            return
        if self.id is not None and self.another_has(parent_id=self.id):
            found["is_branch"] = _l("An employer with branches cannot be a branch itself")
        elif parent is None:
            found["parent"] = _l("Choose the parent employer of the branch")
        elif parent is self or (self.id is not None and parent.id == self.id):
            found["parent"] = _l("An employer cannot be its own parent")
        elif parent.is_branch:
            found["parent"] = _l("The parent employer is itself a branch: choose the employer with "
                                 "legal-person status")
        elif parent.org_unit is not None and self._parent_chosen() and not in_scope(parent.org_unit.path):
            found["parent"] = _l("The parent employer is outside your jurisdiction")
        else:
            if not self.credit_code and not self.credit_code_pending:
                self.credit_code, self.credit_code_pending = parent.credit_code, parent.credit_code_pending
            if ((self.credit_code or "").upper(), bool(self.credit_code_pending)) != \
                    ((parent.credit_code or "").upper(), bool(parent.credit_code_pending)):
                found["credit_code"] = _l("A branch gives its parent's credit code: %(code)s",
                                          code=parent.credit_code or _l("Credit code not yet obtained"))

    def _credit_code_problems(self, found: dict) -> None:
        if self.credit_code_pending:
            if self.credit_code:
                found["credit_code"] = _l("Leave the credit code empty when it is not yet obtained")
        elif not self.credit_code:
            found["credit_code"] = _l("Enter the 18-character credit code, or tick 'not yet obtained'")
        elif "credit_code" not in found:
            self.credit_code = self.credit_code.upper()
            problem = uscc_problem(self.credit_code)
            if problem:
                found["credit_code"] = _l("Unified social credit code: %(problem)s", problem=problem)
            elif not self.is_branch and (other := self.another_with(credit_code=self.credit_code,
                                                                    is_branch=False)) is not None:
                found["credit_code"] = (_l("Another employer already has this credit code; a branch without "
                                           "legal-person status is entered as a branch of it")
                                        if in_scope(other.org_unit.path) else
                                        _l("An employer elsewhere in the city already has this credit code"))

    @property
    def branch_names(self) -> str:
        return "、".join(branch.name for branch in self.branches)

    def _parent_chosen(self) -> bool:
        """Whether the parent is being chosen now (a new record, or another parent): a branch whose parent
        lies outside the jurisdiction of a later editor keeps it."""
        state = inspect(self)
        return state.transient or state.pending or any(
            state.attrs[name].history.has_changes() for name in ("parent", "parent_id", "is_branch"))

    @property
    def district(self):
        return self.org_unit.parent if self.org_unit is not None else None

    @property
    def suggested_size_code(self) -> str | None:
        industry = self.industry
        if industry is None:
            return None
        division = industry.code if industry.parent is not None else None
        revenue = float(self.annual_revenue) if self.annual_revenue is not None else None
        return suggest_size(industry.section_code, division, self.total_workers, revenue)

    @property
    def suggested_size(self):
        return SIZE_NAMES.get(self.suggested_size_code, "")

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not (self.name or "").strip():
            found["name"] = _l("Enter the employer's name")
        self._branch_problems(found)
        if "parent" not in found:  # a branch's code is its parent's: told once the parent is
            self._credit_code_problems(found)
        if self.organization_code:
            self.organization_code = self.organization_code.upper().replace("-", "")
            problem = org_code_problem(self.organization_code)
            if problem:
                found["organization_code"] = _l("Organisation code: %(problem)s", problem=problem)
        for field in ("total_workers", "female_workers", "outsourced_workers"):
            if getattr(self, field) is None:
                setattr(self, field, 0)
            elif getattr(self, field) < 0:
                found[field] = _l("A headcount cannot be negative")
        if "female_workers" not in found and self.female_workers > self.total_workers:
            found["female_workers"] = _l("Female workers cannot exceed the total")
        if "outsourced_workers" not in found and self.outsourced_workers > self.total_workers:
            found["outsourced_workers"] = _l("Outsourced workers are part of the total and cannot exceed it")
        today = date.today()
        for field in ("start_date", "registered_on", "declared_on", "declaration_receipt_on"):
            value = getattr(self, field)
            if value is not None and value > today:
                found[field] = _l("The date cannot be in the future")
        if self.annual_revenue is not None and self.annual_revenue < 0:
            found["annual_revenue"] = _l("Revenue cannot be negative")
        if self.has_hazard and self.risk_class is None and self.risk_class_id is None:
            found["risk_class"] = _l("Choose the risk class of an employer with occupational hazards")
        if self.hazard_declared and not self.has_hazard:
            found["hazard_declared"] = _l("Only an employer with occupational hazards declares them")
        if self.declaration_receipt_number or self.declaration_receipt_on:
            if not self.hazard_declared:
                found["declaration_receipt_number"] = _l("Only a declared employer has a declaration receipt")
            elif (self.declared_on and self.declaration_receipt_on
                  and self.declaration_receipt_on < self.declared_on and "declaration_receipt_on" not in found):
                found["declaration_receipt_on"] = _l("The receipt cannot be dated before the declaration")
        if self.postcode and not (len(self.postcode) == 6 and self.postcode.isdigit()):
            found["postcode"] = _l("A postcode is 6 digits")
        return found


@event.listens_for(Session, "before_flush")
def _number_archives(session, flush_context, instances):
    """Annex 4 note 1: district code + township code + serial 0001–9999, unique. The township code is now the
    9-digit one that holds its district's 6 digits (统计用区划代码), so a number is that code and the serial:
    13 digits (numbers given under the 2-digit township codes keep their 12). Numbered per flush, one query
    per township, so a batch of new employers gets consecutive serials."""
    next_serial = {}
    for employer in session.new:
        if not isinstance(employer, Employer) or employer.archive_number or employer.org_unit is None:
            continue
        unit = employer.org_unit
        prefix = unit.code
        if prefix not in next_serial:
            with session.no_autoflush:
                # exactly a serial after the code: an old 12-digit number may start with the same 9 digits
                last = session.scalar(select(func.max(Employer.archive_number))
                                      .where(Employer.archive_number.like(f"{prefix}____")))
            next_serial[prefix] = int(last[-4:]) + 1 if last else 1
        if next_serial[prefix] > ARCHIVE_SERIAL_MAX:
            raise RecordInvalid({"org_unit": _l("This township has used all 9999 archive numbers")})
        employer.archive_number = f"{prefix}{next_serial[prefix]:04d}"
        next_serial[prefix] += 1


@event.listens_for(Session, "before_flush")
def _branches_follow_their_parent(session, flush_context, instances):
    """A branch gives its parent's credit code (Annex 4 cover, note 3): a parent's new code is its branches'
    in the same flush."""
    for employer in list(session.dirty):
        if not isinstance(employer, Employer) or employer.is_branch or employer.id is None:
            continue
        state = inspect(employer)
        if not any(state.attrs[name].history.has_changes() for name in ("credit_code", "credit_code_pending")):
            continue
        with session.no_autoflush:
            for branch in employer.branches:
                branch.credit_code, branch.credit_code_pending = employer.credit_code, employer.credit_code_pending


@event.listens_for(Employer, "before_insert")
@event.listens_for(Employer, "before_update")
def _suggest_size_when_blank(mapper, connection, employer):
    """The clerk's choice stands; a blank size takes the one the statistics rule gives."""
    if employer.enterprise_size_id is not None or employer.enterprise_size is not None:
        return
    code = employer.suggested_size_code
    if code:
        employer.enterprise_size_id = connection.scalar(
            select(EnterpriseSize.id).where(EnterpriseSize.code == code))
