"""The occupational-health archive (上海市职业卫生档案, Annex 4) of an employer: the cover, table 4.1,
4.2, the headers of 4.4–4.6, the tables the completeness rule reads (4-1, 4-2, review records), and the
rule itself. The other tables are in ``archive_tables``.

An archive is scoped through its employer (``InParent``), not by an org unit of its own: an employer
that moves township takes its archive along with nothing to keep in step, and the archive rate is a
count over employers (joined on the unique ``employer_id``), so it needs no unit on the archive.

**Complete archive (规范建档)** — on a reference date ``as_of`` (Annex 6: "开展职业卫生建档、复核"):
  1. the cover and table 4.1 are filled: date established (on or before ``as_of``), production
     status, the person in charge of occupational health, and actual workers > 0;
  2. for an employer with occupational hazards, table 4.4 is filled: at least one row of the exposure
     summary (4-1) and one row of exposure & detection (4-2);
  3. a review (复核记录) dated in the 12 months up to ``as_of``.
``completeness_gaps()`` applies it to one archive in Python; ``complete_condition()`` is the same rule
as one SQL condition for set-based reports (the archive rate). Both come
from the four gaps, each written once in Python (``_gaps_found``) and once in SQL (``gap_conditions``);
``completeness_gaps_mask`` holds them as bits in either form, so the archive list reads in SQL.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint, and_,
                        case, exists, func, or_, select)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model, db
from app.models.child_rows import rows_of
from app.models.dictionaries import DetectionType, HazardCategory, HazardFactor, JobType, ProtectiveMeasureType
from app.models.employer import Employer
from app.models.form_codes import (EQUIPMENT_STATES, OPERATION_MODES, PRODUCTION_CLOSED, PRODUCTION_MODES,
                                   check_at_most, check_code, check_counts, check_order, check_past, check_within,
                                   linked)
from app.models.org import InParent, OrgUnit
from app.models.versioned import Versioned

# Table 4.1 企业用工情况: rows × columns of the headcount matrix.
WORKFORCE_ROWS = ("actual", "production", "exposed")  # 实际从业人员, 生产工人, 接触职业病危害工人
WORKFORCE_COLUMNS = ("total", "female", "migrant", "outsourced", "outsourced_female")
WORKFORCE_FIELDS = tuple(f"{row}_{column}" for row in WORKFORCE_ROWS for column in WORKFORCE_COLUMNS)
REVIEWED_TABLES = range(1, 7)  # 复核记录: 表1–表6 are tables 4.1–4.6


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# What keeps an archive from being complete, in the order of its bits in completeness_gaps_mask.
COMPLETENESS_GAPS = (
    _l("date established"),
    _l("table 4.1 (production status, person in charge, actual workers)"),
    _l("table 4.4 (exposure summary and exposure & detection rows)"),
    _l("a review within the last 12 months"),
)


def completeness_text(mask: int):
    """The archive's completeness as its page says it: complete, or what is missing."""
    if not mask:
        return _l("Complete")
    return _l("Missing: %(gaps)s",
              gaps="；".join(str(label) for bit, label in enumerate(COMPLETENESS_GAPS) if mask & 1 << bit))


def _headcount() -> Column:
    return Column(Integer, nullable=False, default=0)


