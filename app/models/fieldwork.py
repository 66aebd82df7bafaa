"""Field visits (DOMAIN.md §3): screenings (排查, Annex 2) and patrols (巡查, Annex 3 / Guizhou Annex 1) with
their checklist answers. Both follow the submit and review workflow and are read-only in a closed year."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, case, event,
                        func, inspect, select)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Session, relationship
from sqlalchemy.orm.attributes import flag_modified

from app.codes import uscc_problem
from app.models.audit import Audited
from app.models.base import Model, RecordInvalid, db, stored_text
from app.models.checklist import ABSENT, ANSWERS, PRESENT, PRESENT_OR_ABSENT, ChecklistRow, ChecklistTemplate
from app.models.dictionaries import EconomicType, EnterpriseSize, HazardFactor, Industry, ProductionStatus
from app.models.employer import Employer
from app.models.org import TOWNSHIP, InOrgUnit, InParent
from app.models.security import PortalUser
from app.models.versioned import Versioned
from app.models.workflow import WorkflowRecord
from app.roles import PATROL, SCREENING
from app.scoping import current_user_or_none

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
# A patrol's header: patrol field → employer field. Blank on the patrol means "as registered".
PATROL_HEADER = {"address": "workplace_address", "legal_representative": "legal_representative",
                 "contact_person": "contact_person", "contact_phone": "contact_phone"}
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


def in_future(value) -> bool:
    if isinstance(value, datetime):
        return value > datetime.now()
    return value is not None and value > date.today()


def fill_defaults(record) -> None:
    """Rules see a column's scalar default before the INSERT would apply it (a script may omit a status)."""
    for column in record.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar and not column.nullable and getattr(record, column.key) is None:
            setattr(record, column.key, default.arg)


def follow_employer(record) -> None:
    """A record lies in its employer's township: taken from the employer when the record is new or its
    employer changes (not when the employer moves later: the visit happened where it happened)."""
    employer = record.employer
    if employer is not None and (record.org_unit is None or employer.id != record.employer_id):
        record.org_unit = employer.org_unit


def employer_elsewhere(record):
    """Why the record's employer does not belong to the record's township, or None."""
    employer, unit = record.employer, record.org_unit
    if employer is not None and unit is not None and employer.org_unit_id != unit.id:
        return _l("The employer is registered in %(unit)s, not in this township", unit=employer.org_unit)
    return None


class FieldVisit(InOrgUnit, WorkflowRecord):
    """What a screening and a patrol share: one visit by a coordinator to one employer, on a date, in the
    employer's township (kept on the record so scoping and reports use one indexed column)."""

    unit_level = TOWNSHIP
    year_field = "visit_date"

    def clean(self) -> None:
        super().clean()
        fill_defaults(self)
        follow_employer(self)
        if self.id is None and self.coordinator is None and self.coordinator_id is None:
            self.coordinator = current_user_or_none()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.employer is None:
            found["employer"] = _l("Choose the employer")
            if self.org_unit is None:
                found.pop("org_unit", None)  # it follows the employer: told once, on the employer
        elif employer_elsewhere(self):
            found["employer"] = employer_elsewhere(self)
        if self.visit_date is None:
            found.setdefault("visit_date", _l("Enter the date of the visit"))
        elif in_future(self.visit_date):
            found.setdefault("visit_date", _l("The date cannot be in the future"))
        coordinator = self.coordinator
        if coordinator is not None and self.org_unit is not None and not (
                coordinator.org_unit is not None and self.org_unit.path.startswith(coordinator.org_unit.path)):
            found["coordinator"] = _l("The coordinator must work in this township or above it")
        return found


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
                      Index("ix_screening_employer_visit_state", "employer_id", "visit_date", "state"),
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


patrol_hazard = Table(
    "patrol_hazard", Model.metadata,
    Column("patrol_id", Integer, ForeignKey("patrol.id", ondelete="CASCADE"), primary_key=True),
    Column("hazard_factor_id", Integer, ForeignKey("hazard_factor.id"), primary_key=True),
)


