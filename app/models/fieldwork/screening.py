"""排查 (Annex 2): a screening of one employer, with its hazard factors and its register section."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, inspect, select
from sqlalchemy.orm import relationship
from sqlalchemy.orm.attributes import flag_modified

from app.codes import uscc_problem
from app.models.audit import Audited
from app.models.base import Model, db
from app.models.dictionaries import EconomicType, EnterpriseSize, HazardFactor, Industry
from app.models.employer import Employer
from app.models.fieldwork.visit import FieldVisit, in_future
from app.models.security import PortalUser
from app.models.versioned import Versioned
from app.roles import SCREENING

ALL, PARTIAL, NONE = "all", "partial", "none"
# Annex 2: 全部培训/部分培训/未培训, 全部检测/部分检测/均未检测, 全部体检/部分体检/均未体检.
TRAINING_COVERAGE = {ALL: _l("All trained"), PARTIAL: _l("Partly trained"), NONE: _l("Not trained")}
DETECTION_STATUS = {NONE: _l("No detection"), ALL: _l("All detected"), PARTIAL: _l("Partly detected")}
EXAM_STATUS = {NONE: _l("No examinations"), ALL: _l("All examined"), PARTIAL: _l("Partly examined")}
# Annex 2: exposure counted by the six categories of the 2015 hazard catalogue.
EXPOSURE_FIELDS = ("exposed_dust", "exposed_chemical", "exposed_physical", "exposed_radioactive",
                   "exposed_biological", "exposed_other")
# Annex 2's "粉尘种类…接触人数": each count's kind is one category of the catalogue (HazardCategory.code).
EXPOSURE_CATEGORIES = dict(zip(EXPOSURE_FIELDS, ("1", "2", "3", "4", "5", "6")))
# Annex 2's enterprise section: screening field → employer field. Blank on the screening means "as
# registered"; the register takes the screening's values only when the clerk asks (update_register).
REGISTER_FIELDS = {
    "employer_name": "name", "credit_code": "credit_code", "workplace_address": "workplace_address",
    "registered_district": "registered_district", "registered_township": "registered_township",
    "registered_address": "registered_address", "start_date": "start_date", "industry": "industry",
    "legal_representative": "legal_representative", "contact_person": "contact_person",
    "contact_phone": "contact_phone", "total_workers": "total_workers", "female_workers": "female_workers",
    "outsourced_workers": "outsourced_workers", "economic_type": "economic_type",
    "enterprise_size": "enterprise_size", "products": "products", "raw_materials": "raw_materials",
}


screening_hazard = Table(
    "screening_hazard", Model.metadata,
    Column("screening_id", Integer, ForeignKey("screening.id", ondelete="CASCADE"), primary_key=True),
    Column("hazard_factor_id", Integer, ForeignKey("hazard_factor.id"), primary_key=True, index=True),
)


class Screening(FieldVisit, Versioned, Audited, Model):
    """排查个案信息表 (Annex 2): usually the first visit to a new employer."""

    __tablename__ = "screening"
    picker_columns = ("employer.name", "employer_name", "employer.credit_code")
    # The reports' probes (app/reports, migrations 0006, 0009 and 0012): visited in a period, on time
    # (covered in township order), detection cycle, drafts and returned records by township; the reported
    # screenings of a township with what each employer's latest gives the health-exam and training rates.
    __table_args__ = (Index("ix_screening_unit_date", "org_unit_id", "visit_date", "state", "submitted_at"),
                      # an employer's latest screening, and what the indicators read of it (migration 0019)
                      Index("ix_screening_employer_latest", "employer_id", "visit_date", "id", "state",
                            "exam_due_count", "exam_done_count", "exam_report_date", "exposed_dust"),
                      Index("ix_screening_visit_cover", "visit_date", "org_unit_id", "state", "submitted_at"),
                      Index("ix_screening_state_unit", "state", "org_unit_id", "visit_date", "employer_id",
                            "exam_done_count", "exam_due_count", "workers_trained", "exposed_total"),
                      Index("ix_screening_employer_detection", "employer_id", "detection_report_date"),
                      Index("ix_screening_state_reviewed", "state", "reviewed_at"))  # the newest returns
    permission_name = SCREENING

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), nullable=False)
    employer = relationship(Employer)
    # 企业基本信息, as found on the visit
    employer_name = Column(String(200))
    credit_code = Column(String(18))
    workplace_address = Column(String(200))
    registered_district = Column(String(50))
    registered_township = Column(String(50))
    registered_address = Column(String(200))
    start_date = Column(Date)
    industry_id = Column(Integer, ForeignKey("industry.id"))
    industry = relationship(Industry)
    legal_representative = Column(String(50))
    contact_person = Column(String(50))
    contact_phone = Column(String(30), info={"phone": True})
    total_workers = Column(Integer)
    female_workers = Column(Integer)
    outsourced_workers = Column(Integer)
    economic_type_id = Column(Integer, ForeignKey("economic_type.id"))
    economic_type = relationship(EconomicType)
    enterprise_size_id = Column(Integer, ForeignKey("enterprise_size.id"))
    enterprise_size = relationship(EnterpriseSize)
    products = Column(Text)
    raw_materials = Column(Text)
    # 职业病危害因素种类及接触情况
    exposed_total = Column(Integer, nullable=False, default=0)
    exposed_dust = Column(Integer, nullable=False, default=0)
    exposed_chemical = Column(Integer, nullable=False, default=0)
    exposed_physical = Column(Integer, nullable=False, default=0)
    exposed_radioactive = Column(Integer, nullable=False, default=0)
    exposed_biological = Column(Integer, nullable=False, default=0)
    exposed_other = Column(Integer, nullable=False, default=0)
    hazards = relationship(HazardFactor, secondary=screening_hazard, order_by=HazardFactor.code)  # the kinds
    # 职业病危害项目申报情况
    hazard_declared = Column(Boolean, nullable=False, default=False)
    # 职业健康培训情况
    leader_trained = Column(Boolean, nullable=False, default=False)
    manager_trained = Column(Boolean, nullable=False, default=False)
    workers_trained = Column(Integer, nullable=False, default=0)
    training_coverage = Column(String(10))
    # 近3年职业病危害因素定期检测情况
    detection_status = Column(String(10), nullable=False, default=NONE)
    detection_report_number = Column(String(50))
    detection_agency = Column(String(100))
    detection_report_date = Column(Date)
    # 近3年在岗期间职业健康检查情况
    exam_status = Column(String(10), nullable=False, default=NONE)
    exam_report_number = Column(String(50))
    exam_agency = Column(String(100))
    exam_report_date = Column(Date)
    exam_due_count = Column(Integer, nullable=False, default=0)
    exam_done_count = Column(Integer, nullable=False, default=0)
    # 用人单位陪同人员 / 协管员 / 排查时间
    companion = Column(String(50))
    coordinator_id = Column(Integer, ForeignKey("ab_user.id"))
    coordinator = relationship(PortalUser, foreign_keys=[coordinator_id])
    visit_date = Column(Date, nullable=False, default=date.today)

    def __repr__(self):
        return f"{self.employer_name or self.employer or ''} {self.visit_date or ''}".strip()

    def hazards_of(self, field: str) -> list:
        """The factors named for one of Annex 2's counts (``exposed_dust`` …): those of its category."""
        return [factor for factor in self.hazards if factor.category.code == EXPOSURE_CATEGORIES[field]]

    @property
    def hazard_names(self) -> str:
        """The factors named, by kind in Annex 2's order: "粉尘：1001 矽尘…；化学因素：2028 苯"."""
        kinds = [(factors[0].category.name, factors) for factors in map(self.hazards_of, EXPOSURE_FIELDS)
                 if factors]
        return "；".join(f"{kind}：{'、'.join(map(str, factors))}" for kind, factors in kinds)

    @property
    def training_coverage_label(self):
        return TRAINING_COVERAGE.get(self.training_coverage, "")

    @property
    def detection_status_label(self):
        return DETECTION_STATUS.get(self.detection_status, "")

    @property
    def exam_status_label(self):
        return EXAM_STATUS.get(self.exam_status, "")

    @property
    def update_register(self) -> bool:
        """Asked on the form: the employer's register takes this screening's enterprise section when it is
        saved (the before-flush hook below). A saved screening is marked changed, so that asking alone (from
        a script, say) is carried out too."""
        return getattr(self, "_update_register", False)

    @update_register.setter
    def update_register(self, wanted: bool) -> None:
        self._update_register = bool(wanted)
        if wanted and inspect(self).persistent:
            flag_modified(self, "employer_id")

    @staticmethod
    def enterprise_values(employer: Employer) -> dict:
        """The enterprise section as the register has it."""
        return {field: getattr(employer, source) for field, source in REGISTER_FIELDS.items()}

    @classmethod
    def register_values(cls, employer: Employer) -> dict:
        """What a new screening starts from: the register's enterprise section, and the hazard factors (still
        in use) that the employer's latest screening named."""
        latest = db.session.scalars(select(Screening).where(Screening.employer_id == employer.id)
                                    .order_by(Screening.visit_date.desc(), Screening.id.desc()).limit(1)).first()
        hazards = [factor for factor in latest.hazards if factor.active] if latest is not None else []
        return {**cls.enterprise_values(employer), "hazards": hazards}

    def clean(self) -> None:
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.upper()
        if self.employer is not None:
            for field, value in self.enterprise_values(self.employer).items():
                if getattr(self, field) is None:
                    setattr(self, field, value)

    def copy_to_register(self) -> dict:
        """Give the employer's register this screening's enterprise section; returns {field: [old, new]}."""
        changes = {}
        for field, source in REGISTER_FIELDS.items():
            old, new = getattr(self.employer, source), getattr(self, field)
            if new is not None and old != new:
                setattr(self.employer, source, new)
                changes[field] = [old, new]
        return changes

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.credit_code:
            problem = uscc_problem(self.credit_code)
            if problem:
                found["credit_code"] = _l("Unified social credit code: %(problem)s", problem=problem)
        for field in ("start_date", "detection_report_date", "exam_report_date"):
            if in_future(getattr(self, field)):
                found[field] = _l("The date cannot be in the future")
        for field in ("total_workers", "female_workers", "outsourced_workers", "exposed_total", *EXPOSURE_FIELDS,
                      "workers_trained", "exam_due_count", "exam_done_count"):
            value = getattr(self, field)
            if value is not None and value < 0:
                found[field] = _l("A headcount cannot be negative")
        self._check_headcounts(found)
        self._check_hazards(found)
        self._check_training(found)
        self._check_status(found, "detection", "detection_report_number", "detection_agency")
        self._check_status(found, "exam", "exam_report_number", "exam_agency")
        self._check_exams(found)
        return found

    def _check_headcounts(self, found: dict) -> None:
        total = self.total_workers
        if total is not None:
            if "female_workers" not in found and (self.female_workers or 0) > total:
                found["female_workers"] = _l("Female workers cannot exceed the total")
            if "outsourced_workers" not in found and (self.outsourced_workers or 0) > total:
                found["outsourced_workers"] = _l("Outsourced workers are part of the total and cannot exceed it")
            if "exposed_total" not in found and (self.exposed_total or 0) > total:
                found["exposed_total"] = _l("Exposed workers cannot exceed the workers on duty (%(total)s)",
                                            total=total)
        exposed = self.exposed_total or 0
        for field in EXPOSURE_FIELDS:
            # Annex 4 note: a worker exposed to several categories counts in each, never above the total.
            if field not in found and (getattr(self, field) or 0) > exposed:
                found[field] = _l("Cannot exceed the total exposed (%(total)s)", total=exposed)
        if exposed and "exposed_total" not in found and not any(getattr(self, f) for f in EXPOSURE_FIELDS):
            found["exposed_total"] = _l("Give the exposed workers by hazard category")

    def _check_hazards(self, found: dict) -> None:
        """Annex 2 names each kind as well as counting it: a count above 0 names at least one factor of its
        category, and a factor is named only for a kind with exposed workers."""
        idle = []
        for field in EXPOSURE_FIELDS:
            named = self.hazards_of(field)
            if (getattr(self, field) or 0) > 0 and not named and field not in found:
                found[field] = _l("Name the hazard factors of this category the workers are exposed to")
            elif not getattr(self, field) and named:
                idle += named
        if idle:  # "≥10%" as "≥10％": a page formats its messages once more, and a lone % would break it
            found["hazards"] = _l("No workers are counted as exposed to %(factors)s: count them or remove them",
                                  factors="、".join(str(factor).replace("%", "％") for factor in idle))

    def _check_training(self, found: dict) -> None:
        exposed, trained = self.exposed_total or 0, self.workers_trained or 0
        if "workers_trained" not in found and trained > exposed:
            found["workers_trained"] = _l("Trained workers cannot exceed the total exposed (%(total)s)",
                                          total=exposed)
            return
        coverage = self.training_coverage
        if coverage is None:
            if exposed:
                found["training_coverage"] = _l("Choose all, partly or not trained")
        elif coverage not in TRAINING_COVERAGE:
            found["training_coverage"] = _l("Choose all, partly or not trained")
        elif coverage == ALL and trained != exposed:
            found["training_coverage"] = _l("All trained means every exposed worker (%(total)s) was trained",
                                            total=exposed)
        elif coverage == NONE and trained:
            found["training_coverage"] = _l("Not trained, but %(count)s workers are counted as trained",
                                            count=trained)
        elif coverage == PARTIAL and not 0 < trained < exposed:
            found["training_coverage"] = _l("Partly trained means some but not all exposed workers")

    def _check_status(self, found: dict, prefix: str, number_field: str, agency_field: str) -> None:
        """Annex 2: the last report's number and agency are given unless there was none in 3 years."""
        status = getattr(self, f"{prefix}_status")
        if status not in (ALL, PARTIAL, NONE):
            found[f"{prefix}_status"] = _l("Choose all, partly or none")
        elif status == NONE:
            for field in (number_field, agency_field, f"{prefix}_report_date"):
                if getattr(self, field):
                    found[field] = _l("Leave empty when there was none in the last 3 years")
        else:
            for field in (number_field, agency_field):
                if not getattr(self, field):
                    found[field] = _l("Enter the last report's number and agency")

    def _check_exams(self, found: dict) -> None:
        due, done = self.exam_due_count or 0, self.exam_done_count or 0
        if "exam_done_count" in found or "exam_due_count" in found:
            return
        if done > due:
            found["exam_done_count"] = _l("Examined workers cannot exceed those who should be examined (%(due)s)",
                                          due=due)
        elif self.exam_status == ALL and done != due:
            found["exam_done_count"] = _l("All examined means the examined equal those due")
        elif self.exam_status == PARTIAL and not 0 < done < due:
            found["exam_done_count"] = _l("Partly examined means some but not all of those due")
        elif self.exam_status == NONE and done:
            found["exam_done_count"] = _l("No examinations, but %(count)s workers are counted as examined",
                                          count=done)