class HealthArchive(InParent, Versioned, Audited, Model):
    __tablename__ = "health_archive"
    picker_columns = ("employer.name", "employer.credit_code", "employer.archive_number")
    parent_model, parent_key, parent_relation = Employer, "employer_id", "employer"

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), nullable=False, unique=True)
    employer = relationship(Employer)
    established_on = Column(Date)  # cover: 建档日期
    # Table 4.1 基本情况 (legal representative and the cover fields are the employer's).
    founded_on = Column(Date)  # 单位建立时间
    has_union = Column(Boolean, nullable=False, default=False)
    oh_department = Column(String(100))
    oh_staff_full_time = Column(Integer, nullable=False, default=0)
    oh_staff_part_time = Column(Integer, nullable=False, default=0)
    oh_manager = Column(String(50))
    oh_manager_phone = Column(String(30), info={"phone": True})
    production_mode = Column(String(1))
    closed_on = Column(Date)
    actual_total = _headcount()
    actual_female = _headcount()
    actual_migrant = _headcount()
    actual_outsourced = _headcount()
    actual_outsourced_female = _headcount()
    production_total = _headcount()
    production_female = _headcount()
    production_migrant = _headcount()
    production_outsourced = _headcount()
    production_outsourced_female = _headcount()
    exposed_total = _headcount()
    exposed_female = _headcount()
    exposed_migrant = _headcount()
    exposed_outsourced = _headcount()
    exposed_outsourced_female = _headcount()
    # Table 4.2.
    process_description = Column(Text)
    # Table 4.4 header.
    hazard_declared = Column(Boolean, nullable=False, default=False)
    principal_trained = Column(Boolean, nullable=False, default=False)
    manager_trained = Column(Boolean, nullable=False, default=False)
    workers_trained = Column(Integer, nullable=False, default=0)
    detected_this_year = Column(Boolean, nullable=False, default=False)
    # Table 4.5 and 4.6 headers.
    surveillance_this_year = Column(Boolean, nullable=False, default=False)
    cumulative_cases = Column(Integer, nullable=False, default=0)
    disease_this_year = Column(Boolean, nullable=False, default=False)

    products = relationship("ArchiveProduct", cascade="all, delete", overlaps="archive",
                            order_by="ArchiveProduct.rank")
    outsourcing_companies = relationship("OutsourcingCompany", cascade="all, delete", overlaps="archive")
    chemicals = relationship("ArchiveChemical", cascade="all, delete", overlaps="archive")
    exposure_summaries = relationship("ExposureSummary", cascade="all, delete", overlaps="archive")
    exposure_detections = relationship("ExposureDetection", cascade="all, delete", overlaps="archive")
    surveillance_summaries = relationship("SurveillanceSummary", cascade="all, delete", overlaps="archive")
    surveillance_results = relationship("SurveillanceResult", cascade="all, delete", overlaps="archive")
    disease_cases = relationship("DiseaseCase", cascade="all, delete", overlaps="archive")
    reviews = relationship("ArchiveReview", cascade="all, delete", overlaps="archive",
                           order_by="ArchiveReview.reviewed_on.desc()")

    def __repr__(self):
        return f"{self.archive_number or ''} {self.employer or ''}".strip()

    @hybrid_property
    def archive_number(self):
        return self.employer.archive_number if self.employer is not None else None

    @archive_number.inplace.expression
    @classmethod
    def _archive_number_expression(cls):
        return select(Employer.archive_number).where(Employer.id == cls.employer_id).scalar_subquery()

    @hybrid_property
    def org_unit(self):
        """The employer's township: what the archive and its tables are scoped by. In SQL, its name: what
        the unit shows as (``OrgUnit.__repr__``), for exports read as plain rows (``app.exports``)."""
        return self.employer.org_unit if self.employer is not None else None

    @org_unit.inplace.expression
    @classmethod
    def _org_unit_expression(cls):
        return (select(OrgUnit.name).join(Employer, Employer.org_unit_id == OrgUnit.id)
                .where(Employer.id == cls.employer_id).scalar_subquery())

    @hybrid_property
    def last_reviewed_on(self) -> date | None:
        return max((review.reviewed_on for review in self.reviews), default=None)

    @last_reviewed_on.inplace.expression
    @classmethod
    def _last_reviewed_on_expression(cls):
        return (select(func.max(ArchiveReview.reviewed_on)).where(ArchiveReview.archive_id == cls.id)
                .scalar_subquery())

    # -- the completeness rule (规范建档); keep the Python and SQL forms together -----------------
    # Four gaps, in the order of COMPLETENESS_GAPS (gap i is bit 1 << i of completeness_gaps_mask):
    # _gaps_found says which an archive has in Python, gap_conditions is each as a SQL condition.

    def _gaps_found(self, as_of: date) -> tuple[bool, ...]:
        return (
            self.established_on is None or self.established_on > as_of,
            self.production_mode is None or not self.oh_manager or (self.actual_total or 0) <= 0,
            self.employer is not None and bool(self.employer.has_hazard) and not (
                self.exposure_summaries and self.exposure_detections),
            not any(one_year_before(as_of) < review.reviewed_on <= as_of for review in self.reviews),
        )

    @classmethod
    def gap_conditions(cls, as_of: date) -> tuple:
        """The gaps as SQL conditions on ``health_archive`` rows, never NULL (each nullable column is
        tested for NULL first), so that ``~gap`` is exactly "not this gap"."""
        return (
            or_(cls.established_on.is_(None), cls.established_on > as_of),
            or_(cls.production_mode.is_(None), cls.oh_manager.is_(None), cls.oh_manager == "",
                cls.actual_total.is_(None), cls.actual_total <= 0),
            and_(exists().where(Employer.id == cls.employer_id, Employer.has_hazard.is_(True)),
                 or_(~exists().where(ExposureSummary.archive_id == cls.id),
                     ~exists().where(ExposureDetection.archive_id == cls.id))),
            ~exists().where(ArchiveReview.archive_id == cls.id,
                            ArchiveReview.reviewed_on > one_year_before(as_of),
                            ArchiveReview.reviewed_on <= as_of),
        )

    def completeness_gaps(self, as_of: date | None = None) -> list:
        """What keeps the archive from being complete on ``as_of`` (today): empty when complete."""
        return [label for label, found in zip(COMPLETENESS_GAPS, self._gaps_found(as_of or date.today()))
                if found]

    @classmethod
    def complete_condition(cls, as_of: date):
        """The completeness rule as a SQL condition on ``health_archive`` rows: none of the gaps."""
        return and_(*(~gap for gap in cls.gap_conditions(as_of)))

    @hybrid_property
    def completeness_gaps_mask(self) -> int:
        """Today's gaps as bits (0: complete); ``completeness_text`` says it as the archive's page does."""
        return sum(1 << bit for bit, found in enumerate(self._gaps_found(date.today())) if found)

    @completeness_gaps_mask.inplace.expression
    @classmethod
    def _completeness_gaps_mask_expression(cls):
        bits = [case((gap, 1 << bit), else_=0) for bit, gap in enumerate(cls.gap_conditions(date.today()))]
        return sum(bits[1:], bits[0])

    @classmethod
    def complete_employer_ids(cls, as_of: date):
        """Ids of the employers whose archive is complete on ``as_of``: ``Employer.id.in_(…)``."""
        return select(cls.employer_id).where(cls.complete_condition(as_of))

    @property
    def is_complete(self) -> bool:
        return not self.completeness_gaps()

    @property
    def completeness(self):
        return completeness_text(self.completeness_gaps_mask)

    # -- rules -------------------------------------------------------------------------------------

    def _employer_has_another_archive(self) -> bool:
        employer_id = self.employer.id if self.employer is not None else self.employer_id
        with db.session.no_autoflush:
            return db.session.scalar(select(func.count(HealthArchive.id)).where(
                HealthArchive.employer_id == employer_id, HealthArchive.id != (self.id or 0))) > 0

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if "employer" not in found and self._employer_has_another_archive():
            found["employer"] = _l("This employer already has an archive")
        check_counts(self, WORKFORCE_FIELDS + ("oh_staff_full_time", "oh_staff_part_time", "workers_trained",
                                               "cumulative_cases"), found)
        for row in WORKFORCE_ROWS:
            for part in ("female", "migrant"):
                check_at_most(self, f"{row}_{part}", f"{row}_total", found,
                              _l("Cannot exceed the registered total of the same row"))
            check_at_most(self, f"{row}_outsourced_female", f"{row}_outsourced", found,
                          _l("Cannot exceed the outsourced total of the same row"))
        for column in WORKFORCE_COLUMNS:  # 4.1: exposed ≤ production workers ≤ actual workers
            check_at_most(self, f"production_{column}", f"actual_{column}", found,
                          _l("Production workers cannot exceed actual workers"))
            check_at_most(self, f"exposed_{column}", f"production_{column}", found,
                          _l("Exposed workers cannot exceed production workers"))
        if "workers_trained" not in found and self.workers_trained > self.exposed_total + self.exposed_outsourced:
            found["workers_trained"] = _l("Trained workers cannot exceed the exposed workers of table 4.1")
        check_code(self, "production_mode", PRODUCTION_MODES, found)
        if self.production_mode == PRODUCTION_CLOSED and self.closed_on is None:
            found["closed_on"] = _l("Enter when the employer closed")
        elif self.production_mode != PRODUCTION_CLOSED and self.closed_on is not None:
            found["closed_on"] = _l("Only a closed employer has a closing date")
        check_past(self, ("established_on", "founded_on", "closed_on"), found)
        return found