class Patrol(FieldVisit, Versioned, Audited, Model):
    """巡查个案信息表 (Shanghai Annex 3, Guizhou Annex 1): the checklist of the township's template."""

    __tablename__ = "patrol"
    picker_columns = ("employer.name", "employer.credit_code")
    # As the screening's: visited in a period, on time (covered in township order), drafts and returned
    # records by township.
    __table_args__ = (Index("ix_patrol_unit_date", "org_unit_id", "visit_date", "state", "submitted_at"),
                      Index("ix_patrol_employer_visit_state", "employer_id", "visit_date", "state"),
                      Index("ix_patrol_visit_cover", "visit_date", "org_unit_id", "state", "submitted_at"),
                      Index("ix_patrol_state_unit", "state", "org_unit_id", "visit_date"),
                      Index("ix_patrol_state_reviewed", "state", "reviewed_at"))  # the newest returns
    permission_name = PATROL

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), nullable=False)
    employer = relationship(Employer)
    template_id = Column(Integer, ForeignKey("checklist_template.id"), nullable=False)
    template = relationship(ChecklistTemplate)
    address = Column(String(200))  # 经营地址
    legal_representative = Column(String(50))  # Guizhou Annex 1
    contact_person = Column(String(50))
    contact_phone = Column(String(30), info={"phone": True})
    hazards = relationship(HazardFactor, secondary=patrol_hazard, order_by=HazardFactor.code)
    answers = relationship("PatrolAnswer", back_populates="patrol", order_by="PatrolAnswer.item_number",
                           cascade="all, delete-orphan")
    production_status_id = Column(Integer, ForeignKey("production_status.id"))  # where the template uses it
    production_status = relationship(ProductionStatus)
    problems_found = Column(Text)
    disposal = Column(Text)  # 处置: reported to the supervision agency, helped investigate, …
    companion = Column(String(50))
    coordinator_id = Column(Integer, ForeignKey("ab_user.id"))
    coordinator = relationship(PortalUser, foreign_keys=[coordinator_id])
    visit_date = Column(Date, nullable=False, default=date.today)
    hazard_reports = relationship("HazardReport", viewonly=True)  # made from it (app.models.hazard_report)

    def __repr__(self):
        return f"{self.employer or ''} {self.visit_date or ''}".strip()

    @property
    def header_fields(self) -> list[str]:
        """The header fields of the form its template prints (Shanghai Annex 3 / Guizhou Annex 1)."""
        template = self.template or self.default_template()
        return list(template.header_fields or []) if template is not None else []

    @property
    def clue_answers(self) -> list["PatrolAnswer"]:
        """The lines answered 有 where 有 is a clue to report (Guizhou "第6-7项为发现线索", Shanghai item 7)."""
        return [answer for answer in self.answers if answer.is_clue]

    def reported_clues(self) -> set[int]:
        """The item numbers whose clue has a hazard report made from this patrol."""
        return {report.item_number for report in self.hazard_reports if report.item_number is not None}

    @property
    def problem_answers(self) -> list["PatrolAnswer"]:
        """The checklist lines that record a finding (Guizhou Annex 2: 发现的主要问题)."""
        return [answer for answer in self.answers if answer.is_problem]

    @staticmethod
    def register_values(employer: Employer) -> dict:
        """The header and the production status as the register has them, to start a patrol from."""
        return {**{field: getattr(employer, source) for field, source in PATROL_HEADER.items()},
                "production_status": employer.production_status}

    @staticmethod
    def rows_for(patrol_id: int | None, template: ChecklistTemplate | None) -> list[ChecklistRow]:
        """The lines a patrol answers: its own, as they were entered, or for a new one its template's."""
        if patrol_id is not None:
            with db.session.no_autoflush:
                return [answer.row for answer in db.session.scalars(
                    select(PatrolAnswer).where(PatrolAnswer.patrol_id == patrol_id)
                    .order_by(PatrolAnswer.item_number))]
        return template.rows if template is not None else []

    def default_template(self) -> ChecklistTemplate | None:
        unit = self.org_unit or (self.employer.org_unit if self.employer is not None else None)
        return ChecklistTemplate.default_for(unit)

    def fill_answers(self, given: dict[int, tuple[str | None, str | None]]) -> None:
        """Record the answer (有/无/不适用: app.models.checklist.ANSWERS) and a note per line number, copying
        each new line as the template has it. The answers are part of the patrol's form: changing only them
        still moves the patrol's version."""
        with db.session.no_autoflush:
            existing = {answer.item_number: answer for answer in self.answers}
            for row in self.rows_for(self.id, self.template or self.default_template()):
                answer = existing.get(row.number)
                if answer is None:
                    answer = PatrolAnswer(item_number=row.number, item_text=row.text,
                                          asks_description=row.asks_description,
                                          problem_if_present=row.problem_if_present,
                                          allowed_answers=list(row.allowed_answers),
                                          clue_category=row.clue_category)
                    self.answers.append(answer)
                value, note = given.get(row.number, (None, None))
                filled = (value, stored_text(note or ""))  # as clean() will store it
                if (answer.answer, answer.note) != filled:
                    answer.answer, answer.note = filled
                    self.touch()

    def clean(self) -> None:
        super().clean()
        if self.template is None and self.template_id is None:
            self.template = self.default_template()
        used, employer = self.header_fields, self.employer
        if employer is not None:
            for field, source in PATROL_HEADER.items():
                if field in used:
                    setattr(self, field, getattr(self, field) or getattr(employer, source))
        if self.id is None:  # a new patrol keeps only what its form asks (an old one stays as it was entered)
            for field in PATROL_HEADER:
                if field not in used:
                    setattr(self, field, None)
            if "production_status" not in used:
                self.production_status = None
            if "hazards" not in used:
                self.hazards = []

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.template is None and self.template_id is None:
            found["template"] = _l("No checklist template for this township; ask the system admin")
        if "production_status" in self.header_fields and self.production_status is None \
                and self.production_status_id is None:
            found["production_status"] = _l("Choose the production status")
        answers = self.answers
        unanswered = [str(a.item_number) for a in answers if a.answer is None]
        refused = [a.row.answer_problem(a.answer) for a in answers if a.answer is not None]
        undescribed = [str(a.item_number) for a in answers
                       if a.is_problem and a.asks_description and not (a.note or "").strip()]
        if not answers:
            found["answers"] = _l("Answer every item of the checklist")
        elif unanswered:
            found["answers"] = _l("Answer 有 or 无 for item %(items)s", items="、".join(unanswered))
        elif any(refused):
            found["answers"] = "；".join(str(problem) for problem in refused if problem)
        elif undescribed:
            found["answers"] = _l("Describe what was found for item %(items)s", items="、".join(undescribed))
        return found

    def submission_problems(self) -> dict[str, str]:
        """Every clue found has its hazard report before the patrol is submitted, so that the information
        reporting rate (reported / found, Guizhou) counts it."""
        reported = self.reported_clues()
        missing = [str(answer.item_number) for answer in self.clue_answers if answer.item_number not in reported]
        if missing:
            return {"answers": _l("Item %(items)s is answered 有, a clue found: first report it from this patrol "
                                  "(hazard report)", items="、".join(missing))}
        return {}