class ArchiveRow(rows_of(HealthArchive, "archive_id", "archive")):
    """A row of one of the archive's tables, edited on the archive's page and scoped with it."""

    def within_exposed(self, found: dict, registered: str, outsourced: str) -> None:
        """Exposure counts of one row stay within the exposed workers of table 4.1."""
        archive = self.archive
        if archive is None:
            return
        check_within(self, registered, archive.exposed_total, found,
                     _l("Cannot exceed the exposed registered workers of table 4.1"))
        check_within(self, outsourced, archive.exposed_outsourced, found,
                     _l("Cannot exceed the exposed outsourced workers of table 4.1"))


class ExposureSummary(ArchiveRow, Model):
    """Table 4-1: exposed workers per hazard category (a worker counts in each category they meet)."""

    __tablename__ = "archive_exposure_summary"
    __table_args__ = (UniqueConstraint("archive_id", "hazard_category_id", name="uq_exposure_summary_category"),)
    collection = "exposure_summaries"

    id = Column(Integer, primary_key=True)
    hazard_category_id = Column(Integer, ForeignKey("hazard_category.id"), nullable=False)
    hazard_category = relationship(HazardCategory)
    registered_exposed = Column(Integer, nullable=False, default=0)
    outsourced_exposed = Column(Integer, nullable=False, default=0)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        category = linked(self, "hazard_category")
        if category is None:
            found["hazard_category"] = _l("Choose the hazard category")
        elif self.archive is not None:
            with db.session.no_autoflush:
                taken = db.session.scalar(select(func.count(ExposureSummary.id)).where(
                    ExposureSummary.archive_id == self.archive.id,
                    ExposureSummary.hazard_category_id == category.id,
                    ExposureSummary.id != (self.id or 0)))
            if taken:
                found["hazard_category"] = _l("This category already has a row in the archive")
        check_counts(self, ("registered_exposed", "outsourced_exposed"), found)
        self.within_exposed(found, "registered_exposed", "outsourced_exposed")
        return found


exposure_detection_measure = Table(
    "archive_exposure_detection_measure", Model.metadata,
    Column("detection_id", Integer, ForeignKey("archive_exposure_detection.id", ondelete="CASCADE"),
           primary_key=True),
    Column("measure_type_id", Integer, ForeignKey("protective_measure_type.id"), primary_key=True, index=True),
)


# Cangzhou 2020 (三.(二)): "对检测结果超标超限的，要督促企业整改，并及时复检" — the re-test's result.
RETEST_RESULTS = {"1": _l("Within the limit"), "2": _l("Still over the limit")}


class ExposureDetection(ArchiveRow, Model):
    """Table 4-2: per workplace, job type and hazard factor — exposure, protection and detection."""

    __tablename__ = "archive_exposure_detection"
    collection = "exposure_detections"

    id = Column(Integer, primary_key=True)
    workplace = Column(String(100), nullable=False)
    job_type_id = Column(Integer, ForeignKey("job_type.id"), nullable=False, index=True)
    job_type = relationship(JobType)
    equipment_state = Column(String(1))
    operation_mode = Column(String(1))
    hazard_factor_id = Column(Integer, ForeignKey("hazard_factor.id"), nullable=False, index=True)
    hazard_factor = relationship(HazardFactor)
    hazard_factor_other = Column(String(100))  # note 6: the name when the factor is an "other" entry
    registered_total = Column(Integer, nullable=False, default=0)
    registered_female = Column(Integer, nullable=False, default=0)
    registered_migrant = Column(Integer, nullable=False, default=0)
    outsourced_total = Column(Integer, nullable=False, default=0)
    outsourced_female = Column(Integer, nullable=False, default=0)
    # 职业病危害防护设施, note 7: none chosen is 无, else the measures of 代码表附表6
    protective_measures = relationship(ProtectiveMeasureType, secondary=exposure_detection_measure,
                                       order_by=ProtectiveMeasureType.sort_order)
    detection_type_id = Column(Integer, ForeignKey("detection_type.id"))
    detection_type = relationship(DetectionType)
    points_tested = Column(Integer, nullable=False, default=0)
    points_passed = Column(Integer, nullable=False, default=0)
    detected_on = Column(Date, index=True)
    detection_agency = Column(String(200))
    report_number = Column(String(50))
    # Annex 3 notes 三.4: "检测结果超过国家职业卫生标准的，用人单位应当及时进行整改". A row is over the limit when
    # fewer points passed than were tested (``over_limit``); its rectification and re-test:
    rectification = Column(Text)  # 整改措施/情况
    retested_on = Column(Date)  # 复检日期
    retest_result = Column(String(1))  # RETEST_RESULTS

    @hybrid_property
    def over_limit(self) -> bool:
        return (self.points_passed or 0) < (self.points_tested or 0)

    @over_limit.expression
    def over_limit(cls):
        return cls.points_passed < cls.points_tested

    @property
    def hazard_name(self):
        if self.hazard_factor is None:
            return ""
        return self.hazard_factor_other or self.hazard_factor.name

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not self.workplace:
            found["workplace"] = _l("Enter the workplace")
        if linked(self, "job_type") is None:
            found["job_type"] = _l("Choose the job type")
        factor = linked(self, "hazard_factor")
        if factor is None:
            found["hazard_factor"] = _l("Choose the hazard factor")
        elif factor.name.startswith("以上未提及") and not self.hazard_factor_other:
            found["hazard_factor_other"] = _l("Name the factor when you choose an 'other' entry")
        check_code(self, "equipment_state", EQUIPMENT_STATES, found)
        check_code(self, "operation_mode", OPERATION_MODES, found)
        check_counts(self, ("registered_total", "registered_female", "registered_migrant", "outsourced_total",
                            "outsourced_female", "points_tested", "points_passed"), found)
        for part in ("registered_female", "registered_migrant"):
            check_at_most(self, part, "registered_total", found, _l("Cannot exceed the registered total"))
        check_at_most(self, "outsourced_female", "outsourced_total", found,
                      _l("Cannot exceed the outsourced total"))
        self.within_exposed(found, "registered_total", "outsourced_total")
        check_at_most(self, "points_passed", "points_tested", found,
                      _l("Passed points cannot exceed tested points"))
        if self.points_tested and self.detected_on is None:
            found["detected_on"] = _l("Enter the detection date")
        if self.points_tested and linked(self, "detection_type") is None:
            found["detection_type"] = _l("Choose the detection type")
        check_past(self, ("detected_on", "retested_on"), found)
        self._rectification_problems(found)
        return found

    def _rectification_problems(self, found: dict) -> None:
        """Only a result over the limit is rectified and re-tested; the re-test follows the rectification
        and the detection, and has a result."""
        check_code(self, "retest_result", RETEST_RESULTS, found)
        if not self.over_limit:
            for field in ("rectification", "retested_on", "retest_result"):
                if getattr(self, field) is not None:
                    found[field] = _l("Only a result over the limit (fewer points passed than tested) is "
                                      "rectified and re-tested")
            return
        if self.retested_on is None:
            if self.retest_result is not None:
                found["retested_on"] = _l("Enter the re-test date with its result")
            return
        if not self.rectification:
            found["rectification"] = _l("Record the rectification before the re-test")
        if self.retest_result is None:
            found["retest_result"] = _l("Choose the re-test result")
        check_order(self, "detected_on", "retested_on", found,
                    _l("The re-test cannot precede the detection"))