class PatrolAnswer(InParent, Audited, Model):
    """One line of a patrol's checklist, with the item's number and text as they were on the day."""

    __tablename__ = "patrol_answer"
    __table_args__ = (Index("ix_patrol_answer_patrol_number", "patrol_id", "item_number", unique=True),)
    parent_model, parent_key, parent_relation = Patrol, "patrol_id", "patrol"

    id = Column(Integer, primary_key=True)
    patrol_id = Column(Integer, ForeignKey("patrol.id", ondelete="CASCADE"), nullable=False)
    patrol = relationship(Patrol, back_populates="answers")
    item_number = Column(Integer, nullable=False)
    item_text = Column(String(200), nullable=False)
    asks_description = Column(Boolean, nullable=False, default=False)
    problem_if_present = Column(Boolean, nullable=False, default=False)
    allowed_answers = Column(JSON, nullable=False, default=lambda: list(PRESENT_OR_ABSENT),
                             server_default='["yes", "no"]')
    clue_category = Column(String(20))
    answer = Column(String(3), nullable=False)  # app.models.checklist.ANSWERS: 有, 无, 不适用
    note = Column(Text)

    def __repr__(self):
        return f"{self.item_number} {self.item_text}"

    @property
    def row(self) -> ChecklistRow:
        return ChecklistRow(self.item_number, self.item_text, self.asks_description, self.problem_if_present,
                            tuple(self.allowed_answers or PRESENT_OR_ABSENT), self.clue_category)

    @property
    def answer_label(self):
        return ANSWERS.get(self.answer, self.answer or "")

    @hybrid_property
    def is_problem(self) -> bool:
        """The answer records a finding: 有 on a violation or complaint, 无 on a declaration, report or
        facility; 不适用 (合理缺项) never does (Guizhou Annex 2 "发现的主要问题")."""
        return self.answer is not None and self.answer == (PRESENT if self.problem_if_present else ABSENT)

    @is_problem.inplace.expression
    @classmethod
    def _is_problem_expression(cls):
        return cls.answer == case((cls.problem_if_present, PRESENT), else_=ABSENT)

    @hybrid_property
    def is_clue(self) -> bool:
        """有 on an item whose 有 is a clue to report (Guizhou "第6-7项为发现线索", Shanghai item 7)."""
        return self.clue_category is not None and self.answer == PRESENT

    @is_clue.inplace.expression
    @classmethod
    def _is_clue_expression(cls):
        return cls.clue_category.is_not(None) & (cls.answer == PRESENT)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        patrol = self.patrol
        if patrol is not None:
            problem = patrol.lock_problem() or patrol.closed_year_problem()
            if problem:
                found["patrol"] = problem
        return found

@event.listens_for(Session, "before_flush")
def _carry_visits_to_the_register(session, flush_context, instances):
    """A screening updates the employer's register when the clerk asked (never silently); a patrol's
    production status becomes the employer's when it is the employer's latest patrol (Annex 3)."""
    for obj in list(session.new) + list(session.dirty):
        if obj in session.deleted:
            continue
        if isinstance(obj, Screening) and obj.update_register:
            obj.update_register = False
            obj.register_changes = obj.copy_to_register()
            problems = obj.employer.all_problems()
            if problems:
                fields = {source: field for field, source in REGISTER_FIELDS.items()}
                raise RecordInvalid({fields.get(key, key): message for key, message in problems.items()})
        elif isinstance(obj, Patrol) and obj.employer is not None and obj.production_status is not None:
            status_history = inspect(obj).attrs.production_status.history
            if obj.id is not None and not status_history.added:
                continue
            with session.no_autoflush:
                later = session.scalar(select(func.count(Patrol.id)).where(
                    Patrol.employer_id == obj.employer.id, Patrol.visit_date > obj.visit_date,
                    Patrol.id != (obj.id or 0)))
            if not later and obj.employer.production_status is not obj.production_status:
                obj.employer.production_status = obj.production_status