class ArchiveReview(ArchiveRow, Model):
    """复核记录: the review date and, for tables 4.1–4.6, whether it changed and a summary."""

    __tablename__ = "archive_review"
    collection = "reviews"

    id = Column(Integer, primary_key=True)
    reviewed_on = Column(Date, nullable=False, index=True)
    table1_changed = Column(Boolean, nullable=False, default=False)
    table1_summary = Column(String(500))
    table2_changed = Column(Boolean, nullable=False, default=False)
    table2_summary = Column(String(500))
    table3_changed = Column(Boolean, nullable=False, default=False)
    table3_summary = Column(String(500))
    table4_changed = Column(Boolean, nullable=False, default=False)
    table4_summary = Column(String(500))
    table5_changed = Column(Boolean, nullable=False, default=False)
    table5_summary = Column(String(500))
    table6_changed = Column(Boolean, nullable=False, default=False)
    table6_summary = Column(String(500))

    @property
    def changed_tables(self) -> str:
        return "、".join(f"4.{n}" for n in REVIEWED_TABLES if getattr(self, f"table{n}_changed"))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.reviewed_on is None:
            found["reviewed_on"] = _l("Enter the review date")
        check_past(self, ("reviewed_on",), found)
        if self.archive is not None and "reviewed_on" not in found:
            established = self.archive.established_on
            if established is not None and self.reviewed_on < established:
                found["reviewed_on"] = _l("A review cannot precede the date the archive was established")
        return found
